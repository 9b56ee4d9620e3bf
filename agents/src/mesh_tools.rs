//! The tools an agent of a plan run has besides the project's: `add_task`
//! (grow or split the plan), `message` (talk to another agent or role,
//! optionally waiting for the reply) and `note_file` (a one-line file
//! summary on the blackboard). They are requests to the Supervisor through
//! [`AgentContext::ask_supervisor`], not registry tools: they need the
//! agent's own link, and outside a plan run there is nobody to talk to, so
//! they are offered only there. Their schemas are derived from the types
//! below (and from [`PlannedTask`] for `add_task`).

use code_mesh_runtime::model::ToolSpec;
use code_mesh_runtime::protocol::{AgentId, AgentRequest, Envelope, PlannedTask, Recipient};
use code_mesh_runtime::role::AgentContext;
use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;

/// The name of the tool that adds a task to the running plan.
pub const ADD_TASK_TOOL: &str = "add_task";

/// The name of the tool that messages another agent or a role.
pub const MESSAGE_TOOL: &str = "message";

/// The name of the tool that notes a file on the blackboard.
pub const NOTE_FILE_TOOL: &str = "note_file";

/// The `message` tool's arguments.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct MessageArgs {
    /// Who to message: a role (`planner`, `coder`, `reviewer`, …) or one
    /// agent (`agent 3`).
    pub to: String,
    /// What to say or ask.
    pub text: String,
    /// Wait for the answer and get it as this tool's result.
    #[serde(default)]
    pub wait_for_reply: bool,
}

/// The `note_file` tool's arguments.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct NoteFileArgs {
    /// The file, relative to the project root.
    pub path: String,
    /// What the file holds, in one line, for the agents that come after.
    pub summary: String,
}

/// The mesh tools offered to the agent of `ctx`: all three in a plan run,
/// none outside one.
pub(crate) fn mesh_tool_specs(ctx: &AgentContext) -> Vec<ToolSpec> {
    if !ctx.in_plan() {
        return Vec::new();
    }
    vec![
        spec::<PlannedTask>(
            ADD_TASK_TOOL,
            "Add a task to the running plan (to split your task, add its parts and finish \
             yours). Give a new unique id, a precise description, the files it will touch and \
             the ids of the tasks it must wait for (yours included, if it builds on your work).",
        ),
        spec::<MessageArgs>(
            MESSAGE_TOOL,
            "Send a message to another agent or role through the Supervisor, e.g. ask the \
             planner about the plan. With wait_for_reply, the answer comes back as this tool's \
             result. To answer a message you received, send it to the agent it came from.",
        ),
        spec::<NoteFileArgs>(
            NOTE_FILE_TOOL,
            "Note in one line what a file holds, on the blackboard the other agents read.",
        ),
    ]
}

/// Whether `name` is a mesh tool offered to the agent of `ctx`.
pub(crate) fn is_mesh_tool(ctx: &AgentContext, name: &str) -> bool {
    ctx.in_plan() && [ADD_TASK_TOOL, MESSAGE_TOOL, NOTE_FILE_TOOL].contains(&name)
}

/// Runs mesh tool `name` with `arguments`; the title for people and the
/// output for the model, or the error for the model.
pub(crate) async fn call_mesh_tool(
    ctx: &AgentContext,
    name: &str,
    arguments: serde_json::Value,
) -> Result<(String, String), String> {
    let (title, request) = match name {
        ADD_TASK_TOOL => {
            let task: PlannedTask = parse(name, arguments)?;
            (
                format!("add task {}", task.id),
                AgentRequest::AddTask { task },
            )
        }
        MESSAGE_TOOL => {
            let args: MessageArgs = parse(name, arguments)?;
            (
                format!("message {}", args.to),
                AgentRequest::Message {
                    to: recipient(&args.to),
                    text: args.text,
                    wait_for_reply: args.wait_for_reply,
                },
            )
        }
        NOTE_FILE_TOOL => {
            let args: NoteFileArgs = parse(name, arguments)?;
            (
                format!("note {}", args.path),
                AgentRequest::NoteFile {
                    path: args.path,
                    summary: args.summary,
                },
            )
        }
        other => return Err(format!("`{other}` is not a mesh tool")),
    };
    ctx.ask_supervisor(request)
        .await
        .map(|answer| (title, answer))
        .map_err(|e| e.to_string())
}

/// How a message from another agent is put to the model.
pub(crate) fn incoming_message(envelope: &Envelope) -> String {
    let from = envelope
        .from
        .map_or_else(|| "the person".to_string(), |agent| agent.to_string());
    let text = envelope.body["text"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| envelope.body.to_string());
    let mut message = format!("<message from=\"{from}\">\n{text}\n</message>");
    if envelope.body["wait_for_reply"] == json!(true) && envelope.from.is_some() {
        message.push_str(&format!(
            "\n{from} waits for your reply: answer with the `{MESSAGE_TOOL}` tool, to \"{from}\"."
        ));
    }
    message
}

/// `to` as a recipient: one agent for `agent 3`, `agent-3` or `3`; a role
/// otherwise.
fn recipient(to: &str) -> Recipient {
    let to = to.trim();
    let number = to
        .strip_prefix("agent")
        .map(|rest| rest.trim_start_matches([' ', '-', '_']))
        .unwrap_or(to);
    match number.parse::<u64>() {
        Ok(n) => Recipient::Agent(AgentId(n)),
        Err(_) => Recipient::Role(to.to_string()),
    }
}

fn parse<T: DeserializeOwned>(name: &str, arguments: serde_json::Value) -> Result<T, String> {
    serde_json::from_value(arguments)
        .map_err(|e| format!("the arguments do not match `{name}`'s schema: {e}"))
}

fn spec<T: JsonSchema>(name: &str, description: &str) -> ToolSpec {
    let mut parameters = serde_json::to_value(schemars::schema_for!(T)).unwrap_or(json!({}));
    // The schema's own metadata means nothing to a model's tool parameters.
    if let Some(object) = parameters.as_object_mut() {
        object.remove("$schema");
        object.remove("title");
    }
    ToolSpec {
        name: name.to_string(),
        description: description.to_string(),
        parameters,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents_are_named_by_number_and_anything_else_is_a_role() {
        assert_eq!(recipient("agent 3"), Recipient::Agent(AgentId(3)));
        assert_eq!(recipient("agent-12"), Recipient::Agent(AgentId(12)));
        assert_eq!(recipient("7"), Recipient::Agent(AgentId(7)));
        assert_eq!(recipient("planner"), Recipient::Role("planner".into()));
    }

    #[test]
    fn a_message_waiting_for_a_reply_says_how_to_answer() {
        let envelope = Envelope {
            from: Some(AgentId(2)),
            to: Recipient::Agent(AgentId(4)),
            body: json!({ "text": "Which file holds the parser?", "wait_for_reply": true }),
        };
        let text = incoming_message(&envelope);
        assert!(text.contains("<message from=\"agent 2\">\nWhich file holds the parser?"));
        assert!(text.contains("answer with the `message` tool, to \"agent 2\""));
    }

    #[test]
    fn the_add_task_schema_is_a_planned_tasks() {
        let schema = spec::<PlannedTask>(ADD_TASK_TOOL, "")
            .parameters
            .to_string();
        for word in ["id", "description", "files", "depends_on"] {
            assert!(schema.contains(&format!("\"{word}\"")), "{word}: {schema}");
        }
    }
}
