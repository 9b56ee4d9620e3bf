//! Notices a model stuck calling the same tool with the same arguments.

use code_mesh_runtime::model::ToolCall;

/// Counts how many times in a row the same call (tool and arguments) was made.
#[derive(Debug, Default)]
pub(crate) struct RepeatGuard {
    last: Option<(String, Arguments)>,
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

/// A call's arguments, compared by meaning, not spelling.
#[derive(Debug, PartialEq)]
enum Arguments {
    /// Valid JSON: objects compare equal whatever their key order
    /// (`{"a":1, "b":2}` equals `{"b": 2,"a": 1}`).
    Json(serde_json::Value),
    /// Malformed JSON, compared as trimmed text.
    Text(String),
}

/// `arguments` in the form calls are compared in.
fn normalized_arguments(arguments: &str) -> Arguments {
    serde_json::from_str::<serde_json::Value>(arguments)
        .map(Arguments::Json)
        .unwrap_or_else(|_| Arguments::Text(arguments.trim().to_string()))
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
