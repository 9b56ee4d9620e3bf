//! The `code-mesh` binary.
fn main() {}
