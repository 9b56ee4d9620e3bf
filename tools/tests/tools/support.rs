//! A temporary project and a one-line way to call a tool in it.

use code_mesh_runtime::protocol::AgentId;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
use std::fs;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A project in a temporary directory, removed when dropped.
pub struct Project {
    dir: TempDir,
    pub ctx: ToolContext,
}

impl Project {
    /// An empty project.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let ctx = ToolContext::new(dir.path(), AgentId(1));
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

    /// A file's contents.
    pub fn contents(&self, relative: &str) -> String {
        fs::read_to_string(self.path(relative)).expect("read file")
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

/// A directory outside every project, removed when dropped.
pub fn outside() -> TempDir {
    tempfile::tempdir().expect("temporary directory")
}
