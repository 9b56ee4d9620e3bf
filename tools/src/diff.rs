//! Describing a change to a file for the model (and people): unified diffs
//! and line counts, shown after a tool writes.

use similar::TextDiff;

/// Lines of diff shown at most; a larger change is summarised by its length.
const MAX_DIFF_LINES: usize = 200;

/// Unchanged lines shown around each change.
const CONTEXT_LINES: usize = 3;

/// Unchanged lines diffed beyond the context on each side of the changed
/// region, so that `similar`'s compaction, which may slide a change along a
/// run of equal lines, finds the room it would have in the whole texts.
const SLACK_LINES: usize = 32;

/// A unified diff of `old` → `new` for the file shown as `path`, with three
/// lines of context, cut after [`MAX_DIFF_LINES`] lines.
pub(crate) fn unified_diff(path: &str, old: &str, new: &str) -> String {
    // Only the region that changed is diffed: splitting a 10 MB file into
    // lines costs more than finding where two copies of it differ.
    let region = changed_region(old, new);
    let diff = TextDiff::from_lines(region.old, region.new)
        .unified_diff()
        .context_radius(CONTEXT_LINES)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    let diff = shift_hunk_headers(&diff, region.lines_before);
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

/// The part of two texts worth diffing.
struct Region<'a> {
    /// Whole lines of the old text: the changed ones and their context.
    old: &'a str,
    /// The same lines of the new text.
    new: &'a str,
    /// How many lines, equal in both, come before them.
    lines_before: usize,
}

/// The lines of `old` and `new` from a little before the first difference
/// to a little after the last ([`CONTEXT_LINES`] + [`SLACK_LINES`] lines).
///
/// `similar` strips the lines the texts share at their start, then those
/// they share at their end, diffs what is left, and compacts the result
/// (sliding changes along runs of equal lines). The region cut here holds
/// that middle and enough lines around it that the diff of the region is
/// the diff of the whole texts, line numbers aside (unless a change could
/// slide along more than [`SLACK_LINES`] equal lines: then it is still a
/// correct diff, with the change placed differently).
fn changed_region<'a>(old: &'a str, new: &'a str) -> Region<'a> {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    // Whole lines shared at the start end where the first difference's line
    // starts, at the same byte in both texts.
    let head = line_start(a, common_prefix(a, b));
    // Whole lines shared at the end of what follows: the shared bytes, cut
    // to start at a line start in both texts.
    let tail = common_suffix(&a[head..], &b[head..]);
    let (tail_a, tail_b) = (a.len() - tail, b.len() - tail);
    let starts_line = |text: &[u8], at: usize| at == head || text.get(at - 1) == Some(&b'\n');
    let suffix = if starts_line(a, tail_a) && starts_line(b, tail_b) {
        tail
    } else {
        a[tail_a..]
            .iter()
            .position(|&byte| byte == b'\n')
            .map_or(0, |newline| tail - newline - 1)
    };

    let mut start = head;
    for _ in 0..CONTEXT_LINES + SLACK_LINES {
        if start == 0 {
            break;
        }
        start = line_start(a, start - 1);
    }
    // The suffix is the same bytes in both texts, so the same lines of it
    // extend the region in both.
    let mut end = a.len() - suffix;
    for _ in 0..CONTEXT_LINES + SLACK_LINES {
        end = line_end(a, end);
    }
    let new_end = end - (a.len() - suffix) + (b.len() - suffix);
    Region {
        old: old.get(start..end).unwrap_or(old),
        new: new.get(start..new_end).unwrap_or(new),
        lines_before: a[..start].iter().filter(|&&byte| byte == b'\n').count(),
    }
}

/// Where the line holding byte `at` starts.
fn line_start(text: &[u8], at: usize) -> usize {
    text[..at.min(text.len())]
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |newline| newline + 1)
}

/// Just past the end (the `\n`) of the line starting at or holding byte
/// `at`; the end of the text if no `\n` follows.
fn line_end(text: &[u8], at: usize) -> usize {
    text.get(at..)
        .and_then(|rest| rest.iter().position(|&byte| byte == b'\n'))
        .map_or(text.len(), |newline| at + newline + 1)
}

/// How many bytes `a` and `b` share at their start.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 4096;
    let len = a.len().min(b.len());
    let mut at = 0;
    while at + CHUNK <= len && a[at..at + CHUNK] == b[at..at + CHUNK] {
        at += CHUNK;
    }
    at + a[at..len]
        .iter()
        .zip(&b[at..len])
        .take_while(|(x, y)| x == y)
        .count()
}

/// How many bytes `a` and `b` share at their end.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const CHUNK: usize = 4096;
    let len = a.len().min(b.len());
    let mut at = 0;
    while at + CHUNK <= len
        && a[a.len() - at - CHUNK..a.len() - at] == b[b.len() - at - CHUNK..b.len() - at]
    {
        at += CHUNK;
    }
    at + a[..a.len() - at]
        .iter()
        .rev()
        .zip(b[..b.len() - at].iter().rev())
        .take(len - at)
        .take_while(|(x, y)| x == y)
        .count()
}

/// `diff` with the line numbers of its `@@ -a,b +c,d @@` headers moved down
/// by `lines`: the diff was made of a region starting that far in.
fn shift_hunk_headers(diff: &str, lines: usize) -> String {
    if lines == 0 {
        return diff.to_string();
    }
    let mut shifted = String::with_capacity(diff.len() + 32);
    for line in diff.split_inclusive('\n') {
        match line
            .strip_prefix("@@ -")
            .and_then(|rest| rest.split_once(" @@"))
        {
            Some((ranges, after)) => {
                let moved: Vec<String> = ranges
                    .split(' ')
                    .map(|range| {
                        let (sign, range) = range.split_at(usize::from(range.starts_with('+')));
                        let (first, count) = match range.split_once(',') {
                            Some((first, count)) => (first, Some(count)),
                            None => (range, None),
                        };
                        let first = first.parse::<usize>().map_or(0, |n| n + lines);
                        match count {
                            Some(count) => format!("{sign}{first},{count}"),
                            None => format!("{sign}{first}"),
                        }
                    })
                    .collect();
                shifted.push_str(&format!("@@ -{} @@{after}", moved.join(" ")));
            }
            None => shifted.push_str(line),
        }
    }
    shifted
}

/// "1 line" or "N lines", for messages.
pub(crate) fn describe_lines(count: usize) -> String {
    if count == 1 {
        "1 line".to_string()
    } else {
        format!("{count} lines")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The diff `similar` makes of the whole texts, to compare against.
    fn whole_diff(old: &str, new: &str) -> String {
        TextDiff::from_lines(old, new)
            .unified_diff()
            .context_radius(CONTEXT_LINES)
            .header("a/f", "b/f")
            .to_string()
    }

    #[test]
    fn diffing_only_the_changed_region_gives_the_same_diff() {
        let numbered = |n: usize| -> String { (1..=n).map(|i| format!("line {i}\n")).collect() };
        let old = numbered(100);
        let cases = [
            old.replace("line 50\n", "line fifty\n"),
            old.replace("line 1\n", ""),
            old.replace("line 100\n", "line 100"),
            old.replace("line 2\n", "line 2\nnew\n")
                .replace("line 90\n", ""),
            format!("{old}extra\n"),
            String::new(),
            old.replace("line 7\n", "line 7 \u{e9}\n"),
        ];
        for new in cases {
            assert_eq!(
                unified_diff("f", &old, &new),
                whole_diff(&old, &new),
                "{new}"
            );
            assert_eq!(
                unified_diff("f", &new, &old),
                whole_diff(&new, &old),
                "{new}"
            );
        }
        assert_eq!(unified_diff("f", "", "a\n"), whole_diff("", "a\n"));
        assert_eq!(unified_diff("f", "same\n", "same\n"), "");
    }

    #[test]
    fn random_small_edits_give_the_same_diff_as_the_whole_texts() {
        // A fixed xorshift sequence: texts of few distinct lines, where
        // alignment choices abound.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |below: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % below) as usize
        };
        for _ in 0..2000 {
            let lines: Vec<&str> = (0..next(120))
                .map(|_| ["a\n", "b\n", "c", "\n"][next(4)])
                .collect();
            let old: String = lines.concat();
            let mut edited = lines.clone();
            for _ in 0..=next(3) {
                let at = next(edited.len() as u64 + 1);
                match next(3) {
                    0 => edited.insert(at, ["x\n", "a\n", "y"][next(3)]),
                    1 if at < edited.len() => {
                        edited.remove(at);
                    }
                    _ if at < edited.len() => edited[at] = "z\n",
                    _ => {}
                }
            }
            let new: String = edited.concat();
            assert_eq!(
                unified_diff("f", &old, &new),
                whole_diff(&old, &new),
                "{old:?} -> {new:?}"
            );
        }
    }

    #[test]
    fn repeated_text_around_the_change_is_diffed_correctly() {
        let old = "a\na\na\na\na\na\n";
        let new = "a\na\na\na\na\n";
        assert_eq!(unified_diff("f", old, new), whole_diff(old, new));
    }
}
