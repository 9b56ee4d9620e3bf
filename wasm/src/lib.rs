//! # code-mesh-wasm
//!
//! Code Mesh for JavaScript: the same Supervisor and agents as the native
//! binary, driven from Node or a browser through wasm-bindgen. One `.wasm`
//! serves both: Node is detected at run time, and then files go through
//! Node's `fs`, `bash` through `child_process`, sessions into the native
//! store's directory; in a browser the project is held in memory and its
//! sessions kept in IndexedDB. Model requests go through `fetch`.
//!
//! ```js
//! const cm = require("./code_mesh.js");
//! await cm.initProject({ "src/lib.rs": "fn main() {}\n" }, { model: "openai/gpt-4o-mini" });
//! const result = await cm.runPrompt("rename main to start", { onEvent: (e) => console.log(e.type) });
//! console.log(result.diff);
//! await cm.applyChanges();
//! ```
//!
//! Where to go next: `api` for the exported functions, `project` for what
//! opening a project reads, `live` for how a turn is driven, `actors` for
//! how actix runs on the JavaScript event loop, `platform` for Node's
//! `fs`, `child_process` and streams, `sessions` for where sessions are
//! kept, `cli` for `main` (the npm package's command line), `typescript`
//! for the `.d.ts` shapes. `wasm/README.md` describes the API.

pub mod cli;
pub mod error;
pub mod files;
pub mod launch;
pub mod options;
pub mod project_root;
pub mod sessions;
pub mod typescript;

#[cfg(target_family = "wasm")]
mod actors;
#[cfg(target_family = "wasm")]
pub mod api;
#[cfg(target_family = "wasm")]
mod change_op;
#[cfg(target_family = "wasm")]
mod js;
#[cfg(target_family = "wasm")]
pub mod live;
#[cfg(target_family = "wasm")]
pub mod platform;
#[cfg(target_family = "wasm")]
pub mod project;

pub use error::Error;

/// The version of Code Mesh this crate is, as `version()` reports it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

#[cfg(test)]
mod tests {
    #[test]
    fn version_matches_the_workspace() {
        assert_eq!(super::VERSION, env!("CARGO_PKG_VERSION"));
    }
}
