//! Shared test kit: a mock LLM server speaking real wire formats, temporary projects, the built binary.
