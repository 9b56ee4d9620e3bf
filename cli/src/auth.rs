//! `code-mesh auth login|list|logout`: the API keys kept in `auth.json`.
//!
//! Results go to stdout, questions and notes to stderr, so that
//! `code-mesh auth list > keys.txt` keeps only the list.

mod choose;
mod list;
mod login;
mod logout;

use crate::args::AuthCommand;
use code_mesh_runtime::config::Config;
use std::process::ExitCode;

/// Runs one `auth` command.
pub fn auth(command: AuthCommand) -> anyhow::Result<ExitCode> {
    match command {
        AuthCommand::Login(args) => login::login(args),
        AuthCommand::List => list::list(),
        AuthCommand::Logout(args) => logout::logout(args),
    }
    .map(|()| ExitCode::SUCCESS)
}

/// The provider ids worth a key: the known ones, then any others the config
/// declares, in that order and without repeats.
fn provider_ids(config: &Config) -> Vec<String> {
    let mut ids: Vec<String> = code_mesh_providers::KNOWN_PROVIDERS
        .iter()
        .map(|p| p.id.to_string())
        .collect();
    for id in config.provider.keys() {
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    ids
}

/// The environment variable set (and not blank) for `provider`'s key, if any.
fn env_key(provider: &str) -> Option<(String, String)> {
    let var = code_mesh_providers::api_key_env(provider);
    std::env::var(&var)
        .ok()
        .filter(|key| !key.trim().is_empty())
        .map(|key| (var, key))
}
