//! `code-mesh diff [-s ID]`: the staged changes as a unified diff on stdout,
//! one `M path +a -d` line per file on stderr.

use super::{Opened, show, unexpected};
use crate::args::SessionArgs;
use code_mesh_runtime::protocol::{Event, Op};
use std::process::ExitCode;

/// Shows the session's staged changes.
pub fn diff(args: SessionArgs) -> anyhow::Result<ExitCode> {
    let opened = Opened::new(&args)?;
    match opened.send(Op::ShowChanges)? {
        Event::Changes { files, .. } if files.is_empty() => {
            eprintln!("session {} has no staged changes", opened.saved.id);
        }
        shown @ Event::Changes { .. } => show(&shown)?,
        other => return Err(unexpected(&other)),
    }
    Ok(ExitCode::SUCCESS)
}
