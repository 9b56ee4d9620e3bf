//! How `run` prints, as the native binary does without a terminal: text
//! (the streamed answer on stdout; a line per tool call, approval and
//! change on stderr; the staged diff on stdout) or one JSON event per line.

use code_mesh_runtime::model::Usage;
use code_mesh_runtime::permission::ApprovalRequest;
use code_mesh_runtime::protocol::{AgentId, ChangedFile, Event, FileStatus};

/// Where the output goes: the process's stdout and stderr in Node, a
/// buffer in tests.
pub trait Output {
    /// Writes `text` to standard output.
    fn out(&mut self, text: &str);
    /// Writes `text` to standard error.
    fn err(&mut self, text: &str);
}

/// Prints a run's events.
pub trait Render {
    /// Shows one event.
    fn event(&mut self, event: &Event, output: &mut dyn Output);
    /// Shows a line of the command's own (a warning, a hint).
    fn notice(&mut self, line: &str, output: &mut dyn Output);
}

/// `--format json`: every event as one line of the protocol's JSON on
/// stdout; notices on stderr, so stdout stays JSON.
#[derive(Debug, Default)]
pub struct JsonRender;

impl Render for JsonRender {
    fn event(&mut self, event: &Event, output: &mut dyn Output) {
        if let Ok(line) = serde_json::to_string(event) {
            output.out(&format!("{line}\n"));
        }
    }

    fn notice(&mut self, line: &str, output: &mut dyn Output) {
        output.err(&format!("{line}\n"));
    }
}

/// `--format text`: the answer as it streams, and a line for each thing
/// done on the way.
#[derive(Debug)]
pub struct TextRender {
    /// Whether stdout is at the start of a line.
    at_line_start: bool,
    /// The agent whose text was streamed last.
    speaking: Option<AgentId>,
    /// Approval requests refused, whose tool error is then not repeated.
    refused: Vec<(AgentId, String)>,
}

impl Default for TextRender {
    fn default() -> Self {
        Self {
            at_line_start: true,
            speaking: None,
            refused: Vec::new(),
        }
    }
}

impl TextRender {
    /// Ends the streamed text's line, so what follows starts on its own.
    fn break_line(&mut self, output: &mut dyn Output) {
        if !self.at_line_start {
            output.out("\n");
            self.at_line_start = true;
        }
    }
}

impl Render for TextRender {
    fn event(&mut self, event: &Event, output: &mut dyn Output) {
        match event {
            Event::AgentMessageDelta { agent, delta } => {
                if self.speaking.is_some_and(|last| last != *agent) {
                    self.break_line(output);
                }
                self.speaking = Some(*agent);
                output.out(delta);
                if !delta.is_empty() {
                    self.at_line_start = delta.ends_with('\n');
                }
            }
            Event::ToolCallEnd {
                agent,
                tool,
                title,
                output: result,
                is_error,
                ..
            } => {
                self.break_line(output);
                let refused = self
                    .refused
                    .iter()
                    .position(|(a, pattern)| a == agent && result.contains(pattern.as_str()));
                if *is_error && let Some(index) = refused {
                    // The refusal's line said it.
                    self.refused.remove(index);
                } else if *is_error {
                    let first = result.lines().next().unwrap_or_default();
                    let reason = first.strip_prefix("Error: ").unwrap_or(first);
                    output.err(&format!("✗ {tool:<5} {reason}\n"));
                } else {
                    match result_summary(tool, result) {
                        Some(summary) => output.err(&format!("• {tool:<5} {title} · {summary}\n")),
                        None => output.err(&format!("• {tool:<5} {title}\n")),
                    }
                }
            }
            Event::ApprovalRequested { request, .. } => {
                self.break_line(output);
                self.refused.push((request.agent, request.pattern.clone()));
                output.err(&format!("{}\n", refusal_line(request)));
            }
            Event::AgentRestarted {
                agent,
                attempt,
                reason,
                ..
            } => {
                self.break_line(output);
                output.err(&format!(
                    "↻ {agent} restarted (attempt {attempt}): {reason}\n"
                ));
            }
            Event::PlanProposed { plan, .. } => {
                self.break_line(output);
                output.err(&format!("plan: {} tasks\n", plan.tasks.len()));
                for (number, task) in plan.tasks.iter().enumerate() {
                    output.err(&format!("  {}. {}\n", number + 1, task.description));
                }
            }
            Event::Changes { files, diff } => {
                self.break_line(output);
                for file in files {
                    output.err(&format!("{}\n", changed_file_line(file)));
                }
                output.out(diff);
                if !diff.is_empty() && !diff.ends_with('\n') {
                    output.out("\n");
                }
            }
            Event::TurnComplete {
                usage, cost_usd, ..
            } => {
                self.break_line(output);
                if let Some(line) = usage_line(usage, *cost_usd) {
                    output.err(&format!("{line}\n"));
                }
            }
            _ => {}
        }
    }

    fn notice(&mut self, line: &str, output: &mut dyn Output) {
        self.break_line(output);
        output.err(&format!("{line}\n"));
    }
}

/// The line saying an approval request was refused, as natively.
fn refusal_line(request: &ApprovalRequest) -> String {
    let what = &request.permission;
    format!(
        "✗ {what:<5} refused `{}`: nobody can approve it in this non-interactive run; --yes or \
         `permission.{what}` in .code-mesh/config.json allows it",
        request.pattern
    )
}

/// `M src/lib.rs +3 -1`: status letter, path, lines added and removed.
fn changed_file_line(file: &ChangedFile) -> String {
    let status = match file.status {
        FileStatus::Added => 'A',
        FileStatus::Modified => 'M',
        FileStatus::Deleted => 'D',
    };
    format!(
        "{status} {} +{} -{}",
        file.path, file.additions, file.deletions
    )
}

/// A few words on what a successful call of `tool` returned, as the native
/// binary's tool lines end (`· 2 lines`, `· 12 matches`, `· exit code 1`).
fn result_summary(tool: &str, output: &str) -> Option<String> {
    match tool {
        "read" => {
            let lines = output
                .lines()
                .filter(|line| line.len() > 6 && line.as_bytes()[5] == b'|')
                .count();
            (lines > 0).then(|| count_of(lines, "line"))
        }
        "grep" => {
            if output.starts_with("No files found") {
                return Some("no matches".to_string());
            }
            let found = output.lines().next()?.strip_prefix("Found ")?;
            let n: usize = found.split_whitespace().next()?.parse().ok()?;
            Some(count_of(n, "match"))
        }
        "glob" | "list" => {
            if output.starts_with("No files found") {
                return Some("nothing found".to_string());
            }
            let entries = output.lines().filter(|l| !l.trim().is_empty()).count();
            Some(count_of(entries, "line"))
        }
        "bash" => {
            let last = output.lines().last()?;
            (last.starts_with("exit code")
                || last.starts_with("killed by")
                || last.starts_with("command timed out"))
            .then(|| last.chars().take(40).collect())
        }
        _ => None,
    }
}

/// `n` and `noun`, plural when `n` is not 1 (`match` → `matches`).
fn count_of(n: usize, noun: &str) -> String {
    match (n, noun.ends_with("ch")) {
        (1, _) => format!("1 {noun}"),
        (_, true) => format!("{n} {noun}es"),
        _ => format!("{n} {noun}s"),
    }
}

/// `tokens 1,234 in · 56 out · $0.0031`; `None` when no tokens were counted.
fn usage_line(usage: &Usage, cost_usd: Option<f64>) -> Option<String> {
    if usage.input_tokens == 0 && usage.output_tokens == 0 {
        return None;
    }
    let mut line = format!("tokens {} in", thousands(usage.input_tokens));
    if usage.cached_input_tokens > 0 {
        line.push_str(&format!(
            " ({} cached)",
            thousands(usage.cached_input_tokens)
        ));
    }
    line.push_str(&format!(" · {} out", thousands(usage.output_tokens)));
    if let Some(usd) = cost_usd {
        let cost = if usd >= 1.0 {
            format!("${usd:.2}")
        } else if usd > 0.0 && usd < 0.000_05 {
            "<$0.0001".to_string()
        } else {
            format!("${usd:.4}")
        };
        line.push_str(&format!(" · {cost}"));
    }
    Some(line)
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What was written where.
    #[derive(Default)]
    struct Captured {
        out: String,
        err: String,
    }

    impl Output for Captured {
        fn out(&mut self, text: &str) {
            self.out.push_str(text);
        }
        fn err(&mut self, text: &str) {
            self.err.push_str(text);
        }
    }

    #[test]
    fn text_streams_the_answer_and_a_line_per_tool_call() {
        let mut captured = Captured::default();
        let mut render = TextRender::default();
        let agent = AgentId(1);
        for event in [
            Event::AgentMessageDelta {
                agent,
                delta: "Reading".into(),
            },
            Event::ToolCallEnd {
                agent,
                call_id: "c1".into(),
                tool: "read".into(),
                title: "src/lib.rs".into(),
                output: "<file>\n00001| a\n00002| b\n</file>".into(),
                is_error: false,
            },
            Event::AgentMessageDelta {
                agent,
                delta: "Done.".into(),
            },
            Event::TurnComplete {
                status: code_mesh_runtime::protocol::TurnStatus::Completed,
                answer: Some("Done.".into()),
                error: None,
                usage: Usage {
                    input_tokens: 1234,
                    output_tokens: 5,
                    cached_input_tokens: 0,
                },
                cost_usd: None,
            },
        ] {
            render.event(&event, &mut captured);
        }
        assert_eq!(captured.out, "Reading\nDone.\n");
        assert_eq!(
            captured.err,
            "• read  src/lib.rs · 2 lines\ntokens 1,234 in · 5 out\n"
        );
    }

    #[test]
    fn json_prints_each_event_as_a_line() {
        let mut captured = Captured::default();
        JsonRender.event(
            &Event::Error {
                message: "m".into(),
            },
            &mut captured,
        );
        assert_eq!(captured.out, "{\"type\":\"error\",\"message\":\"m\"}\n");
    }

    #[test]
    fn a_refused_approval_is_one_line_and_its_tool_error_is_not_repeated() {
        let mut captured = Captured::default();
        let mut render = TextRender::default();
        let agent = AgentId(2);
        let request = ApprovalRequest {
            agent,
            permission: "bash".into(),
            pattern: "rm -rf x".into(),
            always: vec![],
            title: "Run `rm -rf x`".into(),
        };
        render.event(&Event::ApprovalRequested { id: 1, request }, &mut captured);
        render.event(
            &Event::ToolCallEnd {
                agent,
                call_id: "c".into(),
                tool: "bash".into(),
                title: "rm -rf x".into(),
                output: "Error: the person refused `rm -rf x`".into(),
                is_error: true,
            },
            &mut captured,
        );
        assert_eq!(captured.err.lines().count(), 1, "{}", captured.err);
        assert!(captured.err.contains("--yes"), "{}", captured.err);
    }
}
