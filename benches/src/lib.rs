//! Benches for Code Mesh: criterion benches of the runtime and tools in
//! `benches/benches/`, and the end-to-end bench of the release binary in
//! `src/bin/e2e/` (`cargo run --release -p code-mesh-benches --bin e2e`),
//! which sets every run's figures beside the performance budget.
