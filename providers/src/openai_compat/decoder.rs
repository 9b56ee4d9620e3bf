//! Turning streamed chunks into [`ModelEvent`]s: text as it arrives, each
//! tool call once complete, usage, then `Finished`.

use super::chunk::{ChatChunk, ChunkUsage};
use super::tool_calls::ToolCallAssembler;
use code_mesh_runtime::model::{FinishReason, ModelEvent, Usage};
use serde_json::Value;

/// Why an answer could not be read to its end; becomes a
/// `ProviderError::Stream`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BrokenStream(pub(crate) String);

/// The state of one streamed answer.
#[derive(Debug, Default)]
pub(crate) struct Decoder {
    tool_calls: ToolCallAssembler,
    /// Set once a chunk carried a `finish_reason`.
    finish: Option<FinishReason>,
    /// Whether any tool call was handed out.
    called_tools: bool,
}

impl Decoder {
    /// The events one chunk adds, or why the answer broke off.
    pub(crate) fn chunk(&mut self, chunk: ChatChunk) -> Result<Vec<ModelEvent>, BrokenStream> {
        if let Some(error) = chunk.error {
            return Err(BrokenStream(format!(
                "the server reported an error mid-answer: {}",
                error_message(&error)
            )));
        }
        let mut events = Vec::new();
        for choice in chunk.choices.unwrap_or_default() {
            if let Some(delta) = choice.delta {
                if let Some(text) = delta.content.filter(|text| !text.is_empty()) {
                    events.push(ModelEvent::TextDelta(text));
                }
                for fragment in delta.tool_calls.unwrap_or_default() {
                    self.tool_calls.add(fragment);
                }
            }
            if let Some(reason) = choice.finish_reason {
                // The calls are complete once the model says why it stopped.
                self.take_tool_calls(&mut events);
                self.finish = Some(finish_reason(&reason));
            }
        }
        if let Some(usage) = chunk.usage {
            events.push(ModelEvent::Usage(usage_of(usage)));
        }
        Ok(events)
    }

    /// The last events once the stream has ended, or why it is incomplete.
    pub(crate) fn end(&mut self) -> Result<Vec<ModelEvent>, BrokenStream> {
        let Some(reason) = self.finish else {
            return Err(BrokenStream(
                "the stream ended before the model finished (no finish_reason, no [DONE])".into(),
            ));
        };
        let mut events = Vec::new();
        self.take_tool_calls(&mut events);
        // Some servers (older Ollama, for one) say `stop` after calling
        // tools; the caller must still run them.
        let reason = match reason {
            FinishReason::Stop | FinishReason::Other if self.called_tools => {
                FinishReason::ToolCalls
            }
            reason => reason,
        };
        events.push(ModelEvent::Finished(reason));
        Ok(events)
    }

    fn take_tool_calls(&mut self, events: &mut Vec<ModelEvent>) {
        for call in self.tool_calls.take() {
            self.called_tools = true;
            events.push(ModelEvent::ToolCall(call));
        }
    }
}

fn finish_reason(reason: &str) -> FinishReason {
    match reason {
        "stop" => FinishReason::Stop,
        "tool_calls" | "function_call" => FinishReason::ToolCalls,
        "length" => FinishReason::Length,
        "content_filter" => FinishReason::ContentFilter,
        _ => FinishReason::Other,
    }
}

fn usage_of(usage: ChunkUsage) -> Usage {
    Usage {
        input_tokens: usage.prompt_tokens.unwrap_or_default(),
        output_tokens: usage.completion_tokens.unwrap_or_default(),
        cached_input_tokens: usage
            .prompt_tokens_details
            .and_then(|details| details.cached_tokens)
            .unwrap_or_default(),
    }
}

/// The message of an in-stream `error` object (or string).
fn error_message(error: &Value) -> String {
    match error {
        Value::String(message) => message.clone(),
        _ => match error["message"].as_str() {
            Some(message) => message.to_string(),
            None => error.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use code_mesh_runtime::model::ToolCall;

    fn chunk(json: &str) -> ChatChunk {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn text_tool_calls_usage_and_finish_come_out_in_order() {
        let mut decoder = Decoder::default();
        let mut events = Vec::new();
        for json in [
            r#"{"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}"#,
            r#"{"choices":[{"index":0,"delta":{"content":"Let me "}}]}"#,
            r#"{"choices":[{"index":0,"delta":{"content":"look."}}]}"#,
            r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"read","arguments":""}}]}}]}"#,
            r#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]}}]}"#,
            r#"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
            r#"{"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10,"prompt_tokens_details":{"cached_tokens":4}}}"#,
        ] {
            events.extend(decoder.chunk(chunk(json)).unwrap());
        }
        events.extend(decoder.end().unwrap());
        assert_eq!(
            events,
            vec![
                ModelEvent::TextDelta("Let me ".into()),
                ModelEvent::TextDelta("look.".into()),
                ModelEvent::ToolCall(ToolCall {
                    id: "call_1".into(),
                    name: "read".into(),
                    arguments: "{}".into(),
                }),
                ModelEvent::Usage(Usage {
                    input_tokens: 7,
                    output_tokens: 3,
                    cached_input_tokens: 4,
                }),
                ModelEvent::Finished(FinishReason::ToolCalls),
            ]
        );
    }

    #[test]
    fn stream_ending_without_a_finish_reason_is_broken() {
        let mut decoder = Decoder::default();
        decoder
            .chunk(chunk(r#"{"choices":[{"delta":{"content":"Hel"}}]}"#))
            .unwrap();
        let error = decoder.end().unwrap_err();
        assert!(error.0.contains("before the model finished"), "{error:?}");
    }

    #[test]
    fn stop_after_tool_calls_is_reported_as_tool_calls() {
        let mut decoder = Decoder::default();
        decoder
            .chunk(chunk(
                r#"{"choices":[{"delta":{"tool_calls":[{"index":0,"id":"c","function":{"name":"list","arguments":"{}"}}]},"finish_reason":"stop"}]}"#,
            ))
            .unwrap();
        assert_eq!(
            decoder.end().unwrap(),
            vec![ModelEvent::Finished(FinishReason::ToolCalls)]
        );
    }

    #[test]
    fn unknown_finish_reasons_are_other_and_known_ones_map() {
        assert_eq!(finish_reason("eos"), FinishReason::Other);
        assert_eq!(finish_reason("length"), FinishReason::Length);
        assert_eq!(finish_reason("content_filter"), FinishReason::ContentFilter);
    }

    #[test]
    fn error_object_in_the_stream_breaks_it_with_the_server_message() {
        let mut decoder = Decoder::default();
        let error = decoder
            .chunk(chunk(
                r#"{"error":{"message":"upstream overloaded","code":502}}"#,
            ))
            .unwrap_err();
        assert!(error.0.contains("upstream overloaded"), "{error:?}");
    }
}
