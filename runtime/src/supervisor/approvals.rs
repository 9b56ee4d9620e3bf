//! [`PendingApprovals`]: the Supervisor's [`Approver`]. An agent's question
//! becomes an [`Event::ApprovalRequested`]; the front end's
//! [`crate::protocol::Op::Approve`] with the same id answers it.

use crate::events::EventSink;
use crate::permission::{ApprovalDecision, ApprovalRequest, Approver};
use crate::protocol::Event;
use async_trait::async_trait;
use futures::channel::oneshot;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Questions waiting for the front end, by id. Cheap to clone; the clones
/// share the waiting list.
#[derive(Clone)]
pub(crate) struct PendingApprovals {
    inner: Rc<RefCell<Waiting>>,
    events: EventSink,
}

#[derive(Default)]
struct Waiting {
    next_id: u64,
    answers: BTreeMap<u64, oneshot::Sender<ApprovalDecision>>,
}

impl PendingApprovals {
    /// No questions yet; requests are announced on `events`.
    pub(crate) fn new(events: EventSink) -> Self {
        Self {
            inner: Rc::default(),
            events,
        }
    }

    /// Delivers the answer to question `id`; `false` if no such question waits.
    pub(crate) fn answer(&self, id: u64, decision: ApprovalDecision) -> bool {
        match self.inner.borrow_mut().answers.remove(&id) {
            Some(waiting) => waiting.send(decision).is_ok(),
            None => false,
        }
    }

    /// Drops every waiting question: each asking agent gets a rejection.
    pub(crate) fn cancel_all(&self) {
        self.inner.borrow_mut().answers.clear();
    }
}

#[async_trait(?Send)]
impl Approver for PendingApprovals {
    async fn ask(&self, request: ApprovalRequest) -> ApprovalDecision {
        let (tx, rx) = oneshot::channel();
        let id = {
            let mut inner = self.inner.borrow_mut();
            inner.next_id += 1;
            let id = inner.next_id;
            inner.answers.insert(id, tx);
            id
        };
        self.events.emit(Event::ApprovalRequested { id, request });
        rx.await.unwrap_or(ApprovalDecision::Reject {
            message: Some("the request was cancelled before anyone answered".to_string()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::AgentId;
    use futures::StreamExt;

    fn request() -> ApprovalRequest {
        ApprovalRequest {
            agent: AgentId(1),
            permission: "bash".into(),
            pattern: "cargo test".into(),
            always: vec!["cargo test *".into()],
            title: "cargo test".into(),
        }
    }

    #[test]
    fn a_question_is_announced_and_its_answer_delivered() {
        let (sink, mut stream) = EventSink::channel();
        let pending = PendingApprovals::new(sink);
        let answering = pending.clone();
        let decision = futures::executor::block_on(async move {
            let ask = pending.ask(request());
            let answer = async {
                let Some(Event::ApprovalRequested { id, .. }) = stream.next().await else {
                    panic!("no request event");
                };
                assert!(answering.answer(id, ApprovalDecision::Always));
            };
            futures::join!(ask, answer).0
        });
        assert_eq!(decision, ApprovalDecision::Always);
    }

    #[test]
    fn cancelling_rejects_the_waiting_question() {
        let (sink, _stream) = EventSink::channel();
        let pending = PendingApprovals::new(sink);
        let cancelling = pending.clone();
        let decision = futures::executor::block_on(async move {
            let ask = pending.ask(request());
            let cancel = async { cancelling.cancel_all() };
            futures::join!(ask, cancel).0
        });
        assert!(matches!(decision, ApprovalDecision::Reject { .. }));
    }
}
