//! `code-mesh undo [-s ID]`: put back the files the latest apply (or a
//! `--yes` run) changed, byte for byte.

use super::{Opened, show, unexpected};
use crate::args::SessionArgs;
use code_mesh_runtime::protocol::{Event, Op};
use std::process::ExitCode;

/// Undoes the session's latest applied change.
pub fn undo(args: SessionArgs) -> anyhow::Result<ExitCode> {
    let opened = Opened::for_writing(&args)?;
    match opened.send(Op::Undo)? {
        undone @ Event::ChangesUndone { .. } => {
            opened.save()?;
            show(&undone)?;
        }
        other => return Err(unexpected(&other)),
    }
    Ok(ExitCode::SUCCESS)
}
