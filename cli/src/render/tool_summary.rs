//! The result half of a tool call's one-line summary: `• grep  parse_config
//! · 12 matches`, `• bash  run the tests · exit code 1`. Read off the tool's
//! output as the model sees it, so the runtime needs no extra field.

/// A few words on what a successful call of `tool` returned, when there is
/// something worth saying.
pub fn result_summary(tool: &str, output: &str) -> Option<String> {
    match tool {
        "read" => {
            let lines = output
                .lines()
                .filter(|line| line.len() > 6 && line.as_bytes()[5] == b'|')
                .count();
            (lines > 0).then(|| count(lines, "line"))
        }
        "grep" => {
            if output.starts_with("No files found") {
                return Some("no matches".to_string());
            }
            let found = output.lines().next()?.strip_prefix("Found ")?;
            let n: usize = found.split_whitespace().next()?.parse().ok()?;
            Some(count(n, "match"))
        }
        "glob" | "list" => {
            if output.starts_with("No files found") {
                return Some("nothing found".to_string());
            }
            let entries = output.lines().filter(|l| !l.trim().is_empty()).count();
            Some(count(entries, "line"))
        }
        // The status line follows the command's output; a note on staged
        // files may come after it.
        "bash" => output
            .lines()
            .rev()
            .find(|line| {
                line.starts_with("exit code")
                    || line.starts_with("killed by")
                    || line.starts_with("command timed out")
            })
            .map(|line| line.chars().take(40).collect()),
        _ => None,
    }
}

/// `n` and `noun`, plural when `n` is not 1 (`match` → `matches`).
fn count(n: usize, noun: &str) -> String {
    match (n, noun.ends_with("ch")) {
        (1, _) => format!("1 {noun}"),
        (_, true) => format!("{n} {noun}es"),
        _ => format!("{n} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::result_summary;

    #[test]
    fn each_tool_says_what_it_found() {
        let read = "<file>\n00001| a\n00002| b\n\n(End of file - total 2 lines)\n</file>";
        assert_eq!(result_summary("read", read).as_deref(), Some("2 lines"));
        let grep = "Found 12 matches\nsrc/a.rs:\n  Line 3: x";
        assert_eq!(result_summary("grep", grep).as_deref(), Some("12 matches"));
        assert_eq!(
            result_summary("grep", "No files found").as_deref(),
            Some("no matches")
        );
        assert_eq!(
            result_summary("bash", "ok\nexit code 0").as_deref(),
            Some("exit code 0")
        );
        assert_eq!(
            result_summary(
                "bash",
                "app.py\nexit code 0\n\nNote: this command ran against the files on disk"
            )
            .as_deref(),
            Some("exit code 0")
        );
        assert_eq!(result_summary("edit", "Edit applied"), None);
    }
}
