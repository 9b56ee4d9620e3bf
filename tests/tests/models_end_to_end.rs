//! `code-mesh models [provider]` end to end: the built-in table, config
//! additions, and unknown providers.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_test_support::{TempProject, code_mesh_bin};
use std::process::{Command, Output};

fn models(project: &TempProject, args: &[&str]) -> Output {
    Command::new(code_mesh_bin())
        .current_dir(project.path())
        .env("CODE_MESH_HOME", project.path().join(".code-mesh-home"))
        .arg("models")
        .args(args)
        .output()
        .unwrap()
}

fn line_for<'a>(text: &'a str, id: &str) -> Vec<&'a str> {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|cells| cells.first() == Some(&id))
        .unwrap_or_else(|| panic!("no line for {id}:\n{text}"))
}

#[test]
fn lists_known_models_with_limits_and_prices() {
    let project = TempProject::new();

    let out = models(&project, &[]);

    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        line_for(&text, "openai/gpt-4o"),
        [
            "openai/gpt-4o",
            "128,000",
            "16,384",
            "$2.50",
            "$10.00",
            "$1.25"
        ]
    );
    assert_eq!(
        line_for(&text, "anthropic/claude-sonnet-4-20250514")[3..],
        ["$3.00", "$15.00", "$0.30"]
    );
    assert_eq!(
        line_for(&text, "ollama/…").join(" "),
        "ollama/… any model the server has"
    );
    assert!(text.contains("per million tokens"), "{text}");
}

#[test]
fn one_providers_models_with_the_configs_additions() {
    let project = TempProject::new();
    project.write(
        ".code-mesh/config.json",
        r#"{"provider":{"groq":{"models":{"qwen-qwq-32b":{"contextWindow":131072,"cost":{"input":0.29,"output":0.39}}}}}}"#,
    );

    let out = models(&project, &["groq"]);

    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        line_for(&text, "groq/qwen-qwq-32b"),
        [
            "groq/qwen-qwq-32b",
            "131,072",
            "—",
            "$0.29",
            "$0.39",
            "$0.29"
        ]
    );
    assert!(line_for(&text, "groq/llama-3.3-70b-versatile").len() == 6);
    assert!(!text.contains("openai/"), "{text}");
}

#[test]
fn unknown_provider_is_an_error_listing_the_known_ones() {
    let project = TempProject::new();

    let out = models(&project, &["nowhere"]);

    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("`nowhere`"), "{err}");
    assert!(err.contains("anthropic, deepseek"), "{err}");
}
