//! `code-mesh models [provider]`: the models Code Mesh knows limits and
//! prices for, from the built-in table and the config.

use crate::args::ModelsArgs;
use crate::setup::Setup;
use code_mesh_cli::numbers;
use code_mesh_providers::models::{ModelCatalog, ModelInfo};
use code_mesh_providers::{KNOWN_PROVIDERS, known_provider};
use code_mesh_runtime::config::Config;
use code_mesh_runtime::provider::ProviderError;
use std::io::Write;
use std::process::ExitCode;

/// Prints the table for every provider, or for the one named.
pub fn models(args: ModelsArgs) -> anyhow::Result<ExitCode> {
    let setup = Setup::load()?;
    let catalog = ModelCatalog::from_config(&setup.config);
    let providers = providers(&setup.config, &catalog);
    let shown = match args.provider {
        Some(id) if providers.contains(&id) => vec![id],
        Some(id) => {
            let mut known = providers;
            known.sort();
            return Err(ProviderError::UnknownProvider { id, known }.into());
        }
        None => providers,
    };
    let out = std::io::stdout();
    write_table(&catalog, &shown, &mut out.lock())?;
    Ok(ExitCode::SUCCESS)
}

/// Every provider id: the known ones in their order, then those only the
/// config names.
fn providers(config: &Config, catalog: &ModelCatalog) -> Vec<String> {
    let mut ids: Vec<String> = KNOWN_PROVIDERS.iter().map(|p| p.id.to_string()).collect();
    let configured = config.provider.keys().map(String::as_str);
    let catalogued = catalog.models().iter().map(|m| m.provider.as_ref());
    for id in configured.chain(catalogued) {
        if !ids.iter().any(|known| known == id) {
            ids.push(id.to_string());
        }
    }
    ids
}

/// One row of the table, as text.
struct Row {
    id: String,
    cells: Vec<String>,
}

/// Writes the models of `providers` as a table: id, context window, max
/// output, and prices per million tokens. A provider without listed models
/// gets one row saying what it serves.
fn write_table(
    catalog: &ModelCatalog,
    providers: &[String],
    out: &mut impl Write,
) -> std::io::Result<()> {
    let mut rows = Vec::new();
    for provider in providers {
        rows.extend(catalog.models_of(provider).map(row));
        let local = known_provider(provider).is_none_or(|known| known.local);
        let listed = catalog.models_of(provider).next().is_some();
        if local || !listed {
            let note = if local {
                "any model the server has"
            } else {
                "any model the provider serves (none listed here)"
            };
            rows.push(Row {
                id: format!("{provider}/…"),
                cells: vec![note.to_string()],
            });
        }
    }
    let header = Row {
        id: "MODEL".to_string(),
        cells: ["CONTEXT", "MAX OUTPUT", "INPUT", "OUTPUT", "CACHED INPUT"]
            .map(str::to_string)
            .to_vec(),
    };
    let id_width = rows
        .iter()
        .chain([&header])
        .map(|r| r.id.chars().count())
        .max();
    let id_width = id_width.unwrap_or(0);
    let cell_width = |i: usize| {
        rows.iter()
            .chain([&header])
            .filter(|r| r.cells.len() > 1)
            .filter_map(|r| r.cells.get(i).map(|c| c.chars().count()))
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.cells.len()).map(cell_width).collect();
    for row in [&header].into_iter().chain(&rows) {
        let mut line = format!("{:<id_width$}", row.id);
        if let [note] = row.cells.as_slice() {
            line.push_str(&format!("  {note}"));
        } else {
            for (cell, width) in row.cells.iter().zip(&widths) {
                line.push_str(&format!("  {cell:>width$}"));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    writeln!(
        out,
        "\nPrices in US dollars per million tokens; `provider.<id>.models` in the config adds or overrides models."
    )
}

fn row(info: &ModelInfo) -> Row {
    let tokens = |n: Option<u32>| n.map_or("—".to_string(), |n| numbers::count(n.into()));
    let price = |p: Option<f64>| p.map_or("—".to_string(), numbers::price);
    let cost = info.price;
    Row {
        id: info.id(),
        cells: vec![
            tokens(info.context_window),
            tokens(info.max_output),
            price(cost.map(|c| c.input)),
            price(cost.map(|c| c.output)),
            price(cost.map(|c| c.cached_input.unwrap_or(c.input))),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(config: &str, providers: &[&str]) -> String {
        let config: Config = serde_json::from_str(config).unwrap();
        let catalog = ModelCatalog::from_config(&config);
        let providers: Vec<String> = providers.iter().map(|p| p.to_string()).collect();
        let mut out = Vec::new();
        write_table(&catalog, &providers, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn known_models_show_limits_and_prices() {
        let text = table("{}", &["openai"]);
        let gpt4o = text
            .lines()
            .find(|l| l.starts_with("openai/gpt-4o "))
            .unwrap();
        let cells: Vec<_> = gpt4o.split_whitespace().collect();
        assert_eq!(
            cells,
            [
                "openai/gpt-4o",
                "128,000",
                "16,384",
                "$2.50",
                "$10.00",
                "$1.25"
            ]
        );
        assert!(text.starts_with("MODEL "), "{text}");
        assert!(!text.contains("openai/…"), "{text}");
    }

    #[test]
    fn local_servers_take_any_model() {
        let text = table("{}", &["ollama"]);
        assert!(
            text.contains("ollama/…  any model the server has"),
            "{text}"
        );
    }

    #[test]
    fn configured_models_are_listed_with_their_provider() {
        let text = table(
            r#"{"provider":{"ollama":{"models":{"qwen2.5-coder:7b":{"contextWindow":32768}}}}}"#,
            &["ollama"],
        );
        let line = text
            .lines()
            .find(|l| l.starts_with("ollama/qwen2.5-coder:7b"))
            .unwrap();
        assert_eq!(
            line.split_whitespace().collect::<Vec<_>>(),
            ["ollama/qwen2.5-coder:7b", "32,768", "—", "—", "—", "—"]
        );
        assert!(text.contains("ollama/…"), "{text}");
    }
}
