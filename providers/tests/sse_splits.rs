//! The stream decoders of both wire formats are indifferent to how the
//! network cuts the bytes: any split of a recorded stream into chunks
//! (mid-line, mid-UTF-8 character, one byte at a time) decodes to the same
//! events as the whole body in one piece.

// Test code: helpers outside #[test] fns fail loudly too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_providers::{anthropic, openai_compat};
use code_mesh_runtime::model::{FinishReason, ModelEvent, Reasoning, ToolCall};
use code_mesh_runtime::provider::ProviderError;
use code_mesh_test_support::recordings::{
    ANTHROPIC_MESSAGES_SSE, OPENAI_CHAT_SSE, RECORDED_ANSWER_TEXT, RECORDED_EDIT_ARGUMENTS,
};
use futures::StreamExt;
use proptest::prelude::*;
use std::convert::Infallible;
use std::sync::LazyLock;

type Events = Vec<Result<ModelEvent, ProviderError>>;

/// Each recording decoded in one piece: what every split must decode to.
static ANTHROPIC_WHOLE: LazyLock<Events> =
    LazyLock::new(|| anthropic_events(vec![ANTHROPIC_MESSAGES_SSE.as_bytes().to_vec()]));
static OPENAI_WHOLE: LazyLock<Events> =
    LazyLock::new(|| openai_events(vec![OPENAI_CHAT_SSE.as_bytes().to_vec()]));

/// `bytes` cut at each of `cuts` (any order, repeats and out-of-range
/// positions allowed).
fn split(bytes: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
    let mut cuts: Vec<usize> = cuts.iter().map(|&cut| cut.min(bytes.len())).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut chunks = Vec::new();
    let mut start = 0;
    for cut in cuts.into_iter().chain([bytes.len()]) {
        chunks.push(bytes[start..cut].to_vec());
        start = cut;
    }
    chunks
}

fn one_byte_each(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes.iter().map(|&byte| vec![byte]).collect()
}

/// Every position inside a multi-byte UTF-8 character.
fn inside_characters(text: &str) -> Vec<usize> {
    (1..text.len())
        .filter(|&at| !text.is_char_boundary(at))
        .collect()
}

fn anthropic_events(chunks: Vec<Vec<u8>>) -> Events {
    let bytes = futures::stream::iter(chunks.into_iter().map(Ok::<_, Infallible>));
    futures::executor::block_on(anthropic::decode_sse("anthropic", bytes).collect())
}

fn openai_events(chunks: Vec<Vec<u8>>) -> Events {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(openai_compat::decode_sse("openai", chunks).collect())
}

fn text(events: &Events) -> String {
    events
        .iter()
        .filter_map(|event| match event {
            Ok(ModelEvent::TextDelta(text)) => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

fn calls(events: &Events) -> Vec<ToolCall> {
    events
        .iter()
        .filter_map(|event| match event {
            Ok(ModelEvent::ToolCall(call)) => Some(call.clone()),
            _ => None,
        })
        .collect()
}

/// The whole recording decodes to the answer it carries, so "the same
/// events" below means the right ones.
fn assert_decodes_the_recorded_answer(events: &Events, call_id: &str) {
    assert!(events.iter().all(Result::is_ok), "{:?}", events.last());
    assert_eq!(text(events), RECORDED_ANSWER_TEXT);
    assert_eq!(
        calls(events),
        vec![ToolCall {
            id: call_id.into(),
            name: "edit".into(),
            arguments: RECORDED_EDIT_ARGUMENTS.into(),
        }]
    );
    assert_eq!(
        events.last(),
        Some(&Ok(ModelEvent::Finished(FinishReason::ToolCalls)))
    );
}

#[test]
fn whole_anthropic_recording_decodes_to_its_answer_reasoning_and_call() {
    let events = &*ANTHROPIC_WHOLE;
    assert_decodes_the_recorded_answer(events, "toolu_01T1x1fJ34qAmk2tNTrN7Up6");
    let reasoning: Vec<&Reasoning> = events
        .iter()
        .filter_map(|event| match event {
            Ok(ModelEvent::Reasoning(reasoning)) => Some(reasoning),
            _ => None,
        })
        .collect();
    assert_eq!(reasoning.len(), 1);
    assert!(reasoning[0].text.starts_with("The user wants"));
    assert!(reasoning[0].signature.starts_with("EqQBCgIYAhIM"));
}

#[test]
fn whole_openai_recording_decodes_to_its_answer_and_call() {
    assert_decodes_the_recorded_answer(&OPENAI_WHOLE, "call_DdmO9pD3xa9XTPNJ32zg2hcA");
}

#[test]
fn anthropic_recording_one_byte_at_a_time_decodes_the_same() {
    assert_eq!(
        anthropic_events(one_byte_each(ANTHROPIC_MESSAGES_SSE.as_bytes())),
        *ANTHROPIC_WHOLE
    );
}

#[test]
fn openai_recording_one_byte_at_a_time_decodes_the_same() {
    assert_eq!(
        openai_events(one_byte_each(OPENAI_CHAT_SSE.as_bytes())),
        *OPENAI_WHOLE
    );
}

#[test]
fn anthropic_recording_cut_inside_any_character_decodes_the_same() {
    let bytes = ANTHROPIC_MESSAGES_SSE.as_bytes();
    let positions = inside_characters(ANTHROPIC_MESSAGES_SSE);
    assert!(
        positions.len() > 20,
        "the recording has few wide characters"
    );
    for at in positions {
        assert_eq!(
            anthropic_events(split(bytes, &[at])),
            *ANTHROPIC_WHOLE,
            "cut at {at}"
        );
    }
}

#[test]
fn openai_recording_cut_inside_any_character_decodes_the_same() {
    let bytes = OPENAI_CHAT_SSE.as_bytes();
    let positions = inside_characters(OPENAI_CHAT_SSE);
    assert!(
        positions.len() > 20,
        "the recording has few wide characters"
    );
    for at in positions {
        assert_eq!(
            openai_events(split(bytes, &[at])),
            *OPENAI_WHOLE,
            "cut at {at}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn anthropic_recording_split_anywhere_decodes_the_same(
        cuts in prop::collection::vec(0..=ANTHROPIC_MESSAGES_SSE.len(), 0..200),
    ) {
        let split = split(ANTHROPIC_MESSAGES_SSE.as_bytes(), &cuts);
        prop_assert_eq!(&anthropic_events(split), &*ANTHROPIC_WHOLE);
    }

    #[test]
    fn openai_recording_split_anywhere_decodes_the_same(
        cuts in prop::collection::vec(0..=OPENAI_CHAT_SSE.len(), 0..200),
    ) {
        let split = split(OPENAI_CHAT_SSE.as_bytes(), &cuts);
        prop_assert_eq!(&openai_events(split), &*OPENAI_WHOLE);
    }
}
