//! Usage and cost end to end: `code-mesh run` on a multi-request turn against
//! the mock LLM server, in JSON and in text.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_runtime::model::Usage;
use code_mesh_runtime::protocol::Event;
use code_mesh_test_support::{
    MockLlmServer, MockResponse, MockToolCall, MockUsage, TempProject, code_mesh_bin,
};
use serde_json::json;
use std::process::{Command, Output};

/// A read, then an answer, each reporting its own token counts.
fn two_request_script() -> Vec<MockResponse> {
    vec![
        MockResponse::tool_calls(vec![MockToolCall::new(
            "call_read",
            "read",
            json!({"filePath": "notes.txt"}),
        )])
        .with_usage(MockUsage {
            prompt_tokens: 1_000,
            completion_tokens: 100,
            cached_tokens: 400,
        }),
        MockResponse::text("The notes say hi.").with_usage(MockUsage {
            prompt_tokens: 1_500,
            completion_tokens: 90,
            cached_tokens: 1_000,
        }),
    ]
}

fn run(model: &str, format: &str) -> Output {
    let server = MockLlmServer::start(two_request_script());
    let project = TempProject::new();
    project.write("notes.txt", "hi\n");
    let out = Command::new(code_mesh_bin())
        .current_dir(project.path())
        .env("CODE_MESH_HOME", project.path().join(".code-mesh-home"))
        .env("OPENAI_BASE_URL", server.base_url())
        .env("OPENAI_API_KEY", "sk-test")
        .args([
            "run",
            "-m",
            model,
            "--format",
            format,
            "what do the notes say?",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(server.requests().len(), 2);
    out
}

fn events(out: &Output) -> Vec<Event> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

fn usage(input: u64, output: u64, cached: u64) -> Usage {
    Usage {
        input_tokens: input,
        output_tokens: output,
        cached_input_tokens: cached,
    }
}

#[test]
fn json_usage_events_carry_costs_that_add_up_to_the_turn_total() {
    let events = events(&run("openai/gpt-4o", "json"));

    let requests: Vec<(Usage, Option<f64>)> = events
        .iter()
        .filter_map(|e| match e {
            Event::Usage {
                usage, cost_usd, ..
            } => Some((*usage, *cost_usd)),
            _ => None,
        })
        .collect();
    assert_eq!(requests.len(), 2, "{events:#?}");
    assert_eq!(requests[0].0, usage(1_000, 100, 400));
    assert_eq!(requests[1].0, usage(1_500, 90, 1_000));
    // gpt-4o: $2.50 input, $1.25 cached input, $10 output per million tokens.
    let expected = [0.003, 0.0034];
    for ((_, cost), expected) in requests.iter().zip(expected) {
        assert!((cost.unwrap() - expected).abs() < 1e-12, "{cost:?}");
    }

    let Some(Event::TurnComplete {
        usage: total,
        cost_usd: Some(total_cost),
        ..
    }) = events.last()
    else {
        panic!("the last event is TurnComplete with a cost: {events:#?}");
    };
    assert_eq!(*total, usage(2_500, 190, 1_400));
    let summed: f64 = requests.iter().filter_map(|(_, cost)| *cost).sum();
    assert!(
        (total_cost - summed).abs() < 1e-12,
        "{total_cost} vs {summed}"
    );
}

#[test]
fn a_model_without_a_known_price_reports_tokens_but_no_cost() {
    let out = run("openai/my-finetune", "json");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("cost_usd"), "{text}");

    let events = events(&out);
    assert!(matches!(
        events.last(),
        Some(Event::TurnComplete { usage: total, cost_usd: None, .. })
            if *total == usage(2_500, 190, 1_400)
    ));
}

#[test]
fn text_output_ends_with_the_tokens_and_cost_on_stderr() {
    let out = run("openai/gpt-4o", "text");

    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.lines().last(),
        Some("tokens 2,500 in (1,400 cached) · 190 out · $0.0064"),
        "{err}"
    );
    let answer = String::from_utf8_lossy(&out.stdout);
    assert!(!answer.contains("tokens"), "{answer}");
}
