//! The wasm build in a browser (headless Chromium through chromedriver, run
//! by `wasm/tests/run-browser-tests.sh`): a project held in memory, no
//! Node, and sessions kept in IndexedDB so a later page load finds them.

#![cfg(target_family = "wasm")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_runtime::model::ChatMessage;
use code_mesh_runtime::platform::sleep;
use code_mesh_runtime::session::{SessionRecord, SessionRecorder, replay};
use code_mesh_wasm::api;
use code_mesh_wasm::sessions::Sessions;
use js_sys::Reflect;
use std::time::Duration;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn user(text: &str) -> SessionRecord {
    SessionRecord::Message {
        message: ChatMessage::User {
            content: text.into(),
        },
    }
}

#[wasm_bindgen_test]
async fn sessions_of_an_in_memory_project_are_kept_in_indexed_db_for_a_later_page() {
    let id = format!("idb-{}", uuid::Uuid::new_v4());
    let first = Sessions::in_memory().await;
    let recorder = first.store.recorder(&id).unwrap();
    recorder.record(&SessionRecord::Started {
        session_id: id.clone(),
        project: "/project".into(),
        model: "openai/gpt-4o".into(),
        created_ms: 1,
    });
    recorder.record(&user("remember me"));
    assert!(recorder.take_failure().is_none());

    // A later page: nothing in memory, the same database. Writes to
    // IndexedDB complete in the background, so the read may have to wait.
    let later = Sessions::in_memory().await;
    let mut loaded = None;
    for _ in 0..50 {
        if let Ok(found) = later.load(&id).await {
            loaded = Some(found);
            break;
        }
        sleep(Duration::from_millis(20)).await;
    }
    let loaded = loaded.expect("the session is found in IndexedDB");
    assert_eq!(
        replay(&loaded.records),
        [ChatMessage::User {
            content: "remember me".into()
        }]
    );
    assert!(later.latest().await.unwrap().is_some());
}

#[wasm_bindgen_test]
async fn a_browser_opens_files_in_memory_and_refuses_a_directory() {
    let files = js_sys::JSON::parse(r#"{"src/a.js":"export const a = 1;\n"}"#).unwrap();
    let info = JsFuture::from(api::init_project(files, None))
        .await
        .unwrap();
    let root = Reflect::get(&info, &"root".into()).unwrap();
    assert_eq!(root.as_string().as_deref(), Some("/project"));
    assert_eq!(api::list_project_files().unwrap(), ["src/a.js"]);
    assert_eq!(
        api::read_file("src/a.js".into()).unwrap().as_deref(),
        Some("export const a = 1;\n")
    );

    let refused = JsFuture::from(api::init_project(JsValue::from("/home/me/app"), None))
        .await
        .expect_err("no directories in a browser");
    let message = Reflect::get(&refused, &"message".into())
        .unwrap()
        .as_string()
        .unwrap();
    assert!(message.contains("only in Node"), "{message}");
}
