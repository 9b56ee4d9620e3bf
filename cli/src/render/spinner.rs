//! A spinner with the time waited, on stderr, while the model thinks: from
//! when a task starts or a tool call ends until the next thing to show.
//! Only on a terminal (see [`super::color::stderr_enabled`]); elsewhere the
//! wrapped renderer is used as it is.

use super::Render;
use code_mesh_runtime::permission::{ApprovalDecision, ApprovalRequest};
use code_mesh_runtime::protocol::Event;
use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const TICK: Duration = Duration::from_millis(100);

/// What the drawing thread shares with the renderer.
#[derive(Debug, Default)]
struct State {
    /// Waiting since then; `None` when nothing is awaited.
    since: Option<Instant>,
    /// Whether a frame is on the screen (to be cleared).
    drawn: bool,
    /// The renderer is gone: the thread ends.
    stopped: bool,
}

/// Wraps a renderer, showing a spinner between its outputs while the model
/// is awaited.
pub struct Spinning<R: Render> {
    inner: R,
    state: Option<Arc<Mutex<State>>>,
}

impl<R: Render> Spinning<R> {
    /// `inner` with a spinner when `enabled` (stderr is a terminal and colors
    /// are allowed).
    pub fn new(inner: R, enabled: bool) -> Self {
        let state = enabled.then(|| {
            let state = Arc::new(Mutex::new(State::default()));
            let shared = Arc::clone(&state);
            std::thread::spawn(move || draw(&shared));
            state
        });
        Self { inner, state }
    }

    /// Starts waiting: the spinner shows from now.
    pub fn wait(&mut self) {
        if let Some(state) = &self.state {
            let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
            state.since.get_or_insert_with(Instant::now);
        }
    }

    /// Stops waiting and clears the spinner's line, before anything else
    /// is written.
    pub fn pause(&mut self) {
        if let Some(state) = &self.state {
            let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
            state.since = None;
            if state.drawn {
                let mut err = std::io::stderr();
                let _ = write!(err, "\r\u{1b}[2K");
                let _ = err.flush();
                state.drawn = false;
            }
        }
    }
}

impl<R: Render> Drop for Spinning<R> {
    fn drop(&mut self) {
        self.pause();
        if let Some(state) = &self.state {
            state.lock().unwrap_or_else(PoisonError::into_inner).stopped = true;
        }
    }
}

/// The drawing thread: a frame every tick while waiting.
fn draw(state: &Mutex<State>) {
    let mut frame = 0;
    loop {
        std::thread::sleep(TICK);
        let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
        if state.stopped {
            return;
        }
        if let Some(since) = state.since {
            let waited = since.elapsed().as_secs_f32();
            let mut err = std::io::stderr();
            let _ = write!(
                err,
                "\r{} thinking {waited:.1}s",
                FRAMES[frame % FRAMES.len()]
            );
            let _ = err.flush();
            state.drawn = true;
            frame += 1;
        }
    }
}

impl<R: Render> Render for Spinning<R> {
    fn event(&mut self, event: &Event) -> std::io::Result<()> {
        self.pause();
        self.inner.event(event)?;
        if matches!(
            event,
            Event::TaskStarted { .. } | Event::ToolCallEnd { .. } | Event::PlanUpdated { .. }
        ) {
            self.wait();
        }
        Ok(())
    }

    fn notice(&mut self, line: &str) -> std::io::Result<()> {
        self.pause();
        self.inner.notice(line)
    }

    fn approval(
        &mut self,
        request: &ApprovalRequest,
        decision: &ApprovalDecision,
        reason: Option<&str>,
    ) -> std::io::Result<()> {
        self.pause();
        self.inner.approval(request, decision, reason)?;
        self.wait();
        Ok(())
    }
}
