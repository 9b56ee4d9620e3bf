//! Criterion benches for Code Mesh; see `benches/benches/`.
