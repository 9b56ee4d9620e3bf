//! The channel events travel on, from actors to the front end.

use crate::protocol::Event;
use futures::channel::mpsc;

/// Where actors put events. Cheap to clone; sending never blocks, and events
/// sent after the front end stopped listening are dropped.
#[derive(Debug, Clone)]
pub struct EventSink {
    tx: mpsc::UnboundedSender<Event>,
}

/// What the front end reads events from, in the order they were emitted.
pub type EventStream = mpsc::UnboundedReceiver<Event>;

impl EventSink {
    /// A connected sink and stream.
    pub fn channel() -> (Self, EventStream) {
        let (tx, rx) = mpsc::unbounded();
        (Self { tx }, rx)
    }

    /// Sends `event` to the front end.
    pub fn emit(&self, event: Event) {
        // A closed receiver means nobody is listening any more; that is not an
        // error for the actor emitting.
        let _ = self.tx.unbounded_send(event);
    }
}
