#!/usr/bin/env bash
# Sets up what is missing, then runs every test: rustfmt and clippy; native unit, property and CLI tests (and
# `pex new`'s crate, built and tested); a seeded fuzz run over every input path; the example crate examples/peterson (tests, TLC conformance, site); a crate
# `pex new` writes, its site built; the TLC conformance run for every twin in tla/; the release build of the site
# (served under a sub-path), checked free of test hooks, and a second build with them; end-to-end tests in headless Chromium against that build (the example's site too).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export PATH="$PWD/web/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$PATH"
step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*"; }
started=$(date +%s)

step "Lint: rustfmt, and clippy on the native and the wasm build (warnings are errors)"
cargo fmt --check
cargo clippy --locked --all-targets -- -D warnings
cargo clippy --locked --target wasm32-unknown-unknown --no-default-features --features web --bin app --bin worker -- -D warnings

step "Native tests: engine, models, explorer, CLI, properties"
cargo test --release --locked

step "Fuzz: a short seeded run over every input path (fails on a panic, an inconsistency, a hang or an abort)"
# 100,000 inputs, about 15 s on a loaded 2-core machine (slowest input ~150 ms); the 2 s budget per
# input is far above that, so only work out of proportion fails it (a hang is 5 s).
cargo run --release --locked --bin fuzz -- --seed 1 --inputs 100000 --budget-ms 2000

step "The example crate examples/peterson: lint, its tests, its conformance with TLC (its own pex), its site"
(
  cd examples/peterson
  # Its own package (an empty [workspace]); the shared target dir reuses the root's compiled crates.
  export CARGO_TARGET_DIR="$PWD/../../target"
  cargo fmt --check
  cargo clippy --locked --all-targets -- -D warnings
  cargo test --locked
  "$CARGO_TARGET_DIR/debug/pex" conform --tla-dir tla
  rm -rf dist
  trunk build --offline
  test -s dist/index.html && ls dist/*.wasm >/dev/null
)

step "pex new: a crate written by the scaffold builds its site at once, offline"
cargo build --release --locked --bin pex
(
  root="$PWD"
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  cd "$scratch"
  "$root/target/release/pex" new demo-lock --pex-path "$root"
  cd demo-lock
  CARGO_TARGET_DIR="$root/target" trunk build --offline
  test -s dist/index.html && ls dist/*.wasm >/dev/null
)

step "TLC conformance: every cfg in tla/, with and without symmetry"
./target/release/pex conform

step "Release build of the site (the app and the docs book), with a public URL other than /"
scripts/site.sh /protocol-explorer/
# The browser tests' hooks (window.__pexRenders, __pexCrashWorker, __pexHangWorker) stay out of
# what users download; a second build with them serves the tests that need them.
ls dist/*_bg.wasm.br dist/*_bg.wasm.gz >/dev/null
if grep -rl --exclude='*.br' --exclude='*.gz' '__pex' dist; then echo "the release site carries test hooks (the files above)" >&2; exit 1; fi
rm -rf target/dist-test-hooks
PEX_TEST_HOOKS=1 trunk build --release --locked --public-url /protocol-explorer/ --dist target/dist-test-hooks
grep -q '__pexRenders' target/dist-test-hooks/app-*_bg.wasm

step "End-to-end tests in headless Chromium"
(cd web && PEX_DIST="$PWD/../dist" PEX_HOOKS_DIST="$PWD/../target/dist-test-hooks" PEX_PUBLIC_URL=/protocol-explorer/ PEX_BIN="$PWD/../target/release/pex" npm run --silent e2e)

step "All tests passed in $(( $(date +%s) - started ))s"
