#!/usr/bin/env bash
# Runs the wasm build's browser tests (wasm/tests/browser.rs) in headless
# Chromium through chromedriver: a project held in memory, and sessions kept
# in IndexedDB. Needs chromium and chromedriver (Debian: `apt-get install
# chromium chromium-driver`) and wasm-bindgen-cli at the version of the
# `wasm-bindgen` crate in Cargo.lock.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

for tool in wasm-bindgen-test-runner chromedriver; do
  if ! command -v "$tool" >/dev/null; then
    echo "error: $tool is not on PATH (see the comment at the top of $0)" >&2
    exit 1
  fi
done

CHROMEDRIVER="$(command -v chromedriver)" \
WASM_BINDGEN_TEST_ONLY_WEB=1 \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-120}" \
  cargo test --locked --target wasm32-unknown-unknown -p code-mesh-wasm --no-default-features \
  --test browser "$@" </dev/null
