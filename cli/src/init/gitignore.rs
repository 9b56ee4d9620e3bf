//! Keeping Code Mesh's local state out of git, while the files a team
//! shares (`config.json`, `knowledge.md`, `history.md`) stay tracked.

use anyhow::Context;
use std::path::Path;

/// What `.code-mesh/` holds that belongs to one machine: full outputs of
/// tools, cut short in what the model saw. (Sessions live in the data
/// directory, outside the project.)
const LOCAL_STATE: &[&str] = &[".code-mesh/tool-output/"];

/// Appends to `<root>/.gitignore` (creating it) each [`LOCAL_STATE`] entry
/// it does not list yet, and returns those added: none the second time.
pub fn ignore_local_state(root: &Path) -> anyhow::Result<Vec<&'static str>> {
    let path = root.join(".gitignore");
    let existing = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let missing: Vec<&'static str> = LOCAL_STATE
        .iter()
        .copied()
        .filter(|entry| !lists(&existing, entry))
        .collect();
    if missing.is_empty() {
        return Ok(missing);
    }
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str("# Code Mesh's local state\n");
    for entry in &missing {
        text.push_str(entry);
        text.push('\n');
    }
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(missing)
}

/// Whether `gitignore` has `entry` as a line of its own (with or without
/// the leading or trailing slash).
fn lists(gitignore: &str, entry: &str) -> bool {
    let bare = entry.trim_matches('/');
    gitignore
        .lines()
        .any(|line| line.trim().trim_matches('/') == bare)
}

#[cfg(test)]
mod tests {
    use super::lists;

    #[test]
    fn an_entry_is_found_with_or_without_slashes() {
        assert!(lists(
            "target\n/.code-mesh/tool-output\n",
            ".code-mesh/tool-output/"
        ));
        assert!(lists(".code-mesh/tool-output/", ".code-mesh/tool-output/"));
        assert!(!lists(
            ".code-mesh/\n# .code-mesh/tool-output/x\n",
            ".code-mesh/tool-output/"
        ));
    }
}
