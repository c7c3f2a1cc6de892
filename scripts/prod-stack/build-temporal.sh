#!/usr/bin/env bash
# Builds the pinned Temporal server and its SQL schema tool from their Go module, once, into the
# git-ignored project folder .tools/temporal-server/:
#   .tools/temporal-server/temporal-server     (go.temporal.io/server/cmd/server, ~128 MB)
#   .tools/temporal-server/temporal-sql-tool   (go.temporal.io/server/cmd/tools/sql, ~57 MB)
#   .tools/temporal-server/schema/             (the module's PostgreSQL v12 schemas, copied from the module cache)
#   .tools/temporal-server/config/             (the module's development-postgres12.yaml, the base of the stack's config)
# The version comes from scripts/prod-stack/temporal-server/go.mod (v1.29.1). Does nothing when the stamp says the
# same version was built. Needs Go >= 1.25 on PATH (GOTOOLCHAIN=local: no toolchain download); about 4 minutes on
# 2 cores, run at low priority (nice). Exit status 1 with a message when Go is missing or the build fails.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mod="$root/scripts/prod-stack/temporal-server"
out="${TEMPORAL_SERVER_DIR:-$root/.tools/temporal-server}"
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false

if ! command -v go >/dev/null; then
  echo "build-temporal: Go is needed to build the Temporal server (go.temporal.io/server, see $mod/go.mod)." >&2
  exit 1
fi
version="$(cd "$mod" && go list -m -f '{{.Version}}' go.temporal.io/server)"
stamp="$out/.built"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ] \
   && [ -x "$out/temporal-server" ] && [ -x "$out/temporal-sql-tool" ] && [ -d "$out/schema" ]; then
  exit 0
fi

echo "build-temporal: building go.temporal.io/server $version into $out (a few minutes, low priority)" >&2
mkdir -p "$out"
cd "$mod"
go mod download go.temporal.io/server
nice -n 10 go build -trimpath -o "$out/temporal-server.tmp" go.temporal.io/server/cmd/server
nice -n 10 go build -trimpath -o "$out/temporal-sql-tool.tmp" go.temporal.io/server/cmd/tools/sql
mv "$out/temporal-server.tmp" "$out/temporal-server"
mv "$out/temporal-sql-tool.tmp" "$out/temporal-sql-tool"

src="$(go list -m -f '{{.Dir}}' go.temporal.io/server)"
rm -rf "$out/schema" "$out/config"
mkdir -p "$out/schema" "$out/config"
cp -r "$src/schema/postgresql" "$out/schema/postgresql"
cp "$src/config/development-postgres12.yaml" "$out/config/"
chmod -R u+w "$out/schema" "$out/config"
echo "$version" > "$stamp"
echo "build-temporal: built $("$out/temporal-server" --version 2>/dev/null || echo "temporal-server $version")" >&2
