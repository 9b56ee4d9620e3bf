//! [`ProjectOptions`]: the second argument of `initProject`, as JSON.

use serde::Deserialize;
use std::collections::BTreeMap;

/// How a project's agents reach their model and what they may do without
/// asking. Every field is optional; unknown fields are refused, so a typo
/// does not pass silently.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct ProjectOptions {
    /// `provider/model`, as the CLI's `-m`; default: the config's, else
    /// `openai/gpt-4o`.
    pub model: Option<String>,
    /// The model's provider's base URL instead of its own (an
    /// OpenAI-compatible server).
    pub base_url: Option<String>,
    /// The provider's API key; otherwise it comes from the environment, the
    /// config and `auth.json` as natively.
    pub api_key: Option<String>,
    /// Environment variables for provider resolution; default in Node:
    /// `process.env`, in a browser: none.
    pub env: Option<BTreeMap<String, String>>,
    /// Like `--yes`: edits are written at once and asked-for tools allowed.
    pub yes: bool,
}

impl ProjectOptions {
    /// The options in `json` (`null` or empty for the defaults); an error
    /// naming the field that is wrong.
    pub fn from_json(json: &str) -> Result<Self, String> {
        if json.trim().is_empty() || json.trim() == "null" {
            return Ok(Self::default());
        }
        serde_json::from_str(json).map_err(|e| {
            format!(
                "invalid project options: {e}; the options are {{ model, baseUrl, apiKey, env, yes }}"
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_camel_case_and_all_optional() {
        let options =
            ProjectOptions::from_json(r#"{"model":"openai/mock","baseUrl":"http://x","yes":true}"#)
                .unwrap();
        assert_eq!(options.model.as_deref(), Some("openai/mock"));
        assert_eq!(options.base_url.as_deref(), Some("http://x"));
        assert!(options.yes);
        assert_eq!(
            ProjectOptions::from_json("null").unwrap(),
            ProjectOptions::default()
        );
    }

    #[test]
    fn a_misspelt_option_is_named() {
        let error = ProjectOptions::from_json(r#"{"apikey":"k"}"#).unwrap_err();
        assert!(error.contains("apikey"), "{error}");
    }
}
