//! The command line's shape: commands, flags and their help.

use clap::{Parser, Subcommand, ValueEnum};

/// Code Mesh: an AI coding assistant with a multi-agent runtime.
///
/// Run `code-mesh` with no command for the interactive mode (type requests,
/// /help for its commands), or `code-mesh run "<request>"` for one request.
#[derive(Debug, Parser)]
#[command(name = "code-mesh", version, after_help = crate::exit_code::HELP)]
pub struct Cli {
    /// What to do; without a command, the interactive mode starts.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The interactive mode's model, as provider/model.
    #[arg(short, long, value_name = "PROVIDER/MODEL")]
    pub model: Option<String>,

    /// Print the command's logs on stderr (at `info` unless --log-level
    /// says otherwise).
    #[arg(long, global = true)]
    pub print_logs: bool,

    /// How much to log, on stderr (implies --print-logs).
    #[arg(long, global = true, value_enum, value_name = "LEVEL")]
    pub log_level: Option<crate::logging::LogLevel>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one request in the current project and print the answer.
    Run(RunArgs),
    /// Save, list or remove API keys (kept in auth.json, readable only by you).
    #[command(subcommand)]
    Auth(AuthCommand),
    /// List the models Code Mesh knows limits and prices for.
    Models(ModelsArgs),
    /// Show the changes a run staged and did not apply, as a unified diff.
    Diff(SessionArgs),
    /// Write a run's staged changes to disk (all or nothing).
    Apply(SessionArgs),
    /// Drop a run's staged changes; the files stay as they are.
    Reject(SessionArgs),
    /// Put back the files as they were before the latest apply (or a
    /// `--yes` run's writes), byte for byte.
    Undo(SessionArgs),
    /// List, show, export or delete this project's saved sessions.
    #[command(subcommand)]
    Sessions(SessionsCommand),
    /// Set up a project: a commented .code-mesh/config.json, .gitignore
    /// entries for local state, and (when asked) a starter AGENTS.md.
    Init(crate::init::InitArgs),
    /// The project's latest session, the model, staged changes and whether
    /// a run is working.
    Status,
    /// Show the installed version and how to upgrade it.
    Upgrade,
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(crate::completions::CompletionsArgs),
}

/// The `code-mesh sessions` commands. Listing, showing and exporting only
/// read, so they work while another run is going on in the project.
#[derive(Debug, Subcommand)]
pub enum SessionsCommand {
    /// The project's sessions, the latest first: id, last activity,
    /// messages, tokens and title.
    #[command(visible_alias = "ls")]
    List,
    /// A session's transcript: requests, answers, tool calls, changes.
    Show(SessionIdArg),
    /// A session as Markdown (readable) or JSON (its records), on stdout.
    Export(ExportArgs),
    /// Remove a session and its saved changes.
    Delete(SessionIdArg),
}

/// The session a `sessions` command acts on.
#[derive(Debug, clap::Args)]
pub struct SessionIdArg {
    /// The session's id, as `code-mesh sessions list` shows it.
    #[arg(value_name = "ID")]
    pub id: String,
}

/// Arguments of `code-mesh sessions export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The session's id, as `code-mesh sessions list` shows it.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Markdown for people, or the session's records as JSON.
    #[arg(long, value_enum, default_value_t = ExportFormat::Markdown)]
    pub format: ExportFormat,
}

/// Formats of `sessions export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// The request, the answers, each tool call and its result, the changes.
    Markdown,
    /// The session's records, as a JSON array.
    Json,
}

/// Which saved session `diff`, `apply`, `reject` and `undo` act on.
#[derive(Debug, clap::Args)]
pub struct SessionArgs {
    /// The session, as `code-mesh run` printed it; default: this project's
    /// latest.
    #[arg(short, long, value_name = "ID")]
    pub session: Option<String>,
}

/// The `code-mesh auth` commands.
#[derive(Debug, Subcommand)]
pub enum AuthCommand {
    /// Save an API key: choose the provider and type the key (hidden), or give
    /// --provider and pipe the key on stdin.
    Login(LoginArgs),
    /// Show the saved keys (masked) and the keys set in environment variables.
    #[command(visible_alias = "ls")]
    List,
    /// Remove a saved key.
    Logout(LogoutArgs),
}

/// Arguments of `code-mesh auth login`.
#[derive(Debug, clap::Args)]
pub struct LoginArgs {
    /// The provider the key is for (openai, anthropic, …); asked for when
    /// omitted on a terminal. Without a terminal the key is read from stdin.
    #[arg(long, value_name = "ID")]
    pub provider: Option<String>,
}

/// Arguments of `code-mesh auth logout`.
#[derive(Debug, clap::Args)]
pub struct LogoutArgs {
    /// The provider whose key to remove; asked for when omitted on a terminal.
    #[arg(value_name = "PROVIDER")]
    pub provider: Option<String>,
}

/// Arguments of `code-mesh models`.
#[derive(Debug, clap::Args)]
pub struct ModelsArgs {
    /// Only this provider's models (openai, anthropic, ollama, …).
    #[arg(value_name = "PROVIDER")]
    pub provider: Option<String>,
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

    /// Continue this project's latest session: its conversation and its
    /// changes (still undoable).
    #[arg(short = 'c', long = "continue", conflicts_with = "session")]
    pub continue_latest: bool,

    /// Continue the session with this id (see `code-mesh sessions list`).
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
    /// agents do in parallel (asking before it runs, on a terminal without
    /// --yes). Default: planned only when the request is big (60 words or
    /// more, a list of 3 items or more, or 3 file paths or more).
    #[arg(long, conflicts_with = "no_plan")]
    pub plan: bool,

    /// Never plan: one coder agent with every tool handles the request.
    #[arg(long)]
    pub no_plan: bool,

    /// Allow everything that would be asked for: edits are written at once
    /// (still undoable with `code-mesh undo`) and commands run without a
    /// question. Never overrides a `deny` in the config.
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
