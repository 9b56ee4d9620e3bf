//! The scripted tasks the bench runs: what the mock model answers, the
//! project it works in, and how to tell the run did what it should.

use anyhow::{Context, ensure};
use code_mesh_test_support::{MockResponse, MockToolCall, TempProject};
use serde_json::json;
use std::fmt::Write as _;

/// The file both tasks work on.
const SOURCE_PATH: &str = "src/greeting.rs";

/// One scripted task.
pub struct Scenario {
    /// The mock model's answers, one per model request.
    pub script: Vec<MockResponse>,
    /// What the person asks.
    pub prompt: &'static str,
    /// The project's files.
    files: Vec<(&'static str, String)>,
    /// The text `SOURCE_PATH` must hold after the run.
    expected_source: String,
}

impl Scenario {
    /// The task: the model reads a file, edits it, then answers
    /// (3 model requests).
    pub fn read_edit_answer() -> Self {
        let source = source_file(30);
        let expected_source = source.replacen("world", "Code Mesh", 1);
        Self {
            script: vec![
                MockResponse::text_then_tool_calls(
                    "Let me look at the greeting.",
                    vec![MockToolCall::new(
                        "call_read",
                        "read",
                        json!({ "filePath": SOURCE_PATH }),
                    )],
                ),
                MockResponse::tool_calls(vec![MockToolCall::new(
                    "call_edit",
                    "edit",
                    json!({
                        "filePath": SOURCE_PATH,
                        "oldString": "\"Hello, world\"",
                        "newString": "\"Hello, Code Mesh\"",
                    }),
                )]),
                MockResponse::text("The greeting now says hello to Code Mesh."),
            ],
            prompt: "greet Code Mesh instead of the world",
            files: vec![(SOURCE_PATH, source)],
            expected_source,
        }
    }

    /// `turns` model requests each answered with a `read` of a different
    /// stretch of a file, then a final answer. The project's config raises
    /// the step limit to fit.
    pub fn reads(turns: u32) -> Self {
        let source = source_file(200);
        let mut script: Vec<MockResponse> = (0..turns)
            .map(|turn| {
                MockResponse::tool_calls(vec![MockToolCall::new(
                    format!("call_{turn}"),
                    "read",
                    json!({ "filePath": SOURCE_PATH, "offset": (turn * 7) % 190, "limit": 10 }),
                )])
            })
            .collect();
        script.push(MockResponse::text("I have read the whole file."));
        let config = json!({ "agent": { "coder": { "steps": turns + 1 } } }).to_string();
        Self {
            script,
            prompt: "read src/greeting.rs carefully, a few lines at a time",
            files: vec![
                (SOURCE_PATH, source.clone()),
                (".code-mesh/config.json", config),
            ],
            expected_source: source,
        }
    }

    /// How many model requests a successful run makes.
    pub fn expected_requests(&self) -> usize {
        self.script.len()
    }

    /// A fresh project holding the scenario's files.
    pub fn project(&self) -> TempProject {
        let project = TempProject::new();
        for (path, content) in &self.files {
            project.write(path, content);
        }
        project
    }

    /// Checks that the run left the project as the task says.
    pub fn check(&self, project: &TempProject) -> anyhow::Result<()> {
        let path = project.path().join(SOURCE_PATH);
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        ensure!(
            text == self.expected_source,
            "{SOURCE_PATH} does not hold what the task should have left:\n{text}"
        );
        Ok(())
    }
}

/// A small Rust file of about `lines` lines whose first string is
/// `"Hello, world"`.
fn source_file(lines: usize) -> String {
    let mut text = String::from(
        "//! Greetings.\n\n/// The greeting.\npub fn greeting() -> &'static str {\n    \"Hello, world\"\n}\n",
    );
    let mut n = 0;
    while text.lines().count() < lines {
        n += 1;
        // Writing to a String cannot fail.
        let _ = write!(
            text,
            "\n/// Number {n}, doubled.\npub fn double_{n}(x: u64) -> u64 {{\n    x * 2 + {n} - {n}\n}}\n"
        );
    }
    text
}
