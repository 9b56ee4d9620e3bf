//! Code Mesh's model providers: OpenAI-compatible chat completions and more.
