//! Code Mesh for JavaScript.
