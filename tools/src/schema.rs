//! Each tool's parameter schema, generated from its argument type.
//!
//! A tool derives `Deserialize` and [`JsonSchema`] for its arguments, so the
//! schema a model sees and what the tool accepts come from one definition.
//! A parameter's description is the doc comment of its field; range and
//! length limits are `#[schemars(...)]` attributes; `#[serde(deny_unknown_fields)]`
//! gives `"additionalProperties": false`.
//!
//! [`parameters_of`] turns schemars' output into the plain schema models are
//! given (OpenCode's shape): an object with `type`, `properties`, `required`
//! and `additionalProperties`, every sub-schema inline, each parameter with
//! one type. `tests/schemas.rs` pins every tool's result.

use code_mesh_runtime::model::ToolSpec;
use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value};
use std::sync::OnceLock;

/// A tool's spec: `name`, `description`, and the parameter schema of `T`.
///
/// Generating takes a while and a tool's spec is asked for on every model
/// request, so the schema is made on the first call into `cache` (each
/// tool's own `static`) and cloned after.
pub(crate) fn tool_spec<T: JsonSchema>(
    name: &str,
    description: &str,
    cache: &'static OnceLock<Value>,
) -> ToolSpec {
    ToolSpec {
        name: name.to_string(),
        description: description.to_string(),
        parameters: cache.get_or_init(parameters_of::<T>).clone(),
    }
}

/// The parameter schema of a tool whose arguments are `T`, as models see it.
pub(crate) fn parameters_of<T: JsonSchema>() -> Value {
    let generator = SchemaSettings::draft2020_12()
        .with(|settings| {
            // Models get one self-contained schema: no `$defs` to resolve,
            // no `$schema` naming the draft.
            settings.inline_subschemas = true;
            settings.meta_schema = None;
        })
        .into_generator();
    let mut schema = generator.into_root_schema_for::<T>().to_value();
    if let Value::Object(root) = &mut schema {
        plain_type(root);
        // A tool without required parameters still lists none, as
        // OpenCode's schemas do.
        root.entry("required")
            .or_insert_with(|| Value::Array(Vec::new()));
    }
    schema
}

/// Makes `schema`, which describes a type (the arguments, or an array's
/// items), plain. Its `title` (the Rust name) and `description` (the type's
/// doc comment) speak to Rust readers, so both go: the model reads the
/// description of the parameter that holds the type.
fn plain_type(schema: &mut Map<String, Value>) {
    schema.remove("description");
    plain_parameter(schema);
}

/// Makes `schema`, which describes one parameter, and what it contains plain.
fn plain_parameter(schema: &mut Map<String, Value>) {
    schema.remove("title");
    drop_null(schema);
    collapse_constant_choices(schema);
    drop_number_format(schema);
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        for property in properties.values_mut() {
            if let Value::Object(property) = property {
                plain_parameter(property);
            }
        }
    }
    if let Some(Value::Object(items)) = schema.get_mut("items") {
        plain_type(items);
    }
}

/// Removes `null` from an `Option` field's types (`["string", "null"]`
/// becomes `"string"`): a model leaves an optional parameter out rather than
/// sending null, and OpenCode's schemas (and Gemini's function declarations)
/// give one type. The arguments still accept an explicit null.
fn drop_null(schema: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = schema.get_mut("type") {
        types.retain(|kind| kind != "null");
        if let [only] = types.as_mut_slice() {
            let only = only.take();
            schema.insert("type".to_string(), only);
        }
    }
    if let Some(Value::Array(values)) = schema.get_mut("enum") {
        values.retain(|value| !value.is_null());
    }
}

/// Turns the `oneOf` of string constants that schemars makes for an enum
/// whose variants have doc comments into a plain `"enum"` list, as for one
/// without: the variants' docs are for Rust readers, and a model reads the
/// parameter's description.
fn collapse_constant_choices(schema: &mut Map<String, Value>) {
    let Some(Value::Array(choices)) = schema.get("oneOf") else {
        return;
    };
    let constants: Option<Vec<Value>> = choices
        .iter()
        .map(|choice| match choice.get("const") {
            Some(Value::String(name)) => Some(Value::String(name.clone())),
            _ => None,
        })
        .collect();
    if let Some(constants) = constants {
        schema.remove("oneOf");
        schema.insert("type".to_string(), Value::String("string".to_string()));
        schema.insert("enum".to_string(), Value::Array(constants));
    }
}

/// Removes the `format` schemars gives Rust's number types (`uint`,
/// `uint64`, `double`): they are not formats JSON Schema defines, and the
/// type with its `minimum` and `maximum` says what a model needs to know.
fn drop_number_format(schema: &mut Map<String, Value>) {
    let is_number = matches!(
        schema.get("type").and_then(Value::as_str),
        Some("integer" | "number")
    );
    if is_number {
        schema.remove("format");
    }
}

#[cfg(test)]
mod tests {
    use super::parameters_of;
    use schemars::JsonSchema;
    use serde::Deserialize;
    use serde_json::json;

    /// Arguments exercising what `parameters_of` takes out.
    #[derive(Deserialize, JsonSchema)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)] // only its schema is used
    struct Args {
        /// How many
        count: Option<u32>,
        /// Which one
        choice: Choice,
        /// The entries
        entries: Vec<Entry>,
    }

    /// A choice (a doc comment the model must not see).
    #[derive(Deserialize, JsonSchema)]
    #[serde(rename_all = "lowercase")]
    enum Choice {
        /// The first.
        First,
        /// The second.
        Second,
    }

    /// One entry (a doc comment the model must not see).
    #[derive(Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)] // only its schema is used
    struct Entry {
        /// Its name
        name: String,
    }

    #[test]
    fn parameters_are_plain_and_inline() {
        assert_eq!(
            parameters_of::<Args>(),
            json!({
                "type": "object",
                "properties": {
                    "count": { "type": "integer", "minimum": 0, "description": "How many" },
                    "choice": {
                        "type": "string",
                        "enum": ["first", "second"],
                        "description": "Which one"
                    },
                    "entries": {
                        "type": "array",
                        "description": "The entries",
                        "items": {
                            "type": "object",
                            "properties": {
                                "name": { "type": "string", "description": "Its name" }
                            },
                            "required": ["name"],
                            "additionalProperties": false
                        }
                    }
                },
                "required": ["choice", "entries"],
                "additionalProperties": false
            })
        );
    }
}
