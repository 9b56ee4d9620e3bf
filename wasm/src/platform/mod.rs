//! What WebAssembly has no `std` for, taken from the JavaScript host: Node's
//! `fs` as the runtime's [`FileSystem`](code_mesh_runtime::fs::FileSystem)
//! ([`NodeFs`]), Node's `child_process` as the bash tool's runner
//! ([`NodeShell`]), the environment, standard streams, and JavaScript
//! errors as `io::Error`s. Node is detected at run time, so one `.wasm`
//! serves Node and browsers.

mod js_error;
mod node;
mod node_fs;
mod node_shell;
pub mod stdio;

pub use js_error::{io_error, message_of};
pub use node::{is_node, process_env, string_map};
pub use node_fs::NodeFs;
pub use node_shell::{NoShell, NodeShell};
