//! Showing a key without giving it away.

/// `key` with all but its ends hidden, for lists a person reads:
/// `sk-proj-…a1b2` becomes `sk-…a1b2`. Keys shorter than 12 characters show
/// at most their last 2 (none below 8), so a short key is never shown
/// nearly whole.
pub fn mask_key(key: &str) -> String {
    let chars: Vec<char> = key.trim().chars().collect();
    let tail = |n: usize| chars[chars.len() - n..].iter().collect::<String>();
    match chars.len() {
        n if n >= 12 => format!("{}…{}", chars[..3].iter().collect::<String>(), tail(4)),
        n if n >= 8 => format!("…{}", tail(2)),
        _ => "…".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_keys_keep_three_leading_and_four_trailing_characters() {
        assert_eq!(mask_key("sk-proj-0123456789a1b2"), "sk-…a1b2");
        assert_eq!(mask_key("gsk_abcdefghijkl"), "gsk…ijkl");
    }

    #[test]
    fn short_keys_show_little_or_nothing() {
        assert_eq!(mask_key("abcdefghij"), "…ij");
        assert_eq!(mask_key("secret"), "…");
        assert_eq!(mask_key(""), "…");
    }

    #[test]
    fn masking_counts_characters_not_bytes() {
        assert_eq!(mask_key("ключ-0123456789"), "клю…6789");
    }
}
