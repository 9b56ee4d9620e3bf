//! `code-mesh run` when the model's server misbehaves: rate limits, server
//! errors, rejected keys, answers cut off or stalled. The built binary
//! against the mock LLM server over real sockets.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_test_support::{
    MockLlmServer, MockResponse, TempProject, code_mesh_command, stderr_text, stdout_text,
};
use std::process::Output;
use std::time::{Duration, Instant};

/// `code-mesh run <prompt>` in `project`, isolated from the user's own
/// config and keys, talking to `server` as the `openai` provider.
fn run(project: &TempProject, server: &MockLlmServer, prompt: &str) -> Output {
    code_mesh_command(project)
        .env("OPENAI_BASE_URL", server.base_url())
        .env("OPENAI_API_KEY", "sk-test")
        .args(["run", prompt])
        .output()
        .expect("the code-mesh binary runs")
}

#[test]
fn rate_limit_with_retry_after_then_success_completes_the_turn() {
    let server = MockLlmServer::start([
        MockResponse::error(429, "Rate limit reached for requests").with_retry_after_secs(1),
        MockResponse::text("Done after the wait."),
    ]);
    let project = TempProject::new();

    let started = Instant::now();
    let out = run(&project, &server, "hello");

    assert!(out.status.success(), "stderr: {}", stderr_text(&out));
    assert!(
        stdout_text(&out).contains("Done after the wait."),
        "{}",
        stdout_text(&out)
    );
    assert_eq!(server.requests().len(), 2);
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[test]
fn server_errors_past_every_retry_end_with_one_clear_line_and_a_failure_exit() {
    // Each attempt of the agent sends its request three times (the provider's
    // two retries); the Supervisor restarts the agent twice (its retry
    // budget) before the task fails.
    let server = MockLlmServer::start(
        std::iter::repeat_with(|| MockResponse::error(500, "The server had an error"))
            .take(9)
            .chain([MockResponse::text("a tenth request would get this")]),
    );
    let project = TempProject::new();

    let out = run(&project, &server, "hello");

    assert!(!out.status.success());
    let err = stderr_text(&out);
    let restarts = err.lines().filter(|l| l.contains("restarted")).count();
    assert_eq!(restarts, 2, "{err}");
    assert_eq!(err.lines().count(), 3, "{err}");
    let reason = err.lines().last().unwrap_or_default();
    assert!(reason.contains("HTTP 500"), "{err}");
    assert!(reason.contains("The server had an error"), "{err}");
    assert!(reason.contains("gave up after 3 attempts"), "{err}");
    assert_eq!(server.requests().len(), 9);
}

#[test]
fn rejected_key_names_the_environment_variable_and_is_not_retried() {
    let server = MockLlmServer::start([
        MockResponse::error(401, "Incorrect API key provided"),
        MockResponse::text("a retry would get this"),
    ]);
    let project = TempProject::new();

    let out = run(&project, &server, "hello");

    assert!(!out.status.success());
    let err = stderr_text(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("401"), "{err}");
    assert!(err.contains("OPENAI_API_KEY"), "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn answer_cut_off_midway_ends_with_a_clear_error_and_is_not_retried() {
    let server = MockLlmServer::start([
        MockResponse::drop_mid_stream("This answer is cut off somewhere in the middle."),
        MockResponse::text("a retry would get this"),
    ]);
    let project = TempProject::new();

    let out = run(&project, &server, "hello");

    assert!(!out.status.success());
    let err = stderr_text(&out);
    let reason = err.lines().last().unwrap_or_default();
    assert!(reason.contains("broke off"), "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn stalled_answer_gives_up_after_the_configured_timeout() {
    let server = MockLlmServer::start([MockResponse::stall_after(
        "The server goes quiet halfway through this answer.",
    )]);
    let project = TempProject::new();
    project.write(
        ".code-mesh/config.json",
        r#"{ "provider": { "openai": { "timeout": 500 } } }"#,
    );

    let out = run(&project, &server, "hello");

    assert!(!out.status.success());
    let err = stderr_text(&out);
    let reason = err.lines().last().unwrap_or_default();
    assert!(reason.contains("no data from openai for 0.5 s"), "{err}");
    assert!(reason.contains("provider.openai.timeout"), "{err}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn configured_retries_of_zero_send_a_failed_request_once_per_attempt() {
    // The provider does not resend; the Supervisor's restarts (two) each
    // send the request once more.
    let server = MockLlmServer::start([
        MockResponse::error(503, "Service unavailable"),
        MockResponse::error(503, "Service unavailable"),
        MockResponse::error(503, "Service unavailable"),
        MockResponse::text("a fourth request would get this"),
    ]);
    let project = TempProject::new();
    project.write(
        ".code-mesh/config.json",
        r#"{ "provider": { "openai": { "retries": 0 } } }"#,
    );

    let out = run(&project, &server, "hello");

    assert!(!out.status.success());
    let err = stderr_text(&out);
    assert!(err.contains("HTTP 503"), "{err}");
    assert!(!err.contains("attempts"), "{err}");
    assert_eq!(server.requests().len(), 3);
}
