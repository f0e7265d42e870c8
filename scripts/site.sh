#!/usr/bin/env bash
# Builds the whole static site into dist/: the app (trunk, release) and the docs book (mdBook:
# a gallery, a page per protocol and per lesson with the explorer embedded, the embed contract) in dist/docs/,
# and a gzip and a brotli copy beside every file (scripts/precompress.mjs).
#   scripts/site.sh [PUBLIC_URL]    PUBLIC_URL defaults to /; the test command uses /protocol-explorer/
# The book's pages link to the app relatively, so the folder works under any public URL the app
# was built for. Assumes scripts/setup.sh test has run (the test command runs it first).
set -euo pipefail
cd "$(dirname "$0")/.."
public_url="${1:-/}"
export PATH="$PWD/web/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$PATH"
rm -rf dist target/book
trunk build --release --locked --public-url "$public_url"
cargo build --release --locked --bin pex
./target/release/pex docs --out target/book
mdbook build target/book --dest-dir "$PWD/dist/docs"
# NAME.gz and NAME.br beside each file, for static hosts that serve precompressed files.
node scripts/precompress.mjs dist
echo "Site built in dist/ (app at ${public_url}, docs at ${public_url}docs/)"
