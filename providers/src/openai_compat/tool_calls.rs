//! Assembling streamed tool-call fragments into complete [`ToolCall`]s.
//!
//! OpenAI opens each call with a fragment carrying `index`, `id` and the
//! function's name, then streams the arguments in fragments that carry only
//! the `index`. Some compatible servers differ: they send each call whole,
//! reuse index 0 for every call, or omit the index. A fragment with a new id
//! therefore always starts a new call, and one without an index continues
//! the last call.

use super::chunk::ToolCallDelta;
use code_mesh_runtime::model::ToolCall;
use std::collections::HashMap;

/// The tool calls of one answer, in the order the model opened them.
#[derive(Debug, Default)]
pub(crate) struct ToolCallAssembler {
    calls: Vec<ToolCall>,
    /// Which call each streamed index currently refers to.
    by_index: HashMap<u32, usize>,
    /// Calls handed out so far, for numbering calls that came without an id.
    taken: usize,
}

impl ToolCallAssembler {
    /// Adds one fragment.
    pub(crate) fn add(&mut self, delta: ToolCallDelta) {
        let id = delta.id.filter(|id| !id.is_empty());
        let slot = match delta.index {
            Some(index) => match self.by_index.get(&index) {
                Some(&slot) if !starts_another_call(&self.calls[slot], id.as_deref()) => slot,
                _ => {
                    let slot = self.open();
                    self.by_index.insert(index, slot);
                    slot
                }
            },
            None if id.is_some() || self.calls.is_empty() => self.open(),
            None => self.calls.len() - 1,
        };

        let call = &mut self.calls[slot];
        if let Some(id) = id {
            call.id = id;
        }
        if let Some(function) = delta.function {
            if let Some(arguments) = function.arguments_text() {
                call.arguments.push_str(&arguments);
            }
            // Servers that repeat the name on every fragment must not
            // make it `readreadread`.
            if let Some(name) = function.name.filter(|name| !name.is_empty())
                && call.name.is_empty()
            {
                call.name = name;
            }
        }
    }

    /// The calls assembled so far, complete; the assembler starts over.
    /// Calls the model gave no id get `call_<n>`.
    pub(crate) fn take(&mut self) -> Vec<ToolCall> {
        self.by_index.clear();
        let mut calls = std::mem::take(&mut self.calls);
        for call in &mut calls {
            self.taken += 1;
            if call.id.is_empty() {
                call.id = format!("call_{}", self.taken);
            }
        }
        calls
    }

    fn open(&mut self) -> usize {
        self.calls.push(ToolCall {
            id: String::new(),
            name: String::new(),
            arguments: String::new(),
        });
        self.calls.len() - 1
    }
}

/// Whether a fragment with `id` belongs to a call other than `call`.
fn starts_another_call(call: &ToolCall, id: Option<&str>) -> bool {
    matches!(id, Some(id) if !call.id.is_empty() && call.id != id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openai_compat::chunk::FunctionDelta;
    use serde_json::Value;

    fn fragment(
        index: Option<u32>,
        id: Option<&str>,
        name: Option<&str>,
        args: &str,
    ) -> ToolCallDelta {
        ToolCallDelta {
            index,
            id: id.map(str::to_string),
            function: Some(FunctionDelta {
                name: name.map(str::to_string),
                arguments: Some(Value::String(args.to_string())),
            }),
        }
    }

    fn call(id: &str, name: &str, arguments: &str) -> ToolCall {
        ToolCall {
            id: id.into(),
            name: name.into(),
            arguments: arguments.into(),
        }
    }

    #[test]
    fn fragments_are_joined_by_index_in_opening_order() {
        let mut calls = ToolCallAssembler::default();
        calls.add(fragment(Some(0), Some("call_a"), Some("read"), ""));
        calls.add(fragment(Some(0), None, None, "{\"filePath\""));
        calls.add(fragment(
            Some(1),
            Some("call_b"),
            Some("glob"),
            "{\"pattern\":",
        ));
        calls.add(fragment(Some(0), None, None, ":\"a.rs\"}"));
        calls.add(fragment(Some(1), None, None, "\"*.rs\"}"));
        assert_eq!(
            calls.take(),
            vec![
                call("call_a", "read", r#"{"filePath":"a.rs"}"#),
                call("call_b", "glob", r#"{"pattern":"*.rs"}"#),
            ]
        );
        assert!(calls.take().is_empty());
    }

    #[test]
    fn a_new_id_on_a_reused_index_starts_a_new_call() {
        let mut calls = ToolCallAssembler::default();
        calls.add(fragment(Some(0), Some("call_a"), Some("read"), "{}"));
        calls.add(fragment(Some(0), Some("call_b"), Some("list"), "{}"));
        let taken = calls.take();
        assert_eq!(taken.len(), 2);
        assert_eq!(taken[1], call("call_b", "list", "{}"));
    }

    #[test]
    fn fragments_without_index_continue_the_last_call() {
        let mut calls = ToolCallAssembler::default();
        calls.add(fragment(None, Some("call_a"), Some("read"), "{\"a\""));
        calls.add(fragment(None, None, None, ":1}"));
        assert_eq!(calls.take(), vec![call("call_a", "read", r#"{"a":1}"#)]);
    }

    #[test]
    fn repeated_names_are_not_concatenated_and_missing_ids_are_numbered() {
        let mut calls = ToolCallAssembler::default();
        calls.add(fragment(Some(0), None, Some("read"), "{"));
        calls.add(fragment(Some(0), None, Some("read"), "}"));
        assert_eq!(calls.take(), vec![call("call_1", "read", "{}")]);
    }

    #[test]
    fn object_arguments_are_kept_as_json_text() {
        let mut calls = ToolCallAssembler::default();
        calls.add(ToolCallDelta {
            index: Some(0),
            id: Some("c".into()),
            function: Some(FunctionDelta {
                name: Some("read".into()),
                arguments: Some(serde_json::json!({"filePath": "a"})),
            }),
        });
        assert_eq!(calls.take(), vec![call("c", "read", r#"{"filePath":"a"}"#)]);
    }
}
