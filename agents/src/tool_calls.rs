//! Runs the tool calls of one model answer and turns each into the result the
//! model will read. A bad call (unknown tool, malformed arguments, a tool
//! error) becomes an error result, never a failed task: the model sees what
//! went wrong and can try again.

use crate::mesh_tools::{call_mesh_tool, is_mesh_tool};
use code_mesh_runtime::model::{ChatMessage, ToolCall};
use code_mesh_runtime::protocol::Event;
use code_mesh_runtime::role::AgentContext;
use code_mesh_runtime::tool::ToolContext;
use futures::future::join_all;

/// Runs `calls` and returns one `Tool` message per call, in the calls' order.
///
/// Calls run concurrently when every one of them is read-only (reads and
/// searches do not interfere); otherwise one after another, in order, since a
/// later edit may depend on an earlier one.
pub(crate) async fn run_tool_calls(ctx: &AgentContext, calls: &[ToolCall]) -> Vec<ChatMessage> {
    let tool_ctx = ctx.tool_context();
    let all_read_only = calls.iter().all(|call| {
        ctx.tools()
            .get(&call.name)
            .is_some_and(|tool| tool.is_read_only())
    });
    if all_read_only {
        join_all(calls.iter().map(|call| run_one(ctx, &tool_ctx, call))).await
    } else {
        let mut results = Vec::with_capacity(calls.len());
        for call in calls {
            results.push(run_one(ctx, &tool_ctx, call).await);
        }
        results
    }
}

/// Runs one call, reporting its beginning and end as events.
async fn run_one(ctx: &AgentContext, tool_ctx: &ToolContext, call: &ToolCall) -> ChatMessage {
    let parsed = parse_arguments(&call.arguments);
    ctx.emit(Event::ToolCallBegin {
        agent: ctx.agent(),
        call_id: call.id.clone(),
        tool: call.name.clone(),
        arguments: parsed
            .clone()
            .unwrap_or_else(|_| serde_json::Value::String(call.arguments.clone())),
    });

    let result = match (ctx.tools().get(&call.name), parsed) {
        (_, Ok(arguments)) if is_mesh_tool(ctx, &call.name) => {
            call_mesh_tool(ctx, &call.name, arguments)
                .await
                .map(|(title, output)| code_mesh_runtime::tool::ToolOutput::new(title, output))
                .map_err(|message| (call.name.clone(), message))
        }
        (None, _) => Err((
            call.name.clone(),
            format!(
                "unknown tool `{}`; available tools: {}",
                call.name,
                ctx.tools().names().collect::<Vec<_>>().join(", ")
            ),
        )),
        (Some(_), Err(message)) => Err((call.name.clone(), message)),
        (Some(tool), Ok(arguments)) => tool
            .call(arguments, tool_ctx)
            .await
            .map_err(|e| (call.name.clone(), e.to_string())),
    };

    let (title, output, is_error) = match result {
        Ok(out) => (out.title, out.output, false),
        Err((title, message)) => (title, format!("Error: {message}"), true),
    };
    ctx.emit(Event::ToolCallEnd {
        agent: ctx.agent(),
        call_id: call.id.clone(),
        tool: call.name.clone(),
        title,
        output: output.clone(),
        is_error,
    });
    ChatMessage::Tool {
        call_id: call.id.clone(),
        content: output,
    }
}

/// The model's argument text as a JSON object. Empty text means no arguments
/// (some servers send `""` for a tool without parameters).
fn parse_arguments(text: &str) -> Result<serde_json::Value, String> {
    if text.trim().is_empty() {
        return Ok(serde_json::Value::Object(Default::default()));
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(value @ serde_json::Value::Object(_)) => Ok(value),
        Ok(_) => Err("the arguments must be a JSON object matching the tool's schema".into()),
        Err(e) => Err(format!(
            "the arguments are not valid JSON ({e}); send a JSON object matching the tool's schema"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_arguments_mean_an_empty_object() {
        assert_eq!(parse_arguments("  ").unwrap(), serde_json::json!({}));
    }

    #[test]
    fn malformed_arguments_explain_the_json_error() {
        let err = parse_arguments(r#"{"filePath": "a.txt""#).unwrap_err();
        assert!(err.contains("not valid JSON"), "{err}");
        assert!(err.contains("EOF"), "{err}");
    }

    #[test]
    fn non_object_arguments_are_refused() {
        assert!(parse_arguments("[1,2]").is_err());
    }
}
