//! Shared fixtures: a temporary project and a one-line way to call a tool
//! in it, with the context a test needs — tools called directly (edits
//! written through, as an embedder calls them) or as the Supervisor gives
//! them to agents (the session's change set and permission rules) — and an
//! approver that answers as it is told.

use async_trait::async_trait;
use code_mesh_runtime::changes::SessionChanges;
use code_mesh_runtime::fs::{Disk, FileSystem, MemoryFs};
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
use std::sync::Arc;
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

/// A project held in memory ([`MemoryFs`]) at [`MemoryProject::ROOT`], as
/// a browser page holds one: its tools reach it only through the session's
/// disk.
pub struct MemoryProject {
    /// The file system, shared with the session, for the test to look at.
    pub fs: Arc<MemoryFs>,
    pub ctx: ToolContext,
}

impl MemoryProject {
    /// Where the project lives in memory.
    pub const ROOT: &str = "/project";

    /// A project holding `files` (relative path, contents) whose tools
    /// write it directly (every `ask` allowed, edits written through).
    pub fn with_files(files: &[(&str, &str)]) -> Self {
        Self::with_gate(files, PermissionGate::allow_all())
    }

    /// A project holding `files` whose tools run as the Supervisor runs
    /// them: edits staged under the default rules.
    pub fn staged(files: &[(&str, &str)]) -> Self {
        Self::with_gate(files, PermissionGate::new(PermissionRules::defaults()))
    }

    /// A project holding `files` whose tools run under `gate`.
    pub fn with_gate(files: &[(&str, &str)], gate: PermissionGate) -> Self {
        let root = Path::new(Self::ROOT);
        let fs =
            Arc::new(MemoryFs::with_files(root, files.iter().copied()).expect("files in memory"));
        let disk = Disk::shared(fs.clone());
        let ctx = ToolContext::new(root, AgentId(1))
            .with_session(SessionChanges::on_disk(root, disk), Rc::new(gate));
        Self { fs, ctx }
    }

    /// `relative` inside the project.
    pub fn path(&self, relative: &str) -> PathBuf {
        Path::new(Self::ROOT).join(relative)
    }

    /// A file's contents in memory; `None` when it does not exist.
    pub fn contents(&self, relative: &str) -> Option<String> {
        let bytes = self.fs.read(&self.path(relative)).ok()?;
        Some(String::from_utf8(bytes).expect("UTF-8"))
    }

    /// Calls `tool` with `arguments` in this project.
    pub async fn call(
        &self,
        tool: &dyn Tool,
        arguments: serde_json::Value,
    ) -> Result<ToolOutput, ToolError> {
        tool.call(arguments, &self.ctx).await
    }
}

/// The machine's disk posing as another file system (as Node's `fs` does in
/// WebAssembly): every call goes to `std::fs`, but tools must take their
/// paths for a disk that is not the machine's, so the two can be compared
/// on the same files.
#[derive(Debug)]
pub struct ElsewhereFs;

impl FileSystem for ElsewhereFs {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        fs::read(path)
    }

    fn write(&self, path: &Path, contents: &[u8]) -> std::io::Result<()> {
        code_mesh_runtime::fs::write_atomically(path, contents)
    }

    fn remove_file(&self, path: &Path) -> std::io::Result<()> {
        fs::remove_file(path)
    }

    fn metadata(&self, path: &Path) -> std::io::Result<code_mesh_runtime::fs::Metadata> {
        code_mesh_runtime::fs::NativeFs.metadata(path)
    }

    fn read_link(&self, path: &Path) -> std::io::Result<PathBuf> {
        fs::read_link(path)
    }

    fn read_dir(&self, path: &Path) -> std::io::Result<Vec<code_mesh_runtime::fs::DirEntry>> {
        code_mesh_runtime::fs::NativeFs.read_dir(path)
    }

    fn create_dir_all(&self, path: &Path) -> std::io::Result<()> {
        fs::create_dir_all(path)
    }
}

impl Project {
    /// A context on this project's files through [`ElsewhereFs`], writing
    /// them directly, as [`Project::new`]'s does on the machine's disk.
    pub fn elsewhere_ctx(&self) -> ToolContext {
        let root = self.root();
        ToolContext::new(root, AgentId(1)).with_session(
            SessionChanges::on_disk(root, Disk::new(ElsewhereFs)),
            Rc::new(PermissionGate::allow_all()),
        )
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
