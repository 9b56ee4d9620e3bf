//! Messages between agents: who receives them, once, and what the topology forbids.

use crate::support::{Rendezvous, role, start, summary_of};
use code_mesh_runtime::protocol::{
    AgentId, AgentRequest, Envelope, Event, Recipient, TaskId, TaskSpec,
};
use code_mesh_runtime::role::{Role, RoleError};
use code_mesh_runtime::supervisor::{Enqueue, MeshTopology, RouteMessage, SupervisorBuilder};
use serde_json::{Value, json};
use std::rc::Rc;

/// A role that meets the other agents, then (when its task says `talk`)
/// sends one direct, one role and one broadcast message, and collects what
/// it receives until a `stop` arrives; it answers with the bodies received.
fn listener(meeting: &Rendezvous) -> Rc<dyn Role> {
    let meeting = meeting.clone();
    role(move |task, mut ctx| {
        let meeting = meeting.clone();
        async move {
            meeting.arrive().await;
            if task.spec.description == "talk" {
                ctx.send(Recipient::Agent(AgentId(3)), json!("direct"));
                ctx.send(Recipient::Role("coder".into()), json!("to coders"));
                ctx.send(Recipient::Broadcast, json!("all"));
            }
            let mut received = Vec::new();
            while let Some(envelope) = ctx.recv().await {
                let body = envelope.body.as_str().unwrap_or_default().to_string();
                let stop = body == "stop";
                received.push(body);
                if stop {
                    break;
                }
            }
            Ok(received.join(","))
        }
    })
}

fn from_front_end(to: Recipient, body: Value) -> RouteMessage {
    RouteMessage(Envelope {
        from: None,
        to,
        body,
    })
}

#[actix::test]
async fn direct_role_and_broadcast_messages_reach_each_recipient_once() {
    let meeting = Rendezvous::new(3);
    let (supervisor, mut events) = start(
        SupervisorBuilder::new()
            .role("coder", listener(&meeting))
            .role("reviewer", listener(&meeting)),
    )
    .await;

    // Agents 1 and 2 are coders (1 talks), agent 3 is a reviewer.
    for (role, what) in [
        ("coder", "talk"),
        ("coder", "listen"),
        ("reviewer", "listen"),
    ] {
        supervisor
            .send(Enqueue(TaskSpec::new(role, what)))
            .await
            .unwrap()
            .unwrap();
    }
    // direct → 3; coders → 1 and 2 (the sender is a coder too); broadcast → 2 and 3.
    let seen = events
        .until_count(5, |e| matches!(e, Event::MessageDelivered { .. }))
        .await;
    let stop = supervisor.send(from_front_end(Recipient::Broadcast, json!("stop")));
    assert_eq!(
        stop.await.unwrap(),
        3,
        "the front end's broadcast reaches everyone"
    );
    let rest = events.until_finished(3).await;

    let mut deliveries: Vec<_> = seen
        .iter()
        .filter_map(|e| match e {
            Event::MessageDelivered { to, envelope } => {
                assert_eq!(envelope.from, Some(AgentId(1)));
                Some((to.0, envelope.body.as_str().unwrap_or_default().to_string()))
            }
            _ => None,
        })
        .collect();
    deliveries.sort();
    let expected = [
        (1, "to coders"),
        (2, "all"),
        (2, "to coders"),
        (3, "all"),
        (3, "direct"),
    ];
    assert_eq!(
        deliveries,
        expected.map(|(to, body)| (to, body.to_string())).to_vec()
    );
    assert_eq!(summary_of(&rest, TaskId(1)).unwrap(), "to coders,stop");
    assert_eq!(summary_of(&rest, TaskId(2)).unwrap(), "to coders,all,stop");
    assert_eq!(summary_of(&rest, TaskId(3)).unwrap(), "direct,all,stop");
}

#[actix::test]
async fn topology_denials_are_refused_and_reported() {
    let meeting = Rendezvous::new(2);
    let (supervisor, mut events) = start(
        SupervisorBuilder::new()
            .topology(MeshTopology::full().deny("reviewer", "coder"))
            .role("coder", listener(&meeting))
            .role("reviewer", listener(&meeting)),
    )
    .await;
    for role in ["coder", "reviewer"] {
        supervisor
            .send(Enqueue(TaskSpec::new(role, "listen")))
            .await
            .unwrap()
            .unwrap();
    }
    let (coder, reviewer) = (AgentId(1), AgentId(2));
    events
        .until_count(2, |e| matches!(e, Event::TaskStarted { .. }))
        .await;

    let refused = RouteMessage(Envelope {
        from: Some(reviewer),
        to: Recipient::Agent(coder),
        body: json!("do it my way"),
    });
    assert_eq!(supervisor.send(refused).await.unwrap(), 0);
    let allowed = RouteMessage(Envelope {
        from: Some(coder),
        to: Recipient::Agent(reviewer),
        body: json!("please review"),
    });
    assert_eq!(supervisor.send(allowed).await.unwrap(), 1);
    let stop = supervisor.send(from_front_end(Recipient::Broadcast, json!("stop")));
    assert_eq!(stop.await.unwrap(), 2);
    let seen = events.until_finished(2).await;

    let errors: Vec<_> = seen
        .iter()
        .filter_map(|e| match e {
            Event::Error { message } => Some(message.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        errors,
        [
            "the mesh topology does not let `reviewer` agents message `coder` agents; the message was not delivered"
        ]
    );
    assert_eq!(summary_of(&seen, TaskId(1)).unwrap(), "stop");
    assert_eq!(summary_of(&seen, TaskId(2)).unwrap(), "please review,stop");
}

#[actix::test]
async fn message_to_a_retired_agent_is_reported_undeliverable() {
    let (supervisor, mut events) =
        start(SupervisorBuilder::new().role("coder", crate::support::echo())).await;
    supervisor
        .send(Enqueue(TaskSpec::new("coder", "quick")))
        .await
        .unwrap()
        .unwrap();
    events
        .until(|e| matches!(e, Event::AgentRetired { .. }))
        .await;

    let late = supervisor.send(from_front_end(Recipient::Agent(AgentId(1)), json!("hello")));
    assert_eq!(late.await.unwrap(), 0);
    assert_eq!(
        events.next().await,
        Event::Error {
            message: "agent 1 is not a live agent (it finished, or never existed); the message was not delivered".into()
        }
    );
}

#[actix::test]
async fn an_agent_waiting_for_a_reply_gets_the_recipients_answer() {
    // The reviewer reads a question and answers its sender; the coder asks
    // the reviewer role and answers with the reply it waited for.
    let reviewer = role(|_, mut ctx| async move {
        let question = ctx.recv().await.expect("a question");
        let from = question.from.expect("from an agent");
        let answer = ctx
            .ask_supervisor(AgentRequest::Message {
                to: Recipient::Agent(from),
                text: format!("re: {}", question.body["text"].as_str().unwrap_or_default()),
                wait_for_reply: false,
            })
            .await;
        Ok(answer.unwrap_or_else(|e| e.to_string()))
    });
    let coder = role(|_, ctx| async move {
        ctx.ask_supervisor(AgentRequest::Message {
            to: Recipient::Role("reviewer".into()),
            text: "is this fine?".into(),
            wait_for_reply: true,
        })
        .await
        .map_err(|e| RoleError::Failed(e.to_string()))
    });
    let (supervisor, mut events) = start(
        SupervisorBuilder::new()
            .role("reviewer", reviewer)
            .role("coder", coder),
    )
    .await;

    let review = supervisor
        .send(Enqueue(TaskSpec::new("reviewer", "answer")))
        .await
        .unwrap()
        .unwrap();
    let ask = supervisor
        .send(Enqueue(TaskSpec::new("coder", "ask")))
        .await
        .unwrap()
        .unwrap();
    let seen = events.until_finished(2).await;

    assert_eq!(summary_of(&seen, ask).as_deref(), Some("re: is this fine?"));
    assert_eq!(
        summary_of(&seen, review).as_deref(),
        Some("agent 2 was waiting for your reply; it has it")
    );
}

#[actix::test]
async fn a_wait_on_an_agent_that_ends_without_replying_ends_with_no_reply() {
    let silent = role(|_, mut ctx| async move {
        let _ = ctx.recv().await;
        Ok("read it, said nothing".to_string())
    });
    let coder = role(|_, ctx| async move {
        let reply = ctx
            .ask_supervisor(AgentRequest::Message {
                to: Recipient::Role("reviewer".into()),
                text: "anything?".into(),
                wait_for_reply: true,
            })
            .await;
        Ok(reply.unwrap_or_else(|e| e.to_string()))
    });
    let (supervisor, mut events) = start(
        SupervisorBuilder::new()
            .role("reviewer", silent)
            .role("coder", coder),
    )
    .await;
    supervisor
        .send(Enqueue(TaskSpec::new("reviewer", "listen")))
        .await
        .unwrap()
        .unwrap();
    let ask = supervisor
        .send(Enqueue(TaskSpec::new("coder", "ask")))
        .await
        .unwrap()
        .unwrap();
    let seen = events.until_finished(2).await;

    let reply = summary_of(&seen, ask).unwrap_or_default();
    assert!(
        reply.starts_with("no reply: agent 1 ended its task without replying"),
        "{reply}"
    );
}
