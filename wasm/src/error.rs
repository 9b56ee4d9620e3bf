//! [`Error`]: everything that can go wrong behind the JavaScript API, each
//! with a message that says what happened and what to do. In JavaScript it
//! becomes an `Error` with that message (a rejected promise, or a throw).

use code_mesh_cli::change_command::ChangeCommandError;
use code_mesh_cli::saved_session::SavedSessionError;
use code_mesh_runtime::auth::AuthError;
use code_mesh_runtime::changes::ChangeError;
use code_mesh_runtime::config::ConfigError;
use code_mesh_runtime::model::ModelRefError;
use code_mesh_runtime::provider::ProviderError;
use code_mesh_runtime::session::SessionStoreError;

/// A failure of the wasm API.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A config file could not be read.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// `auth.json` could not be read.
    #[error(transparent)]
    Auth(#[from] AuthError),
    /// The model's provider cannot be set up (no key, unknown provider).
    #[error(transparent)]
    Provider(#[from] ProviderError),
    /// A `provider/model` name that does not parse.
    #[error(transparent)]
    Model(#[from] ModelRefError),
    /// Saving or loading a session failed.
    #[error(transparent)]
    Sessions(#[from] SessionStoreError),
    /// Staging, applying or reading changes failed.
    #[error(transparent)]
    Changes(#[from] ChangeError),
    /// A run's saved changes could not be found, read or written.
    #[error(transparent)]
    SavedChanges(#[from] SavedSessionError),
    /// `diff`, `apply`, `reject` or `undo` was refused.
    #[error(transparent)]
    ChangeCommand(#[from] ChangeCommandError),
    /// The project's files could not be read or written.
    #[error("{what}: {source}")]
    Io {
        /// What was being done, naming the file.
        what: String,
        /// The file system's error.
        #[source]
        source: std::io::Error,
    },
    /// A turn or an op on the changes ended without success: the
    /// runtime's words for why.
    #[error("{0}")]
    TurnFailed(String),
    /// A call made at the wrong time or with a wrong argument.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// An [`Error::Io`] that says what was being done.
    pub fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> Self {
        let what = what.into();
        move |source| Self::Io { what, source }
    }

    /// An [`Error::Usage`] with `message`.
    pub fn usage(message: impl Into<String>) -> Self {
        Self::Usage(message.into())
    }
}

#[cfg(target_family = "wasm")]
impl From<Error> for wasm_bindgen::JsValue {
    fn from(error: Error) -> Self {
        js_sys::Error::new(&error.to_string()).into()
    }
}
