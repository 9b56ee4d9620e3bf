//! Whether to color: only on a terminal, and never when `NO_COLOR` is set
//! (<https://no-color.org>), and the few styles the text output uses.

use anstyle::{AnsiColor, Style};
use std::io::IsTerminal;

/// Whether text written to stdout may be colored.
pub fn stdout_enabled() -> bool {
    std::io::stdout().is_terminal() && !no_color()
}

/// Whether stderr may show colors and spinners.
pub fn stderr_enabled() -> bool {
    std::io::stderr().is_terminal() && !no_color()
}

/// `NO_COLOR` set to anything but the empty string.
fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty())
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
