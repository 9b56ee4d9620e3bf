//! JSON with comments: `//` and `/* */` comments and trailing commas, as
//! people write config files by hand (and as OpenCode's config allows).
//!
//! Written out rather than taken from a crate: it is a few dozen lines, and
//! blanking (not removing) what it drops keeps every other byte where it
//! was, so serde_json's line and column in an error still point into the
//! file as the person wrote it.

/// `text` with its comments and trailing commas turned into spaces (line
/// breaks kept), ready for a strict JSON parser. Text inside strings is
/// left alone, escaped quotes included. An unterminated block comment runs
/// to the end, and the parser then reports the missing close.
pub fn strip_jsonc(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    blank_comments(&mut bytes);
    blank_trailing_commas(&mut bytes);
    // Only whole comments (which start and end on ASCII) and commas became
    // spaces, so the bytes are still UTF-8; the fallback never runs.
    String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
}

/// Replaces every comment outside strings by spaces, keeping line breaks.
fn blank_comments(bytes: &mut [u8]) {
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let (current, next) = (bytes[i], bytes.get(i + 1).copied());
        if in_string {
            match current {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match (current, next) {
            (b'"', _) => {
                in_string = true;
                i += 1;
            }
            (b'/', Some(b'/')) => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    bytes[i] = b' ';
                    i += 1;
                }
            }
            (b'/', Some(b'*')) => {
                bytes[i] = b' ';
                bytes[i + 1] = b' ';
                i += 2;
                while i < bytes.len() {
                    if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
                        bytes[i] = b' ';
                        bytes[i + 1] = b' ';
                        i += 2;
                        break;
                    }
                    if bytes[i] != b'\n' {
                        bytes[i] = b' ';
                    }
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
}

/// Replaces by a space each comma outside strings that only whitespace
/// separates from a closing `}` or `]`. Comments must be blanked first.
fn blank_trailing_commas(bytes: &mut [u8]) {
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        let current = bytes[i];
        if in_string {
            match current {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else if current == b'"' {
            in_string = true;
        } else if current == b',' {
            let closes = bytes[i + 1..]
                .iter()
                .find(|b| !b.is_ascii_whitespace())
                .is_some_and(|b| matches!(b, b'}' | b']'));
            if closes {
                bytes[i] = b' ';
            }
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::strip_jsonc;

    fn parse(text: &str) -> serde_json::Value {
        serde_json::from_str(&strip_jsonc(text)).unwrap()
    }

    #[test]
    fn line_and_block_comments_are_dropped() {
        let value = parse(
            "// heading\n{\n  \"a\": 1, // the first\n  /* a\n block */ \"b\": /* inline */ 2\n}\n",
        );
        assert_eq!(value, serde_json::json!({"a": 1, "b": 2}));
    }

    #[test]
    fn trailing_commas_are_dropped_in_objects_and_arrays() {
        let value = parse("{\"a\": [1, 2, ], \"b\": {\"c\": 3,\n},\n}");
        assert_eq!(value, serde_json::json!({"a": [1, 2], "b": {"c": 3}}));
    }

    #[test]
    fn a_comma_before_a_comment_and_a_close_is_trailing() {
        let value = parse("{\"a\": 1, // last\n}");
        assert_eq!(value, serde_json::json!({"a": 1}));
    }

    #[test]
    fn comment_markers_and_commas_inside_strings_are_kept() {
        let text = r#"{"url": "http://x/*y*/", "s": "a,]", "q": "say \"//\" here", "e": "\\"}"#;
        let value = parse(text);
        assert_eq!(value["url"], "http://x/*y*/");
        assert_eq!(value["s"], "a,]");
        assert_eq!(value["q"], "say \"//\" here");
        assert_eq!(value["e"], "\\");
    }

    #[test]
    fn positions_are_kept_for_error_messages() {
        let text = "/* one\ntwo */ {\n  \"a\": 1 // c\n  \"b\": 2\n}";
        let stripped = strip_jsonc(text);
        assert_eq!(stripped.len(), text.len());
        assert_eq!(stripped.lines().count(), text.lines().count());
        let error = serde_json::from_str::<serde_json::Value>(&stripped).unwrap_err();
        assert_eq!(error.line(), 4);
    }

    #[test]
    fn non_ascii_text_survives() {
        let value = parse("{\"name\": \"café\", // naïve ünïcode\n /* ✓ */ }");
        assert_eq!(value["name"], "café");
    }

    #[test]
    fn an_unterminated_block_comment_is_left_for_the_parser_to_report() {
        let stripped = strip_jsonc("{\"a\": 1 /* never closed");
        assert!(serde_json::from_str::<serde_json::Value>(&stripped).is_err());
    }
}
