//! Shared fixtures: a temporary project and a one-line way to call a tool
//! in it, with the context a test needs — tools called directly (edits
//! written through, as an embedder calls them) or as the Supervisor gives
//! them to agents (the session's change set and permission rules) — and an
//! approver that answers as it is told.

use async_trait::async_trait;
use code_mesh_runtime::changes::SessionChanges;
use code_mesh_runtime::permission::{
    ApprovalDecision, ApprovalRequest, Approver, PermissionGate, PermissionRules,
};
use code_mesh_runtime::protocol::AgentId;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
use code_mesh_tools::ReadTool;
use serde_json::json;
use std::cell::RefCell;
use std::fs;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use tempfile::TempDir;

/// A project in a temporary directory, removed when dropped.
pub struct Project {
    dir: TempDir,
    pub ctx: ToolContext,
}

impl Project {
    /// An empty project whose tools write the disk directly
    /// ([`ToolContext::new`]: every `ask` allowed, edits written through).
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let ctx = ToolContext::new(dir.path(), AgentId(1));
        Self { dir, ctx }
    }

    /// An empty project whose tools run as the Supervisor runs them: in a
    /// session's change set, under the default permission rules (edits
    /// staged, commands that change things asked for), nobody to ask.
    pub fn staged() -> Self {
        Self::with_gate(PermissionGate::new(PermissionRules::defaults()))
    }

    /// An empty project whose tools run in a session's change set under
    /// `gate`.
    pub fn with_gate(gate: PermissionGate) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        // The Supervisor hands tools the project root with symlinks resolved.
        let root = fs::canonicalize(dir.path()).expect("canonical root");
        let ctx = ToolContext::new(&root, AgentId(1))
            .with_session(SessionChanges::new(&root), Rc::new(gate));
        Self { dir, ctx }
    }

    /// The root, as the front end gave it.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `relative` inside the project.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    /// Writes a file (and its directories) for a test to start from.
    pub fn file(&self, relative: &str, contents: &str) -> &Self {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().expect("parent")).expect("create dirs");
        fs::write(path, contents).expect("write fixture");
        self
    }

    /// A file's contents on disk.
    pub fn contents(&self, relative: &str) -> String {
        fs::read_to_string(self.path(relative)).expect("read file")
    }

    /// Whether `relative` exists on disk.
    pub fn exists(&self, relative: &str) -> bool {
        self.path(relative).exists()
    }

    /// Calls `tool` with `arguments` in this project.
    pub async fn call(
        &self,
        tool: &dyn Tool,
        arguments: serde_json::Value,
    ) -> Result<ToolOutput, ToolError> {
        tool.call(arguments, &self.ctx).await
    }

    /// Reads `relative` with the read tool, as an agent does before
    /// overwriting it.
    pub async fn read(&self, relative: &str) -> ToolOutput {
        self.call(&ReadTool, json!({ "filePath": relative }))
            .await
            .expect("read")
    }

    /// The session's change set.
    pub fn changes(&self) -> &SessionChanges {
        &self.ctx.changes
    }
}

/// A directory outside every project, removed when dropped.
pub fn outside() -> TempDir {
    tempfile::tempdir().expect("temporary directory")
}

/// An approver giving one answer to every request, and keeping the
/// requests for the test to look at.
pub struct ScriptedApprover {
    answer: ApprovalDecision,
    asked: RefCell<Vec<ApprovalRequest>>,
}

impl ScriptedApprover {
    /// An approver answering `answer`.
    pub fn answering(answer: ApprovalDecision) -> Rc<Self> {
        Rc::new(Self {
            answer,
            asked: RefCell::new(Vec::new()),
        })
    }

    /// The requests asked so far, in order.
    pub fn asked(&self) -> Vec<ApprovalRequest> {
        self.asked.borrow().clone()
    }
}

#[async_trait(?Send)]
impl Approver for ScriptedApprover {
    async fn ask(&self, request: ApprovalRequest) -> ApprovalDecision {
        self.asked.borrow_mut().push(request);
        self.answer.clone()
    }
}
