//! [`Recording`]: a renderer that also keeps what it shows in the
//! session's log.

use code_mesh_cli::render::Render;
use code_mesh_runtime::permission::{ApprovalDecision, ApprovalRequest};
use code_mesh_runtime::protocol::Event;
use code_mesh_runtime::session::{JsonlRecorder, SessionRecord, SessionRecorder};
use std::rc::Rc;

/// Shows events through another renderer and records each one it shows
/// as a [`SessionRecord::Event`], streamed text deltas excepted (the
/// answer is kept whole, in the turn's last event and the conversation).
/// A failure to record is shown once as a warning; the run goes on.
pub struct Recording<'a> {
    inner: &'a mut dyn Render,
    recorder: Rc<JsonlRecorder>,
    /// What this run recorded, for the history log; `None` when nobody
    /// asked for it (an event holds a tool's whole output).
    shown: Option<Vec<SessionRecord>>,
}

impl<'a> Recording<'a> {
    /// Shows through `inner`, records to `recorder`, and keeps this run's
    /// records in memory too when `keep` (for the history log).
    pub fn new(inner: &'a mut dyn Render, recorder: Rc<JsonlRecorder>, keep: bool) -> Self {
        Self {
            inner,
            recorder,
            shown: keep.then(Vec::new),
        }
    }

    /// The records this run made, in order (none unless kept).
    pub fn shown(&self) -> &[SessionRecord] {
        self.shown.as_deref().unwrap_or_default()
    }
}

impl Render for Recording<'_> {
    fn event(&mut self, event: &Event) -> std::io::Result<()> {
        if !matches!(event, Event::AgentMessageDelta { .. }) {
            let record = SessionRecord::Event {
                event: event.clone(),
            };
            self.recorder.record(&record);
            if let Some(shown) = &mut self.shown {
                shown.push(record);
            }
        }
        self.inner.event(event)?;
        if let Some(failure) = self.recorder.take_failure() {
            self.inner.notice(&format!(
                "warning: the session is not fully saved: {failure}"
            ))?;
        }
        Ok(())
    }

    fn notice(&mut self, line: &str) -> std::io::Result<()> {
        self.inner.notice(line)
    }

    fn approval(
        &mut self,
        request: &ApprovalRequest,
        decision: &ApprovalDecision,
        reason: Option<&str>,
    ) -> std::io::Result<()> {
        self.inner.approval(request, decision, reason)
    }
}
