#!/usr/bin/env bash
# Benchmarks (figures, not assertions): the checker beside TLC on every twin (both with as many
# threads as the machine has cores), then the browser: step-to-paint, random-play throughput, the
# in-worker check of paxos at the seed's constants, and the gzipped size of the wasm files.
# Last, the phone cold load (web/e2e/bench-phone.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export PATH="$PWD/web/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$PATH"
cargo build --release --locked --bin pex
./target/release/pex bench "$@"
rm -rf dist
trunk build --release --locked --public-url /protocol-explorer/
(cd web && PEX_DIST="$PWD/../dist" PEX_PUBLIC_URL=/protocol-explorer/ PEX_BIN="$PWD/../target/release/pex" node e2e/bench.mjs paxos safe)
# The phone cold load, from a host that serves the precompressed copies (and from one that does not).
node scripts/precompress.mjs dist
(cd web && PEX_DIST="$PWD/../dist" PEX_PUBLIC_URL=/protocol-explorer/ node e2e/bench-phone.mjs 5)
