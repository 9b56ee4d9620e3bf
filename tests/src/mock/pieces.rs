//! How scripted text and JSON are cut into the small pieces real models
//! stream. Shared by every wire format.

/// Longest piece, in characters; longer words are cut.
const MAX_PIECE_CHARS: usize = 6;

/// Splits text into word-sized pieces that concatenate back to it: each word
/// keeps its trailing whitespace, and words longer than a few characters are
/// cut further, so even a short sentence arrives as several deltas.
pub(crate) fn text_pieces(text: &str) -> Vec<String> {
    text.split_inclusive(char::is_whitespace)
        .flat_map(fixed_pieces)
        .collect()
}

/// Splits JSON argument text into fragments of a few characters, cutting
/// anywhere (inside keys and strings too), as OpenAI and Anthropic do.
pub(crate) fn json_fragments(json: &str) -> Vec<String> {
    fixed_pieces(json)
}

fn fixed_pieces(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(MAX_PIECE_CHARS)
        .map(|piece| piece.iter().collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_pieces_concatenate_back_to_the_text() {
        let text = "Hello there, wonderful world!\nBye ünïcødé";
        let pieces = text_pieces(text);
        assert!(pieces.len() > 5);
        assert_eq!(pieces.concat(), text);
    }

    #[test]
    fn json_fragments_concatenate_back_to_the_json() {
        let json = r#"{"filePath":"src/main.rs","offset":1}"#;
        let pieces = json_fragments(json);
        assert!(pieces.len() > 3);
        assert_eq!(pieces.concat(), json);
    }

    #[test]
    fn empty_text_has_no_pieces() {
        assert!(text_pieces("").is_empty());
        assert!(json_fragments("").is_empty());
    }
}
