//! Small text helpers the crates share.

/// The longest prefix of `text` of at most `max` bytes that ends on a
/// character boundary: cutting a string to a byte budget without splitting
/// a UTF-8 character. (`str::floor_char_boundary` needs a newer Rust than
/// the workspace's minimum.)
pub fn prefix_within(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::prefix_within;

    #[test]
    fn a_cut_never_splits_a_character() {
        assert_eq!(prefix_within("héllo", 2), "h");
        assert_eq!(prefix_within("héllo", 3), "hé");
        assert_eq!(prefix_within("abc", 10), "abc");
    }
}
