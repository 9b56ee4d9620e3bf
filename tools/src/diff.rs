//! Describing a change to a file for the model (and people): unified diffs
//! and line counts, shown after a tool writes.

use similar::TextDiff;

/// Lines of diff shown at most; a larger change is summarised by its length.
const MAX_DIFF_LINES: usize = 200;

/// A unified diff of `old` → `new` for the file shown as `path`, with three
/// lines of context, cut after [`MAX_DIFF_LINES`] lines.
pub(crate) fn unified_diff(path: &str, old: &str, new: &str) -> String {
    let diff = TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    let total = diff.lines().count();
    if total <= MAX_DIFF_LINES {
        return diff;
    }
    let mut shown: String = diff
        .lines()
        .take(MAX_DIFF_LINES)
        .flat_map(|line| [line, "\n"])
        .collect();
    shown.push_str(&format!(
        "... ({} more diff lines not shown)\n",
        total - MAX_DIFF_LINES
    ));
    shown
}

/// "1 line" or "N lines", for messages.
pub(crate) fn describe_lines(count: usize) -> String {
    if count == 1 {
        "1 line".to_string()
    } else {
        format!("{count} lines")
    }
}
