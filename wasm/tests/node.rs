//! The wasm build under Node, end to end: the JavaScript API drives the
//! same Supervisor and agents as the native binary, over a project held in
//! memory or a directory through Node's `fs`, against the mock LLM server
//! (over real HTTP, through `fetch`). Run by `wasm/tests/run-node-tests.sh`,
//! which starts the server with `fixtures/script.json` and exports its URL
//! as `MOCK_LLM_URL`; each test's prompt names the script items it takes.

#![cfg(target_family = "wasm")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_wasm::api;
use code_mesh_wasm::cli;
use code_mesh_wasm::platform::process_env;
use js_sys::{Array, Function, Object, Promise, Reflect};
use serde_json::{Value, json};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

/// The mock server's base URL.
fn mock_url() -> String {
    process_env()
        .get("MOCK_LLM_URL")
        .cloned()
        .expect("MOCK_LLM_URL is set: run wasm/tests/run-node-tests.sh")
}

/// `value` as a plain JavaScript value.
fn to_js(value: &Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap()
}

/// A JavaScript value as JSON.
fn to_json(value: &JsValue) -> Value {
    if value.is_undefined() {
        return Value::Null;
    }
    let text = js_sys::JSON::stringify(value).unwrap().as_string().unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The message of a rejected promise's `Error`.
fn message(error: &JsValue) -> String {
    Reflect::get(error, &"message".into())
        .unwrap()
        .as_string()
        .unwrap_or_else(|| format!("not an Error: {error:?}"))
}

/// Project options pointing the agents at the mock server, with `extra`.
fn options(extra: Value) -> Object {
    let mut options = json!({
        "model": "openai/mock",
        "baseUrl": mock_url(),
        "apiKey": "test-key",
    });
    if let (Some(all), Some(more)) = (options.as_object_mut(), extra.as_object()) {
        all.extend(more.clone());
    }
    to_js(&options).unchecked_into()
}

/// The events a turn's `onEvent` receives, as JSON.
struct Events {
    seen: Rc<RefCell<Vec<Value>>>,
    callback: Closure<dyn FnMut(JsValue)>,
}

impl Events {
    fn new() -> Self {
        let seen = Rc::new(RefCell::new(Vec::new()));
        let kept = seen.clone();
        let callback = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            kept.borrow_mut().push(to_json(&event));
        });
        Self { seen, callback }
    }

    fn function(&self) -> Function {
        self.callback.as_ref().unchecked_ref::<Function>().clone()
    }

    /// `{ onEvent }` for runPrompt.
    fn run_options(&self) -> Object {
        let options = Object::new();
        Reflect::set(&options, &"onEvent".into(), &self.function()).unwrap();
        options
    }

    fn types(&self) -> Vec<String> {
        self.seen
            .borrow()
            .iter()
            .map(|e| e["type"].as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// The `tool_call_end` events of `tool`.
    fn tool_ends(&self, tool: &str) -> Vec<Value> {
        self.seen
            .borrow()
            .iter()
            .filter(|e| e["type"] == "tool_call_end" && e["tool"] == tool)
            .cloned()
            .collect()
    }
}

async fn resolve(promise: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(promise).await
}

/// Calls `target.name(...args)`.
fn call(target: &JsValue, name: &str, args: &[JsValue]) -> JsValue {
    let method: Function = Reflect::get(target, &name.into()).unwrap().unchecked_into();
    method
        .apply(target, &args.iter().collect::<Array>())
        .unwrap_or_else(|e| panic!("{name} failed: {}", message(&e)))
}

/// Node's built-in module `name`.
fn node_module(name: &str) -> JsValue {
    let process = Reflect::get(&js_sys::global(), &"process".into()).unwrap();
    call(&process, "getBuiltinModule", &[name.into()])
}

/// A new empty directory under the system's temporary directory.
fn temp_dir(label: &str) -> String {
    let os = node_module("os");
    let fs = node_module("fs");
    let base = call(&os, "tmpdir", &[]).as_string().unwrap();
    call(
        &fs,
        "mkdtempSync",
        &[format!("{base}/code-mesh-{label}-").into()],
    )
    .as_string()
    .unwrap()
}

/// Writes `text` to `path`, creating its directory.
fn write_file(path: &str, text: &str) {
    let fs = node_module("fs");
    let dir = &path[..path.rfind('/').unwrap()];
    let recursive = to_js(&json!({ "recursive": true }));
    call(&fs, "mkdirSync", &[dir.into(), recursive]);
    call(&fs, "writeFileSync", &[path.into(), text.into()]);
}

/// The text of the file at `path`.
fn read_file(path: &str) -> String {
    let fs = node_module("fs");
    call(&fs, "readFileSync", &[path.into(), "utf8".into()])
        .as_string()
        .unwrap()
}

/// Sets `process.env[name]`.
fn set_env(name: &str, value: &str) {
    let process = Reflect::get(&js_sys::global(), &"process".into()).unwrap();
    let env = Reflect::get(&process, &"env".into()).unwrap();
    Reflect::set(&env, &name.into(), &value.into()).unwrap();
}

const GREETER: &str = "pub fn greet() -> &'static str {\n    \"hello\"\n}\n";

#[wasm_bindgen_test]
async fn agents_read_then_edit_an_in_memory_project_and_the_change_is_staged_until_applied() {
    let files = to_js(&json!({ "src/lib.rs": GREETER, "README.md": "# greeter\n" }));
    let info = resolve(api::init_project(files, Some(options(json!({})))))
        .await
        .unwrap_or_else(|e| panic!("initProject: {}", message(&e)));
    let info = to_json(&info);
    assert_eq!(info["root"], "/project");
    assert_eq!(info["files"], json!(["README.md", "src/lib.rs"]));
    assert_eq!(info["model"], "openai/mock");

    let events = Events::new();
    let result = resolve(api::run_prompt(
        "wasm-read-edit: make the greeting say wasm".to_string(),
        Some(events.run_options()),
    ))
    .await
    .unwrap_or_else(|e| panic!("runPrompt: {}", message(&e)));
    let result = to_json(&result);

    let types = events.types();
    assert_eq!(types.first().map(String::as_str), Some("session_started"));
    assert_eq!(types.last().map(String::as_str), Some("turn_complete"));
    for expected in ["agent_spawned", "tool_call_begin", "change_staged", "usage"] {
        assert!(
            types.iter().any(|t| t == expected),
            "no {expected} in {types:?}"
        );
    }
    let read = events.tool_ends("read");
    assert_eq!(read.len(), 1, "{read:?}");
    assert_eq!(read[0]["is_error"], false, "{read:?}");
    assert!(read[0]["output"].as_str().unwrap().contains("\"hello\""));
    let edit = events.tool_ends("edit");
    assert_eq!(edit[0]["is_error"], false, "{edit:?}");
    let staged: Vec<Value> = events
        .seen
        .borrow()
        .iter()
        .filter(|e| e["type"] == "change_staged")
        .cloned()
        .collect();
    assert_eq!(staged[0]["path"], "src/lib.rs");
    assert_eq!(staged[0]["written"], false);

    assert_eq!(result["answer"], "Changed the greeting.");
    assert_eq!(
        result["sessionId"],
        events.seen.borrow()[0]["session_id"],
        "the result names the session the events came from"
    );
    assert_eq!(
        result["changes"],
        json!([{ "path": "src/lib.rs", "status": "modified", "additions": 1, "deletions": 1 }])
    );
    let diff = result["diff"].as_str().unwrap();
    assert!(diff.contains("-    \"hello\""), "{diff}");
    assert!(diff.contains("+    \"hello, wasm\""), "{diff}");
    assert_eq!(api::staged_diff().unwrap(), diff);
    // Agents see the staged content; the project's file is unchanged until applied.
    assert!(
        api::read_file("src/lib.rs".into())
            .unwrap()
            .unwrap()
            .contains("hello, wasm")
    );

    let applied = resolve(api::apply_changes(None)).await.unwrap();
    assert_eq!(to_json(&applied)[0]["path"], "src/lib.rs");
    assert_eq!(api::staged_diff().unwrap(), "");
    assert_eq!(
        api::read_file("src/lib.rs".into()).unwrap().unwrap(),
        "pub fn greet() -> &'static str {\n    \"hello, wasm\"\n}\n"
    );
    assert_eq!(api::read_file("missing.txt".into()).unwrap(), None);
    assert_eq!(
        api::list_project_files().unwrap(),
        ["README.md", "src/lib.rs"]
    );

    let status = to_json(&resolve(api::get_status()).await.unwrap());
    assert!(
        status["usage"]["output_tokens"].as_u64().unwrap() > 0,
        "{status}"
    );
}

#[wasm_bindgen_test]
async fn a_401_from_the_model_server_rejects_the_promise_saying_the_key_was_refused() {
    let files = to_js(&json!({ "a.txt": "a\n" }));
    resolve(api::init_project(files, Some(options(json!({})))))
        .await
        .unwrap();
    let error = resolve(api::run_prompt(
        "wasm-unauthorized: anything".to_string(),
        None,
    ))
    .await
    .expect_err("a refused key fails the turn");
    assert!(error.is_instance_of::<js_sys::Error>(), "{error:?}");
    let text = message(&error);
    assert!(text.contains("401"), "{text}");
    assert!(text.contains("API key"), "{text}");
}

#[wasm_bindgen_test]
async fn a_500_from_the_model_server_rejects_the_promise_with_the_servers_words() {
    // No retries of the request itself: the agent is restarted instead, and
    // each attempt gets a 500.
    let files = to_js(&json!({
        "a.txt": "a\n",
        ".code-mesh/config.json": "{ \"provider\": { \"openai\": { \"retries\": 0 } } }"
    }));
    resolve(api::init_project(files, Some(options(json!({})))))
        .await
        .unwrap();
    let error = resolve(api::run_prompt(
        "wasm-server-error: anything".to_string(),
        None,
    ))
    .await
    .expect_err("a broken server fails the turn");
    let text = message(&error);
    assert!(text.contains("500"), "{text}");
    assert!(text.contains("the model server broke"), "{text}");
}

#[wasm_bindgen_test]
async fn bash_on_a_project_in_memory_is_refused_and_the_agent_carries_on() {
    let files = to_js(&json!({ "a.txt": "a\n" }));
    resolve(api::init_project(
        files,
        Some(options(json!({ "yes": true }))),
    ))
    .await
    .unwrap();
    let events = Events::new();
    let result = resolve(api::send_message(
        "wasm-memory-bash: list the files".to_string(),
        Some(events.function()),
    ))
    .await
    .unwrap_or_else(|e| panic!("sendMessage: {}", message(&e)));
    let bash = events.tool_ends("bash");
    assert_eq!(bash[0]["is_error"], true, "{bash:?}");
    let output = bash[0]["output"].as_str().unwrap();
    assert!(
        output.contains("bash is not available for a project held in memory"),
        "{output}"
    );
    assert_eq!(to_json(&result)["answer"], "No shell here.");
}

#[wasm_bindgen_test]
async fn a_directory_project_in_node_runs_bash_writes_with_yes_and_its_session_is_saved_and_continued()
 {
    let home = temp_dir("home");
    set_env("CODE_MESH_HOME", &home);
    let project = temp_dir("project");
    write_file(&format!("{project}/src/lib.rs"), GREETER);
    write_file(&format!("{project}/.git/HEAD"), "ref: refs/heads/main\n");

    let info = resolve(api::init_project(
        project.clone().into(),
        Some(options(json!({ "yes": true }))),
    ))
    .await
    .unwrap_or_else(|e| panic!("initProject: {}", message(&e)));
    let info = to_json(&info);
    let root = info["root"].as_str().unwrap().to_string();
    assert_eq!(info["files"], json!(["src/lib.rs"]));

    let events = Events::new();
    let result = resolve(api::run_prompt(
        "wasm-node-bash: show the file, then greet Node".to_string(),
        Some(events.run_options()),
    ))
    .await
    .unwrap_or_else(|e| panic!("runPrompt: {}", message(&e)));
    let result = to_json(&result);
    let bash = events.tool_ends("bash");
    assert_eq!(bash[0]["is_error"], false, "{bash:?}");
    assert_eq!(bash[0]["title"], "Shows the file");
    let output = bash[0]["output"].as_str().unwrap();
    assert!(output.starts_with("from-bash\n"), "{output}");
    assert!(output.contains("\"hello\""), "{output}");
    assert!(output.ends_with("exit code 0"), "{output}");
    // --yes: written through at once, nothing left staged.
    assert_eq!(
        read_file(&format!("{root}/src/lib.rs")),
        "pub fn greet() -> &'static str {\n    \"hello, node\"\n}\n"
    );
    assert_eq!(result["changes"], json!([]));
    assert_eq!(result["answer"], "Done in Node.");

    // The session is in the native store's place, and can be continued.
    let id = result["sessionId"].as_str().unwrap().to_string();
    let sessions = format!(
        "{home}/sessions/{}",
        code_mesh_runtime::config::project_id(std::path::Path::new(&root))
    );
    let log = read_file(&format!("{sessions}/{id}.jsonl"));
    assert!(log.starts_with("{\"kind\":\"started\""), "{log}");
    assert!(log.contains("\"type\":\"turn_complete\""), "{log}");

    let loaded = to_json(&resolve(api::load_session(id.clone())).await.unwrap());
    assert_eq!(loaded["id"], id.as_str());
    assert_eq!(loaded["messages"][0]["role"], "user");
    assert!(
        loaded["messages"][0]["text"]
            .as_str()
            .unwrap()
            .contains("wasm-node-bash")
    );
    assert_eq!(
        loaded["messages"].as_array().unwrap().last().unwrap()["text"],
        "Done in Node."
    );
    let continued = resolve(api::send_message("and now?".to_string(), None))
        .await
        .unwrap_or_else(|e| panic!("sendMessage: {}", message(&e)));
    let continued = to_json(&continued);
    assert_eq!(continued["answer"], "Carried on.");
    assert_eq!(continued["sessionId"], id.as_str());
}

/// The npm CLI's `main` with Code Mesh's files in `home`, working in
/// `project`, its OpenAI provider pointed at the mock server.
fn cli_in(home: &str, project: &str) -> impl Fn(&[&str]) -> Promise {
    let env = to_js(&json!({
        "CODE_MESH_HOME": home,
        "OPENAI_BASE_URL": mock_url(),
        "OPENAI_API_KEY": "test-key",
    }));
    let project = project.to_string();
    move |words: &[&str]| {
        let argv = words.iter().map(|w| w.to_string()).collect();
        cli::run_main(argv, env.clone(), project.clone())
    }
}

#[wasm_bindgen_test]
async fn main_runs_a_request_and_exits_with_the_native_codes() {
    let home = temp_dir("cli-home");
    let project = temp_dir("cli-project");
    write_file(&format!("{project}/notes.txt"), "notes\n");
    let main = cli_in(&home, &project);
    let code = |value: JsValue| value.as_f64().unwrap();

    assert_eq!(code(resolve(main(&["--version"])).await.unwrap()), 0.0);
    assert_eq!(code(resolve(main(&["--help"])).await.unwrap()), 0.0);
    assert_eq!(
        code(resolve(main(&["run", "--format", "xml"])).await.unwrap()),
        2.0
    );
    assert_eq!(code(resolve(main(&["serve"])).await.unwrap()), 2.0);
    let ran = main(&[
        "run",
        "wasm-cli-hello",
        "-m",
        "openai/mock",
        "--format",
        "json",
    ]);
    assert_eq!(code(resolve(ran).await.unwrap()), 0.0);
    let refused = main(&["run", "wasm-cli-unauthorized", "-m", "openai/mock"]);
    assert_eq!(code(resolve(refused).await.unwrap()), 1.0);
}

/// What `work` writes to `process.stdout`, captured (the stream's `write`
/// replaced meanwhile), and its result.
async fn stdout_of(work: Promise) -> (String, JsValue) {
    let process = Reflect::get(&js_sys::global(), &"process".into()).unwrap();
    let stdout = Reflect::get(&process, &"stdout".into()).unwrap();
    let write = Reflect::get(&stdout, &"write".into()).unwrap();
    let capture = Function::new_with_args(
        "text",
        "globalThis.__codeMeshCaptured = (globalThis.__codeMeshCaptured || '') + text; return true;",
    );
    Reflect::set(&js_sys::global(), &"__codeMeshCaptured".into(), &"".into()).unwrap();
    Reflect::set(&stdout, &"write".into(), &capture).unwrap();
    let result = resolve(work).await;
    Reflect::set(&stdout, &"write".into(), &write).unwrap();
    let captured = Reflect::get(&js_sys::global(), &"__codeMeshCaptured".into())
        .unwrap()
        .as_string()
        .unwrap_or_default();
    (captured, result.unwrap())
}

#[wasm_bindgen_test]
async fn a_staged_run_is_saved_where_the_native_binary_looks_then_diffed_applied_and_undone() {
    let home = temp_dir("changes-home");
    let project = temp_dir("changes-project");
    let original = "one\r\ntwo\n";
    write_file(&format!("{project}/notes.txt"), original);
    let root = call(
        &node_module("fs"),
        "realpathSync",
        &[project.clone().into()],
    )
    .as_string()
    .unwrap();
    let main = cli_in(&home, &project);
    let code = |value: JsValue| value.as_f64().unwrap();
    let notes = format!("{project}/notes.txt");

    // Nothing saved yet: a clear error, exit 1.
    assert_eq!(code(resolve(main(&["diff"])).await.unwrap()), 1.0);

    let ran = main(&["run", "wasm-cli-staged: change two", "-m", "openai/mock"]);
    assert_eq!(code(resolve(ran).await.unwrap()), 0.0);
    assert_eq!(read_file(&notes), original, "staged, not written");
    // Saved in the native store's place for this project.
    let sessions = format!(
        "{home}/sessions/{}",
        code_mesh_runtime::config::project_id(std::path::Path::new(&root))
    );
    let saved: Vec<String> =
        Array::from(&call(&node_module("fs"), "readdirSync", &[sessions.into()]))
            .iter()
            .filter_map(|name| name.as_string())
            .filter(|name| name.ends_with(".changes.json"))
            .collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let id = saved[0].trim_end_matches(".changes.json").to_string();

    let (diff, shown) = stdout_of(main(&["diff"])).await;
    assert_eq!(code(shown), 0.0);
    assert!(diff.contains("-two") && diff.contains("+TWO"), "{diff}");
    assert!(diff.contains("notes.txt"), "{diff}");
    assert_eq!(read_file(&notes), original);
    assert_eq!(
        code(
            resolve(main(&["apply", "-s", "no-such-session"]))
                .await
                .unwrap()
        ),
        1.0
    );

    assert_eq!(
        code(resolve(main(&["apply", "-s", &id])).await.unwrap()),
        0.0
    );
    assert_eq!(read_file(&notes), "one\r\nTWO\n");
    // Nothing is left staged: applying again is an error.
    assert_eq!(code(resolve(main(&["apply"])).await.unwrap()), 1.0);

    assert_eq!(code(resolve(main(&["undo"])).await.unwrap()), 0.0);
    assert_eq!(read_file(&notes), original, "put back byte for byte");
    // Nothing more to undo.
    assert_eq!(code(resolve(main(&["undo"])).await.unwrap()), 1.0);
}
