//! [`ToolContext`]: where a tool call runs, on whose behalf, and through
//! what it reads and changes the project's files.
//!
//! Tools never write the disk themselves: they hand their new file contents
//! to [`ToolContext::write_files`], which asks the session's permissions
//! and either stages the change for review (`edit: ask`, the default) or
//! writes it through at once (`edit: allow`, `--yes`). Reads go through
//! [`ToolContext::read_file`], so agents see their own staged edits.

use super::ToolError;
use crate::changes::SessionChanges;
use crate::events::EventSink;
use crate::fs::Disk;
use crate::permission::{PermissionAction, PermissionGate};
use crate::protocol::{AgentId, Event};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Where a tool runs and on whose behalf.
#[derive(Debug, Clone)]
pub struct ToolContext {
    /// The project root; tools touch nothing outside it.
    pub root: PathBuf,
    /// The agent making the call.
    pub agent: AgentId,
    /// Where the tool may send events for the front end (a checklist update,
    /// say); `None` when nobody listens, as in a context made with
    /// [`ToolContext::new`].
    pub events: Option<EventSink>,
    /// The session's change set: what reads see and where writes go.
    pub changes: SessionChanges,
    /// The session's permission rules, and who to ask.
    pub permissions: Rc<PermissionGate>,
}

/// One file's new content for [`ToolContext::write_files`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileWrite {
    /// The file, absolute and already confined to the project.
    pub path: PathBuf,
    /// Its new bytes, or `None` to delete it.
    pub content: Option<Vec<u8>>,
}

/// Where [`ToolContext::write_files`] put the changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// Every file was written to disk.
    Written,
    /// At least one file was staged for review; the disk does not have it yet.
    Staged,
}

impl ToolContext {
    /// A context for `agent` confined to `root`, with no event sink, a
    /// fresh change set and [`PermissionGate::allow_all`]: writes reach the
    /// disk at once. For embedders and tests that call tools directly; the
    /// Supervisor gives its agents the session's changes and permissions.
    pub fn new(root: impl AsRef<Path>, agent: AgentId) -> Self {
        let root = root.as_ref().to_path_buf();
        Self {
            changes: SessionChanges::new(root.clone()),
            root,
            agent,
            events: None,
            permissions: Rc::new(PermissionGate::allow_all()),
        }
    }

    /// This context, sending the tool's events to `events`.
    pub fn with_events(mut self, events: EventSink) -> Self {
        self.events = Some(events);
        self
    }

    /// This context, working in the session's `changes` under its `permissions`.
    pub fn with_session(
        mut self,
        changes: SessionChanges,
        permissions: Rc<PermissionGate>,
    ) -> Self {
        self.changes = changes;
        self.permissions = permissions;
        self
    }

    /// Sends `event` to the front end; does nothing when the context has no
    /// event sink.
    pub fn emit(&self, event: Event) {
        if let Some(events) = &self.events {
            events.emit(event);
        }
    }

    /// Checks `permission` (`bash`, `webfetch`, `external_directory`, …) on
    /// `target` (the command, URL or path), asking a person when the rules
    /// say so; `title` is the line they are shown. Waits for the answer.
    pub async fn check_permission(
        &self,
        permission: &str,
        target: &str,
        title: &str,
    ) -> Result<(), ToolError> {
        self.permissions
            .check(self.agent, permission, target, title)
            .await
    }

    /// The file system the project lives on: the machine's disk natively,
    /// Node's `fs` or an in-memory project in WebAssembly. Tools reach the
    /// project's files only through it (or through [`read_file`](Self::read_file)).
    pub fn disk(&self) -> Disk {
        self.changes.disk()
    }

    /// What `path` (absolute, confined) holds as agents see it: the staged
    /// content if the session changed it, else the disk's; `Ok(None)` when
    /// it does not exist.
    pub fn read_file(&self, path: &Path) -> Result<Option<Vec<u8>>, ToolError> {
        Ok(self.changes.read(path)?)
    }

    /// Changes the files in `writes` together: refused as a whole if the
    /// `edit` permission denies any of them; otherwise each is staged, and
    /// those that `edit` allows outright are written to disk at once (all
    /// or nothing). Emits [`Event::ChangeStaged`] per file.
    pub fn write_files(&self, writes: Vec<FileWrite>) -> Result<WriteMode, ToolError> {
        let mut direct = Vec::new();
        for write in &writes {
            let shown = self.relative(&write.path);
            match self.permissions.action("edit", &shown) {
                PermissionAction::Deny => {
                    return Err(ToolError::PermissionDenied(format!(
                        "the configuration denies editing {shown}; do not try it again — \
                         leave it as it is or ask the person to change `permission.edit` in \
                         .code-mesh/config.json"
                    )));
                }
                PermissionAction::Allow => direct.push(write.path.clone()),
                PermissionAction::Ask => {}
            }
        }
        let paths: Vec<PathBuf> = writes.iter().map(|w| w.path.clone()).collect();
        self.changes.stage(
            writes
                .into_iter()
                .map(|write| (write.path, write.content))
                .collect(),
        )?;
        if !direct.is_empty() {
            self.changes.write_through(&direct)?;
        }
        for path in &paths {
            self.emit(Event::ChangeStaged {
                agent: self.agent,
                path: self.relative(path),
                written: direct.contains(path),
            });
        }
        Ok(if direct.len() == paths.len() {
            WriteMode::Written
        } else {
            WriteMode::Staged
        })
    }

    /// `path` relative to the project root, for people and for rules.
    fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }
}
