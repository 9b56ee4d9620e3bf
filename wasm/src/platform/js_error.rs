//! JavaScript exceptions as Rust errors: Node's `fs` errors carry a `code`
//! (`ENOENT`, `EISDIR`, …) that maps onto [`io::ErrorKind`], so the
//! runtime's checks ("not found" is no error for an optional file) work the
//! same on Node as on the native disk.

use js_sys::Reflect;
use std::io;
use wasm_bindgen::JsValue;

/// The `io::Error` for a thrown JavaScript value: its kind from the error's
/// `code`, its text the error's `message`.
pub fn io_error(thrown: &JsValue) -> io::Error {
    let code = Reflect::get(thrown, &"code".into())
        .ok()
        .and_then(|code| code.as_string())
        .unwrap_or_default();
    io::Error::new(kind_of(&code), message_of(thrown))
}

/// What a thrown value says: an `Error`'s message, a string itself, or its
/// conversion to text.
pub fn message_of(thrown: &JsValue) -> String {
    if let Some(text) = thrown.as_string() {
        return text;
    }
    Reflect::get(thrown, &"message".into())
        .ok()
        .and_then(|message| message.as_string())
        .or_else(|| {
            js_sys::JSON::stringify(thrown)
                .ok()
                .and_then(|s| s.as_string())
        })
        .unwrap_or_else(|| "an unknown JavaScript error".to_string())
}

/// The `io::ErrorKind` of a Node error code.
pub fn kind_of(code: &str) -> io::ErrorKind {
    match code {
        "ENOENT" => io::ErrorKind::NotFound,
        "EISDIR" => io::ErrorKind::IsADirectory,
        "ENOTDIR" => io::ErrorKind::NotADirectory,
        "EEXIST" => io::ErrorKind::AlreadyExists,
        "EACCES" | "EPERM" => io::ErrorKind::PermissionDenied,
        "ENOTEMPTY" => io::ErrorKind::DirectoryNotEmpty,
        "EINVAL" => io::ErrorKind::InvalidInput,
        "EROFS" => io::ErrorKind::ReadOnlyFilesystem,
        "ENOSPC" => io::ErrorKind::StorageFull,
        "EBUSY" => io::ErrorKind::ResourceBusy,
        "EAGAIN" => io::ErrorKind::WouldBlock,
        "ETIMEDOUT" => io::ErrorKind::TimedOut,
        "EBADF" => io::ErrorKind::InvalidInput,
        _ => io::ErrorKind::Other,
    }
}
