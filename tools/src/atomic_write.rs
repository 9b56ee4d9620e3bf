//! Atomic writes live in the runtime, shared with the change set and the
//! stores; the tools reach them under their old name.

pub(crate) use code_mesh_runtime::fs::write_atomically;
