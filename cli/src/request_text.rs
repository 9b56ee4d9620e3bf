//! The request `run` sends, in both builds: the prompt's words, the files
//! attached with `-f`, and whatever was piped on stdin (`git diff |
//! code-mesh run "review this"`), each attached in a tagged block the model
//! can tell apart. The front end reads the files and stdin its own way.

/// The most bytes one attached file or the piped input may hold: beyond
/// that the agent should read it with its tools instead.
pub const ATTACHMENT_LIMIT: usize = 256 * 1024;

/// The request made of `words`, the `files` attached (read through `read`)
/// and the `piped` input. An error names a file that cannot be attached,
/// or says there is nothing to ask.
pub fn request_text(
    words: &[String],
    files: &[String],
    read: impl Fn(&str) -> Result<Vec<u8>, String>,
    piped: Option<Vec<u8>>,
) -> Result<String, String> {
    let mut request = words.join(" ");
    for file in files {
        let bytes = read(file).map_err(|e| format!("cannot attach {file}: {e}"))?;
        let content = bounded_text(bytes, file)?;
        request.push_str(&format!("\n\n<file path=\"{file}\">\n{content}\n</file>"));
    }
    if let Some(bytes) = piped {
        let piped = bounded_text(bytes, "the piped input")?;
        let piped = piped.trim_end();
        if !piped.is_empty() {
            if request.trim().is_empty() {
                request = piped.to_string();
            } else {
                request.push_str(&format!("\n\n<stdin>\n{piped}\n</stdin>"));
            }
        }
    }
    if request.trim().is_empty() {
        return Err(
            "nothing to ask: give a prompt (code-mesh run \"…\"), or pipe one on stdin".to_string(),
        );
    }
    Ok(request)
}

/// `bytes` as UTF-8 text of at most [`ATTACHMENT_LIMIT`] bytes; `what`
/// names it in errors.
fn bounded_text(bytes: Vec<u8>, what: &str) -> Result<String, String> {
    if bytes.len() > ATTACHMENT_LIMIT {
        return Err(format!(
            "{what} is over {} KiB: name the file in the prompt and let the agent read it",
            ATTACHMENT_LIMIT / 1024
        ));
    }
    if bytes.contains(&0) {
        return Err(format!("{what} is binary; only text can be attached"));
    }
    String::from_utf8(bytes).map_err(|_| format!("{what} is not UTF-8 text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_file(_: &str) -> Result<Vec<u8>, String> {
        Err("no such file".to_string())
    }

    #[test]
    fn files_and_piped_input_are_attached_in_tagged_blocks() {
        let words = vec!["review".to_string(), "this".to_string()];
        let read = |_: &str| Ok(b"fn a() {}\n".to_vec());
        let request = request_text(
            &words,
            &["a.rs".to_string()],
            read,
            Some(b"diff\n".to_vec()),
        )
        .unwrap();
        assert_eq!(
            request,
            "review this\n\n<file path=\"a.rs\">\nfn a() {}\n\n</file>\n\n<stdin>\ndiff\n</stdin>"
        );
        assert_eq!(
            request_text(&[], &[], no_file, Some(b"just this\n".to_vec())).unwrap(),
            "just this"
        );
    }

    #[test]
    fn missing_binary_or_empty_input_is_refused() {
        let error = request_text(&[], &["x.rs".to_string()], no_file, None).unwrap_err();
        assert_eq!(error, "cannot attach x.rs: no such file");
        let binary = request_text(&[], &[], no_file, Some(b"a\0b".to_vec())).unwrap_err();
        assert!(binary.contains("binary"), "{binary}");
        let nothing = request_text(&[], &[], no_file, None).unwrap_err();
        assert!(nothing.starts_with("nothing to ask"), "{nothing}");
    }
}
