//! Error messages for people from transport errors, shared by every provider.

use std::error::Error;

/// What a browser's `fetch` says for any network failure, a server that
/// does not allow the page's origin (CORS) included.
const BROWSER_FETCH_FAILED: &str = "Failed to fetch";

/// An error and its sources, `outer: inner: innermost`, without repeats:
/// reqwest's own message ("error sending request") hides the useful part
/// ("Connection refused") in its sources.
pub(crate) fn chain(error: &(dyn Error + 'static)) -> String {
    let mut text = readable(error.to_string());
    let mut source = error.source();
    while let Some(inner) = source {
        let part = readable(inner.to_string());
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = inner.source();
    }
    if text.contains(BROWSER_FETCH_FAILED) {
        text.push_str(
            " (in a browser this is also what a server that does not allow this page's \
             origin looks like: check that it sends CORS headers)",
        );
    }
    text
}

/// One error's text for people. In wasm reqwest wraps the JavaScript error
/// `fetch` threw as `JsValue(TypeError: fetch failed\n    at …)`: only its
/// first line is kept, without the wrapper and the stack.
fn readable(text: String) -> String {
    let Some(inner) = text.strip_prefix("JsValue(") else {
        return text;
    };
    let inner = inner.strip_suffix(')').unwrap_or(inner);
    inner.lines().next().unwrap_or_default().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Wrapped(&'static str, Option<Box<Wrapped>>);

    impl std::fmt::Display for Wrapped {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl Error for Wrapped {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            self.1
                .as_deref()
                .map(|inner| inner as &(dyn Error + 'static))
        }
    }

    #[test]
    fn a_javascript_error_shows_its_first_line_without_wrapper_or_stack() {
        let error = Wrapped(
            "error sending request",
            Some(Box::new(Wrapped(
                "JsValue(TypeError: fetch failed\n    at node:internal/deps/undici:13:5)",
                None,
            ))),
        );
        assert_eq!(
            chain(&error),
            "error sending request: TypeError: fetch failed"
        );
    }

    #[test]
    fn a_browser_fetch_failure_mentions_cors() {
        let error = Wrapped("JsValue(TypeError: Failed to fetch)", None);
        let text = chain(&error);
        assert!(
            text.starts_with("TypeError: Failed to fetch (in a browser"),
            "{text}"
        );
        assert!(text.contains("CORS"), "{text}");
    }

    #[test]
    fn native_errors_are_chained_without_repeats() {
        let error = Wrapped(
            "error sending request: connection refused",
            Some(Box::new(Wrapped("connection refused", None))),
        );
        assert_eq!(chain(&error), "error sending request: connection refused");
    }
}
