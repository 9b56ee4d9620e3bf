//! `code-mesh apply [-s ID]`: write the staged changes to disk, all or
//! nothing.

use super::{Opened, show, unexpected};
use crate::args::SessionArgs;
use anyhow::bail;
use code_mesh_runtime::protocol::{Event, Op};
use std::process::ExitCode;

/// Applies the session's staged changes and saves them as undoable.
pub fn apply(args: SessionArgs) -> anyhow::Result<ExitCode> {
    let opened = Opened::for_writing(&args)?;
    let id = &opened.saved.id;
    match opened.send(Op::ApplyChanges)? {
        Event::ChangesApplied { files } if files.is_empty() => {
            bail!("nothing to apply: session {id} has no staged changes")
        }
        applied @ Event::ChangesApplied { .. } => {
            opened.save()?;
            show(&applied)?;
            eprintln!("code-mesh undo puts them back as they were");
        }
        other => return Err(unexpected(&other)),
    }
    Ok(ExitCode::SUCCESS)
}
