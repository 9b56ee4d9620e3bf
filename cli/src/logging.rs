//! `--print-logs` and `--log-level`: the `tracing` events of a command on
//! stderr. Nothing is set up unless asked, so a plain command starts as
//! fast as before.

use clap::ValueEnum;

/// How much `--print-logs` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogLevel {
    /// Only errors.
    Error,
    /// Errors and warnings.
    Warn,
    /// What each command does, step by step.
    Info,
    /// Details: paths read, models chosen, events received.
    Debug,
    /// Everything.
    Trace,
}

impl LogLevel {
    fn filter(self) -> tracing_subscriber::filter::LevelFilter {
        use tracing_subscriber::filter::LevelFilter;
        match self {
            Self::Error => LevelFilter::ERROR,
            Self::Warn => LevelFilter::WARN,
            Self::Info => LevelFilter::INFO,
            Self::Debug => LevelFilter::DEBUG,
            Self::Trace => LevelFilter::TRACE,
        }
    }
}

/// Sends log events to stderr when `print_logs` is set or a `level` is
/// given (`info` when only `--print-logs` is); otherwise does nothing.
pub fn init(print_logs: bool, level: Option<LogLevel>) {
    let level = match (print_logs, level) {
        (_, Some(level)) => level,
        (true, None) => LogLevel::Info,
        (false, None) => return,
    };
    // Colours only for a person reading a terminal, and never with NO_COLOR.
    let ansi = std::env::var_os("NO_COLOR").is_none()
        && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let installed = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level.filter())
        .with_ansi(ansi)
        .try_init();
    if let Err(error) = installed {
        eprintln!("warning: logs are not printed: {error}");
    }
}
