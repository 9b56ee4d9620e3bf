//! Whether to color: only on a terminal, and never when `NO_COLOR` is set
//! (<https://no-color.org>), and the few styles the text output uses.
//!
//! The front end decides and passes the answer on
//! ([`super::TextRenderer::with_color`], [`super::Spinning::new`]): natively
//! from the process's own streams ([`stdout_enabled`], [`stderr_enabled`]);
//! the npm build from Node's `isTTY` and the environment it was given,
//! through [`enabled`].

use anstyle::{AnsiColor, Style};

/// Whether text written to stdout may be colored.
#[cfg(not(target_family = "wasm"))]
pub fn stdout_enabled() -> bool {
    use std::io::IsTerminal;
    enabled(
        std::io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    )
}

/// Whether stderr may show colors and spinners.
#[cfg(not(target_family = "wasm"))]
pub fn stderr_enabled() -> bool {
    use std::io::IsTerminal;
    enabled(
        std::io::stderr().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
    )
}

/// Whether a stream may be colored: it is a terminal, and `no_color` (the
/// `NO_COLOR` variable) is unset or empty.
pub fn enabled(is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    is_terminal && no_color.is_none_or(std::ffi::OsStr::is_empty)
}

/// Added lines of a diff.
pub const ADDED: Style = AnsiColor::Green.on_default();
/// Removed lines of a diff.
pub const REMOVED: Style = AnsiColor::Red.on_default();
/// Hunk headers, inline code and code blocks.
pub const CODE: Style = AnsiColor::Cyan.on_default();
/// Headings and file headers.
pub const BOLD: Style = Style::new().bold();
/// Fences, quotes and other scaffolding.
pub const DIM: Style = Style::new().dimmed();

/// `text` in `style` when `color`, else as it is.
pub fn paint(text: &str, style: Style, color: bool) -> String {
    if color && !text.is_empty() {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn color_needs_a_terminal_and_no_no_color() {
        assert!(enabled(true, None));
        assert!(enabled(true, Some(OsStr::new(""))));
        assert!(!enabled(true, Some(OsStr::new("1"))));
        assert!(!enabled(false, None));
    }
}
