//! The mock LLM server: a scripted model behind a real HTTP socket.
//!
//! [`MockLlmServer`] owns the socket, the script and the recorded requests;
//! each wire format is its own module that renders a [`MockResponse`] in
//! that format (`openai_sse` for OpenAI chat completions, `anthropic_sse`
//! for Anthropic's Messages API). `cors` lets web pages call it.

mod anthropic_sse;
mod cors;
mod delivery;
mod openai_sse;
mod pieces;
mod recorded;
mod script;
mod sent_stamp;
mod server;
mod sse_body;

pub use recorded::RecordedRequest;
pub use script::{MockResponse, MockToolCall, MockUsage};
pub use server::MockLlmServer;
