//! A session's conversation across user turns, in process: the Coder
//! continues the turns before it, a resumed session sends exactly its saved
//! messages and the new request, and a conversation too big for the model's
//! context window is compacted before the request. The real Supervisor and
//! Coder, the OpenAI-compatible provider and the mock LLM server.

// Test code: helpers outside #[test] fns fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use code_mesh_agents::Coder;
use code_mesh_runtime::EventStream;
use code_mesh_runtime::model::{ChatMessage, ModelRef};
use code_mesh_runtime::protocol::{Event, Op, TurnStatus};
use code_mesh_runtime::session::Conversation;
use code_mesh_runtime::supervisor::{Submit, Supervisor, SupervisorBuilder};
use code_mesh_test_support::{MockLlmServer, MockResponse, MockToolCall, TempProject};
use common::{mock_provider, until};
use serde_json::json;
use std::rc::Rc;

fn model() -> ModelRef {
    ModelRef {
        provider: "mock".into(),
        model: "gpt-4o".into(),
    }
}

/// A Supervisor builder over `project` with the Coder alone and the mock
/// provider; no tools unless the test adds them.
fn coder_supervisor(server: &MockLlmServer, project: &TempProject) -> SupervisorBuilder {
    SupervisorBuilder::new()
        .provider("mock", Rc::new(mock_provider(server)))
        .model(model())
        .role("coder", Rc::new(Coder::default()))
        .project_root(project.path())
}

/// Sends a single-agent turn asking `prompt` and returns its events.
async fn turn(
    supervisor: &actix::Addr<Supervisor>,
    events: &mut EventStream,
    prompt: &str,
) -> Vec<Event> {
    supervisor
        .send(Submit(Op::UserTurn {
            prompt: prompt.into(),
            agent: None,
            plan: Some(false),
        }))
        .await
        .unwrap();
    let seen = until(events, |e| matches!(e, Event::TurnComplete { .. })).await;
    let Some(Event::TurnComplete { status, .. }) = seen.last() else {
        unreachable!()
    };
    assert_eq!(*status, TurnStatus::Completed, "{seen:#?}");
    seen
}

/// Each message of a recorded request as `(role, content)`.
fn roles_and_contents(messages: &[serde_json::Value]) -> Vec<(String, String)> {
    messages
        .iter()
        .map(|m| {
            (
                m["role"].as_str().unwrap_or_default().to_string(),
                m["content"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn user(text: &str) -> ChatMessage {
    ChatMessage::User {
        content: text.into(),
    }
}

fn assistant(text: &str) -> ChatMessage {
    ChatMessage::Assistant {
        content: text.into(),
        tool_calls: Vec::new(),
    }
}

#[actix::test]
async fn the_second_turn_carries_the_first_turns_messages() {
    let project = TempProject::new();
    let server = MockLlmServer::start([
        MockResponse::tool_calls(vec![MockToolCall::new(
            "call_write",
            "write",
            json!({ "filePath": "a.txt", "content": "alpha\n" }),
        )]),
        MockResponse::text("Wrote a.txt."),
        MockResponse::text("It says alpha."),
    ]);
    let conversation = Conversation::new();
    let (supervisor, mut events) = coder_supervisor(&server, &project)
        .tools(code_mesh_tools::builtin_tools())
        .yes(true)
        .conversation(conversation.clone())
        .start();

    turn(&supervisor, &mut events, "Create a.txt saying alpha.").await;
    turn(&supervisor, &mut events, "What does it say?").await;

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    let second_turn = requests[2].messages();
    let roles: Vec<_> = second_turn
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        ["system", "user", "assistant", "tool", "assistant", "user"]
    );
    assert_eq!(second_turn[1]["content"], "Create a.txt saying alpha.");
    assert_eq!(second_turn[4]["content"], "Wrote a.txt.");
    assert_eq!(second_turn[5]["content"], "What does it say?");
    // The shared conversation holds both turns, the last answer included.
    let kept = conversation.messages();
    assert_eq!(kept.len(), 7);
    assert_eq!(kept[6], assistant("It says alpha."));
}

#[actix::test]
async fn a_resumed_session_sends_exactly_its_saved_messages_and_the_new_request() {
    let project = TempProject::new();
    let server = MockLlmServer::start([MockResponse::text("Carrying on.")]);
    let saved = vec![
        ChatMessage::System {
            content: "the saved system prompt".into(),
        },
        user("the first request"),
        assistant("the first answer"),
    ];
    let (supervisor, mut events) = coder_supervisor(&server, &project)
        .conversation(Conversation::resume(saved))
        .start();

    turn(&supervisor, &mut events, "the next request").await;

    let sent = roles_and_contents(&server.requests()[0].messages());
    let expected: Vec<(String, String)> = [
        ("system", "the saved system prompt"),
        ("user", "the first request"),
        ("assistant", "the first answer"),
        ("user", "the next request"),
    ]
    .iter()
    .map(|(r, c)| (r.to_string(), c.to_string()))
    .collect();
    assert_eq!(sent, expected);
}

/// A saved conversation whose first request is far bigger than a small
/// context window.
fn long_saved_conversation() -> Vec<ChatMessage> {
    vec![
        ChatMessage::System {
            content: "the saved system prompt".into(),
        },
        user(&format!("{} OLD-REQUEST", "x".repeat(8_000))),
        assistant("old answer"),
    ]
}

#[actix::test]
async fn a_conversation_over_the_context_window_is_summarised_before_the_request() {
    let project = TempProject::new();
    let server = MockLlmServer::start([
        MockResponse::text("## Goal\nSUMMARY-OF-EARLIER-WORK"),
        MockResponse::text("Done."),
    ]);
    let conversation = Conversation::resume(long_saved_conversation());
    let (supervisor, mut events) = coder_supervisor(&server, &project)
        .conversation(conversation.clone())
        .context_window(model(), 2_000)
        .start();

    let seen = turn(&supervisor, &mut events, "the next request").await;

    let compacted = seen.iter().find_map(|e| match e {
        Event::Compacted {
            before_tokens,
            after_tokens,
            summarized,
            ..
        } => Some((*before_tokens, *after_tokens, *summarized)),
        _ => None,
    });
    let (before, after, summarized) =
        compacted.unwrap_or_else(|| panic!("no compaction: {seen:#?}"));
    assert!(summarized);
    assert!(before > 1_500 && after < 1_500, "{before} → {after}");

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    // The summariser was shown the old request.
    let summarising = roles_and_contents(&requests[0].messages());
    assert!(summarising[1].1.contains("OLD-REQUEST"));
    // The turn's request carries the summary instead of the old messages.
    let sent = roles_and_contents(&requests[1].messages());
    assert_eq!(sent[0].1, "the saved system prompt");
    assert!(sent[1].1.contains("SUMMARY-OF-EARLIER-WORK"), "{sent:?}");
    assert!(sent.iter().all(|(_, c)| !c.contains("OLD-REQUEST")));
    assert_eq!(sent.last().unwrap().1, "the next request");
    assert_eq!(conversation.messages().last(), Some(&assistant("Done.")));
}

#[actix::test]
async fn without_automatic_compaction_the_conversation_is_sent_whole() {
    let project = TempProject::new();
    let server = MockLlmServer::start([MockResponse::text("Done.")]);
    let (supervisor, mut events) = coder_supervisor(&server, &project)
        .conversation(Conversation::resume(long_saved_conversation()))
        .context_window(model(), 2_000)
        .auto_compact(false)
        .start();

    let seen = turn(&supervisor, &mut events, "the next request").await;

    assert!(!seen.iter().any(|e| matches!(e, Event::Compacted { .. })));
    let sent = roles_and_contents(&server.requests()[0].messages());
    assert!(sent[1].1.contains("OLD-REQUEST"));
}

#[actix::test]
async fn compact_on_demand_summarises_the_conversation_between_turns() {
    let project = TempProject::new();
    let server = MockLlmServer::start([MockResponse::text("SUMMARY")]);
    let conversation = Conversation::resume(long_saved_conversation());
    let (supervisor, mut events) = coder_supervisor(&server, &project)
        .conversation(conversation.clone())
        .start();

    supervisor.send(Submit(Op::Compact)).await.unwrap();
    let seen = until(&mut events, |e| matches!(e, Event::TurnComplete { .. })).await;

    assert!(
        seen.iter().any(|e| matches!(
            e,
            Event::Compacted {
                summarized: true,
                ..
            }
        )),
        "{seen:#?}"
    );
    let messages = conversation.messages();
    assert_eq!(messages.len(), 2);
    assert!(matches!(&messages[1], ChatMessage::User { content } if content.contains("SUMMARY")));
}

#[actix::test]
async fn the_instructions_are_in_a_new_conversations_system_prompt() {
    let project = TempProject::new();
    let server = MockLlmServer::start([MockResponse::text("Done.")]);
    let (supervisor, mut events) = coder_supervisor(&server, &project)
        .instructions("## /project/AGENTS.md\n\nAlways answer in haiku.")
        .start();

    turn(&supervisor, &mut events, "hello").await;

    let sent = roles_and_contents(&server.requests()[0].messages());
    assert_eq!(sent[0].0, "system");
    assert!(
        sent[0]
            .1
            .contains("## /project/AGENTS.md\n\nAlways answer in haiku.")
    );
}
