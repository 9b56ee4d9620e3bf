//! A browser's copy of its in-memory sessions, in IndexedDB (database
//! `code-mesh`, object store `sessions`, each session's JSON-lines log under
//! its id), so a page can load yesterday's session. Absent where there is
//! no `indexedDB` (Node, some workers).

use crate::platform::message_of;
use futures::channel::oneshot;
use js_sys::Reflect;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    IdbDatabase, IdbFactory, IdbObjectStore, IdbOpenDbRequest, IdbRequest, IdbTransactionMode,
};

/// The database's name.
const DATABASE: &str = "code-mesh";
/// The object store holding the logs.
const STORE: &str = "sessions";
/// The database's schema version.
const VERSION: u32 = 1;

/// The open database.
#[derive(Debug, Clone)]
pub struct IdbSessions {
    db: IdbDatabase,
}

/// Waits for `request` to succeed (its result) or fail (its error's message).
async fn settle(request: &IdbRequest) -> Result<JsValue, String> {
    let (sender, receiver) = oneshot::channel::<Result<JsValue, String>>();
    let sender = std::rc::Rc::new(std::cell::RefCell::new(Some(sender)));
    let on_success = {
        let sender = sender.clone();
        let request = request.clone();
        Closure::<dyn FnMut()>::new(move || {
            if let Some(sender) = sender.borrow_mut().take() {
                let _ = sender.send(request.result().map_err(|e| message_of(&e)));
            }
        })
    };
    let on_error = {
        let request = request.clone();
        Closure::<dyn FnMut()>::new(move || {
            if let Some(sender) = sender.borrow_mut().take() {
                let message = request.error().ok().flatten().map_or_else(
                    || "IndexedDB refused the request".to_string(),
                    |e| e.message(),
                );
                let _ = sender.send(Err(message));
            }
        })
    };
    request.set_onsuccess(Some(on_success.as_ref().unchecked_ref()));
    request.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    let outcome = receiver
        .await
        .unwrap_or_else(|_| Err("IndexedDB dropped the request".to_string()));
    request.set_onsuccess(None);
    request.set_onerror(None);
    outcome
}

impl IdbSessions {
    /// Opens (creating it the first time) the sessions database; `None`
    /// when this host has no IndexedDB or refuses it (a private window).
    pub async fn open() -> Option<Self> {
        let factory = Reflect::get(&js_sys::global(), &"indexedDB".into()).ok()?;
        let factory: IdbFactory = factory.dyn_into().ok()?;
        let request: IdbOpenDbRequest = factory.open_with_u32(DATABASE, VERSION).ok()?;
        let on_upgrade = {
            let request = request.clone();
            Closure::<dyn FnMut()>::new(move || {
                if let Ok(result) = request.result()
                    && let Ok(db) = result.dyn_into::<IdbDatabase>()
                    && !db.object_store_names().contains(STORE)
                {
                    let _ = db.create_object_store(STORE);
                }
            })
        };
        request.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
        let opened = settle(&request).await;
        request.set_onupgradeneeded(None);
        let db = opened.ok()?.dyn_into::<IdbDatabase>().ok()?;
        Some(Self { db })
    }

    /// Saves session `id`'s whole log; failures are not reported (the
    /// session goes on in memory).
    pub fn put(&self, id: &str, log: &[u8]) {
        let text = String::from_utf8_lossy(log);
        if let Ok(transaction) = self
            .db
            .transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)
            && let Ok(store) = transaction.object_store(STORE)
        {
            let _ = store.put_with_key(&JsValue::from_str(&text), &JsValue::from_str(id));
        }
    }

    /// The sessions' object store, in a read-only transaction.
    fn reading(&self) -> Result<IdbObjectStore, String> {
        self.db
            .transaction_with_str(STORE)
            .and_then(|transaction| transaction.object_store(STORE))
            .map_err(|e| message_of(&e))
    }

    /// Session `id`'s saved log, `None` when there is none.
    pub async fn get(&self, id: &str) -> Result<Option<Vec<u8>>, String> {
        let store = self.reading()?;
        let request = store
            .get(&JsValue::from_str(id))
            .map_err(|e| message_of(&e))?;
        let value = settle(&request).await?;
        Ok(value.as_string().map(String::into_bytes))
    }

    /// The ids of every saved session.
    pub async fn ids(&self) -> Result<Vec<String>, String> {
        let store = self.reading()?;
        let request = store.get_all_keys().map_err(|e| message_of(&e))?;
        let keys = settle(&request).await?;
        Ok(js_sys::Array::from(&keys)
            .iter()
            .filter_map(|key| key.as_string())
            .collect())
    }
}
