//! Notices a model stuck calling the same tool with the same arguments.

use code_mesh_runtime::model::ToolCall;

/// Counts how many times in a row the same call (tool and arguments) was made.
#[derive(Debug, Default)]
pub(crate) struct RepeatGuard {
    last: Option<(String, String)>,
    count: u32,
}

impl RepeatGuard {
    /// Records `call` and returns how many times in a row it has now been made.
    pub(crate) fn record(&mut self, call: &ToolCall) -> u32 {
        let key = (call.name.clone(), normalized_arguments(&call.arguments));
        if self.last.as_ref() == Some(&key) {
            self.count += 1;
        } else {
            self.last = Some(key);
            self.count = 1;
        }
        self.count
    }
}

/// Arguments compared by meaning, not spelling: `{"a":1, "b":2}` equals
/// `{"b": 2,"a": 1}`. Malformed JSON is compared as text.
fn normalized_arguments(arguments: &str) -> String {
    serde_json::from_str::<serde_json::Value>(arguments)
        .map(|v| sorted_keys(v).to_string())
        .unwrap_or_else(|_| arguments.trim().to_string())
}

/// `value` with every object's keys in sorted order: the workspace builds
/// serde_json with `preserve_order`, so objects otherwise keep the order
/// the model wrote them in.
fn sorted_keys(value: serde_json::Value) -> serde_json::Value {
    match value {
        serde_json::Value::Object(map) => {
            let mut entries: Vec<_> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, sorted_keys(v)))
                    .collect(),
            )
        }
        serde_json::Value::Array(items) => {
            serde_json::Value::Array(items.into_iter().map(sorted_keys).collect())
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: &str) -> ToolCall {
        ToolCall {
            id: "x".into(),
            name: name.into(),
            arguments: args.into(),
        }
    }

    #[test]
    fn same_call_with_reordered_keys_counts_as_repeat() {
        let mut guard = RepeatGuard::default();
        assert_eq!(guard.record(&call("read", r#"{"a":1,"b":2}"#)), 1);
        assert_eq!(guard.record(&call("read", r#"{"b": 2, "a": 1}"#)), 2);
        assert_eq!(guard.record(&call("read", r#"{"a":1,"b":2}"#)), 3);
    }

    #[test]
    fn different_call_resets_the_count() {
        let mut guard = RepeatGuard::default();
        guard.record(&call("read", "{}"));
        guard.record(&call("read", "{}"));
        assert_eq!(guard.record(&call("list", "{}")), 1);
        assert_eq!(guard.record(&call("read", "{}")), 1);
    }
}
