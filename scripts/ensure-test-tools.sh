#!/usr/bin/env bash
# What the test command needs beyond npm packages, installed from package registries only:
#   - Debian's Chromium at /usr/bin/chromium for the browser tests (Playwright never downloads a browser here);
#   - schemathesis (PyPI) in the project-local virtualenv .tools/schemathesis, which tests the OpenAPI document.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "ensure-test-tools: installing Debian's chromium (apt-get)" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "ensure-test-tools: /usr/bin/chromium is missing; install it with: sudo apt-get install chromium" >&2
    exit 1
  fi
fi
bash scripts/install-schemathesis.sh
