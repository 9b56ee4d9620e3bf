//! Error messages for people from transport errors, shared by every provider.

use std::error::Error;

/// An error and its sources, `outer: inner: innermost`, without repeats:
/// reqwest's own message ("error sending request") hides the useful part
/// ("Connection refused") in its sources.
pub(crate) fn chain(error: &(dyn Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        let part = inner.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = inner.source();
    }
    text
}
