//! `code-mesh auth list`: the saved keys, masked, and the keys set in
//! environment variables.

use super::{env_key, provider_ids};
use crate::setup::Setup;
use code_mesh_runtime::auth::{AuthStore, Credential, mask_key};
use std::io::Write;

/// Prints what `auth.json` holds and which providers have a key in the
/// environment.
pub fn list() -> anyhow::Result<()> {
    let setup = Setup::load()?;
    let store = AuthStore::load(&setup.paths.data_dir)?;
    let mut ids = provider_ids(&setup.config);
    for (id, _) in store.entries() {
        if !ids.iter().any(|known| known == id) {
            ids.push(id.to_string());
        }
    }
    let from_env: Vec<(String, String, String)> = ids
        .into_iter()
        .filter_map(|id| env_key(&id).map(|(var, key)| (id, var, key)))
        .collect();
    let out = std::io::stdout();
    write_list(&store, &from_env, &mut out.lock())?;
    Ok(())
}

/// Writes the saved entries and `from_env` (provider, variable, key) to `out`.
fn write_list(
    store: &AuthStore,
    from_env: &[(String, String, String)],
    out: &mut impl Write,
) -> std::io::Result<()> {
    let path = store.path().display();
    let saved: Vec<_> = store.entries().collect();
    let width = saved
        .iter()
        .map(|(id, _)| id.len())
        .chain(from_env.iter().map(|(id, _, _)| id.len()))
        .max()
        .unwrap_or(0);
    if saved.is_empty() {
        writeln!(
            out,
            "No keys saved in {path} (`code-mesh auth login` saves one)."
        )?;
    } else {
        writeln!(out, "Saved in {path}:")?;
        for (id, credential) in saved {
            let shown = match credential {
                Some(Credential::Api { key }) => mask_key(key),
                None => "(a kind of credential Code Mesh does not use)".to_string(),
            };
            let overridden = from_env
                .iter()
                .find(|(env_id, _, _)| env_id == id)
                .map(|(_, var, _)| format!("  ({var} is set and used instead)"))
                .unwrap_or_default();
            writeln!(out, "  {id:<width$}  {shown}{overridden}")?;
        }
    }
    if !from_env.is_empty() {
        writeln!(out, "From environment variables:")?;
        for (id, var, key) in from_env {
            writeln!(out, "  {id:<width$}  {var}  {}", mask_key(key))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn listed(store: &AuthStore, from_env: &[(String, String, String)]) -> String {
        let mut out = Vec::new();
        write_list(store, from_env, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn saved_keys_are_masked_and_environment_keys_named_by_variable() {
        let mut store = AuthStore::empty(Path::new("/data"));
        store.set_api_key("openai", "sk-proj-0123456789a1b2");
        store.set_api_key("groq", "gsk_0123456789abcdef");
        let from_env = [(
            "openai".to_string(),
            "OPENAI_API_KEY".to_string(),
            "sk-env-0123456789zz99".to_string(),
        )];

        let text = listed(&store, &from_env);
        assert!(!text.contains("0123456789"), "a key leaked: {text}");
        assert_eq!(
            text,
            "Saved in /data/auth.json:\n\
             \x20 groq    gsk…cdef\n\
             \x20 openai  sk-…a1b2  (OPENAI_API_KEY is set and used instead)\n\
             From environment variables:\n\
             \x20 openai  OPENAI_API_KEY  sk-…zz99\n"
        );
    }

    #[test]
    fn an_empty_store_says_how_to_save_a_key() {
        let text = listed(&AuthStore::empty(Path::new("/data")), &[]);
        assert_eq!(
            text,
            "No keys saved in /data/auth.json (`code-mesh auth login` saves one).\n"
        );
    }
}
