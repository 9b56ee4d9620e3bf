//! Turning the Messages API's streamed events into [`ModelEvent`]s: text as
//! it arrives, each tool call and each piece of reasoning once its block is
//! complete, then usage and `Finished` at `message_stop`.
//!
//! The decoder sees one event's `data` at a time and does no I/O, so it is
//! tested here on events and, through [`decode_sse`](super::decode_sse), on
//! any split of a recorded byte stream.

use super::wire::{ContentBlock, Delta, StreamEvent, WireUsage};
use code_mesh_runtime::model::{FinishReason, ModelEvent, Reasoning, ToolCall, Usage};
use serde_json::Value;
use std::collections::BTreeMap;

/// Longest piece of an unreadable event quoted in an error, in characters.
const MAX_QUOTED_CHARS: usize = 200;

/// Why an answer could not be read to its end; becomes a
/// `ProviderError::Stream`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BrokenStream(pub(crate) String);

/// A content block between its start and its stop.
#[derive(Debug)]
enum OpenBlock {
    /// Text is handed out delta by delta; nothing to keep.
    Text,
    /// A tool call whose input is still arriving.
    ToolUse {
        id: String,
        name: String,
        /// The `input_json_delta` fragments so far.
        input: String,
        /// The input the opening carried, for a call sent whole.
        opening_input: Option<Value>,
    },
    /// Thinking whose text and signature are still arriving.
    Thinking(Reasoning),
    /// Blocks we do not hand out (server tools' blocks, newer kinds).
    Ignored,
}

/// The state of one streamed answer.
#[derive(Debug, Default)]
pub(crate) struct Decoder {
    /// Open blocks by index (usually one at a time).
    blocks: BTreeMap<u32, OpenBlock>,
    /// Token counts from `message_start`, updated by `message_delta`s.
    usage: Option<WireUsage>,
    /// From `message_delta`.
    stop_reason: Option<String>,
    /// Whether any tool call was handed out.
    called_tools: bool,
    /// Set at `message_stop`: nothing more is read.
    finished: bool,
}

impl Decoder {
    /// Appends to `out` the events that one server-sent event's `data`
    /// adds, or says why the answer broke off.
    pub(crate) fn event(
        &mut self,
        data: &str,
        out: &mut Vec<ModelEvent>,
    ) -> Result<(), BrokenStream> {
        let event: StreamEvent<'_> = serde_json::from_str(data).map_err(|error| {
            BrokenStream(format!(
                "an event of the answer is not valid ({error}): {}",
                data.chars().take(MAX_QUOTED_CHARS).collect::<String>()
            ))
        })?;
        match event.kind.as_ref() {
            "content_block_delta" => {
                if let Some(delta) = event.delta {
                    self.delta(event.index, delta, out);
                }
            }
            "message_start" => {
                let usage = event.message.and_then(|message| message.usage);
                self.usage = Some(usage.unwrap_or_default());
            }
            "content_block_start" => {
                if let Some(block) = event.content_block {
                    self.blocks.insert(event.index, open(block));
                }
            }
            "content_block_stop" => {
                if let Some(block) = self.blocks.remove(&event.index) {
                    self.close(block, out);
                }
            }
            "message_delta" => {
                if let Some(reason) = event.delta.and_then(|delta| delta.stop_reason) {
                    self.stop_reason = Some(reason);
                }
                if let Some(later) = event.usage {
                    self.usage = Some(self.usage.unwrap_or_default().updated(later));
                }
            }
            "message_stop" => self.finish(out),
            "error" => {
                let error = event.error.unwrap_or_default();
                let kind = if error.kind.is_empty() {
                    "error"
                } else {
                    &error.kind
                };
                return Err(BrokenStream(format!(
                    "the server reported an error mid-answer: {} ({kind})",
                    error.message
                )));
            }
            // `ping`, and event types newer than this version.
            _ => {}
        }
        Ok(())
    }

    /// Whether `message_stop` has arrived: the answer is complete.
    pub(crate) fn is_finished(&self) -> bool {
        self.finished
    }

    /// Checks the answer is complete once the byte stream has ended.
    pub(crate) fn end(&self) -> Result<(), BrokenStream> {
        if self.finished {
            Ok(())
        } else {
            Err(BrokenStream(
                "the stream ended before the model finished (no message_stop)".into(),
            ))
        }
    }

    fn delta(&mut self, index: u32, delta: Delta<'_>, out: &mut Vec<ModelEvent>) {
        let block = self.blocks.get_mut(&index);
        match (delta.kind.as_deref(), block) {
            (Some("text_delta"), _) => {
                if let Some(text) = delta.text.filter(|text| !text.is_empty()) {
                    out.push(ModelEvent::TextDelta(text.into_owned()));
                }
            }
            (Some("input_json_delta"), Some(OpenBlock::ToolUse { input, .. })) => {
                input.push_str(delta.partial_json.as_deref().unwrap_or_default());
            }
            (Some("thinking_delta"), Some(OpenBlock::Thinking(reasoning))) => {
                reasoning
                    .text
                    .push_str(delta.thinking.as_deref().unwrap_or_default());
            }
            (Some("signature_delta"), Some(OpenBlock::Thinking(reasoning))) => {
                reasoning
                    .signature
                    .push_str(delta.signature.as_deref().unwrap_or_default());
            }
            // Citations and newer kinds of delta.
            _ => {}
        }
    }

    fn close(&mut self, block: OpenBlock, out: &mut Vec<ModelEvent>) {
        match block {
            OpenBlock::ToolUse {
                id,
                name,
                input,
                opening_input,
            } => {
                self.called_tools = true;
                out.push(ModelEvent::ToolCall(ToolCall {
                    id,
                    name,
                    arguments: arguments(input, opening_input),
                }));
            }
            OpenBlock::Thinking(reasoning) => out.push(ModelEvent::Reasoning(reasoning)),
            OpenBlock::Text | OpenBlock::Ignored => {}
        }
    }

    fn finish(&mut self, out: &mut Vec<ModelEvent>) {
        if self.finished {
            return;
        }
        // Blocks left open are complete once the message is.
        for (_, block) in std::mem::take(&mut self.blocks) {
            self.close(block, out);
        }
        if let Some(usage) = self.usage {
            out.push(ModelEvent::Usage(usage_of(usage)));
        }
        let reason = match self.stop_reason.as_deref().map(finish_reason) {
            Some(FinishReason::Stop) | None if self.called_tools => FinishReason::ToolCalls,
            Some(reason) => reason,
            None => FinishReason::Other,
        };
        out.push(ModelEvent::Finished(reason));
        self.finished = true;
    }
}

fn open(block: ContentBlock) -> OpenBlock {
    match block {
        ContentBlock::Text {} => OpenBlock::Text,
        ContentBlock::ToolUse { id, name, input } => OpenBlock::ToolUse {
            id,
            name,
            input: String::new(),
            opening_input: input,
        },
        ContentBlock::Thinking {
            thinking,
            signature,
        } => OpenBlock::Thinking(Reasoning {
            text: thinking,
            signature,
            redacted: None,
        }),
        ContentBlock::RedactedThinking { data } => OpenBlock::Thinking(Reasoning {
            redacted: Some(data),
            ..Reasoning::default()
        }),
        ContentBlock::Other => OpenBlock::Ignored,
    }
}

/// A tool call's arguments: the streamed fragments, else the input its
/// opening carried, else `{}` (a call without parameters streams nothing).
fn arguments(streamed: String, opening_input: Option<Value>) -> String {
    if !streamed.is_empty() {
        return streamed;
    }
    match opening_input {
        Some(Value::Object(input)) if !input.is_empty() => Value::Object(input).to_string(),
        _ => "{}".to_string(),
    }
}

fn finish_reason(reason: &str) -> FinishReason {
    match reason {
        "end_turn" | "stop_sequence" => FinishReason::Stop,
        "tool_use" => FinishReason::ToolCalls,
        "max_tokens" | "model_context_window_exceeded" => FinishReason::Length,
        "refusal" => FinishReason::ContentFilter,
        _ => FinishReason::Other,
    }
}

/// Our usage: input counts every prompt token (cached or not, as OpenAI's
/// `prompt_tokens` does), cached input the ones read from the cache.
fn usage_of(usage: WireUsage) -> Usage {
    let cache_read = usage.cache_read_input_tokens.unwrap_or_default();
    Usage {
        input_tokens: usage.input_tokens.unwrap_or_default()
            + usage.cache_creation_input_tokens.unwrap_or_default()
            + cache_read,
        output_tokens: usage.output_tokens.unwrap_or_default(),
        cached_input_tokens: cache_read,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every event `datas` decode to, and the error that stopped them.
    fn decode(datas: &[&str]) -> (Vec<ModelEvent>, Option<BrokenStream>) {
        let mut decoder = Decoder::default();
        let mut out = Vec::new();
        for data in datas {
            if let Err(broken) = decoder.event(data, &mut out) {
                return (out, Some(broken));
            }
        }
        (out, decoder.end().err())
    }

    const START: &str = r#"{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude","stop_reason":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":100,"cache_read_input_tokens":900,"output_tokens":1}}}"#;
    const STOP: &str = r#"{"type":"message_stop"}"#;

    fn message_delta(reason: &str, output_tokens: u64) -> String {
        format!(
            r#"{{"type":"message_delta","delta":{{"stop_reason":"{reason}","stop_sequence":null}},"usage":{{"output_tokens":{output_tokens}}}}}"#
        )
    }

    #[test]
    fn text_usage_with_cache_tokens_and_end_turn_come_out_in_order() {
        let end = message_delta("end_turn", 9);
        let (events, broken) = decode(&[
            START,
            r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
            r#"{"type": "ping"}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}"#,
            r#"{"type":"content_block_stop","index":0}"#,
            &end,
            STOP,
        ]);
        assert_eq!(broken, None);
        assert_eq!(
            events,
            vec![
                ModelEvent::TextDelta("Hel".into()),
                ModelEvent::TextDelta("lo".into()),
                ModelEvent::Usage(Usage {
                    input_tokens: 1012,
                    output_tokens: 9,
                    cached_input_tokens: 900,
                }),
                ModelEvent::Finished(FinishReason::Stop),
            ]
        );
    }

    #[test]
    fn input_json_fragments_become_one_call_with_the_models_id_at_block_stop() {
        let tool_use = message_delta("tool_use", 30);
        let (events, broken) = decode(&[
            START,
            r#"{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_01A","name":"read","input":{}}}"#,
            r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}"#,
            r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"file"}}"#,
            r#"{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"Path\": \"a.rs\"}"}}"#,
            r#"{"type":"content_block_stop","index":1}"#,
            &tool_use,
            STOP,
        ]);
        assert_eq!(broken, None);
        assert_eq!(
            events[0],
            ModelEvent::ToolCall(ToolCall {
                id: "toolu_01A".into(),
                name: "read".into(),
                arguments: r#"{"filePath": "a.rs"}"#.into(),
            })
        );
        assert_eq!(
            events.last(),
            Some(&ModelEvent::Finished(FinishReason::ToolCalls))
        );
    }

    #[test]
    fn a_call_without_input_fragments_has_empty_object_arguments() {
        let (events, _) = decode(&[
            START,
            r#"{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"list","input":{}}}"#,
            r#"{"type":"content_block_stop","index":0}"#,
        ]);
        assert!(
            matches!(&events[0], ModelEvent::ToolCall(call) if call.arguments == "{}"),
            "{events:?}"
        );
    }

    #[test]
    fn thinking_and_its_signature_come_out_whole_for_passing_back() {
        let (events, _) = decode(&[
            START,
            r#"{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me "}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"think."}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM"}}"#,
            r#"{"type":"content_block_stop","index":0}"#,
            r#"{"type":"content_block_start","index":1,"content_block":{"type":"redacted_thinking","data":"EmwKAhgBEgy"}}"#,
            r#"{"type":"content_block_stop","index":1}"#,
        ]);
        assert_eq!(
            events,
            vec![
                ModelEvent::Reasoning(Reasoning {
                    text: "Let me think.".into(),
                    signature: "EqQBCgIYAhIM".into(),
                    redacted: None,
                }),
                ModelEvent::Reasoning(Reasoning {
                    redacted: Some("EmwKAhgBEgy".into()),
                    ..Reasoning::default()
                }),
            ]
        );
    }

    #[test]
    fn stop_reasons_map_to_finish_reasons() {
        for (reason, expected) in [
            ("end_turn", FinishReason::Stop),
            ("stop_sequence", FinishReason::Stop),
            ("tool_use", FinishReason::ToolCalls),
            ("max_tokens", FinishReason::Length),
            ("refusal", FinishReason::ContentFilter),
            ("pause_turn", FinishReason::Other),
        ] {
            let delta = message_delta(reason, 1);
            let (events, _) = decode(&[START, &delta, STOP]);
            assert_eq!(
                events.last(),
                Some(&ModelEvent::Finished(expected)),
                "{reason}"
            );
        }
    }

    #[test]
    fn error_event_breaks_the_stream_with_the_servers_message() {
        let (_, broken) = decode(&[
            START,
            r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
        ]);
        let broken = broken.unwrap();
        assert!(broken.0.contains("Overloaded"), "{broken:?}");
        assert!(broken.0.contains("overloaded_error"), "{broken:?}");
    }

    #[test]
    fn stream_ending_before_message_stop_is_broken() {
        let (_, broken) = decode(&[
            START,
            r#"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
        ]);
        assert!(broken.unwrap().0.contains("message_stop"));
    }

    #[test]
    fn unknown_events_blocks_and_deltas_are_ignored() {
        let end = message_delta("end_turn", 2);
        let (events, broken) = decode(&[
            START,
            r#"{"type":"brand_new_event","x":1}"#,
            r#"{"type":"content_block_start","index":0,"content_block":{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{}}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{}}}"#,
            r#"{"type":"content_block_stop","index":0}"#,
            &end,
            STOP,
        ]);
        assert_eq!(broken, None);
        assert_eq!(events.len(), 2, "{events:?}");
    }

    #[test]
    fn invalid_json_breaks_the_stream_quoting_it() {
        let (_, broken) = decode(&[START, "{not json"]);
        assert!(broken.unwrap().0.contains("{not json"));
    }
}
