//! Replies agents wait for: an agent that sends a message with
//! `wait_for_reply` waits until one of its recipients messages it back, or
//! until every recipient has ended its attempt without doing so.
//!
//! Plain bookkeeping; the Supervisor decides what counts as a reply. An
//! agent that is itself waiting is never waited on, so two agents cannot
//! wait on each other.

use super::SupervisorError;
use crate::protocol::AgentId;
use futures::channel::oneshot;
use std::collections::BTreeSet;

/// What a waiting agent will be answered with.
pub(crate) type Reply = Result<String, SupervisorError>;

/// The agents waiting for a reply, and from whom.
#[derive(Debug, Default)]
pub(crate) struct PendingReplies {
    waits: Vec<Wait>,
}

#[derive(Debug)]
struct Wait {
    asker: AgentId,
    /// The recipients that may still reply.
    from: BTreeSet<AgentId>,
    answer: oneshot::Sender<Reply>,
}

impl PendingReplies {
    /// Registers that `asker` waits for a reply from any of `from`; the
    /// receiver resolves with it.
    pub fn wait(&mut self, asker: AgentId, from: BTreeSet<AgentId>) -> oneshot::Receiver<Reply> {
        let (answer, reply) = oneshot::channel();
        self.waits.push(Wait {
            asker,
            from,
            answer,
        });
        reply
    }

    /// Whether `agent` is waiting for a reply.
    pub fn is_waiting(&self, agent: AgentId) -> bool {
        self.waits.iter().any(|w| w.asker == agent)
    }

    /// Hands `text` from `from` to `to` when `to` waits for a reply from
    /// `from`; returns whether it did.
    pub fn answer(&mut self, from: AgentId, to: AgentId, text: &str) -> bool {
        let Some(index) = self
            .waits
            .iter()
            .position(|w| w.asker == to && w.from.contains(&from))
        else {
            return false;
        };
        let wait = self.waits.swap_remove(index);
        // The asker may have been cancelled meanwhile; then nobody reads it.
        let _ = wait.answer.send(Ok(text.to_string()));
        true
    }

    /// `agent`'s attempt ended: it waits for nothing any more, and whoever
    /// waited only on it is told that no reply will come.
    pub fn agent_gone(&mut self, agent: AgentId) {
        self.waits.retain(|w| w.asker != agent);
        let (done, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut self.waits)
            .into_iter()
            .map(|mut w| {
                w.from.remove(&agent);
                w
            })
            .partition(|w| w.from.is_empty());
        self.waits = waiting;
        for wait in done {
            let _ = wait.answer.send(Err(SupervisorError::NoReply {
                reason: format!("{agent} ended its task without replying"),
            }));
        }
    }

    /// Drops every wait; the waiting agents learn that no reply will come.
    pub fn clear(&mut self) {
        self.waits.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::FutureExt;

    fn from(agents: &[u64]) -> BTreeSet<AgentId> {
        agents.iter().copied().map(AgentId).collect()
    }

    #[test]
    fn a_message_from_a_recipient_is_the_reply() {
        let mut pending = PendingReplies::default();
        let mut reply = pending.wait(AgentId(1), from(&[2, 3]));
        assert!(pending.is_waiting(AgentId(1)));
        assert!(!pending.answer(AgentId(4), AgentId(1), "not asked"));
        assert!(pending.answer(AgentId(3), AgentId(1), "use tabs"));
        assert_eq!(reply.try_recv().unwrap(), Some(Ok("use tabs".to_string())));
        assert!(!pending.is_waiting(AgentId(1)));
    }

    #[test]
    fn when_every_recipient_is_gone_the_asker_hears_no_reply_will_come() {
        let mut pending = PendingReplies::default();
        let mut reply = pending.wait(AgentId(1), from(&[2, 3]));
        pending.agent_gone(AgentId(2));
        assert_eq!(reply.try_recv().unwrap(), None);
        pending.agent_gone(AgentId(3));
        let Some(Err(SupervisorError::NoReply { reason })) = reply.try_recv().unwrap() else {
            panic!("expected no reply");
        };
        assert!(reason.contains("agent 3"), "{reason}");
    }

    #[test]
    fn a_cleared_wait_resolves_as_cancelled() {
        let mut pending = PendingReplies::default();
        let reply = pending.wait(AgentId(1), from(&[2]));
        pending.clear();
        assert!(reply.now_or_never().unwrap().is_err());
    }
}
