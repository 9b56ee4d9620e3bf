//! Taking a patch out of the wrappers models put around it: a shell heredoc
//! (`<<'EOF'` … `EOF`, or `apply_patch <<"EOF"` … `EOF`, as when the patch
//! was meant for a shell command) or a Markdown code fence.

/// `text` without a heredoc or code-fence wrapper, trimmed. Text without a
/// wrapper comes back trimmed and otherwise as it is.
pub(super) fn unwrap(text: &str) -> &str {
    let text = text.trim();
    let Some((first, rest)) = text.split_once('\n') else {
        return text;
    };
    let Some((body, last)) = rest.rsplit_once('\n') else {
        return text;
    };
    let last = last.trim();
    let wrapped = match heredoc_delimiter(first.trim()) {
        Some(delimiter) => last == delimiter,
        None => first.trim_start().starts_with("```") && last == "```",
    };
    if wrapped { body.trim() } else { text }
}

/// The delimiter of a heredoc opening line: `<<EOF`, `<<'EOF'`, `<<"EOF"`,
/// `<<-EOF`, optionally after the command name (`apply_patch <<'EOF'`).
fn heredoc_delimiter(line: &str) -> Option<&str> {
    let (command, redirect) = line.split_once("<<")?;
    if !matches!(command.trim(), "" | "apply_patch" | "applypatch") {
        return None;
    }
    let word = redirect.trim_start_matches('-').trim();
    let word = ['\'', '"']
        .iter()
        .find_map(|quote| word.strip_prefix(*quote)?.strip_suffix(*quote))
        .unwrap_or(word);
    let plain = !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    plain.then_some(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heredocs_and_fences_are_unwrapped() {
        let patch = "*** Begin Patch\n*** End Patch";
        for wrapped in [
            format!("<<'EOF'\n{patch}\nEOF\n"),
            format!("apply_patch <<\"EOF\"\n{patch}\nEOF"),
            format!("  <<PATCH\n{patch}\nPATCH  "),
            format!("```diff\n{patch}\n```"),
        ] {
            assert_eq!(unwrap(&wrapped), patch, "{wrapped}");
        }
    }

    #[test]
    fn unwrapped_text_is_only_trimmed() {
        assert_eq!(
            unwrap("\n *** Begin Patch\nx\n*** End Patch \n"),
            "*** Begin Patch\nx\n*** End Patch"
        );
        assert_eq!(unwrap("<<'EOF'\nbody\nNOT_EOF"), "<<'EOF'\nbody\nNOT_EOF");
        assert_eq!(unwrap("cat <<EOF\nbody\nEOF"), "cat <<EOF\nbody\nEOF");
    }
}
