#!/usr/bin/env bash
# Runs the wasm build's tests under Node (wasm/tests/node.rs) against the
# mock LLM server: builds and starts the server with the script in
# wasm/tests/fixtures/, exports its URL as MOCK_LLM_URL, runs
# `cargo test --target wasm32-unknown-unknown -p code-mesh-wasm` with
# wasm-bindgen-test-runner, and stops the server whatever happens.
#
# Needs: the wasm32-unknown-unknown target, Node 20.16 or later, and
# wasm-bindgen-cli at the version of the `wasm-bindgen` crate in Cargo.lock
# (`cargo install wasm-bindgen-cli --version <it> --locked`).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

if ! command -v wasm-bindgen-test-runner >/dev/null; then
  echo "error: wasm-bindgen-test-runner is not on PATH: cargo install wasm-bindgen-cli --version 0.2.130 --locked" >&2
  exit 1
fi

cargo build --locked -p code-mesh-test-support --example mock_server
server_bin="$(cargo metadata --locked --format-version 1 --no-deps \
  | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/debug/examples/mock_server"

log="$(mktemp)"
"$server_bin" "$here/fixtures/script.json" >"$log" 2>&1 &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; rm -f "$log"' EXIT

# The server prints its URL once it listens.
for _ in $(seq 1 100); do
  if [ -s "$log" ]; then break; fi
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "error: the mock server stopped:" >&2
    cat "$log" >&2
    exit 1
  fi
  sleep 0.1
done
MOCK_LLM_URL="$(head -n 1 "$log")"
case "$MOCK_LLM_URL" in
  http://*) ;;
  *) echo "error: the mock server printed no URL: $MOCK_LLM_URL" >&2; exit 1 ;;
esac
export MOCK_LLM_URL
echo "mock LLM server at $MOCK_LLM_URL"

# No standard input: `main` reads piped input as part of the request.
# --no-default-features: the test binary exports its own `main` (the CLI's
# is tested through run_main).
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
WASM_BINDGEN_TEST_TIMEOUT="${WASM_BINDGEN_TEST_TIMEOUT:-300}" \
  cargo test --locked --target wasm32-unknown-unknown -p code-mesh-wasm --no-default-features "$@" </dev/null
