//! The providers Code Mesh knows by id, with a line about each, for
//! `code-mesh auth login` and `code-mesh models`. Any other id works once
//! the config gives it a `baseURL`.

/// A provider that works with `-m <id>/<model>` and no config beyond a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownProvider {
    /// The id, as in `openai/gpt-4o`.
    pub id: &'static str,
    /// What it is, in a few words.
    pub note: &'static str,
    /// A server on this machine that needs no key and serves whatever
    /// models it has loaded.
    pub local: bool,
}

/// Hosted services first (they need a key), then local servers.
pub const KNOWN_PROVIDERS: &[KnownProvider] = &[
    hosted("openai", "OpenAI: GPT-4o, GPT-4.1, GPT-5, o3, o4-mini"),
    hosted("anthropic", "Anthropic: Claude Sonnet, Opus and Haiku"),
    hosted(
        "openrouter",
        "OpenRouter: many vendors' models behind one key",
    ),
    hosted("groq", "Groq: open models on fast inference hardware"),
    hosted("deepseek", "DeepSeek: DeepSeek-V3 chat and the R1 reasoner"),
    hosted("mistral", "Mistral AI: Mistral Large, Codestral"),
    hosted("together", "Together AI: hosted open models"),
    local("ollama", "Ollama on this machine (localhost:11434)"),
    local(
        "lmstudio",
        "LM Studio's server on this machine (localhost:1234)",
    ),
    local(
        "llamacpp",
        "llama.cpp's server on this machine (localhost:8080)",
    ),
    local("vllm", "vLLM on this machine (localhost:8000)"),
];

/// The known provider with this id.
pub fn known_provider(id: &str) -> Option<&'static KnownProvider> {
    KNOWN_PROVIDERS.iter().find(|p| p.id == id)
}

const fn hosted(id: &'static str, note: &'static str) -> KnownProvider {
    KnownProvider {
        id,
        note,
        local: false,
    }
}

const fn local(id: &'static str, note: &'static str) -> KnownProvider {
    KnownProvider {
        id,
        note,
        local: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use code_mesh_runtime::auth::AuthStore;
    use code_mesh_runtime::config::Config;
    use code_mesh_runtime::model::ModelRef;

    #[test]
    fn every_known_provider_resolves_with_a_key() {
        let auth = AuthStore::empty(std::path::Path::new("unused"));
        let any_key = |name: &str| name.ends_with("_API_KEY").then(|| "key-1234".to_string());
        for known in KNOWN_PROVIDERS {
            let model = ModelRef::parse(&format!("{}/some-model", known.id)).unwrap();
            let resolved = crate::resolve_provider(&model, &Config::default(), &auth, any_key);
            assert!(resolved.is_ok(), "{}: {:?}", known.id, resolved.err());
        }
    }

    #[test]
    fn local_servers_need_no_key() {
        let auth = AuthStore::empty(std::path::Path::new("unused"));
        for known in KNOWN_PROVIDERS.iter().filter(|p| p.local) {
            let model = ModelRef::parse(&format!("{}/some-model", known.id)).unwrap();
            let resolved = crate::resolve_provider(&model, &Config::default(), &auth, |_| None);
            assert!(resolved.is_ok(), "{}: {:?}", known.id, resolved.err());
        }
    }
}
