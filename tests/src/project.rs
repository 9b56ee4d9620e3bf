//! [`TempProject`]: a throwaway project directory for tests.

use std::fs;
use std::path::Path;
use tempfile::TempDir;

/// A temporary directory standing in for a user's project; removed when
/// dropped.
///
/// The methods panic with the path in the message when the file system
/// fails, since a test cannot go on without its fixture.
///
/// ```
/// use code_mesh_test_support::TempProject;
///
/// let project = TempProject::new();
/// project
///     .write("src/main.rs", "fn main() {}\n")
///     .write("AGENTS.md", "Run `cargo test` before finishing.\n");
/// assert_eq!(project.read("src/main.rs"), "fn main() {}\n");
/// ```
#[derive(Debug)]
pub struct TempProject {
    dir: TempDir,
}

impl TempProject {
    /// An empty project in a fresh temporary directory.
    #[expect(
        clippy::panic,
        reason = "a test fixture that cannot be made fails the test"
    )]
    pub fn new() -> Self {
        match tempfile::Builder::new().prefix("code-mesh-test-").tempdir() {
            Ok(dir) => Self { dir },
            Err(error) => panic!("cannot create a temporary project directory: {error}"),
        }
    }

    /// The project's root directory.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `content` to `rel_path`, creating parent directories.
    #[expect(
        clippy::panic,
        reason = "a test fixture that cannot be made fails the test"
    )]
    pub fn write(&self, rel_path: impl AsRef<Path>, content: impl AsRef<[u8]>) -> &Self {
        let path = self.path().join(rel_path);
        let written = match path.parent() {
            Some(parent) => fs::create_dir_all(parent).and_then(|()| fs::write(&path, content)),
            None => fs::write(&path, content),
        };
        if let Err(error) = written {
            panic!("cannot write {}: {error}", path.display());
        }
        self
    }

    /// The text of the file at `rel_path`.
    #[expect(
        clippy::panic,
        reason = "a missing file is the test's failure to report"
    )]
    pub fn read(&self, rel_path: impl AsRef<Path>) -> String {
        let path = self.path().join(rel_path);
        match fs::read_to_string(&path) {
            Ok(text) => text,
            Err(error) => panic!("cannot read {}: {error}", path.display()),
        }
    }

    /// The bytes of the file at `rel_path`, exactly as on disk.
    #[expect(
        clippy::panic,
        reason = "a missing file is the test's failure to report"
    )]
    pub fn read_bytes(&self, rel_path: impl AsRef<Path>) -> Vec<u8> {
        let path = self.path().join(rel_path);
        match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) => panic!("cannot read {}: {error}", path.display()),
        }
    }

    /// Whether a file or directory exists at `rel_path`.
    pub fn exists(&self, rel_path: impl AsRef<Path>) -> bool {
        self.path().join(rel_path).exists()
    }
}

impl Default for TempProject {
    fn default() -> Self {
        Self::new()
    }
}
