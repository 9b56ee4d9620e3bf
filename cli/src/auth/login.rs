//! `code-mesh auth login`: save a provider's API key.

use super::choose::{Choice, choose};
use super::{env_key, provider_ids};
use crate::args::LoginArgs;
use crate::setup::Setup;
use anyhow::{Context, bail};
use code_mesh_providers::known_provider;
use code_mesh_runtime::auth::{AuthStore, mask_key};
use code_mesh_runtime::config::Config;
use code_mesh_runtime::provider::ProviderError;
use std::io::{BufRead, IsTerminal};

/// Asks for (or reads) a provider and its key, and saves them.
pub fn login(args: LoginArgs) -> anyhow::Result<()> {
    let setup = Setup::load()?;
    let mut store = AuthStore::load(&setup.paths.data_dir)?;
    let interactive = std::io::stdin().is_terminal();
    let provider = match args.provider {
        Some(provider) => provider,
        None if interactive => ask_provider(&setup.config)?,
        None => bail!(
            "no provider given: run `code-mesh auth login --provider ID` with the key on stdin"
        ),
    };
    check_provider(&provider, &setup.config)?;
    let key = if interactive {
        rpassword::prompt_password(format!("API key for {provider} (hidden as you type): "))
            .context("cannot read the key from the terminal")?
    } else {
        first_line(std::io::stdin().lock()).context("cannot read the key from stdin")?
    };
    let key = key.trim();
    if key.is_empty() {
        bail!("no API key given for {provider}; nothing was saved");
    }

    store.set_api_key(&provider, key);
    store.save()?;
    println!(
        "Saved the {provider} key ({}) in {}",
        mask_key(key),
        store.path().display()
    );
    if let Some((var, _)) = env_key(&provider) {
        eprintln!("note: {var} is set in the environment and is used instead of the saved key");
    }
    Ok(())
}

/// The provider a person picks from the known ones that need a key and the
/// ones their config declares.
fn ask_provider(config: &Config) -> anyhow::Result<String> {
    let choices: Vec<Choice> = provider_ids(config)
        .into_iter()
        .filter_map(|id| match known_provider(&id) {
            Some(known) if known.local => None,
            Some(known) => Some(Choice {
                id,
                note: known.note.to_string(),
            }),
            None => Some(Choice {
                id,
                note: "from your config".to_string(),
            }),
        })
        .collect();
    let picked = choose(
        "Save an API key for which provider?",
        &choices,
        true,
        std::io::stdin().lock(),
        std::io::stderr(),
    )
    .context("cannot read the answer")?;
    picked.context("no provider chosen; nothing was saved")
}

/// Refuses an id that is neither known nor declared in the config, listing
/// the ones that are.
fn check_provider(provider: &str, config: &Config) -> Result<(), ProviderError> {
    if known_provider(provider).is_some() || config.provider.contains_key(provider) {
        return Ok(());
    }
    let mut known = provider_ids(config);
    known.sort();
    Err(ProviderError::UnknownProvider {
        id: provider.to_string(),
        known,
    })
}

/// The first line of `input`, without its line ending.
fn first_line(mut input: impl BufRead) -> std::io::Result<String> {
    let mut line = String::new();
    input.read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_line_of_stdin_is_the_key() {
        let line = first_line("sk-abc\r\nsecond line\n".as_bytes()).unwrap();
        assert_eq!(line, "sk-abc");
        assert_eq!(first_line("".as_bytes()).unwrap(), "");
    }

    #[test]
    fn unknown_provider_is_refused_naming_the_known_ones() {
        let err = check_provider("nowhere", &Config::default()).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("`nowhere`"), "{text}");
        assert!(text.contains("anthropic"), "{text}");
        assert!(check_provider("groq", &Config::default()).is_ok());
    }

    #[test]
    fn providers_declared_in_the_config_are_accepted() {
        let config: Config =
            serde_json::from_str(r#"{"provider":{"gateway":{"baseURL":"http://gw/v1"}}}"#).unwrap();
        assert!(check_provider("gateway", &config).is_ok());
    }
}
