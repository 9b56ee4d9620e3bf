//! Whether a request is big enough to plan, when the person did not say
//! (`Op::UserTurn { plan: None, .. }`).
//!
//! Planning costs a model request and splits the work among agents that
//! each see only their task, which pays off for work with several separate
//! parts and gets in the way of a small fix: a single agent with the whole
//! tool set (OpenCode's way) answers "rename this function" faster and with
//! more context. So the rule is deliberately simple and leans towards not
//! planning; `--plan` and `--no-plan` settle any request it gets wrong.

/// A request of at least this many words is planned: it describes more
/// than one change, or one change at length.
pub const PLAN_MIN_WORDS: usize = 60;

/// A request listing at least this many items (lines starting with `-`,
/// `*`, `•`, `1.` or `1)`) is planned: each item is a candidate task.
pub const PLAN_MIN_ITEMS: usize = 3;

/// A request naming at least this many different file paths is planned:
/// work spread over files is what runs in parallel.
pub const PLAN_MIN_FILES: usize = 3;

/// Whether a request whose mode was not chosen should be planned: it has
/// at least [`PLAN_MIN_WORDS`] words, lists at least [`PLAN_MIN_ITEMS`]
/// items, or names at least [`PLAN_MIN_FILES`] different file paths. The
/// Supervisor plans only when a planner role is registered, too.
///
/// ```
/// use code_mesh_runtime::supervisor::wants_plan;
///
/// assert!(!wants_plan("fix the typo in README.md"));
/// assert!(wants_plan("Greet in a.txt, b.txt and c.txt."));
/// assert!(wants_plan("Please:\n- add a parser\n- add a printer\n- test both"));
/// ```
pub fn wants_plan(prompt: &str) -> bool {
    prompt.split_whitespace().count() >= PLAN_MIN_WORDS
        || list_items(prompt) >= PLAN_MIN_ITEMS
        || file_paths(prompt) >= PLAN_MIN_FILES
}

/// How many lines start like an item of a list.
fn list_items(prompt: &str) -> usize {
    prompt.lines().filter(|line| is_list_item(line)).count()
}

fn is_list_item(line: &str) -> bool {
    let line = line.trim_start();
    if ["- ", "* ", "• "].iter().any(|mark| line.starts_with(mark)) {
        return true;
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    digits > 0
        && line
            .get(digits..)
            .is_some_and(|rest| rest.starts_with(". ") || rest.starts_with(") "))
}

/// How many different words look like file paths.
fn file_paths(prompt: &str) -> usize {
    let mut paths: Vec<&str> = prompt
        .split_whitespace()
        .map(|word| word.trim_matches(|c: char| ",.;:!?()[]{}\"'`<>".contains(c)))
        .filter(|word| looks_like_path(word))
        .collect();
    paths.sort_unstable();
    paths.dedup();
    paths.len()
}

/// `src/main.rs`, `a.txt`, `docs/`: a word with a `/` (not a URL), or with
/// an extension of letters and digits after a name. Three characters or
/// fewer (`e.g`, `i.e`) do not count.
fn looks_like_path(word: &str) -> bool {
    if word.chars().count() <= 3 || word.contains("://") {
        return false;
    }
    if word.contains('/') {
        return word.chars().any(char::is_alphanumeric);
    }
    match word.rsplit_once('.') {
        Some((name, ext)) => {
            !name.is_empty()
                && (1..=6).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
                && ext.chars().any(|c| c.is_ascii_alphabetic())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_request_is_not_planned() {
        assert!(!wants_plan("Say hello in hello.txt."));
        assert!(!wants_plan(
            "fix the off-by-one in src/parser.rs and its test"
        ));
    }

    #[test]
    fn a_long_request_is_planned() {
        let long = "word ".repeat(PLAN_MIN_WORDS);
        assert!(wants_plan(&long));
        assert!(!wants_plan(&"word ".repeat(PLAN_MIN_WORDS - 1)));
    }

    #[test]
    fn a_list_of_three_items_is_planned() {
        assert!(wants_plan("Do this:\n1. parse\n2) print\n3. test"));
        assert!(wants_plan("* one\n* two\n  - three"));
        assert!(!wants_plan("- one\n- two"));
        assert!(!wants_plan("-1 is less than 2.5 and 10.0"));
    }

    #[test]
    fn three_different_files_are_planned() {
        assert!(wants_plan("Update src/lib.rs, src/main.rs and README.md"));
        assert!(wants_plan("touch `a.txt`, (b.txt) and docs/"));
        assert!(!wants_plan("a.txt and a.txt and a.txt"));
    }

    #[test]
    fn urls_numbers_and_abbreviations_are_not_files() {
        assert!(!wants_plan(
            "see https://example.com/a, version 1.2.3, e.g. the i.e. case"
        ));
    }
}
