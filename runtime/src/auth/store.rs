//! [`AuthStore`]: the credentials in `auth.json`, read and written whole.

use super::{AuthError, Credential};
use crate::fs::{Disk, write_atomically_private};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The credentials saved by `code-mesh auth login`, by provider id.
///
/// Entries Code Mesh does not understand (another tool's credential types)
/// are kept as they are when the file is rewritten.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthStore {
    path: PathBuf,
    entries: BTreeMap<String, Entry>,
}

/// One provider's entry as it is on disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
enum Entry {
    Known(Credential),
    Unknown(serde_json::Value),
}

impl AuthStore {
    /// The file's name inside the data directory.
    pub const FILE_NAME: &'static str = "auth.json";

    /// An empty store that [`Self::save`] would write to `auth.json` in
    /// `data_dir`; nothing is read (for front ends without files, and tests).
    pub fn empty(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join(Self::FILE_NAME),
            entries: BTreeMap::new(),
        }
    }

    /// Reads `auth.json` in `data_dir`; a missing file (or directory) is an
    /// empty store. A file that is not a JSON object is [`AuthError::Corrupt`].
    pub fn load(data_dir: &Path) -> Result<Self, AuthError> {
        Self::load_from(&Disk::default(), data_dir)
    }

    /// [`load`](Self::load) from `disk` (Node's `fs` in WebAssembly).
    pub fn load_from(disk: &Disk, data_dir: &Path) -> Result<Self, AuthError> {
        let path = data_dir.join(Self::FILE_NAME);
        let bytes = match disk.read_if_exists(&path) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return Ok(Self::empty(data_dir)),
            Err(source) => return Err(AuthError::Unreadable { path, source }),
        };
        let text = String::from_utf8_lossy(&bytes);
        // An empty file (an interrupted hand edit, `touch`) holds no credentials.
        let entries = if text.trim().is_empty() {
            BTreeMap::new()
        } else {
            serde_json::from_str(&text).map_err(|e| AuthError::Corrupt {
                path: path.clone(),
                message: e.to_string(),
            })?
        };
        Ok(Self { path, entries })
    }

    /// Where the store is read from and saved to.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The API key saved for `provider`.
    pub fn api_key(&self, provider: &str) -> Option<&str> {
        match self.entries.get(provider) {
            Some(Entry::Known(Credential::Api { key })) => Some(key),
            _ => None,
        }
    }

    /// Every saved provider id, sorted, with its credential; `None` for an
    /// entry Code Mesh does not understand.
    pub fn entries(&self) -> impl Iterator<Item = (&str, Option<&Credential>)> {
        self.entries.iter().map(|(id, entry)| {
            let credential = match entry {
                Entry::Known(credential) => Some(credential),
                Entry::Unknown(_) => None,
            };
            (id.as_str(), credential)
        })
    }

    /// Whether anything is saved for `provider`.
    pub fn contains(&self, provider: &str) -> bool {
        self.entries.contains_key(provider)
    }

    /// Saves `key` as `provider`'s API key (in memory; see [`Self::save`]),
    /// replacing what was there.
    pub fn set_api_key(&mut self, provider: impl Into<String>, key: impl Into<String>) {
        self.entries.insert(
            provider.into(),
            Entry::Known(Credential::Api { key: key.into() }),
        );
    }

    /// Forgets `provider`'s entry (in memory; see [`Self::save`]); returns
    /// whether there was one.
    pub fn remove(&mut self, provider: &str) -> bool {
        self.entries.remove(provider).is_some()
    }

    /// Writes the store to [`Self::path`]: atomically, mode 0600, creating
    /// the directory (mode 0700) if needed.
    pub fn save(&self) -> Result<(), AuthError> {
        let unwritable = |source| AuthError::Unwritable {
            path: self.path.clone(),
            source,
        };
        let mut text = serde_json::to_string_pretty(&self.entries)
            .map_err(|e| unwritable(std::io::Error::other(e)))?;
        text.push('\n');
        write_atomically_private(&self.path, text.as_bytes()).map_err(unwritable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_file_is_an_empty_store() {
        let dir = tempfile::tempdir().unwrap();
        let store = AuthStore::load(&dir.path().join("not-yet")).unwrap();
        assert_eq!(store.entries().count(), 0);
        assert_eq!(store.path(), dir.path().join("not-yet/auth.json"));
    }

    #[test]
    fn saved_keys_load_back_in_opencode_shape() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = AuthStore::load(dir.path()).unwrap();
        store.set_api_key("openai", "sk-one");
        store.set_api_key("groq", "gsk-two");
        store.save().unwrap();

        let text = std::fs::read_to_string(dir.path().join("auth.json")).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "groq": { "type": "api", "key": "gsk-two" },
                "openai": { "type": "api", "key": "sk-one" }
            })
        );
        let again = AuthStore::load(dir.path()).unwrap();
        assert_eq!(again.api_key("openai"), Some("sk-one"));
        assert_eq!(again, store);
    }

    #[test]
    fn removing_forgets_only_that_provider() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = AuthStore::load(dir.path()).unwrap();
        store.set_api_key("openai", "sk-one");
        store.set_api_key("groq", "gsk-two");
        assert!(store.remove("openai"));
        assert!(!store.remove("openai"));
        store.save().unwrap();
        let again = AuthStore::load(dir.path()).unwrap();
        assert_eq!(again.api_key("openai"), None);
        assert_eq!(again.api_key("groq"), Some("gsk-two"));
    }

    #[test]
    fn entries_of_other_types_are_kept_but_give_no_key() {
        let dir = tempfile::tempdir().unwrap();
        let oauth = r#"{"type":"oauth","refresh":"r","access":"a","expires":1}"#;
        std::fs::write(
            dir.path().join("auth.json"),
            format!(r#"{{"github":{oauth},"openai":{{"type":"api","key":"sk-1"}}}}"#),
        )
        .unwrap();
        let mut store = AuthStore::load(dir.path()).unwrap();
        assert_eq!(store.api_key("github"), None);
        assert!(store.contains("github"));
        let listed: Vec<_> = store.entries().map(|(id, c)| (id, c.is_some())).collect();
        assert_eq!(listed, [("github", false), ("openai", true)]);

        store.remove("openai");
        store.save().unwrap();
        let text = std::fs::read_to_string(dir.path().join("auth.json")).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            json["github"],
            serde_json::from_str::<serde_json::Value>(oauth).unwrap()
        );
    }

    #[test]
    fn corrupt_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("auth.json"), "{\"openai\": ").unwrap();
        let err = AuthStore::load(dir.path()).unwrap_err();
        assert!(matches!(err, AuthError::Corrupt { .. }));
        let text = err.to_string();
        assert!(
            text.contains(&dir.path().join("auth.json").display().to_string()),
            "{text}"
        );
        assert!(text.contains("move it aside"), "{text}");
        assert_eq!(text.lines().count(), 1, "{text}");
    }

    #[test]
    fn a_file_that_is_not_an_object_is_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("auth.json"), "[1, 2]").unwrap();
        assert!(matches!(
            AuthStore::load(dir.path()),
            Err(AuthError::Corrupt { .. })
        ));
    }

    #[test]
    fn empty_file_is_an_empty_store() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("auth.json"), "\n").unwrap();
        assert_eq!(AuthStore::load(dir.path()).unwrap().entries().count(), 0);
    }
}
