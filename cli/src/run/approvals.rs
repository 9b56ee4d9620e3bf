//! Answering an agent's approval request: the person at the terminal
//! decides; without one, the request is refused with a reason both the
//! agent and the person can act on.

use crate::prompt;
use code_mesh_cli::render::Render;
use code_mesh_cli::unattended;
use code_mesh_runtime::permission::{ApprovalDecision, ApprovalRequest};

/// Asks the person when `interactive`, else refuses; shows the outcome as
/// one line and returns the answer for [`code_mesh_runtime::protocol::Op::Approve`].
pub async fn answer(
    request: &ApprovalRequest,
    interactive: bool,
    renderer: &mut dyn Render,
) -> anyhow::Result<ApprovalDecision> {
    let permission = &request.permission;
    if !interactive {
        let decision = unattended::refusal(request);
        let reason = unattended::reason(permission);
        renderer.approval(request, &decision, Some(&reason))?;
        return Ok(decision);
    }
    let question = format!(
        "Allow {permission} `{}`? [y] once  [a] always (`{}`)  [n] no: ",
        request.pattern,
        request.always.join("`, `")
    );
    let decision = loop {
        let answer = prompt::ask(&question).await?.map(|a| a.to_lowercase());
        match answer.as_deref() {
            Some("y" | "yes") => break ApprovalDecision::Once,
            Some("a" | "always") => break ApprovalDecision::Always,
            Some("n" | "no") | None => break ApprovalDecision::Reject { message: None },
            Some(_) => {}
        }
    };
    renderer.approval(request, &decision, None)?;
    Ok(decision)
}
