//! Asking a person to pick one of a numbered list.

use std::io::{self, BufRead, Write};

/// One thing to pick, with a line about it.
pub struct Choice {
    /// What is picked (a provider id).
    pub id: String,
    /// Shown beside it.
    pub note: String,
}

/// Shows `choices` numbered on `out` under `question` and reads the answer
/// from `input`: a number from the list, or (when `any_id` holds) an id typed
/// in full. Asks again after an answer that is neither; `None` when the input
/// ends first.
pub fn choose(
    question: &str,
    choices: &[Choice],
    any_id: bool,
    mut input: impl BufRead,
    mut out: impl Write,
) -> io::Result<Option<String>> {
    writeln!(out, "{question}")?;
    let width = choices.iter().map(|c| c.id.len()).max().unwrap_or(0);
    for (number, choice) in choices.iter().enumerate() {
        writeln!(
            out,
            "  {:>2}  {:<width$}  {}",
            number + 1,
            choice.id,
            choice.note
        )?;
    }
    loop {
        if any_id {
            write!(out, "Number or id: ")?;
        } else {
            write!(out, "Number: ")?;
        }
        out.flush()?;
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            writeln!(out)?;
            return Ok(None);
        }
        let answer = line.trim();
        if let Ok(number) = answer.parse::<usize>() {
            if let Some(choice) = number.checked_sub(1).and_then(|i| choices.get(i)) {
                return Ok(Some(choice.id.clone()));
            }
            writeln!(out, "Pick a number from 1 to {}.", choices.len())?;
        } else if let Some(choice) = choices.iter().find(|c| c.id == answer) {
            return Ok(Some(choice.id.clone()));
        } else if any_id && !answer.is_empty() {
            return Ok(Some(answer.to_string()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices() -> Vec<Choice> {
        ["openai", "anthropic"]
            .iter()
            .map(|id| Choice {
                id: id.to_string(),
                note: format!("{id} note"),
            })
            .collect()
    }

    fn ask(input: &str, any_id: bool) -> (Option<String>, String) {
        let mut out = Vec::new();
        let picked = choose("Which?", &choices(), any_id, input.as_bytes(), &mut out).unwrap();
        (picked, String::from_utf8(out).unwrap())
    }

    #[test]
    fn lists_the_choices_numbered_and_takes_a_number() {
        let (picked, shown) = ask("2\n", false);
        assert_eq!(picked.as_deref(), Some("anthropic"));
        assert!(shown.contains("   1  openai     openai note"), "{shown}");
        assert!(shown.contains("   2  anthropic  anthropic note"), "{shown}");
    }

    #[test]
    fn asks_again_after_a_number_out_of_range() {
        let (picked, shown) = ask("7\n\n1\n", false);
        assert_eq!(picked.as_deref(), Some("openai"));
        assert!(shown.contains("Pick a number from 1 to 2."), "{shown}");
    }

    #[test]
    fn takes_a_listed_id_or_with_any_id_an_unlisted_one() {
        assert_eq!(ask("anthropic\n", false).0.as_deref(), Some("anthropic"));
        assert_eq!(ask("gateway\n", true).0.as_deref(), Some("gateway"));
        assert_eq!(ask("gateway\n", false).0, None);
    }

    #[test]
    fn ended_input_is_no_choice() {
        assert_eq!(ask("", true).0, None);
    }
}
