//! [`Conversation`]: the messages of the person's turns with the single
//! agent, shared by the Supervisor and the agent running a turn.

use super::{SessionRecord, SessionRecorder};
use crate::model::ChatMessage;
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

/// A session's conversation. Cheap to clone (the clones share it); agents
/// run on one thread, so no lock is needed, and no borrow outlives a call.
#[derive(Clone, Default)]
pub struct Conversation {
    inner: Rc<RefCell<Inner>>,
    recorder: Option<Rc<dyn SessionRecorder>>,
}

#[derive(Default)]
struct Inner {
    messages: Vec<ChatMessage>,
    /// How many messages there were when the current turn began.
    turn_start: usize,
}

impl fmt::Debug for Conversation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = self.inner.borrow();
        f.debug_struct("Conversation")
            .field("messages", &inner.messages.len())
            .field("turn_start", &inner.turn_start)
            .field("recorded", &self.recorder.is_some())
            .finish()
    }
}

impl Conversation {
    /// An empty conversation, recorded nowhere.
    pub fn new() -> Self {
        Self::default()
    }

    /// A conversation continuing from `messages` (a saved session's, see
    /// [`super::replay`]).
    pub fn resume(messages: Vec<ChatMessage>) -> Self {
        let conversation = Self::new();
        {
            let mut inner = conversation.inner.borrow_mut();
            inner.turn_start = messages.len();
            inner.messages = messages;
        }
        conversation
    }

    /// This conversation, handing every change to `recorder`.
    pub fn with_recorder(mut self, recorder: Rc<dyn SessionRecorder>) -> Self {
        self.recorder = Some(recorder);
        self
    }

    /// A copy of the messages, in order.
    pub fn messages(&self) -> Vec<ChatMessage> {
        self.inner.borrow().messages.clone()
    }

    /// How many messages there are.
    pub fn len(&self) -> usize {
        self.inner.borrow().messages.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends `message` and records it.
    pub fn push(&self, message: ChatMessage) {
        self.record(&SessionRecord::Message {
            message: message.clone(),
        });
        self.inner.borrow_mut().messages.push(message);
    }

    /// Marks the start of a person's turn: [`Self::rewind_turn`] goes back here.
    pub fn begin_turn(&self) {
        let mut inner = self.inner.borrow_mut();
        inner.turn_start = inner.messages.len();
    }

    /// Drops the messages of the current turn (a restarted agent starts the
    /// turn again), and records it. Does nothing when the turn has none.
    pub fn rewind_turn(&self) {
        let len = {
            let mut inner = self.inner.borrow_mut();
            if inner.messages.len() <= inner.turn_start {
                return;
            }
            let len = inner.turn_start;
            inner.messages.truncate(len);
            len
        };
        self.record(&SessionRecord::Rewound { len });
    }

    /// Replaces the whole conversation (compaction: the older part
    /// summarised), and records the new one whole. The current turn is taken
    /// to start where the new conversation ends.
    pub fn replace(&self, messages: Vec<ChatMessage>) {
        self.record(&SessionRecord::Compacted {
            messages: messages.clone(),
        });
        let mut inner = self.inner.borrow_mut();
        inner.turn_start = inner.turn_start.min(messages.len());
        inner.messages = messages;
    }

    fn record(&self, record: &SessionRecord) {
        if let Some(recorder) = &self.recorder {
            recorder.record(record);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::replay;

    /// Keeps records in memory.
    #[derive(Default)]
    struct Kept(RefCell<Vec<SessionRecord>>);

    impl SessionRecorder for Kept {
        fn record(&self, record: &SessionRecord) {
            self.0.borrow_mut().push(record.clone());
        }
    }

    fn user(text: &str) -> ChatMessage {
        ChatMessage::User {
            content: text.into(),
        }
    }

    #[test]
    fn what_is_recorded_replays_to_the_same_conversation() {
        let kept = Rc::new(Kept::default());
        let conversation = Conversation::new().with_recorder(kept.clone());
        conversation.begin_turn();
        conversation.push(user("first"));
        conversation.push(user("partial"));
        conversation.rewind_turn();
        conversation.push(user("again"));
        conversation.begin_turn();
        conversation.push(user("second"));
        conversation.replace(vec![user("summary")]);
        conversation.push(user("third"));
        assert_eq!(replay(kept.0.borrow().iter()), conversation.messages());
        assert_eq!(conversation.messages(), [user("summary"), user("third")]);
    }
}
