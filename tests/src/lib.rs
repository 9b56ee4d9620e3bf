//! Code Mesh's shared test kit, in the spirit of codex-rs's
//! `core_test_support`: fixtures every test crate uses, so a new test is a
//! few lines.
//!
//! - [`MockLlmServer`]: a real HTTP server on 127.0.0.1 that answers model
//!   requests from a script of [`MockResponse`]s in real wire formats
//!   (OpenAI chat-completions and Anthropic Messages SSE) and records every
//!   request.
//! - [`TempProject`]: a throwaway project directory.
//! - [`code_mesh_bin`]: the built `code-mesh` binary, built on demand.
//! - [`recordings`]: streamed answers byte for byte in each wire format,
//!   for decoder tests and benches.
//!
//! ```no_run
//! use code_mesh_test_support::{MockLlmServer, MockResponse, TempProject, code_mesh_bin};
//!
//! let server = MockLlmServer::start([MockResponse::text("Hello from the mock.")]);
//! let project = TempProject::new();
//! project.write("README.md", "# demo\n");
//! let output = std::process::Command::new(code_mesh_bin())
//!     .current_dir(project.path())
//!     .env("OPENAI_BASE_URL", server.base_url())
//!     .args(["run", "say hello"])
//!     .output()
//!     .unwrap();
//! assert!(String::from_utf8_lossy(&output.stdout).contains("Hello from the mock."));
//! assert_eq!(server.requests().len(), 1);
//! ```

mod binary;
mod command;
mod mock;
mod project;
pub mod recordings;

pub use binary::code_mesh_bin;
pub use command::{assert_success, code_mesh_command, stderr_text, stdout_text};
pub use mock::{MockLlmServer, MockResponse, MockToolCall, MockUsage, RecordedRequest};
pub use project::TempProject;
