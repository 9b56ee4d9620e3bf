//! Structured answers: the model answers by calling exactly one tool whose
//! JSON Schema is derived from the answer's type, so nothing is parsed out
//! of prose.
//!
//! The Planner's plan and the Reviewer's review are asked for this way,
//! each type implementing [`StructuredAnswer`] beside its role. A call that does not fit (arguments off the schema, a value that
//! fails its own checks, another tool's name) goes back to the model as the
//! tool's error; an answer without any call gets a reminder. The model has a
//! bounded number of requests to get it right. Each call is reported to the
//! front end as a tool call, as the agent loop reports real tools.

use crate::agent_loop::stream_answer;
use code_mesh_runtime::model::{ChatMessage, ModelRequest, ToolCall, ToolSpec};
use code_mesh_runtime::protocol::Event;
use code_mesh_runtime::role::{AgentContext, RoleError};
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::json;

/// A value the model gives by calling one tool whose parameters are the
/// value's schema.
pub(crate) trait StructuredAnswer: Serialize + DeserializeOwned + JsonSchema {
    /// The name of the one tool.
    const TOOL: &'static str;
    /// What the value is called in messages: `plan`, `review`.
    const NOUN: &'static str;
    /// The tool's description, as the model sees it.
    const DESCRIPTION: &'static str;
    /// What the model is told when it answers without calling the tool.
    const REMINDER: &'static str;

    /// Checks the schema cannot express; the error is for the model.
    fn check(&self) -> Result<(), String>;

    /// The title and output the front end shows for the accepted value.
    fn summary(&self) -> (String, String);
}

/// `T`'s tool as the model sees it: its parameters are `T`'s schema.
pub(crate) fn tool_spec<T: StructuredAnswer>() -> ToolSpec {
    let mut parameters = serde_json::to_value(schemars::schema_for!(T)).unwrap_or(json!({}));
    // The schema's own metadata means nothing to a model's tool parameters.
    if let Some(object) = parameters.as_object_mut() {
        object.remove("$schema");
        object.remove("title");
    }
    ToolSpec {
        name: T::TOOL.to_string(),
        description: T::DESCRIPTION.to_string(),
        parameters,
    }
}

/// Asks the model, starting from `messages`, for a `T` through `T`'s tool,
/// in at most `attempts` model requests; the answer is the value as JSON.
/// `role` names the asker in the error when no valid value comes.
pub(crate) async fn ask_for<T: StructuredAnswer>(
    ctx: &AgentContext,
    mut messages: Vec<ChatMessage>,
    attempts: u32,
    role: &str,
) -> Result<String, RoleError> {
    let provider = ctx.provider()?;
    let tools = vec![tool_spec::<T>()];
    let mut last_problem = format!("the model never called the `{}` tool", T::TOOL);
    for _ in 0..attempts {
        let request = ModelRequest {
            model: ctx.model().model.clone(),
            messages: messages.clone(),
            tools: tools.clone(),
            ..ModelRequest::default()
        };
        let answer = stream_answer(ctx, provider.stream(request).await?).await?;
        messages.extend(answer.reasoning.into_iter().map(ChatMessage::Reasoning));
        messages.push(ChatMessage::Assistant {
            content: answer.text,
            tool_calls: answer.calls.clone(),
        });
        if answer.calls.is_empty() {
            messages.push(ChatMessage::User {
                content: T::REMINDER.to_string(),
            });
            continue;
        }
        for call in &answer.calls {
            match accept::<T>(ctx, call) {
                Ok(value) => {
                    return serde_json::to_string(&value).map_err(|e| {
                        RoleError::Failed(format!("cannot write the {}: {e}", T::NOUN))
                    });
                }
                Err(problem) => {
                    messages.push(ChatMessage::Tool {
                        call_id: call.id.clone(),
                        content: format!("Error: {problem}"),
                    });
                    last_problem = problem;
                }
            }
        }
    }
    Err(RoleError::Stopped(format!(
        "the {role} gave no valid {} in {attempts} model requests; the last problem: {last_problem}",
        T::NOUN
    )))
}

/// Reads and checks one tool call as a `T`, reporting it as a tool call to
/// the front end; returns the problem, for the model, when it is not one.
fn accept<T: StructuredAnswer>(ctx: &AgentContext, call: &ToolCall) -> Result<T, String> {
    let arguments = serde_json::from_str::<serde_json::Value>(&call.arguments)
        .unwrap_or_else(|_| serde_json::Value::String(call.arguments.clone()));
    ctx.emit(Event::ToolCallBegin {
        agent: ctx.agent(),
        call_id: call.id.clone(),
        tool: call.name.clone(),
        arguments,
    });
    let outcome = if call.name == T::TOOL {
        serde_json::from_str::<T>(&call.arguments)
            .map_err(|e| format!("the arguments do not match the {}'s schema: {e}", T::NOUN))
            .and_then(|value| value.check().map(|()| value))
    } else {
        Err(format!(
            "unknown tool `{}`; the only tool is `{}`",
            call.name,
            T::TOOL
        ))
    };
    let (title, output, is_error) = match &outcome {
        Ok(value) => {
            let (title, output) = value.summary();
            (title, output, false)
        }
        Err(problem) => (call.name.clone(), format!("Error: {problem}"), true),
    };
    ctx.emit(Event::ToolCallEnd {
        agent: ctx.agent(),
        call_id: call.id.clone(),
        tool: call.name.clone(),
        title,
        output,
        is_error,
    });
    outcome
}
