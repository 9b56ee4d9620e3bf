//! The model registry: what Code Mesh knows about models by `provider/model`
//! id — context window, most output tokens per answer, and price per million
//! tokens.
//!
//! A built-in table ([`BUILTIN_MODELS`], compiled in: nothing is parsed at
//! start-up) covers well-known models; `provider.<id>.models.<model>` in the
//! config overrides or extends it, and [`ModelCatalog`] holds the result. A
//! model the catalogue does not know can still be used: servers have models
//! no table can list; it just has no known limits or price.
//!
//! ```
//! use code_mesh_providers::models::ModelCatalog;
//! use code_mesh_runtime::config::Config;
//! use code_mesh_runtime::model::ModelRef;
//!
//! let catalog = ModelCatalog::from_config(&Config::default());
//! let gpt4o = catalog.get(&ModelRef::parse("openai/gpt-4o").unwrap()).unwrap();
//! assert_eq!(gpt4o.context_window, Some(128_000));
//! ```

mod builtin;
mod catalog;
mod info;

pub use builtin::BUILTIN_MODELS;
pub use catalog::ModelCatalog;
pub use info::ModelInfo;
