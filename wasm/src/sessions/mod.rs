//! Where a project's sessions are kept: for a project on disk (Node), the
//! native store's directory (`<data dir>/sessions/<project id>/<id>.jsonl`)
//! through Node's `fs`; for a project in memory, logs in memory, copied to
//! IndexedDB where a browser has it.

#[cfg(target_family = "wasm")]
mod indexed_db;
mod log_store;

pub use log_store::{Append, LogRecorder, LogStore, Mirror, Rewrite};

#[cfg(target_family = "wasm")]
pub use wasm::{NodeAppend, Sessions};

#[cfg(target_family = "wasm")]
mod wasm {
    use super::indexed_db::IdbSessions;
    use super::{Append, LogStore, Rewrite};
    use crate::platform::NodeFs;
    use code_mesh_runtime::fs::{Disk, MemoryFs};
    use code_mesh_runtime::session::{LoadedSession, SessionStore, SessionStoreError};
    use std::io;
    use std::path::{Path, PathBuf};
    use std::rc::Rc;

    /// Appending with Node's `appendFileSync`: one write per record.
    #[derive(Debug, Clone, Copy, Default)]
    pub struct NodeAppend;

    impl Append for NodeAppend {
        fn append(&self, _disk: &Disk, path: &Path, bytes: &[u8]) -> io::Result<()> {
            NodeFs.append(path, bytes)
        }
    }

    /// A project's sessions: the log store, and the browser's copy when
    /// there is one.
    #[derive(Debug, Clone)]
    pub struct Sessions {
        /// The logs.
        pub store: LogStore,
        idb: Option<IdbSessions>,
    }

    impl Sessions {
        /// The native store's directory `dir`, through Node's `fs`.
        pub fn on_node(dir: PathBuf) -> Self {
            Self {
                store: LogStore::new(dir, Disk::new(NodeFs), Rc::new(NodeAppend)),
                idb: None,
            }
        }

        /// Logs in memory, copied to IndexedDB when the host has it.
        pub async fn in_memory() -> Self {
            let idb = IdbSessions::open().await;
            let mut store = LogStore::new(
                PathBuf::from("/sessions"),
                Disk::new(MemoryFs::new()),
                Rc::new(Rewrite),
            );
            if let Some(idb) = idb.clone() {
                store = store.mirrored(Rc::new(move |id: &str, log: &[u8]| idb.put(id, log)));
            }
            Self { store, idb }
        }

        /// Session `id`'s records: from the store, else from IndexedDB
        /// (brought back into the store, so it can be continued).
        pub async fn load(&self, id: &str) -> Result<LoadedSession, SessionStoreError> {
            match self.store.load(id) {
                Err(SessionStoreError::NotFound { .. }) => {}
                found => return found,
            }
            let Some(idb) = &self.idb else {
                return Err(SessionStoreError::NotFound { id: id.to_string() });
            };
            match idb.get(id).await {
                Ok(Some(log)) => {
                    self.store.restore(id, &log)?;
                    self.store.load(id)
                }
                Ok(None) => Err(SessionStoreError::NotFound { id: id.to_string() }),
                Err(message) => Err(SessionStoreError::Io {
                    path: PathBuf::from(format!("indexedDB:code-mesh/sessions/{id}")),
                    source: io::Error::other(message),
                }),
            }
        }

        /// The id of the most recently active session, if any (the browser's
        /// copy counts sessions of earlier page loads).
        pub async fn latest(&self) -> Result<Option<String>, SessionStoreError> {
            if let Some(idb) = &self.idb
                && let Ok(ids) = idb.ids().await
            {
                for id in ids {
                    if self.store.load(&id).is_err()
                        && let Ok(Some(log)) = idb.get(&id).await
                    {
                        self.store.restore(&id, &log)?;
                    }
                }
            }
            Ok(self.store.latest()?.map(|summary| summary.id))
        }
    }
}
