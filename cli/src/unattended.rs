//! Approval requests nobody can answer (no terminal, `--format json`, the
//! npm build): refused, with advice for the agent and a reason for the
//! person, the same words in both front ends.

use code_mesh_runtime::permission::{ApprovalDecision, ApprovalRequest};

/// The refusal of `request`, whose message tells the agent to do without
/// and what the person could change.
pub fn refusal(request: &ApprovalRequest) -> ApprovalDecision {
    let permission = &request.permission;
    ApprovalDecision::Reject {
        message: Some(format!(
            "nobody can approve anything in this non-interactive run; do without it \
             (the person can rerun with --yes, or allow it under `permission.{permission}` \
             in .code-mesh/config.json)"
        )),
    }
}

/// Why a request for `permission` was refused and what allows it, shown
/// after the refusal's line (see [`crate::render::Render::approval`]).
pub fn reason(permission: &str) -> String {
    format!(
        "nobody can approve it in this non-interactive run; --yes or \
         `permission.{permission}` in .code-mesh/config.json allows it"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Render, TextRenderer};
    use code_mesh_runtime::protocol::AgentId;

    #[test]
    fn the_refusal_line_says_what_allows_it() {
        let request = ApprovalRequest {
            agent: AgentId(1),
            permission: "bash".into(),
            pattern: "rm -rf x".into(),
            always: vec!["rm *".into()],
            title: "Clean".into(),
        };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        TextRenderer::new(&mut out, &mut err)
            .approval(&request, &refusal(&request), Some(&reason("bash")))
            .unwrap();
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "✗ bash  refused `rm -rf x`: nobody can approve it in this non-interactive run; \
             --yes or `permission.bash` in .code-mesh/config.json allows it\n"
        );
        let ApprovalDecision::Reject {
            message: Some(message),
        } = refusal(&request)
        else {
            panic!("not a refusal with a message");
        };
        assert!(message.contains("--yes"), "{message}");
    }
}
