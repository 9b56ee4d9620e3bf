#!/usr/bin/env bash
# The npm package as a user gets it: builds it (npm/build.sh), packs it
# (`npm pack`), installs the tarball into an empty temporary folder (no other
# dependencies, so no network is needed), then runs `npx code-mesh` there:
# --help, --version, and a `run --yes` in a temporary project whose model is
# the test kit's mock LLM server (it calls `edit` on a file, then answers),
# configured through the project's .code-mesh/config.json and a key in the
# environment, as for the native binary; then a run without --yes, whose
# staged edit `npx code-mesh apply` writes. Ends by timing
# `npx code-mesh --version`.
#
#   bash scripts/test-npm.sh [--no-build]     (--no-build: use the present npm/dist)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

build=true
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    *)
      echo "usage: scripts/test-npm.sh [--no-build]" >&2
      exit 2
      ;;
  esac
done

passed=0
say() { printf '== %s\n' "$*"; }
pass() {
  passed=$((passed + 1))
  printf 'ok   %s\n' "$*"
}
fail() {
  printf 'FAIL %s\n' "$1"
  [ $# -gt 1 ] && printf '%s\n' "$2" | sed 's/^/     /'
  echo "$passed passed, 1 failed"
  exit 1
}
# expect_contains DESCRIPTION TEXT NEEDLE
expect_contains() {
  if [[ "$2" == *"$3"* ]]; then pass "$1"; else fail "$1: expected to find \"$3\" in:" "$2"; fi
}

tmp="$(mktemp -d)"
mock_pid=""
cleanup() {
  [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

version="$(node -p 'require("./npm/package.json").version')"

if $build; then
  say "build (npm/build.sh)"
  bash npm/build.sh
fi
[ -f npm/dist/node/code_mesh.js ] || fail "npm/dist/node is missing: run bash npm/build.sh"

say "npm pack"
(cd npm && npm pack --silent --pack-destination "$tmp" >/dev/null)
tarball="$tmp/code-mesh-$version.tgz"
[ -f "$tarball" ] || fail "npm pack made no $tarball"
contents="$(tar -tzf "$tarball")"
for file in package/package.json package/bin/code-mesh.js package/dist/node/code_mesh.js \
  package/dist/node/code_mesh_bg.wasm package/README.md; do
  expect_contains "the tarball holds ${file#package/}" "$contents" "$file"
done
echo "     $(wc -c <"$tarball") bytes: $tarball"

say "npm install into an empty folder (offline)"
app="$tmp/app"
mkdir "$app"
(cd "$app" && npm install --offline --no-audit --no-fund --silent "$tarball")
[ -x "$app/node_modules/.bin/code-mesh" ] || fail "npm install made no node_modules/.bin/code-mesh"
pass "installed with no network"

# The native CLI's e2e tests isolate the same way (tests/src/command.rs):
# no keys or base URLs from this machine, a fresh CODE_MESH_HOME. npm is
# offline, so npx can only use the package installed here.
isolated=(env -u OPENAI_API_KEY -u OPENAI_BASE_URL -u ANTHROPIC_API_KEY -u ANTHROPIC_BASE_URL
  -u XDG_CONFIG_HOME -u XDG_DATA_HOME CODE_MESH_HOME="$tmp/code-mesh-home" NO_COLOR=1
  npm_config_offline=true)

say "npx code-mesh --help"
help="$(cd "$app" && "${isolated[@]}" npx code-mesh --help </dev/null)" || fail "npx code-mesh --help exited non-zero" "$help"
expect_contains "--help names code-mesh" "$help" "code-mesh"
for command in run diff apply reject undo; do
  if grep -Eq "^[[:space:]]+$command([[:space:]]|\$)" <<<"$help"; then pass "--help lists the $command command"; else fail "--help does not list the $command command:" "$help"; fi
done

say "npx code-mesh --version"
printed="$(cd "$app" && "${isolated[@]}" npx code-mesh --version </dev/null)" || fail "npx code-mesh --version exited non-zero" "$printed"
expect_contains "--version prints $version" "$printed" "$version"

say "npx code-mesh run against the mock LLM server"
cargo build --quiet --locked -p code-mesh-test-support --example mock_server
target_dir="$(cargo metadata --format-version 1 --no-deps --locked |
  node -e 'let t = ""; process.stdin.on("data", (c) => (t += c)).on("end", () => console.log(JSON.parse(t).target_directory))')"
answer="Marked the notes final."
cat >"$tmp/script.json" <<JSON
[
  {"tool_calls": [{"id": "call_edit", "name": "edit",
    "arguments": {"filePath": "notes.txt", "oldString": "draft", "newString": "final"}}]},
  {"text": "$answer"},
  {"when": "close the todo", "tool_calls": [{"id": "call_todo", "name": "edit",
    "arguments": {"filePath": "todo.txt", "oldString": "open", "newString": "done"}}]},
  {"when": "close the todo", "text": "Closed the todo."}
]
JSON
"$target_dir/debug/examples/mock_server" "$tmp/script.json" >"$tmp/mock.out" &
mock_pid=$!
base_url=""
for _ in $(seq 1 300); do
  base_url="$(head -n 1 "$tmp/mock.out")"
  [ -n "$base_url" ] && break
  kill -0 "$mock_pid" 2>/dev/null || fail "the mock LLM server exited before printing its URL"
  sleep 0.1
done
[ -n "$base_url" ] || fail "the mock LLM server printed no URL in 30 s"
echo "     mock LLM server at $base_url"

# The project sits inside the install folder, so npx finds the package
# there; .code-mesh/ makes the project its own root. No standard input: run
# would read piped input as part of the request.
project="$app/project"
mkdir -p "$project/.code-mesh"
printf 'draft\n' >"$project/notes.txt"
printf '{"provider": {"mockllm": {"baseURL": "%s"}}}\n' "$base_url" >"$project/.code-mesh/config.json"
set +e
(cd "$project" && "${isolated[@]}" MOCKLLM_API_KEY=sk-npm-test \
  npx code-mesh run --yes -m mockllm/test-model "finish the notes") </dev/null >"$tmp/run.out" 2>"$tmp/run.err"
status=$?
set -e
run_out="$(cat "$tmp/run.out")"
run_err="$(cat "$tmp/run.err")"
[ "$status" -eq 0 ] || fail "npx code-mesh run exited $status" "stdout: $run_out
stderr: $run_err"
pass "run exited 0"
edited="$(cat "$project/notes.txt")"
[ "$edited" = "final" ] || fail "run did not edit notes.txt (it holds: $edited)" "stderr: $run_err"
pass "run edited notes.txt through the edit tool"
expect_contains "run printed the answer" "$run_out" "$answer"
expect_contains "run showed the edit tool's line" "$run_err" "edit"

say "npx code-mesh run without --yes, then npx code-mesh apply"
printf 'open\n' >"$project/todo.txt"
set +e
(cd "$project" && "${isolated[@]}" MOCKLLM_API_KEY=sk-npm-test \
  npx code-mesh run -m mockllm/test-model "close the todo") </dev/null >"$tmp/staged.out" 2>"$tmp/staged.err"
status=$?
set -e
staged_err="$(cat "$tmp/staged.err")"
[ "$status" -eq 0 ] || fail "the staged run exited $status" "stderr: $staged_err"
[ "$(cat "$project/todo.txt")" = "open" ] || fail "the run without --yes wrote todo.txt" "stderr: $staged_err"
pass "the run without --yes left todo.txt unchanged"
expect_contains "the staged run says how to apply" "$staged_err" "code-mesh apply"
set +e
applied="$(cd "$project" && "${isolated[@]}" npx code-mesh apply </dev/null 2>&1)"
status=$?
set -e
[ "$status" -eq 0 ] || fail "npx code-mesh apply exited $status" "$applied"
[ "$(cat "$project/todo.txt")" = "done" ] || fail "npx code-mesh apply did not write todo.txt" "$applied"
pass "npx code-mesh apply wrote the staged edit"
expect_contains "apply names the file" "$applied" "todo.txt"

say "timing npx code-mesh --version"
if command -v hyperfine >/dev/null; then
  (cd "$app" && "${isolated[@]}" hyperfine --warmup 2 --runs 10 --style basic \
    --export-json "$tmp/timing.json" \
    -n 'npx code-mesh --version' 'npx code-mesh --version' \
    -n 'node bin/code-mesh.js --version' 'node node_modules/code-mesh/bin/code-mesh.js --version' >/dev/null </dev/null)
  node -e '
    for (const r of require(process.argv[1]).results)
      console.log(`     ${r.command}: median ${(r.median * 1000).toFixed(0)} ms (${r.times.length} runs, hyperfine)`);
  ' "$tmp/timing.json"
else
  for label in npx node; do
    times=()
    for _ in $(seq 1 9); do
      start=$(date +%s%N)
      if [ "$label" = npx ]; then
        (cd "$app" && "${isolated[@]}" npx code-mesh --version >/dev/null </dev/null)
      else
        (cd "$app" && "${isolated[@]}" node node_modules/code-mesh/bin/code-mesh.js --version >/dev/null </dev/null)
      fi
      times+=($((($(date +%s%N) - start) / 1000000)))
    done
    median="$(printf '%s\n' "${times[@]}" | sort -n | sed -n 5p)"
    case "$label" in
      npx) name="npx code-mesh" ;;
      *) name="node bin/code-mesh.js" ;;
    esac
    echo "     $name --version: median $median ms (9 runs)"
  done
fi

echo "$passed passed, 0 failed"
