//! Code Mesh's OpenCode-compatible tools, confined to the project.
