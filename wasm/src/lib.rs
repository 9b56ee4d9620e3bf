//! # code-mesh-wasm
//!
//! Code Mesh for JavaScript: the same Supervisor and agents as the native
//! binary, driven from Node or a browser through wasm-bindgen. This first
//! version exposes the build's identity; the agent API (`runPrompt`,
//! `sendMessage`, …) arrives with the wasm platform layer (HTTP through
//! `fetch`, files through Node's `fs` or an in-memory project).

use wasm_bindgen::prelude::wasm_bindgen;

/// The version of Code Mesh this module was built from, so a JavaScript host
/// can check it loaded the build it expects.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn version_matches_the_workspace() {
        assert_eq!(super::version(), env!("CARGO_PKG_VERSION"));
    }
}
