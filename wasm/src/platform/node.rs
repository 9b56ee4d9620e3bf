//! Node itself, found at run time so that one `.wasm` serves Node and
//! browsers: whether we run in Node, its built-in modules (through
//! `process.getBuiltinModule`, Node ≥ 20.16, else a global `require`), and
//! `process.env`.

use js_sys::{Function, Reflect};
use std::collections::BTreeMap;
use wasm_bindgen::{JsCast, JsValue};

/// `globalThis.process`, when it is Node's (`process.versions.node` set).
pub fn node_process() -> Option<JsValue> {
    let process = Reflect::get(&js_sys::global(), &"process".into()).ok()?;
    let versions = Reflect::get(&process, &"versions".into()).ok()?;
    let node = Reflect::get(&versions, &"node".into()).ok()?;
    node.is_string().then_some(process)
}

/// Whether this module runs in Node (rather than a browser or a worker).
pub fn is_node() -> bool {
    node_process().is_some()
}

/// Node's built-in module `name` (`fs`, `child_process`), or an error
/// saying why it cannot be had.
pub fn builtin_module(name: &str) -> Result<JsValue, String> {
    let process = node_process().ok_or_else(|| {
        format!(
            "Node's `{name}` module is not available: this is not Node (a browser has no `{name}`)"
        )
    })?;
    let loaders = [
        (process, "getBuiltinModule"),
        (js_sys::global().into(), "require"),
    ];
    for (holder, method) in loaders {
        let Ok(loader) = Reflect::get(&holder, &method.into()) else {
            continue;
        };
        let Some(loader) = loader.dyn_ref::<Function>() else {
            continue;
        };
        if let Ok(module) = loader.call1(&holder, &name.into())
            && module.is_object()
        {
            return Ok(module);
        }
    }
    Err(format!(
        "cannot load Node's `{name}` module: this Node has neither process.getBuiltinModule \
         (Node 20.16 or later) nor a global require; upgrade Node"
    ))
}

/// `process.env` as a map; empty outside Node.
pub fn process_env() -> BTreeMap<String, String> {
    node_process()
        .and_then(|process| Reflect::get(&process, &"env".into()).ok())
        .map(|env| string_map(&env))
        .unwrap_or_default()
}

/// The string-valued own properties of a JavaScript object (other values
/// are left out).
pub fn string_map(object: &JsValue) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let Some(object) = object.dyn_ref::<js_sys::Object>() else {
        return map;
    };
    for entry in js_sys::Object::entries(object).iter() {
        let pair: js_sys::Array = entry.unchecked_into();
        if let (Some(key), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            map.insert(key, value);
        }
    }
    map
}
