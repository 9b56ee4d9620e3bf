//! Editing a proposed plan's task list in the person's own editor: the plan
//! as pretty JSON in a temporary file, `$VISUAL`, else `$EDITOR`, else `vi`
//! run on it with the terminal attached (as git does), the file read back.

use anyhow::Context;
use code_mesh_runtime::protocol::Plan;
use futures::channel::oneshot;
use std::path::Path;
use std::process::Command;

/// The first text the person edits: `plan` as pretty JSON.
pub fn plan_text(plan: &Plan) -> anyhow::Result<String> {
    let mut text = serde_json::to_string_pretty(plan).context("cannot write the plan as JSON")?;
    text.push('\n');
    Ok(text)
}

/// Writes `text` to a temporary file, opens the person's editor on it and
/// waits for it to close, then returns what the file holds. The editor runs
/// on its own thread, so the Supervisor's actors keep running meanwhile.
pub async fn edit_text(text: &str) -> anyhow::Result<String> {
    let path = std::env::temp_dir().join(format!("code-mesh-plan-{}.json", uuid::Uuid::new_v4()));
    std::fs::write(&path, text)
        .with_context(|| format!("cannot write the plan to {}", path.display()))?;
    let (tx, rx) = oneshot::channel();
    let editing = path.clone();
    std::thread::spawn(move || {
        let _ = tx.send(run_editor(&editing));
    });
    let edited = match rx.await.context("the editor's thread stopped") {
        Ok(Ok(())) => std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read the edited plan from {}", path.display())),
        Ok(Err(e)) | Err(e) => Err(e),
    };
    // A temporary file; nothing to do if it is already gone.
    let _ = std::fs::remove_file(&path);
    edited
}

/// Reads `text` as a [`Plan`]; the error names the line and column where
/// the JSON went wrong.
pub fn read_plan(text: &str) -> anyhow::Result<Plan> {
    // serde_json's message ends "at line L column C".
    serde_json::from_str(text).map_err(|e| anyhow::anyhow!("the edited plan is not a plan: {e}"))
}

/// The editor command line, as git chooses it: `$VISUAL`, else `$EDITOR`,
/// else `vi`. Empty values count as unset.
fn editor() -> String {
    ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string())
}

/// Runs the editor on `path` and waits. It goes through `sh`, as git does,
/// so `EDITOR="code --wait"` works; it inherits the terminal.
fn run_editor(path: &Path) -> anyhow::Result<()> {
    let editor = editor();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg(&editor)
        .arg(path)
        .status()
        .with_context(|| format!("cannot start the editor `{editor}`"))?;
    if !status.success() {
        anyhow::bail!("the editor `{editor}` failed ({status}); the plan was not changed");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use code_mesh_runtime::protocol::PlannedTask;

    fn plan() -> Plan {
        serde_json::from_value(serde_json::json!({
            "summary": "Greet in two files.",
            "tasks": [
                { "id": "t1", "description": "Greet in a.txt", "files": ["a.txt"] },
                { "id": "t2", "description": "Greet in b.txt", "depends_on": ["t1"] }
            ]
        }))
        .unwrap()
    }

    #[test]
    fn the_plan_written_for_editing_reads_back_as_the_same_plan() {
        let text = plan_text(&plan()).unwrap();
        assert!(text.contains("\n  \"tasks\": ["), "pretty JSON: {text}");
        assert_eq!(read_plan(&text).unwrap(), plan());
    }

    #[test]
    fn an_edited_plan_without_a_task_reads_as_the_shorter_plan() {
        let mut shorter = plan();
        shorter.tasks.pop();
        let text = plan_text(&shorter).unwrap();
        let read = read_plan(&text).unwrap();
        let ids: Vec<&str> = read
            .tasks
            .iter()
            .map(|t: &PlannedTask| t.id.as_str())
            .collect();
        assert_eq!(ids, ["t1"]);
    }

    #[test]
    fn invalid_json_is_an_error_naming_its_line() {
        let text = "{\n  \"summary\": \"x\",\n  \"tasks\": [\n    { \"id\": \"t1\" \n  ]\n}\n";
        let error = read_plan(text).unwrap_err().to_string();
        assert!(error.contains("line 5"), "{error}");
        assert!(
            error.starts_with("the edited plan is not a plan"),
            "{error}"
        );
    }

    #[test]
    fn json_that_is_not_a_plan_names_what_is_missing() {
        let error = read_plan("{\"summary\": \"x\"}").unwrap_err().to_string();
        assert!(error.contains("missing field `tasks`"), "{error}");
        assert!(error.contains("line 1"), "{error}");
    }
}
