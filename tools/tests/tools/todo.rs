use crate::support::Project;
use code_mesh_runtime::EventSink;
use code_mesh_runtime::protocol::{AgentId, Event, Todo, TodoPriority, TodoStatus};
use code_mesh_runtime::tool::{Tool, ToolError};
use code_mesh_tools::TodoWriteTool;
use serde_json::json;

fn checklist() -> serde_json::Value {
    json!({ "todos": [
        { "id": "1", "content": "Read the parser", "status": "completed", "priority": "high" },
        { "id": "2", "content": "Fix the off-by-one", "status": "in_progress", "priority": "high" },
        { "id": "3", "content": "Add a test", "status": "pending", "priority": "medium" }
    ]})
}

#[tokio::test(flavor = "current_thread")]
async fn todowrite_emits_the_whole_list_as_an_event() {
    let project = Project::new();
    let (events, mut stream) = EventSink::channel();
    let ctx = project.ctx.clone().with_events(events);
    let tool = TodoWriteTool::new();
    let written = tool.call(checklist(), &ctx).await.expect("written");
    assert_eq!(written.title, "2 todos");

    let Ok(Event::TodoUpdated { agent, todos }) = stream.try_recv() else {
        panic!("expected a TodoUpdated event");
    };
    assert_eq!(agent, ctx.agent);
    assert_eq!(todos.len(), 3);
    assert_eq!(
        todos[1],
        Todo {
            id: "2".into(),
            content: "Fix the off-by-one".into(),
            status: TodoStatus::InProgress,
            priority: TodoPriority::High,
        }
    );
    let shown: Vec<Todo> = serde_json::from_str(&written.output).expect("the list as JSON");
    assert_eq!(shown, todos);
}

#[tokio::test(flavor = "current_thread")]
async fn todowrite_replaces_the_calling_agents_checklist_only() {
    let project = Project::new();
    let tool = TodoWriteTool::new();
    tool.call(checklist(), &project.ctx).await.expect("written");
    let replacement = json!({ "todos": [
        { "id": "9", "content": "Only this", "status": "pending", "priority": "low" }
    ]});
    tool.call(replacement, &project.ctx).await.expect("written");
    let mine = tool.todos(project.ctx.agent);
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].content, "Only this");
    assert!(tool.todos(AgentId(99)).is_empty());
}

#[tokio::test(flavor = "current_thread")]
async fn todowrite_event_has_a_stable_json_form() {
    let event = Event::TodoUpdated {
        agent: AgentId(3),
        todos: vec![Todo {
            id: "a".into(),
            content: "Do it".into(),
            status: TodoStatus::Cancelled,
            priority: TodoPriority::Low,
        }],
    };
    assert_eq!(
        serde_json::to_value(&event).expect("json"),
        json!({
            "type": "todo_updated",
            "agent": 3,
            "todos": [{ "id": "a", "content": "Do it", "status": "cancelled", "priority": "low" }]
        })
    );
}

#[tokio::test(flavor = "current_thread")]
async fn todowrite_refuses_an_unknown_status_and_names_the_valid_ones() {
    let project = Project::new();
    let error = TodoWriteTool::new()
        .call(
            json!({ "todos": [{ "id": "1", "content": "x", "status": "done", "priority": "high" }] }),
            &project.ctx,
        )
        .await
        .expect_err("refused");
    assert!(
        matches!(&error, ToolError::InvalidArguments { message, .. } if message.contains("in_progress")),
        "{error}"
    );
}
