#!/usr/bin/env bash
# Builds Code Mesh for JavaScript, in one command:
#   - npm/dist/node                  the npm package's module (wasm-bindgen --target nodejs)
#   - wasm/examples/browser/pkg      the browser example's module (--target web)
# from one release build of the `code-mesh-wasm` crate (profile `wasm-release`),
# with the wasm-bindgen CLI pinned to the `wasm-bindgen` crate of Cargo.lock,
# `wasm-opt -Oz` when there is one (binaryen from the root package.json's
# `npm ci`, else on PATH), and the .wasm sizes printed at the end.
#
#   bash npm/build.sh            then: (cd npm && npm pack), or node npm/bin/code-mesh.js --help
#
# Honours CARGO_TARGET_DIR. Needs: cargo with the wasm32-unknown-unknown
# target, wasm-bindgen-cli at the locked version, node 20 (cargo metadata,
# checking the module loads).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

say() { printf 'npm/build.sh: %s\n' "$*" >&2; }
fail() {
  say "$*"
  exit 1
}

# The exact version of a crate in Cargo.lock.
locked_version() {
  awk -v name="$1" '
    $0 == "name = \"" name "\"" { getline; gsub(/^version = "|"$/, ""); print; exit }
  ' Cargo.lock
}

want="$(locked_version wasm-bindgen)"
[ -n "$want" ] || fail "no wasm-bindgen in Cargo.lock; run this from a Code Mesh checkout"
have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have" != "$want" ]; then
  fail "wasm-bindgen $want is needed (the version of the wasm-bindgen crate in Cargo.lock), found ${have:-none}.
  Install it with:  cargo install --locked wasm-bindgen-cli --version $want
  (if --locked cannot resolve a dependency from your registry, run it without --locked)"
fi
if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  fail "the wasm32-unknown-unknown target is missing; install it with: rustup target add wasm32-unknown-unknown"
fi

workspace_version="$(awk -F'"' '/^\[workspace.package\]/ { in_ws = 1 } in_ws && /^version = / { print $2; exit }' Cargo.toml)"
package_version="$(node -p 'require("./npm/package.json").version')"
if [ "$workspace_version" != "$package_version" ]; then
  fail "npm/package.json has version $package_version but the workspace is $workspace_version; make them equal"
fi

say "building code-mesh-wasm (profile wasm-release, wasm32-unknown-unknown)"
cargo build --profile wasm-release --locked --target wasm32-unknown-unknown -p code-mesh-wasm
target_dir="$(cargo metadata --format-version 1 --no-deps --locked | node -e '
  let text = "";
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => console.log(JSON.parse(text).target_directory));
')"
wasm="$target_dir/wasm32-unknown-unknown/wasm-release/code_mesh_wasm.wasm"
[ -f "$wasm" ] || fail "the build produced no $wasm"

node_out="npm/dist/node"
web_out="wasm/examples/browser/pkg"
rm -rf "$node_out" "$web_out"
bindgen=(wasm-bindgen --out-name code_mesh --remove-name-section --remove-producers-section)
say "wasm-bindgen --target nodejs -> $node_out"
"${bindgen[@]}" --target nodejs --out-dir "$node_out" "$wasm"
say "wasm-bindgen --target web -> $web_out"
"${bindgen[@]}" --target web --out-dir "$web_out" "$wasm"

node_wasm="$node_out/code_mesh_bg.wasm"
web_wasm="$web_out/code_mesh_bg.wasm"
# The module loads and answers in Node: a check of what wasm-opt made (an
# old wasm-opt can break wasm-bindgen's reference-types output).
loads_in_node() {
  node -e 'const m = require(process.argv[1]); if (typeof m.version() !== "string") process.exit(1)' \
    "$root/$node_out/code_mesh.js"
}
loads_in_node || fail "the module wasm-bindgen made does not load in Node (see above)"

# The pinned binaryen from the root package.json (`npm ci`) first, else any
# wasm-opt on PATH.
wasm_opt="$root/node_modules/.bin/wasm-opt"
[ -x "$wasm_opt" ] || wasm_opt="$(command -v wasm-opt || true)"
if [ -n "$wasm_opt" ]; then
  # The features rustc enables for wasm32 by default; wasm-opt must accept
  # them and may use them, nothing more.
  features=(--enable-bulk-memory --enable-mutable-globals --enable-nontrapping-float-to-int
    --enable-sign-ext --enable-reference-types --enable-multivalue)
  say "wasm-opt -Oz ($("$wasm_opt" --version))"
  same_module=false
  cmp -s "$node_wasm" "$web_wasm" && same_module=true
  cp "$node_wasm" "$node_wasm.orig"
  if "$wasm_opt" -Oz "${features[@]}" "$node_wasm.orig" -o "$node_wasm" && loads_in_node; then
    if $same_module; then
      cp "$node_wasm" "$web_wasm"
    else
      say "the web module differs from the Node one; it is left unoptimized"
    fi
  else
    cp "$node_wasm.orig" "$node_wasm"
    say "wasm-opt failed or made a module that does not load (see above); keeping wasm-bindgen's output (a newer binaryen may do better)"
  fi
  rm -f "$node_wasm.orig"
else
  say "no wasm-opt (npm ci at the repository root installs it); the .wasm files are not optimized further"
fi

echo "code-mesh $package_version built for JavaScript:"
for file in "$node_wasm" "$web_wasm"; do
  raw=$(wc -c <"$file")
  gzipped=$(gzip -9 -c "$file" | wc -c)
  awk -v f="$file" -v r="$raw" -v g="$gzipped" \
    'BEGIN { printf "  %-44s %9d bytes (%.2f MB) raw, %9d bytes (%.2f MB) gzipped\n", f, r, r / 1e6, g, g / 1e6 }'
done
