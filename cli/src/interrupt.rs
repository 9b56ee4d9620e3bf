//! Ctrl-C during `run`: the first asks the Supervisor to cancel the turn
//! (it ends as cancelled, its staged changes kept, and the process exits
//! 130); a second leaves at once, for a turn that does not stop.

use crate::exit_code;
use actix::Addr;
use code_mesh_runtime::protocol::Op;
use code_mesh_runtime::supervisor::{Submit, Supervisor};
use std::cell::Cell;
use std::rc::Rc;

/// Watches for Ctrl-C (SIGINT) while the actix System runs; call inside it.
/// The flag returned turns true once Ctrl-C was pressed.
pub fn cancel_on_ctrl_c(supervisor: Addr<Supervisor>) -> Rc<Cell<bool>> {
    let pressed = Rc::new(Cell::new(false));
    let seen = pressed.clone();
    actix::spawn(async move {
        if tokio::signal::ctrl_c().await.is_err() {
            // No handler could be installed: Ctrl-C keeps its default effect.
            return;
        }
        tracing::info!("interrupted: cancelling the turn");
        seen.set(true);
        supervisor.do_send(Submit(Op::Cancel));
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("interrupted again: leaving now");
            std::process::exit(i32::from(exit_code::CANCELLED));
        }
    });
    pressed
}
