//! The TypeScript shapes of the objects the API takes and gives, added to
//! the `.d.ts` wasm-bindgen writes (it types the functions, naming these).
//! `Event` lists every tag of the protocol's events; a test keeps it in step.

use wasm_bindgen::prelude::wasm_bindgen;

/// The TypeScript declarations, as written into the `.d.ts`.
pub const TYPES: &str = r#"
/** How initProject opens a project. Every field is optional. */
export interface ProjectOptions {
  /** "provider/model" as the CLI's -m; default: the config's, else "openai/gpt-4o". */
  model?: string;
  /** Replaces the model's provider's base URL (an OpenAI-compatible server). */
  baseUrl?: string;
  /** The provider's API key; otherwise from env, config and auth.json as natively. */
  apiKey?: string;
  /** Environment variables for provider resolution (default in Node: process.env; in a browser: none). */
  env?: Record<string, string>;
  /** Like --yes: edits and asked-for tools are allowed, files written at once. Default false: edits are staged until applyChanges(). */
  yes?: boolean;
}

/** The project initProject opened. */
export interface ProjectInfo {
  /** Its root: the directory's physical path, or "/project" for files held in memory. */
  root: string;
  /** Its files, project-relative, sorted. */
  files: string[];
  /** The model its sessions use, "provider/model". */
  model: string;
}

/** Options of runPrompt. */
export interface RunOptions {
  /** Called with every event of the turn, in order; approval requests wait for approve/reject. */
  onEvent?: (event: Event) => void;
  /** Plan the request first (true), never (false); default: by the request's size. */
  plan?: boolean;
}

/** What a turn leaves. */
export interface RunResult {
  sessionId: string;
  /** The final answer text of the turn. */
  answer: string;
  /** What is staged now. */
  changes: ChangedFile[];
  /** The unified diff of everything staged. */
  diff: string;
}

/** One staged (or applied) file, as the protocol's JSON names it. */
export interface ChangedFile {
  /** Relative to the project root. */
  path: string;
  status: "added" | "modified" | "deleted";
  /** Lines added. */
  additions: number;
  /** Lines removed. */
  deletions: number;
}

/** An event of the runtime: exactly the JSON lines `code-mesh run --format json` prints, tagged by `type`. */
export type Event =
  | { type: "session_started"; session_id: string; model: string; project: string }
  | { type: "task_queued"; task: number; role: string; description: string; depends_on?: number[] }
  | { type: "plan_proposed"; task: number; plan: object }
  | { type: "plan_updated"; plan: object }
  | { type: "agent_spawned"; agent: number; role: string; task: number }
  | { type: "task_started"; task: number; agent: number; attempt: number }
  | { type: "agent_message_delta"; agent: number; delta: string }
  | { type: "tool_call_begin"; agent: number; call_id: string; tool: string; arguments: unknown }
  | { type: "tool_call_end"; agent: number; call_id: string; tool: string; title: string; output: string; is_error: boolean }
  | { type: "todo_updated"; agent: number; todos: object[] }
  | { type: "change_staged"; agent: number; path: string; written: boolean }
  | { type: "approval_requested"; id: number; agent: number; permission: string; pattern: string; always: string[]; title: string }
  | { type: "changes"; files: ChangedFile[]; diff: string }
  | { type: "changes_applied"; files: string[] }
  | { type: "changes_rejected"; files: string[] }
  | { type: "changes_undone"; files: string[] }
  | { type: "usage"; agent: number; usage: Usage; cost_usd?: number }
  | { type: "compacted"; agent: number; before_tokens: number; after_tokens: number; summarized: boolean }
  | { type: "message_delivered"; to: number; envelope: object }
  | { type: "agent_restarted"; agent: number; task: number; attempt: number; reason: string }
  | { type: "task_finished"; task: number; agent: number; summary: string }
  | { type: "task_failed"; task: number; reason: string; attempts: number }
  | { type: "agent_retired"; agent: number; role: string }
  | { type: "status"; report: object }
  | { type: "error"; message: string }
  | { type: "turn_complete"; status: "completed" | "failed" | "cancelled"; answer?: string; error?: string; usage: Usage; cost_usd?: number };

/** Tokens counted for model requests. */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT_SECTION: &str = TYPES;

#[cfg(test)]
mod tests {
    use super::TYPES;
    use code_mesh_runtime::protocol::Event;

    /// Every tag the protocol's `Event` deserializes, read from serde's own
    /// list of the variants it expects: it grows with the enum, so a new
    /// event cannot be missed.
    fn event_tags() -> Vec<String> {
        let error = serde_json::from_str::<Event>(r#"{"type":"no such event"}"#)
            .expect_err("an unknown tag is refused")
            .to_string();
        let expected = error
            .split("expected one of ")
            .nth(1)
            .expect("serde lists the variants it expects");
        expected
            .split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn every_protocol_event_tag_is_in_the_typescript_event_union() {
        let tags = event_tags();
        assert!(tags.len() > 20, "{tags:?}");
        assert!(tags.contains(&"turn_complete".to_string()), "{tags:?}");
        for tag in &tags {
            let member = format!("{{ type: \"{tag}\";");
            assert!(
                TYPES.contains(&member),
                "the TypeScript `Event` union lacks `{tag}`: add it to wasm/src/typescript.rs"
            );
        }
        let members = TYPES.matches("| { type: ").count();
        assert_eq!(
            members,
            tags.len(),
            "the union names an event the protocol lacks"
        );
    }
}
