//! What a line typed at the interactive prompt asks for: a request for the
//! agents, or a slash command.

/// One line of input, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// Nothing but blanks.
    Empty,
    /// A request for the agents, as typed.
    Request(String),
    /// A slash command.
    Command(Command),
}

/// The slash commands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `/help`: list the commands.
    Help,
    /// `/exit` (or `/quit`): leave.
    Exit,
    /// `/model [provider/model]`: show the model, or switch to another.
    Model(Option<String>),
    /// `/agents`: the agents, plans and queue.
    Agents,
    /// `/plan`: plan the next request.
    Plan,
    /// `/diff`: the staged changes.
    Diff,
    /// `/apply`: write the staged changes.
    Apply,
    /// `/reject`: drop the staged changes.
    Reject,
    /// `/undo`: put back what the latest apply wrote.
    Undo,
    /// `/history`: this session's requests.
    History,
    /// `/files`: the files this session changed, staged or applied.
    Files,
    /// `/sessions`: the project's saved sessions.
    Sessions,
    /// `/new`: start a new session.
    New,
    /// `/compact`: summarise the conversation so far.
    Compact,
    /// `/tools`: the last turn's tool calls; `/tools N`: call N's full output.
    Tools(Option<usize>),
    /// A command given an argument it does not take: how to type it.
    Usage(&'static str),
    /// A command that does not exist, as typed.
    Unknown(String),
}

/// The commands and what they do, for `/help`.
pub const HELP: &[(&str, &str)] = &[
    ("/help", "this list"),
    (
        "/model [provider/model]",
        "show the model, or switch to another",
    ),
    ("/plan", "plan the next request (planner, then coders)"),
    ("/agents", "the agents at work, the plan and the queue"),
    ("/diff", "the staged changes"),
    ("/apply", "write the staged changes to disk"),
    ("/reject", "drop the staged changes"),
    ("/undo", "put back the files the latest apply wrote"),
    (
        "/files",
        "the files changed in this session, staged or applied",
    ),
    ("/history", "this session's requests"),
    (
        "/tools [N]",
        "the last turn's tool calls; with N, call N's full output",
    ),
    ("/sessions", "this project's saved sessions"),
    ("/new", "start a new session"),
    ("/compact", "summarise the conversation so far"),
    ("/exit", "leave (or Ctrl-D)"),
];

/// Parses one line (continuation lines already joined).
pub fn parse(line: &str) -> Input {
    let text = line.trim();
    if text.is_empty() {
        return Input::Empty;
    }
    let Some(command) = text.strip_prefix('/') else {
        return Input::Request(text.to_string());
    };
    let (name, argument) = match command.split_once(char::is_whitespace) {
        Some((name, rest)) => (name, Some(rest.trim().to_string())),
        None => (command, None),
    };
    Input::Command(match name {
        "help" | "?" => Command::Help,
        "exit" | "quit" => Command::Exit,
        "model" => Command::Model(argument.filter(|a| !a.is_empty())),
        "agents" => Command::Agents,
        "plan" => Command::Plan,
        "diff" => Command::Diff,
        "apply" => Command::Apply,
        "reject" => Command::Reject,
        "undo" => Command::Undo,
        "history" => Command::History,
        "files" => Command::Files,
        "sessions" => Command::Sessions,
        "new" => Command::New,
        "compact" => Command::Compact,
        "tools" => match argument.filter(|a| !a.is_empty()) {
            None => Command::Tools(None),
            Some(n) => match n.parse() {
                Ok(n) if n > 0 => Command::Tools(Some(n)),
                _ => Command::Usage("/tools [N], N a call's number in /tools"),
            },
        },
        _ => Command::Unknown(format!("/{name}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_a_request_and_blanks_are_nothing() {
        assert_eq!(
            parse("  fix the bug \n"),
            Input::Request("fix the bug".into())
        );
        assert_eq!(parse("   "), Input::Empty);
    }

    #[test]
    fn slash_commands_are_parsed_with_their_argument() {
        assert_eq!(parse("/help"), Input::Command(Command::Help));
        assert_eq!(parse("/quit"), Input::Command(Command::Exit));
        assert_eq!(
            parse("/model  anthropic/claude-sonnet-4 "),
            Input::Command(Command::Model(Some("anthropic/claude-sonnet-4".into())))
        );
        assert_eq!(parse("/model"), Input::Command(Command::Model(None)));
        assert_eq!(parse("/undo"), Input::Command(Command::Undo));
        assert_eq!(parse("/compact"), Input::Command(Command::Compact));
    }

    #[test]
    fn tools_lists_the_calls_or_shows_call_n() {
        assert_eq!(parse("/tools"), Input::Command(Command::Tools(None)));
        assert_eq!(parse("/tools 2"), Input::Command(Command::Tools(Some(2))));
        assert!(matches!(
            parse("/tools two"),
            Input::Command(Command::Usage(_))
        ));
        assert!(matches!(
            parse("/tools 0"),
            Input::Command(Command::Usage(_))
        ));
    }

    #[test]
    fn an_unknown_command_is_named_back() {
        assert_eq!(
            parse("/frobnicate now"),
            Input::Command(Command::Unknown("/frobnicate".into()))
        );
    }

    #[test]
    fn every_command_in_the_help_parses() {
        for (usage, _) in HELP {
            let name = usage.split_whitespace().next().unwrap_or_default();
            assert!(
                !matches!(parse(name), Input::Command(Command::Unknown(_))),
                "{name}"
            );
        }
    }
}
