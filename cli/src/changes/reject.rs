//! `code-mesh reject [-s ID]`: drop the staged changes; the disk is
//! untouched.

use super::{Opened, show, unexpected};
use crate::args::SessionArgs;
use anyhow::bail;
use code_mesh_runtime::protocol::{Event, Op};
use std::process::ExitCode;

/// Drops the session's staged changes.
pub fn reject(args: SessionArgs) -> anyhow::Result<ExitCode> {
    let opened = Opened::for_writing(&args)?;
    match opened.send(Op::RejectChanges)? {
        Event::ChangesRejected { files } if files.is_empty() => {
            bail!(
                "nothing to reject: session {} has no staged changes",
                opened.saved.id
            )
        }
        rejected @ Event::ChangesRejected { .. } => {
            opened.save()?;
            show(&rejected)?;
        }
        other => return Err(unexpected(&other)),
    }
    Ok(ExitCode::SUCCESS)
}
