//! What the agents' end-to-end tests share: the scripted plan and its
//! planner answer, a Supervisor with the real Planner, Coder and tools over
//! the OpenAI-compatible provider and the mock LLM server, and reading its
//! events.

// Each test binary uses its own part of this module.
#![allow(dead_code)]

use code_mesh_agents::{Coder, Planner};
use code_mesh_providers::{OpenAiCompatible, OpenAiCompatibleConfig};
use code_mesh_runtime::EventStream;
use code_mesh_runtime::model::ModelRef;
use code_mesh_runtime::protocol::{Event, Op};
use code_mesh_runtime::provider::Provider;
use code_mesh_runtime::supervisor::{Submit, Supervisor, SupervisorBuilder};
use code_mesh_test_support::{
    MockLlmServer, MockResponse, MockToolCall, RecordedRequest, TempProject,
};
use futures::StreamExt;
use serde_json::json;
use std::rc::Rc;
use std::time::Duration;

/// How long a test waits for one event before failing instead of hanging.
pub const PATIENCE: Duration = Duration::from_secs(30);

/// The plan the scripted planner proposes: t1 and t2 independent, t3 after both.
pub fn plan() -> serde_json::Value {
    json!({
        "summary": "Greet in three files.",
        "tasks": [
            { "id": "t1", "description": "Create a.txt saying alpha.", "files": ["a.txt"] },
            { "id": "t2", "description": "Create b.txt saying bravo.", "files": ["b.txt"] },
            { "id": "t3", "description": "Create c.txt saying charlie.", "files": ["c.txt"],
              "depends_on": ["t1", "t2"] }
        ]
    })
}

/// The planner's answer: one call of the `plan` tool with [`plan`].
pub fn planner_answer() -> MockResponse {
    MockResponse::tool_calls(vec![MockToolCall::new("call_plan", "plan", plan())])
        .when_asked("<request>")
}

/// The OpenAI-compatible provider, speaking to `server`.
pub fn mock_provider(server: &MockLlmServer) -> OpenAiCompatible {
    OpenAiCompatibleConfig::new("mock")
        .base_url(server.base_url())
        .api_key("sk-test")
        .build()
        .unwrap()
}

/// A Supervisor builder over `project` with `provider` as `mock`, the
/// built-in tools, and the `planner` and `coder` roles, up to 4 agents at once.
pub fn planning_supervisor(provider: Rc<dyn Provider>, project: &TempProject) -> SupervisorBuilder {
    SupervisorBuilder::new()
        .provider("mock", provider)
        .model(ModelRef {
            provider: "mock".into(),
            model: "gpt-4o".into(),
        })
        .tools(code_mesh_tools::builtin_tools())
        .role("planner", Rc::new(Planner::default()))
        .role("coder", Rc::new(Coder::default()))
        .project_root(project.path())
        .max_parallel_agents(4)
}

/// Every event up to and including the first for which `last` holds.
pub async fn until(events: &mut EventStream, last: impl Fn(&Event) -> bool) -> Vec<Event> {
    let mut seen = Vec::new();
    loop {
        let event = match actix_rt::time::timeout(PATIENCE, events.next()).await {
            Ok(Some(event)) => event,
            Ok(None) => panic!("the event stream closed: {seen:#?}"),
            Err(_) => panic!("no event within {PATIENCE:?}: {seen:#?}"),
        };
        let done = last(&event);
        seen.push(event);
        if done {
            return seen;
        }
    }
}

/// The user turn, planned: its role is the planner.
pub fn planned_turn() -> Submit {
    Submit(Op::UserTurn {
        prompt: "Greet in a.txt, b.txt and c.txt.".into(),
        agent: Some("planner".into()),
        plan: None,
    })
}

/// Sends [`planned_turn`] and returns its events, up to its `TurnComplete`.
pub async fn run_planned_turn(
    supervisor: &actix::Addr<Supervisor>,
    events: &mut EventStream,
) -> Vec<Event> {
    supervisor.send(planned_turn()).await.unwrap();
    until(events, |e| matches!(e, Event::TurnComplete { .. })).await
}

/// The session's staged diff.
pub async fn staged_diff(supervisor: &actix::Addr<Supervisor>, events: &mut EventStream) -> String {
    supervisor.send(Submit(Op::ShowChanges)).await.unwrap();
    match until(events, |e| matches!(e, Event::Changes { .. }))
        .await
        .pop()
    {
        Some(Event::Changes { diff, .. }) => diff,
        other => panic!("expected the changes, got {other:?}"),
    }
}

/// The first user message of `request`, if it has one in text.
pub fn first_user_message(request: &RecordedRequest) -> Option<String> {
    request
        .messages()
        .iter()
        .find(|m| m["role"] == "user")
        .and_then(|m| m["content"].as_str().map(str::to_string))
}

/// How long a coder's first model request takes, so that two coders'
/// requests overlap in time when (and only when) they run concurrently.
pub const THINKING: Duration = Duration::from_millis(400);

/// What the agent of planned task `id` is told (and the mock routes by).
pub fn task(id: &str) -> String {
    format!("Your task ({id})")
}

/// The requests of planned task `id`, in order.
pub fn requests_of(server: &MockLlmServer, id: &str) -> Vec<RecordedRequest> {
    server
        .requests()
        .into_iter()
        .filter(|r| first_user_message(r).is_some_and(|text| text.contains(&task(id))))
        .collect()
}

/// When the mock finished answering `request`.
pub fn sent(request: &RecordedRequest) -> std::time::Instant {
    request.responded_at.expect("the answer was sent")
}

/// Checks the plan's DAG ran as drawn: t1's and t2's first requests
/// overlapped in time, and t3's first came after both had their last answer.
pub fn assert_t1_t2_overlap_and_t3_follows(server: &MockLlmServer) {
    let (t1, t2, t3) = (
        requests_of(server, "t1"),
        requests_of(server, "t2"),
        requests_of(server, "t3"),
    );
    assert!(
        t1[0].received_at < sent(&t2[0]) && t2[0].received_at < sent(&t1[0]),
        "t1's and t2's first requests should overlap in time"
    );
    let (last1, last2) = (t1.last().unwrap(), t2.last().unwrap());
    assert!(t3[0].received_at > sent(last1) && t3[0].received_at > sent(last2));
}
