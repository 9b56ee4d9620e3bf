//! The words of a request worth searching the project for: the names a
//! person writes when they mean code (`parse_config`, `HttpClient`,
//! `src/main.rs`, anything in backticks). The planner greps for them to show
//! the model where the request's code lives.

/// At most this many terms are searched, so planning stays quick.
const MAX_TERMS: usize = 4;

/// The code-like terms of `request`, in order of appearance, without
/// repeats: backticked spans first, then identifiers with an underscore,
/// an inner capital letter or `::`, and file names with an extension.
pub(crate) fn search_terms(request: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    let mut add = |term: &str| {
        let term = term.trim_matches(|c: char| !c.is_alphanumeric() && c != '_');
        if term.len() >= 3 && !terms.iter().any(|t| t == term) && terms.len() < MAX_TERMS {
            terms.push(term.to_string());
        }
    };
    for (i, span) in request.split('`').enumerate() {
        if i % 2 == 1 && !span.contains(char::is_whitespace) {
            add(span);
        }
    }
    for word in request.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')')) {
        if looks_like_code(word) {
            add(word);
        }
    }
    terms
}

/// Whether `word` is written like code rather than prose.
fn looks_like_code(word: &str) -> bool {
    let word = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '_');
    let inner_capital = word
        .char_indices()
        .skip(1)
        .any(|(_, c)| c.is_ascii_uppercase())
        && word.chars().any(|c| c.is_ascii_lowercase());
    let file_name = word.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && (1..=5).contains(&ext.len())
            && ext.chars().all(|c| c.is_ascii_alphanumeric())
            && !ext.chars().all(|c| c.is_ascii_digit())
    });
    word.contains('_') || word.contains("::") || inner_capital || file_name
}

#[cfg(test)]
mod tests {
    use super::search_terms;

    #[test]
    fn code_like_words_and_backticked_spans_are_terms() {
        assert_eq!(
            search_terms(
                "Make `load` retry, and rename parse_config in src/config.rs to HttpClient::new."
            ),
            ["load", "parse_config", "src/config.rs", "HttpClient::new"]
        );
    }

    #[test]
    fn prose_gives_no_terms_and_repeats_count_once() {
        assert!(search_terms("Please make the tests pass again, version 1.2 is fine.").is_empty());
        assert_eq!(
            search_terms("fix parse_args and parse_args"),
            ["parse_args"]
        );
    }

    #[test]
    fn at_most_four_terms() {
        assert_eq!(search_terms("a_1 b_2 c_3 d_4 e_5").len(), 4);
    }
}
