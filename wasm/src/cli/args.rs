//! The npm build's command line: `code-mesh run`, `diff`, `apply`,
//! `reject` and `undo` with the native binary's flags, names, help and exit
//! codes (`cli/src/args.rs`); the other commands and the interactive mode
//! are the native binary's.

use clap::{Parser, Subcommand, ValueEnum};
use code_mesh_cli::change_command::ChangeCommand;

/// The exit codes, as the native `code-mesh --help` lists them. 2 is clap's
/// own code for a command line it cannot parse.
pub const EXIT_CODES: &str = "\
Exit codes:
  0    success
  1    the request failed, or another error (the message says which)
  2    usage error: an unknown command, flag or value
  130  cancelled: the turn was cancelled, or interrupted with Ctrl-C";

/// Success.
pub const SUCCESS: i32 = 0;
/// The request failed, or another error.
pub const FAILURE: i32 = 1;
/// An unknown command, flag or value.
pub const USAGE: i32 = 2;
/// The turn was cancelled.
pub const CANCELLED: i32 = 130;

/// Code Mesh: an AI coding assistant with a multi-agent runtime.
///
/// Run `code-mesh run "<request>"` for one request, then `code-mesh diff`
/// and `code-mesh apply` for the changes it staged. This is the
/// WebAssembly build (npm); the interactive mode and the other commands
/// are in the native `code-mesh` binary.
#[derive(Debug, Parser)]
#[command(name = "code-mesh", version, after_help = EXIT_CODES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one request in the current project and print the answer.
    Run(RunArgs),
    /// Show the changes a run staged and did not apply, as a unified diff.
    Diff(SessionArgs),
    /// Write a run's staged changes to disk (all or nothing).
    Apply(SessionArgs),
    /// Drop a run's staged changes; the files stay as they are.
    Reject(SessionArgs),
    /// Put back the files as they were before the latest apply (or a
    /// `--yes` run's writes), byte for byte.
    Undo(SessionArgs),
}

/// Which saved session `diff`, `apply`, `reject` and `undo` act on.
#[derive(Debug, clap::Args)]
pub struct SessionArgs {
    /// The session, as `code-mesh run` printed it; default: this project's
    /// latest.
    #[arg(short, long, value_name = "ID")]
    pub session: Option<String>,
}

/// Arguments of `code-mesh run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// What to ask, e.g. "fix the failing test in src/parser.rs". Input
    /// piped on stdin is appended (or is the request, when no prompt is given).
    #[arg(num_args = 0.., value_name = "PROMPT")]
    pub prompt: Vec<String>,

    /// Attach a file's text to the request (repeatable).
    #[arg(short, long = "file", value_name = "PATH")]
    pub files: Vec<String>,

    /// Continue this project's latest session: the model sees its
    /// conversation.
    #[arg(short = 'c', long = "continue", conflicts_with = "session")]
    pub continue_latest: bool,

    /// Continue the session with this id (the native binary's `code-mesh
    /// sessions list` lists them).
    #[arg(short, long, value_name = "ID")]
    pub session: Option<String>,

    /// The model to use, as provider/model (e.g. openai/gpt-4o, ollama/qwen2.5-coder:7b).
    #[arg(short, long, value_name = "PROVIDER/MODEL")]
    pub model: Option<String>,

    /// How to print the run: streamed text, or one JSON event per line.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// The agent role that handles the request (instead of choosing
    /// between the planner and the coder).
    #[arg(long, value_name = "ROLE", conflicts_with_all = ["plan", "no_plan"])]
    pub agent: Option<String>,

    /// Plan the request first: a planner breaks it into tasks that coder
    /// agents do in parallel. Default: planned only when the request is big (60 words or
    /// more, a list of 3 items or more, or 3 file paths or more).
    #[arg(long, conflicts_with = "no_plan")]
    pub plan: bool,

    /// Never plan: one coder agent with every tool handles the request.
    #[arg(long)]
    pub no_plan: bool,

    /// Allow everything that would be asked for: edits are written at once
    /// and commands run without a question. Never overrides a `deny` in
    /// the config. Without it, edits are shown as a diff and saved for
    /// `code-mesh apply`, not applied.
    #[arg(short, long)]
    pub yes: bool,
}

/// Output formats of `run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The answer streamed as text on stdout; tool calls and errors on stderr.
    Text,
    /// Every event as one JSON object per line on stdout.
    Json,
}

/// What parsing a command line gives: the command to run, or text to print
/// and the exit code to end with.
#[derive(Debug)]
pub enum Parsed {
    /// `run` with its arguments.
    Run(RunArgs),
    /// `diff`, `apply`, `reject` or `undo`, on the session named.
    Changes(ChangeCommand, SessionArgs),
    /// `--help`, `--version`, or a usage error: print and exit.
    Exit {
        /// What to print.
        text: String,
        /// Whether it goes to stdout (help, version) or stderr (errors).
        to_stdout: bool,
        /// The exit code.
        code: i32,
    },
}

/// The native binary's commands this build does not have: named, they get
/// a message saying where they are rather than clap's "unrecognized".
const NATIVE_ONLY: &[&str] = &[
    "auth",
    "models",
    "sessions",
    "init",
    "status",
    "upgrade",
    "completions",
];

/// Parses `argv` (without the program's name), as clap would for the
/// native binary, without printing or exiting.
pub fn parse(argv: &[String]) -> Parsed {
    if let Some(command) = argv
        .first()
        .filter(|word| NATIVE_ONLY.contains(&word.as_str()))
    {
        return Parsed::Exit {
            text: format!(
                "error: `code-mesh {command}` is in the native binary, not in the npm \
                 (WebAssembly) build, which has run, diff, apply, reject and undo\n\n\
                 For more information, try '--help'.\n"
            ),
            to_stdout: false,
            code: USAGE,
        };
    }
    let words = std::iter::once("code-mesh".to_string()).chain(argv.iter().cloned());
    match Cli::try_parse_from(words) {
        Ok(Cli {
            command: Some(Command::Run(args)),
        }) => Parsed::Run(args),
        Ok(Cli {
            command: Some(Command::Diff(args)),
        }) => Parsed::Changes(ChangeCommand::Diff, args),
        Ok(Cli {
            command: Some(Command::Apply(args)),
        }) => Parsed::Changes(ChangeCommand::Apply, args),
        Ok(Cli {
            command: Some(Command::Reject(args)),
        }) => Parsed::Changes(ChangeCommand::Reject, args),
        Ok(Cli {
            command: Some(Command::Undo(args)),
        }) => Parsed::Changes(ChangeCommand::Undo, args),
        Ok(Cli { command: None }) => Parsed::Exit {
            text: "error: the interactive mode is not in the npm build: run \
                   `code-mesh run \"<request>\"`, or use the native binary\n\n\
                   For more information, try '--help'.\n"
                .to_string(),
            to_stdout: false,
            code: USAGE,
        },
        Err(error) => {
            let to_stdout = !error.use_stderr();
            Parsed::Exit {
                text: error.render().to_string(),
                to_stdout,
                code: if to_stdout { SUCCESS } else { USAGE },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn a_native_only_command_says_where_it_is() {
        let Parsed::Exit {
            text,
            to_stdout,
            code,
        } = parse(&words("sessions list"))
        else {
            panic!("sessions runs nothing here");
        };
        assert!(
            text.contains("`code-mesh sessions` is in the native binary"),
            "{text}"
        );
        assert!(!to_stdout);
        assert_eq!(code, USAGE);
    }

    #[test]
    fn run_takes_the_native_flags() {
        let Parsed::Run(args) = parse(&words(
            "run fix the tests -m openai/mock --format json --yes -f a.rs -f b.rs --no-plan",
        )) else {
            panic!("not a run");
        };
        assert_eq!(args.prompt, ["fix", "the", "tests"]);
        assert_eq!(args.model.as_deref(), Some("openai/mock"));
        assert_eq!(args.format, Format::Json);
        assert!(args.yes && args.no_plan && !args.plan);
        assert_eq!(args.files, ["a.rs", "b.rs"]);
    }

    #[test]
    fn the_change_commands_take_a_session() {
        let Parsed::Changes(command, args) = parse(&words("apply -s abc")) else {
            panic!("not a change command");
        };
        assert_eq!(command, ChangeCommand::Apply);
        assert_eq!(args.session.as_deref(), Some("abc"));
        let Parsed::Changes(command, args) = parse(&words("undo")) else {
            panic!("not a change command");
        };
        assert!(command == ChangeCommand::Undo && args.session.is_none());
    }

    #[test]
    fn help_and_version_go_to_stdout_with_zero_and_errors_to_stderr_with_two() {
        let Parsed::Exit {
            text,
            to_stdout,
            code,
        } = parse(&words("--help"))
        else {
            panic!("help runs nothing");
        };
        assert!(to_stdout && code == SUCCESS);
        assert!(text.contains("Exit codes:"), "{text}");
        let Parsed::Exit { text, code, .. } = parse(&words("--version")) else {
            panic!("version runs nothing");
        };
        assert_eq!(code, SUCCESS);
        assert!(text.contains(env!("CARGO_PKG_VERSION")), "{text}");
        let Parsed::Exit {
            to_stdout, code, ..
        } = parse(&words("run --format xml"))
        else {
            panic!("a bad value runs nothing");
        };
        assert!(!to_stdout && code == USAGE);
        let Parsed::Exit { code, .. } = parse(&[]) else {
            panic!("no command runs nothing");
        };
        assert_eq!(code, USAGE);
    }
}
