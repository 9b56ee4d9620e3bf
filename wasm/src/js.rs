//! Crossing into JavaScript: serde values as plain JS objects (through
//! `JSON.parse`, so maps are objects, not `Map`s), JS objects read as
//! serde values, and event callbacks.

use crate::error::Error;
use crate::platform::message_of;
use code_mesh_runtime::protocol::Event;
use js_sys::Function;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

/// `value` as a plain JavaScript value (objects, arrays, strings, numbers).
pub fn to_js(value: &impl Serialize) -> Result<JsValue, Error> {
    let text = serde_json::to_string(value)
        .map_err(|e| Error::usage(format!("cannot express the result as JSON: {e}")))?;
    js_sys::JSON::parse(&text).map_err(|e| {
        Error::usage(format!(
            "cannot pass the result to JavaScript: {}",
            message_of(&e)
        ))
    })
}

/// The JSON text of a JavaScript value (`"null"` for `undefined`).
pub fn json_of(value: &JsValue) -> Result<String, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok("null".to_string());
    }
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| Error::usage("the argument cannot be read as JSON (a function, a cycle?)"))
}

/// A JavaScript value read as `T`; `what` names it in the error.
pub fn from_js<T: DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, Error> {
    let text = json_of(value)?;
    serde_json::from_str(&text).map_err(|e| Error::usage(format!("invalid {what}: {e}")))
}

/// Calls `callback` with `event` as a plain object. A callback that throws
/// is reported on the console and the turn goes on: what it missed is one
/// event, not the turn.
pub fn emit(callback: Option<&Function>, event: &Event) {
    let Some(callback) = callback else {
        return;
    };
    let result = to_js(event).map_err(|e| e.to_string()).and_then(|value| {
        callback
            .call1(&JsValue::NULL, &value)
            .map_err(|e| message_of(&e))
    });
    if let Err(message) = result {
        web_console_error(&format!(
            "code-mesh: the onEvent callback failed: {message}"
        ));
    }
}

/// `console.error(text)`.
pub fn web_console_error(text: &str) {
    crate::platform::stdio::console("error", text);
}
