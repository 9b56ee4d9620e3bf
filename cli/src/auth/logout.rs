//! `code-mesh auth logout [provider]`: remove a saved key.

use super::choose::{Choice, choose};
use super::env_key;
use crate::args::LogoutArgs;
use anyhow::{Context, bail};
use code_mesh_runtime::auth::{AuthStore, Credential, mask_key};
use code_mesh_runtime::config::Paths;
use std::io::IsTerminal;

/// Removes the key of the provider named (or picked, on a terminal).
pub fn logout(args: LogoutArgs) -> anyhow::Result<()> {
    // No config needed: a broken config must not keep anyone from removing a key.
    let paths = Paths::from_env(|name| std::env::var(name).ok())?;
    let mut store = AuthStore::load(&paths.data_dir)?;
    let path = store.path().display().to_string();
    let saved: Vec<String> = store.entries().map(|(id, _)| id.to_string()).collect();
    let provider = match args.provider {
        Some(provider) => provider,
        None if saved.is_empty() => {
            println!("No keys saved in {path}; nothing to remove.");
            return Ok(());
        }
        None if std::io::stdin().is_terminal() => ask_provider(&store)?,
        None => bail!(
            "name the provider to log out of: `code-mesh auth logout <provider>` (saved: {})",
            saved.join(", ")
        ),
    };
    if !store.remove(&provider) {
        let saved = if saved.is_empty() {
            "none".to_string()
        } else {
            saved.join(", ")
        };
        bail!("no key is saved for `{provider}` in {path}; saved: {saved}");
    }
    store.save()?;
    println!("Removed the {provider} key from {path}");
    if let Some((var, _)) = env_key(&provider) {
        eprintln!("note: {var} is still set in the environment, so {provider} still has a key");
    }
    Ok(())
}

/// The saved provider a person picks.
fn ask_provider(store: &AuthStore) -> anyhow::Result<String> {
    let choices: Vec<Choice> = store
        .entries()
        .map(|(id, credential)| Choice {
            id: id.to_string(),
            note: match credential {
                Some(Credential::Api { key }) => mask_key(key),
                None => String::new(),
            },
        })
        .collect();
    let picked = choose(
        "Remove the key of which provider?",
        &choices,
        false,
        std::io::stdin().lock(),
        std::io::stderr(),
    )
    .context("cannot read the answer")?;
    picked.context("no provider chosen; nothing was removed")
}
