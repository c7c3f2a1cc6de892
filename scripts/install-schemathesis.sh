#!/usr/bin/env bash
# Installs the pinned schemathesis (PyPI) into the project-local, git-ignored venv .tools/schemathesis; the
# e2e suite runs `.tools/schemathesis/bin/st` against the OpenAPI document of a running stack.
# Idempotent: does nothing when the pinned version is already there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.tools/schemathesis"
pins="schemathesis==${SCHEMATHESIS_VERSION:-4.32.5}"
stamp="$venv/.installed"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$pins" ] && [ -x "$venv/bin/st" ]; then
  exit 0
fi
python="${PYTHON:-$(command -v python3 || true)}"
if [ -z "$python" ]; then
  echo "install-schemathesis: python3 is needed to install $pins" >&2
  exit 1
fi
echo "install-schemathesis: installing $pins into $venv" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check $pins
echo "$pins" > "$stamp"
