//! The JavaScript API (see `wasm/README.md`): functions over the current
//! project, promises for everything that waits, `Error`s that say what to
//! do. Each function here only converts between JavaScript and the crate's
//! types; the work is in `project`, `live` and `files`.

use crate::change_op;
use crate::error::Error;
use crate::files::{list_files, project_path};
use crate::js::{emit, from_js, json_of, to_js};
use crate::live::{Approvals, LiveSession, TurnRequest};
use crate::options::ProjectOptions;
use crate::project::{self, Project};
use code_mesh_runtime::model::ChatMessage;
use code_mesh_runtime::permission::ApprovalDecision;
use code_mesh_runtime::protocol::{ChangedFile, Event, Op, StatusReport, TurnStatus};
use js_sys::{Function, Promise, Reflect};
use serde::Serialize;
use std::collections::BTreeMap;
use std::future::Future;
use std::rc::Rc;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::future_to_promise;

/// What `initProject` resolves to.
#[derive(Serialize)]
struct ProjectInfo {
    root: String,
    files: Vec<String>,
    model: String,
}

/// What `runPrompt` and `sendMessage` resolve to.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RunResult {
    session_id: String,
    answer: String,
    changes: Vec<ChangedFile>,
    diff: String,
}

/// One message of a loaded session, for people.
#[derive(Serialize)]
struct ShownMessage {
    role: &'static str,
    text: String,
}

/// What `loadSession` resolves to.
#[derive(Serialize)]
struct LoadedSessionInfo {
    id: String,
    messages: Vec<ShownMessage>,
}

/// A promise of `work`'s result as JavaScript, rejected with an `Error`.
fn promise<T: Serialize>(work: impl Future<Output = Result<T, Error>> + 'static) -> Promise {
    future_to_promise(async move { Ok(to_js(&work.await?)?) })
}

/// A promise already rejected with `error`.
fn rejected(error: Error) -> Promise {
    Promise::reject(&error.into())
}

/// The version of Code Mesh this module was built from, so a JavaScript host
/// can check it loaded the build it expects.
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// Opens the project agents work on, replacing any opened before: a
/// directory path (Node only) or an object of project-relative paths and
/// their contents, held in memory.
#[wasm_bindgen(js_name = initProject, unchecked_return_type = "Promise<ProjectInfo>")]
pub fn init_project(
    #[wasm_bindgen(unchecked_param_type = "string | Record<string, string>")] source: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ProjectOptions")] options: Option<
        js_sys::Object,
    >,
) -> Promise {
    let options = match options.as_ref().map(|o| json_of(o)).transpose() {
        Ok(json) => match ProjectOptions::from_json(json.as_deref().unwrap_or("null")) {
            Ok(options) => options,
            Err(message) => return rejected(Error::usage(message)),
        },
        Err(error) => return rejected(error),
    };
    let files: Option<BTreeMap<String, String>> = if source.is_string() {
        None
    } else if source.is_object() {
        match from_js(
            &source,
            "project files (an object of path → contents strings)",
        ) {
            Ok(files) => Some(files),
            Err(error) => return rejected(error),
        }
    } else {
        return rejected(Error::usage(
            "initProject takes a directory path (Node) or an object of files \
             { \"path/in/project\": \"contents\" }",
        ));
    };
    promise(async move {
        let project = match files {
            Some(files) => Project::open_files(files, &options).await?,
            None => Project::open_directory(
                &source.as_string().unwrap_or_default(),
                &options,
                crate::platform::process_env(),
                false,
            )?,
        };
        let info = ProjectInfo {
            root: project.launch.root.display().to_string(),
            files: list_files(&project.launch.disk, &project.launch.root, &project.changes),
            model: project.model.to_string(),
        };
        project::replace_current(Rc::new(project));
        Ok(info)
    })
}

/// Reads `onEvent` and `plan` from `runPrompt`'s options.
fn run_options(
    options: Option<&js_sys::Object>,
) -> Result<(Option<Function>, Option<bool>), Error> {
    let Some(options) = options else {
        return Ok((None, None));
    };
    let on_event = Reflect::get(options, &"onEvent".into()).unwrap_or(JsValue::UNDEFINED);
    let on_event = if on_event.is_undefined() || on_event.is_null() {
        None
    } else {
        Some(
            on_event
                .dyn_into::<Function>()
                .map_err(|_| Error::usage("options.onEvent must be a function (event) => void"))?,
        )
    };
    let plan = Reflect::get(options, &"plan".into()).unwrap_or(JsValue::UNDEFINED);
    let plan = if plan.is_undefined() || plan.is_null() {
        None
    } else {
        Some(
            plan.as_bool()
                .ok_or_else(|| Error::usage("options.plan must be true or false"))?,
        )
    };
    Ok((on_event, plan))
}

/// Runs one turn of `session` and builds its result; a failed or cancelled
/// turn is an error with the runtime's reason.
async fn run_turn(
    project: Rc<Project>,
    session: Rc<LiveSession>,
    prompt: String,
    plan: Option<bool>,
    on_event: Option<Function>,
) -> Result<RunResult, Error> {
    let approvals = if on_event.is_some() {
        Approvals::Host
    } else {
        Approvals::Refuse
    };
    let request = TurnRequest {
        prompt,
        agent: None,
        plan,
    };
    let end = session
        .turn(request, approvals, &mut |event: &Event| {
            emit(on_event.as_ref(), event)
        })
        .await?;
    if let Some(failure) = session.take_record_failure() {
        crate::js::web_console_error(&format!(
            "code-mesh: the session is not fully saved: {failure}"
        ));
    }
    match end.status {
        TurnStatus::Completed => Ok(RunResult {
            session_id: session.id.clone(),
            answer: end.answer.unwrap_or_default(),
            changes: project.changes.summary(),
            diff: project.changes.diff(),
        }),
        TurnStatus::Failed => Err(Error::TurnFailed(
            end.error
                .unwrap_or_else(|| "the request failed".to_string()),
        )),
        TurnStatus::Cancelled => Err(Error::TurnFailed(format!(
            "the request was cancelled: {}",
            end.error.unwrap_or_else(|| "no reason given".to_string())
        ))),
    }
}

/// One request in a new session, like `code-mesh run`: resolves when the
/// turn is complete.
#[wasm_bindgen(js_name = runPrompt, unchecked_return_type = "Promise<RunResult>")]
pub fn run_prompt(
    prompt: String,
    #[wasm_bindgen(unchecked_optional_param_type = "RunOptions")] options: Option<js_sys::Object>,
) -> Promise {
    let (on_event, plan) = match run_options(options.as_ref()) {
        Ok(read) => read,
        Err(error) => return rejected(error),
    };
    promise(async move {
        let project = project::current()?;
        let session = project.start_session(project.yes)?;
        run_turn(project, session, prompt, plan, on_event).await
    })
}

/// Starts a new session and makes it current; resolves to its id.
#[wasm_bindgen(js_name = startSession, unchecked_return_type = "Promise<string>")]
pub fn start_session() -> Promise {
    promise(async move {
        let project = project::current()?;
        Ok(project.start_session(project.yes)?.id.clone())
    })
}

/// One turn in the current session (starting one if there is none); the
/// conversation carries on.
// `onEvent`: parameter names are the TypeScript's.
#[allow(non_snake_case)]
#[wasm_bindgen(js_name = sendMessage, unchecked_return_type = "Promise<RunResult>")]
pub fn send_message(
    text: String,
    #[wasm_bindgen(unchecked_optional_param_type = "(event: Event) => void")] onEvent: Option<
        Function,
    >,
) -> Promise {
    let on_event = onEvent;
    promise(async move {
        let project = project::current()?;
        let session = match project.current_session() {
            Some(session) => session,
            None => project.start_session(project.yes)?,
        };
        run_turn(project, session, text, None, on_event).await
    })
}

/// The approval request number `id` (a number, or its text).
fn approval_id(id: &JsValue) -> Result<u64, Error> {
    let number = id
        .as_f64()
        .filter(|n| n.fract() == 0.0 && *n >= 0.0)
        .map(|n| n as u64)
        .or_else(|| id.as_string().and_then(|text| text.trim().parse().ok()));
    number.ok_or_else(|| {
        Error::usage(
            "give the `id` of the approval_requested event (a number) to approve or reject",
        )
    })
}

/// Answers approval request `id` of the current session with `decision`.
fn answer(id: &JsValue, decision: ApprovalDecision) -> Result<(), JsValue> {
    let id = approval_id(id)?;
    let session = project::current()?
        .current_session()
        .ok_or_else(|| Error::usage("no session is running: there is nothing to approve"))?;
    session.submit(Op::Approve { id, decision });
    Ok(())
}

/// Allows, this once, what the `approval_requested` event `id` asks.
#[wasm_bindgen]
pub fn approve(
    #[wasm_bindgen(unchecked_param_type = "string | number")] id: JsValue,
) -> Result<(), JsValue> {
    answer(&id, ApprovalDecision::Once)
}

/// Refuses what the `approval_requested` event `id` asks; the agent is told
/// and carries on without it.
#[wasm_bindgen]
pub fn reject(
    #[wasm_bindgen(unchecked_param_type = "string | number")] id: JsValue,
) -> Result<(), JsValue> {
    answer(&id, ApprovalDecision::Reject { message: None })
}

/// Writes staged changes (all, or the given project-relative paths) to the
/// project's files; resolves to the files written.
#[wasm_bindgen(js_name = applyChanges, unchecked_return_type = "Promise<ChangedFile[]>")]
pub fn apply_changes(
    #[wasm_bindgen(unchecked_optional_param_type = "string[]")] paths: Option<js_sys::Array>,
) -> Promise {
    let chosen: Option<Vec<String>> =
        paths.map(|paths| paths.iter().filter_map(|p| p.as_string()).collect());
    promise(async move {
        let project = project::current()?;
        let root = &project.launch.root;
        let op = match chosen {
            None => Op::ApplyChanges,
            // Each path confined and normalised here (refused with the
            // API's words when it leads outside), then named as the
            // Supervisor names files: relative to the root.
            Some(chosen) => Op::ApplyFiles {
                paths: chosen
                    .iter()
                    .map(|path| {
                        let path = project_path(root, path)?;
                        Ok(path
                            .strip_prefix(root)
                            .unwrap_or(&path)
                            .display()
                            .to_string())
                    })
                    .collect::<Result<Vec<String>, Error>>()?,
            },
        };
        let before = project.changes.summary();
        let files = match change_op_on(&project, op).await? {
            Event::ChangesApplied { files } => files,
            other => return Err(refused(other)),
        };
        Ok(before
            .into_iter()
            .filter(|file| files.contains(&file.path))
            .collect::<Vec<ChangedFile>>())
    })
}

/// Drops every staged change; the files stay as they are.
#[wasm_bindgen(js_name = rejectChanges, unchecked_return_type = "Promise<void>")]
pub fn reject_changes() -> Promise {
    future_to_promise(async move {
        let project = project::current()?;
        match change_op_on(&project, Op::RejectChanges).await? {
            Event::ChangesRejected { .. } => {}
            other => return Err(refused(other).into()),
        }
        Ok(JsValue::UNDEFINED)
    })
}

/// Sends a change op to the Supervisor (see [`change_op`]) for the
/// project's changes, and records its answer in the current session, as a
/// turn's events are.
async fn change_op_on(project: &Project, op: Op) -> Result<Event, Error> {
    let session = project.current_session();
    let answer = change_op::answer(
        project.launch.root.clone(),
        session.as_ref().map(|session| session.id.clone()),
        project.changes.clone(),
        op,
    )
    .await?;
    if let Some(session) = session {
        session.record(&answer);
    }
    Ok(answer)
}

/// The error for a change op's answer other than the one asked for: the
/// runtime's own words when it refused.
fn refused(answer: Event) -> Error {
    match answer {
        Event::Error { message } => Error::TurnFailed(message),
        other => Error::usage(format!("unexpected answer from the runtime: {other:?}")),
    }
}

/// The Supervisor's status: agents, tasks, plans, tokens (empty before
/// any session).
#[wasm_bindgen(js_name = getStatus, unchecked_return_type = "Promise<object>")]
pub fn get_status() -> Promise {
    promise(async move {
        let project = project::current()?;
        match project.current_session() {
            Some(session) => session.status().await,
            None => Ok(StatusReport {
                agents: Vec::new(),
                tasks: Vec::new(),
                plans: Vec::new(),
                usage: Default::default(),
                cost_usd: None,
            }),
        }
    })
}

/// Makes saved session `id` current; resolves to `{ id, messages }`, the
/// person's requests and the answers.
#[wasm_bindgen(js_name = loadSession, unchecked_return_type = "Promise<object>")]
pub fn load_session(id: String) -> Promise {
    promise(async move {
        let project = project::current()?;
        let (session, messages) = project.load_session(&id, project.yes).await?;
        let messages = messages
            .into_iter()
            .filter_map(|message| match message {
                ChatMessage::User { content } => Some(ShownMessage {
                    role: "user",
                    text: content,
                }),
                ChatMessage::Assistant { content, .. } if !content.trim().is_empty() => {
                    Some(ShownMessage {
                        role: "assistant",
                        text: content,
                    })
                }
                _ => None,
            })
            .collect();
        Ok(LoadedSessionInfo {
            id: session.id.clone(),
            messages,
        })
    })
}

/// The project's files as agents see them (staged changes included),
/// project-relative, sorted.
#[wasm_bindgen(js_name = listFiles)]
pub fn list_project_files() -> Result<Vec<String>, JsValue> {
    let project = project::current()?;
    Ok(list_files(
        &project.launch.disk,
        &project.launch.root,
        &project.changes,
    ))
}

/// One file's text as agents see it (the staged content if staged);
/// `undefined` when it does not exist.
#[wasm_bindgen(js_name = readFile)]
pub fn read_file(path: String) -> Result<Option<String>, JsValue> {
    let project = project::current()?;
    let absolute = project_path(&project.launch.root, &path)?;
    let bytes = project.changes.read(&absolute).map_err(Error::from)?;
    Ok(bytes.map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
}

/// The unified diff of everything staged (`""` when nothing is).
#[wasm_bindgen(js_name = stagedDiff)]
pub fn staged_diff() -> Result<String, JsValue> {
    Ok(project::current()?.changes.diff())
}
