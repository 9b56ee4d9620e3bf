use crate::support::Project;
use code_mesh_tools::RememberTool;
use serde_json::json;

#[tokio::test(flavor = "current_thread")]
async fn remember_starts_the_knowledge_file_and_appends_notes() {
    let project = Project::new();
    let first = project
        .call(
            &RememberTool,
            json!({ "note": "Tests run with `make check`." }),
        )
        .await
        .expect("remember");
    assert_eq!(first.title, ".code-mesh/knowledge.md");
    project
        .call(&RememberTool, json!({ "note": "Line one\nline two" }))
        .await
        .expect("remember");
    let knowledge = project.contents(".code-mesh/knowledge.md");
    assert!(
        knowledge.starts_with("# Project knowledge\n"),
        "{knowledge}"
    );
    assert!(
        knowledge.ends_with("- Tests run with `make check`.\n- Line one\n  line two\n"),
        "{knowledge}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn remember_is_staged_like_an_edit() {
    let project = Project::staged();
    let noted = project
        .call(&RememberTool, json!({ "note": "Use tabs." }))
        .await
        .expect("remember");
    assert_eq!(noted.title, ".code-mesh/knowledge.md (staged)");
    assert!(!project.exists(".code-mesh/knowledge.md"));
}

#[tokio::test(flavor = "current_thread")]
async fn an_empty_note_is_refused() {
    let project = Project::new();
    let refused = project
        .call(&RememberTool, json!({ "note": "  " }))
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("the note is empty"),
        "{refused}"
    );
}
