//! Where the actors run: one tokio `LocalSet` per module instance, driven
//! by the JavaScript event loop (`spawn_local(local.run_until(pending()))`,
//! spawned once). actix starts actors with tokio's `spawn_local`, which
//! needs a `LocalSet` entered: [`in_actor_context`] enters it for the
//! length of a call that starts actors (the Supervisor, which starts the
//! agents from its own handlers, already inside the set).

use std::cell::RefCell;
use std::rc::Rc;
use tokio::task::LocalSet;

thread_local! {
    /// The module's `LocalSet`, created and spawned on first use.
    static LOCAL: RefCell<Option<Rc<LocalSet>>> = const { RefCell::new(None) };
}

/// The running `LocalSet`, spawning it on the JavaScript event loop the
/// first time.
fn local_set() -> Rc<LocalSet> {
    LOCAL.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(|| {
                let local = Rc::new(LocalSet::new());
                let driven = local.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    driven.run_until(futures::future::pending::<()>()).await;
                });
                local
            })
            .clone()
    })
}

/// Runs `start` with the actors' `LocalSet` entered, so the actors it
/// starts are spawned there and run as the event loop turns.
pub fn in_actor_context<T>(start: impl FnOnce() -> T) -> T {
    let local = local_set();
    let _entered = local.enter();
    start()
}
