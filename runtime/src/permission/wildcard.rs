//! Wildcard patterns as OpenCode's permission rules write them: `*` is any
//! run of characters (spaces and slashes included), `?` one character.
//!
//! Hand-written rather than `globset`: a glob's `*` stops at `/`, and a rule
//! like `git *` must match `git log -- src/main.rs` whole.

/// Whether `pattern` matches all of `text`. A pattern ending in ` *` also
/// matches the text without that tail, so `ls *` covers a bare `ls`.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    if let Some(head) = pattern.strip_suffix(" *")
        && text == head
    {
        return true;
    }
    let pattern: Vec<char> = pattern.chars().collect();
    let text: Vec<char> = text.chars().collect();
    // The classic greedy matcher with one backtrack point: linear in
    // practice, no recursion.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == '?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    p = star_p + 1;
                    t = star_t + 1;
                    star = Some((star_p, star_t + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::wildcard_match;

    #[test]
    fn star_spans_spaces_and_slashes() {
        assert!(wildcard_match("git *", "git log -- src/main.rs"));
        assert!(wildcard_match("*.md", "docs/guide/intro.md"));
        assert!(wildcard_match("*", ""));
        assert!(!wildcard_match("git *", "gitk"));
    }

    #[test]
    fn a_trailing_space_star_also_matches_the_bare_prefix() {
        assert!(wildcard_match("ls *", "ls"));
        assert!(wildcard_match("git status *", "git status"));
        assert!(!wildcard_match("git status *", "git stash"));
    }

    #[test]
    fn question_mark_is_one_character_and_literals_must_match() {
        assert!(wildcard_match("a?c", "abc"));
        assert!(!wildcard_match("a?c", "ac"));
        assert!(!wildcard_match("rm", "rm -rf /"));
        assert!(wildcard_match("rm *", "rm -rf /"));
        assert!(wildcard_match("*a*b*", "xxaxxbxx"));
        assert!(!wildcard_match("*a*b", "xxaxxbxxa"));
    }
}
