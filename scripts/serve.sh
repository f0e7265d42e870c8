#!/usr/bin/env bash
# Sets up what is missing, then serves the app with trunk on http://127.0.0.1:8080/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh serve
export PATH="$PWD/web/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$PATH"
exec trunk serve "$@"
