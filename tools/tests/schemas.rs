//! Each tool's parameter schema, as a model sees it, pinned by a snapshot in
//! `tests/schemas/<tool>.json`.
//!
//! A change to a tool's arguments that changes its schema fails
//! `every_schema_matches_its_snapshot` until the snapshot is rewritten:
//!
//! ```text
//! UPDATE_SCHEMAS=1 cargo test -p code-mesh-tools --test schemas
//! ```
//!
//! rewrites every snapshot from the current schemas; review the diff before
//! committing it, since that diff is what models will see differently.

// Test code: a failed expectation should stop the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use code_mesh_tools::builtin_tools;
use serde_json::Value;
use std::path::PathBuf;

/// Where `tool`'s snapshot lives.
fn snapshot_path(tool: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/schemas")
        .join(format!("{tool}.json"))
}

/// `value` as the snapshot files hold it: pretty-printed, newline-ended.
fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).expect("a schema serializes") + "\n"
}

#[test]
fn every_schema_matches_its_snapshot() {
    let update = std::env::var("UPDATE_SCHEMAS").is_ok_and(|value| value == "1");
    for spec in builtin_tools().specs() {
        let path = snapshot_path(&spec.name);
        let actual = pretty(&spec.parameters);
        if update {
            std::fs::write(&path, &actual).expect("the snapshot is writable");
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|error| {
            panic!(
                "no snapshot for {} at {} ({error}); run with UPDATE_SCHEMAS=1 to write it",
                spec.name,
                path.display()
            )
        });
        assert_eq!(
            actual,
            expected,
            "{}'s parameter schema differs from {}; if the change is meant, rerun with \
             UPDATE_SCHEMAS=1 and review the diff",
            spec.name,
            path.display()
        );
    }
}

#[test]
fn every_schema_is_a_plain_object_whose_properties_are_described() {
    for spec in builtin_tools().specs() {
        assert_eq!(spec.parameters["type"], "object", "{}", spec.name);
        assert_no_references(&spec.name, &spec.parameters);
        assert_properties_described(&spec.name, &spec.parameters);
    }
}

/// Fails if `schema` has a `$ref` or `$defs` anywhere: a model gets every
/// sub-schema inline.
fn assert_no_references(tool: &str, schema: &Value) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                assert!(
                    key != "$ref" && key != "$defs" && key != "definitions",
                    "{tool}: `{key}` in {schema}"
                );
                assert_no_references(tool, value);
            }
        }
        Value::Array(values) => {
            for value in values {
                assert_no_references(tool, value);
            }
        }
        _ => {}
    }
}

/// Fails unless every property of `schema`, and of the objects nested in
/// it (array items included), has a non-empty description.
fn assert_properties_described(tool: &str, schema: &Value) {
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, property) in properties {
            let description = property.get("description").and_then(Value::as_str);
            assert!(
                description.is_some_and(|text| !text.trim().is_empty()),
                "{tool}: property {name} has no description"
            );
            assert_properties_described(tool, property);
        }
    }
    if let Some(items) = schema.get("items") {
        assert_properties_described(tool, items);
    }
}
