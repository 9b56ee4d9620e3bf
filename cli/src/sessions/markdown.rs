//! A session's transcript as Markdown: per turn the request, each tool
//! call with its arguments and result, the files changed, the answer, and
//! the changes left for review as a diff.

use crate::time::utc;
use code_mesh_runtime::protocol::{Event, TurnStatus};
use code_mesh_runtime::session::{SessionRecord, SessionSummary};
use std::collections::HashMap;
use std::fmt::Write as _;

/// The longest tool output shown, in characters; the rest is elided.
const OUTPUT_CHARS: usize = 4000;

/// The transcript of session `id` made of `records`.
pub fn transcript(id: &str, records: &[SessionRecord]) -> String {
    let summary = SessionSummary::of(id, records, 0);
    let mut md = String::new();
    let title = if summary.title.is_empty() {
        format!("Session {id}")
    } else {
        summary.title.clone()
    };
    let _ = writeln!(md, "# {title}\n");
    md.push_str(&body(id, records));
    md
}

/// The turns of `records` (session `id`) as Markdown sections: request,
/// tool calls, answer, changes — what [`transcript`] shows under its title,
/// and what the history log appends for each run.
pub fn body(id: &str, records: &[SessionRecord]) -> String {
    let mut md = String::new();
    let mut request_shown = false;
    let mut arguments: HashMap<&str, &serde_json::Value> = HashMap::new();
    for record in records {
        let event = match record {
            SessionRecord::Started {
                model, created_ms, ..
            } => {
                let _ = writeln!(
                    md,
                    "Session `{id}` · model `{model}` · started {}\n",
                    utc(*created_ms)
                );
                continue;
            }
            SessionRecord::Event { event } => event,
            _ => continue,
        };
        match event {
            // A turn's first task is its request.
            Event::TaskQueued { description, .. } if !request_shown => {
                request_shown = true;
                let _ = writeln!(md, "## Request\n\n{}\n", description.trim_end());
            }
            Event::ToolCallBegin {
                call_id,
                arguments: args,
                ..
            } => {
                arguments.insert(call_id, args);
            }
            Event::ToolCallEnd {
                call_id,
                tool,
                title,
                output,
                is_error,
                ..
            } => {
                let _ = writeln!(md, "### Tool call `{tool}`: {title}\n");
                if let Some(args) = arguments.get(call_id.as_str()) {
                    let json = serde_json::to_string_pretty(args).unwrap_or_default();
                    let _ = writeln!(md, "Arguments:\n\n{}", fenced("json", &json));
                }
                let label = if *is_error { "Error" } else { "Result" };
                let _ = writeln!(md, "{label}:\n\n{}", fenced("", &shortened(output)));
            }
            Event::ChangeStaged { path, written, .. } => {
                let verb = if *written { "Wrote" } else { "Staged" };
                let _ = writeln!(md, "{verb} `{path}`.\n");
            }
            Event::TurnComplete {
                status,
                answer,
                error,
                usage,
                ..
            } => {
                request_shown = false;
                match (status, answer, error) {
                    (TurnStatus::Completed, Some(answer), _) => {
                        let _ = writeln!(md, "## Answer\n\n{}\n", answer.trim_end());
                    }
                    (TurnStatus::Completed, None, _) => {}
                    (_, _, error) => {
                        let why = error.as_deref().unwrap_or("no reason given");
                        let _ = writeln!(md, "## The turn did not finish\n\n{why}\n");
                    }
                }
                let _ = writeln!(
                    md,
                    "*Tokens: {} in, {} out.*\n",
                    usage.input_tokens, usage.output_tokens
                );
            }
            Event::Changes { diff, .. } if !diff.is_empty() => {
                let _ = writeln!(md, "## Changes\n\n{}", fenced("diff", diff));
            }
            Event::ChangesApplied { files } => {
                let _ = writeln!(md, "Applied: {}.\n", files.join(", "));
            }
            Event::ChangesRejected { files } => {
                let _ = writeln!(md, "Rejected: {}.\n", files.join(", "));
            }
            Event::ChangesUndone { files } => {
                let _ = writeln!(md, "Undone: {}.\n", files.join(", "));
            }
            _ => {}
        }
    }
    md
}

/// `text` in a fenced block tagged `lang`, the fence longer than any run
/// of backticks inside so the block cannot end early.
fn fenced(lang: &str, text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let newline = if text.ends_with('\n') { "" } else { "\n" };
    format!("{fence}{lang}\n{text}{newline}{fence}\n")
}

/// `text`, cut to [`OUTPUT_CHARS`] with a note of how much was left out.
fn shortened(text: &str) -> String {
    let total = text.chars().count();
    if total <= OUTPUT_CHARS {
        return text.to_string();
    }
    let kept: String = text.chars().take(OUTPUT_CHARS).collect();
    format!("{kept}\n… ({} more characters)", total - OUTPUT_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fence_outlasts_the_backticks_inside() {
        assert_eq!(fenced("", "a ``` b"), "````\na ``` b\n````\n");
        assert_eq!(fenced("diff", "-a\n+b\n"), "```diff\n-a\n+b\n```\n");
    }
}
