use crate::support::Project;
use async_trait::async_trait;
use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::tool::{Tool, ToolContext, ToolError, ToolOutput};
use code_mesh_tools::truncate::{MAX_BYTES, MAX_LINES, OUTPUT_DIR};
use code_mesh_tools::{ReadTool, TruncatedTool, builtin_tools};
use serde_json::json;
use std::rc::Rc;

/// A tool that answers with the text it is given.
pub struct Echo;

#[async_trait(?Send)]
impl Tool for Echo {
    fn spec(&self) -> ToolSpec {
        ToolSpec {
            name: "echo".to_string(),
            description: "Echoes its text.".to_string(),
            parameters: json!({ "type": "object" }),
        }
    }

    async fn call(
        &self,
        arguments: serde_json::Value,
        _ctx: &ToolContext,
    ) -> Result<ToolOutput, ToolError> {
        Ok(ToolOutput::new(
            "echo",
            arguments["text"].as_str().unwrap_or_default(),
        ))
    }
}

/// The saved file's path, from the hint at the end of `output`.
pub fn saved_path(output: &str) -> &str {
    output
        .split("Full output saved to: ")
        .nth(1)
        .and_then(|rest| rest.lines().next())
        .expect("the hint names the file")
}

#[tokio::test(flavor = "current_thread")]
async fn output_within_the_limits_is_unchanged() {
    let project = Project::new();
    let tool = TruncatedTool::new(Rc::new(Echo));
    let text = "line\n".repeat(MAX_LINES);
    let echoed = project
        .call(&tool, json!({ "text": text }))
        .await
        .expect("echoed");
    assert_eq!(echoed.output, text);
    assert!(!project.path(OUTPUT_DIR).exists());
}

#[tokio::test(flavor = "current_thread")]
async fn truncation_keeps_2000_lines_and_saves_the_full_output_where_read_can_reach_it() {
    let project = Project::new();
    let tool = TruncatedTool::new(Rc::new(Echo));
    let text: String = (1..=3000).map(|n| format!("line {n}\n")).collect();
    let echoed = project
        .call(&tool, json!({ "text": text }))
        .await
        .expect("echoed");

    let (head, hint) = echoed.output.split_once("\n\n...").expect("a cut marker");
    assert_eq!(head.lines().count(), MAX_LINES);
    assert!(head.ends_with("line 2000"));
    assert!(hint.starts_with("1000 lines truncated..."), "{hint}");
    assert!(
        hint.contains("Use grep to search the full content or read with offset/limit"),
        "{hint}"
    );
    let saved = saved_path(&echoed.output);
    assert!(saved.starts_with(".code-mesh/tool-output/echo_"), "{saved}");
    assert_eq!(project.contents(saved), text);

    // The hint's path works with the read tool, confined as it is.
    let read = project
        .call(
            &ReadTool,
            json!({ "filePath": saved, "offset": 2999, "limit": 1 }),
        )
        .await
        .expect("read the saved output");
    assert!(read.output.contains("03000| line 3000"), "{}", read.output);
}

#[tokio::test(flavor = "current_thread")]
async fn truncation_caps_bytes_too() {
    let project = Project::new();
    let tool = TruncatedTool::new(Rc::new(Echo));
    let text = format!("{}\n", "x".repeat(1000)).repeat(100);
    let echoed = project
        .call(&tool, json!({ "text": text }))
        .await
        .expect("echoed");
    let (head, hint) = echoed.output.split_once("\n\n...").expect("a cut marker");
    assert!(head.len() <= MAX_BYTES);
    assert!(hint.contains("bytes truncated..."), "{hint}");
    assert_eq!(project.contents(saved_path(&echoed.output)), text);
}

#[tokio::test(flavor = "current_thread")]
async fn saved_outputs_are_git_ignored() {
    let project = Project::new();
    let tool = TruncatedTool::new(Rc::new(Echo));
    project
        .call(&tool, json!({ "text": "x\n".repeat(MAX_LINES + 1) }))
        .await
        .expect("echoed");
    assert_eq!(
        project
            .contents(&format!("{OUTPUT_DIR}/.gitignore"))
            .lines()
            .last(),
        Some("*")
    );
}

#[tokio::test(flavor = "current_thread")]
async fn builtin_tools_truncate_long_output() {
    let project = Project::new();
    let text: String = (0..200)
        .map(|n| format!("needle {n} {}\n", "x".repeat(1000)))
        .collect();
    project.file("wide.txt", &text);
    let grep = builtin_tools().get("grep").expect("grep");
    let found = grep
        .call(json!({ "pattern": "needle" }), &project.ctx)
        .await
        .expect("searched");
    assert!(found.output.len() < MAX_BYTES + 1000);
    let saved = saved_path(&found.output);
    assert!(project.contents(saved).starts_with("Found 200 matches"));
}

#[tokio::test(flavor = "current_thread")]
async fn read_caps_its_window_at_50_kb_and_says_where_to_continue() {
    let project = Project::new();
    // 100 lines of 1000 characters: 100 KB.
    let text: String = (0..100).map(|n| format!("{n:0>1000}\n")).collect();
    project.file("wide.txt", &text);
    let read = project
        .call(&ReadTool, json!({ "filePath": "wide.txt" }))
        .await
        .expect("read");
    // 51 lines of 1000 characters (and their line ends) fit in 50 KB; 52 do not.
    assert!(read.output.contains("\n00051| "));
    assert!(!read.output.contains("\n00052| "));
    assert!(read.output.ends_with(
        "(Output capped at 50 KB. Use 'offset' parameter to read beyond line 51)\n</file>"
    ));
    assert!(read.output.len() < MAX_BYTES + 2000);
}
