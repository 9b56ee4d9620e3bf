//! The [`PermissionGate`]: one session's rules, its "always" answers, the
//! `--yes` switch and the approver, applied to each action a tool takes.

use super::action::PermissionAction::{self, Allow, Ask, Deny};
use super::approval::{ApprovalDecision, ApprovalRequest, Approver};
use super::bash::{always_pattern, command_parts, writes_to_file};
use super::rules::{PermissionRule, PermissionRules};
use crate::protocol::AgentId;
use crate::tool::ToolError;
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

/// Decides, for one session, whether a tool's action is allowed, asked for
/// or denied, and asks when it must.
pub struct PermissionGate {
    rules: PermissionRules,
    yes: bool,
    /// Rules added by "always" answers during the session.
    granted: RefCell<PermissionRules>,
    approver: Option<Rc<dyn Approver>>,
}

impl fmt::Debug for PermissionGate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PermissionGate")
            .field("rules", &self.rules.rules().len())
            .field("yes", &self.yes)
            .field("granted", &self.granted.borrow().rules().len())
            .field("approver", &self.approver.is_some())
            .finish()
    }
}

impl PermissionGate {
    /// A gate applying `rules` (usually the defaults extended with the
    /// config's), with nobody to ask: `ask` is refused with advice, except
    /// for `edit`, which stages.
    pub fn new(rules: PermissionRules) -> Self {
        Self {
            rules,
            yes: false,
            granted: RefCell::new(PermissionRules::empty()),
            approver: None,
        }
    }

    /// The default rules with `--yes`: everything but `deny` is allowed and
    /// edits are written through. What [`crate::tool::ToolContext::new`]
    /// uses, for embedders and tests that call tools directly.
    pub fn allow_all() -> Self {
        Self::new(PermissionRules::defaults()).yes(true)
    }

    /// With `yes`, every `ask` is answered "allow" (a `deny` stays a deny):
    /// `--yes`, for automation.
    pub fn yes(mut self, yes: bool) -> Self {
        self.yes = yes;
        self
    }

    /// Asks `approver` when a rule says `ask`.
    pub fn with_approver(mut self, approver: Rc<dyn Approver>) -> Self {
        self.approver = Some(approver);
        self
    }

    /// What to do for `permission` on `target`, with `--yes` and the
    /// session's "always" answers applied but without asking anyone. A
    /// `bash` command is judged part by part, the strictest part deciding;
    /// a part that redirects into a file is never allowed without asking
    /// unless a rule names it explicitly.
    pub fn action(&self, permission: &str, target: &str) -> PermissionAction {
        let raw = if permission == "bash" {
            command_parts(target)
                .iter()
                .map(|part| self.part_action(part))
                .fold(Allow, PermissionAction::strictest)
        } else {
            self.single_action(permission, target)
        };
        match raw {
            Ask if self.yes => Allow,
            other => other,
        }
    }

    /// Checks `permission` on `target` for `agent`, asking the approver when
    /// the rules say `ask`. `title` is the line a person is shown. The error
    /// says why and what the person can change, for the agent to relay.
    pub async fn check(
        &self,
        agent: AgentId,
        permission: &str,
        target: &str,
        title: &str,
    ) -> Result<(), ToolError> {
        match self.action(permission, target) {
            Allow => Ok(()),
            Deny => Err(ToolError::PermissionDenied(format!(
                "the configuration denies {permission} `{target}`; do not try it again — \
                 do without it or ask the person to change `permission.{permission}` in \
                 .code-mesh/config.json"
            ))),
            Ask => {
                let Some(approver) = &self.approver else {
                    return Err(ToolError::PermissionDenied(format!(
                        "{permission} `{target}` needs a person's approval and nobody can give \
                         it in this run; do without it, or the person can rerun with --yes or \
                         allow it under `permission.{permission}` in .code-mesh/config.json"
                    )));
                };
                let always = self.always_patterns(permission, target);
                let request = ApprovalRequest {
                    agent,
                    permission: permission.to_string(),
                    pattern: target.to_string(),
                    always: always.clone(),
                    title: title.to_string(),
                };
                match approver.ask(request).await {
                    ApprovalDecision::Once => Ok(()),
                    ApprovalDecision::Always => {
                        let mut granted = self.granted.borrow_mut();
                        for pattern in &always {
                            granted.push(PermissionRule::new(permission, pattern, Allow));
                        }
                        Ok(())
                    }
                    ApprovalDecision::Reject { message } => {
                        Err(ToolError::PermissionDenied(match message {
                            Some(message) => {
                                format!("{permission} `{target}` was not approved: {message}")
                            }
                            None => format!(
                                "the person rejected {permission} `{target}`; do not try it \
                                 again as it was — ask them what they want instead"
                            ),
                        }))
                    }
                }
            }
        }
    }

    /// The action for one simple shell command.
    fn part_action(&self, part: &str) -> PermissionAction {
        let action = self.single_action("bash", part);
        if action == Allow && writes_to_file(part) && !self.names_explicitly(part) {
            Ask
        } else {
            action
        }
    }

    /// The rules' action with the session's "always" answers over them; an
    /// "always" never lifts a `deny`.
    fn single_action(&self, permission: &str, target: &str) -> PermissionAction {
        let action = self.rules.action(permission, target);
        if action == Ask
            && self
                .granted
                .borrow()
                .rules()
                .iter()
                .any(|rule| rule.permission == permission && rule.matches(permission, target))
        {
            return Allow;
        }
        action
    }

    /// Whether a rule other than a catch-all or a default read-only one
    /// allows this exact command: only then may it redirect into a file.
    fn names_explicitly(&self, part: &str) -> bool {
        self.rules
            .rules()
            .iter()
            .rev()
            .find(|rule| rule.matches("bash", part))
            .is_some_and(|rule| !rule.pattern.ends_with('*'))
    }

    /// The patterns an "always" answer to `permission` on `target` grants.
    fn always_patterns(&self, permission: &str, target: &str) -> Vec<String> {
        if permission != "bash" {
            return vec![target.to_string()];
        }
        let mut patterns: Vec<String> = command_parts(target)
            .iter()
            .filter(|part| self.part_action(part) == Ask)
            .map(|part| always_pattern(part))
            .collect();
        patterns.dedup();
        patterns
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_trait::async_trait;
    use std::cell::Cell;

    /// Answers every question with `decision` and counts the questions.
    struct Answering {
        decision: ApprovalDecision,
        asked: Cell<usize>,
    }

    #[async_trait(?Send)]
    impl Approver for Answering {
        async fn ask(&self, _: ApprovalRequest) -> ApprovalDecision {
            self.asked.set(self.asked.get() + 1);
            self.decision.clone()
        }
    }

    fn gate(decision: ApprovalDecision) -> (PermissionGate, Rc<Answering>) {
        let approver = Rc::new(Answering {
            decision,
            asked: Cell::new(0),
        });
        let gate = PermissionGate::new(PermissionRules::defaults()).with_approver(approver.clone());
        (gate, approver)
    }

    fn check(gate: &PermissionGate, command: &str) -> Result<(), ToolError> {
        futures::executor::block_on(gate.check(AgentId(1), "bash", command, command))
    }

    #[test]
    fn always_covers_later_commands_with_the_same_prefix() {
        let (gate, approver) = gate(ApprovalDecision::Always);
        check(&gate, "cargo test -p a").unwrap();
        check(&gate, "cargo test -p b").unwrap();
        assert_eq!(approver.asked.get(), 1);
        check(&gate, "cargo build").unwrap();
        assert_eq!(approver.asked.get(), 2);
    }

    #[test]
    fn a_compound_command_is_as_strict_as_its_strictest_part() {
        let (gate, approver) = gate(ApprovalDecision::Once);
        check(&gate, "ls && git status").unwrap();
        assert_eq!(approver.asked.get(), 0);
        check(&gate, "ls && rm -rf x").unwrap();
        assert_eq!(approver.asked.get(), 1);
        assert_eq!(gate.action("bash", "echo hi > f.txt"), Ask);
        assert_eq!(gate.action("bash", "echo $(touch f)"), Ask);
    }

    #[test]
    fn yes_allows_what_is_asked_but_not_what_is_denied() {
        let rules = PermissionRules::defaults().extended(
            &serde_json::from_value(serde_json::json!({ "bash": { "rm *": "deny" } })).unwrap(),
        );
        let gate = PermissionGate::new(rules).yes(true);
        assert_eq!(gate.action("bash", "cargo test"), Allow);
        assert_eq!(gate.action("edit", "src/a.rs"), Allow);
        assert_eq!(gate.action("bash", "cargo test; rm -rf /"), Deny);
        assert!(check(&gate, "rm -rf /").is_err());
    }

    #[test]
    fn without_an_approver_an_ask_is_refused_with_advice() {
        let gate = PermissionGate::new(PermissionRules::defaults());
        let error = check(&gate, "cargo test").unwrap_err().to_string();
        assert!(error.contains("--yes"), "{error}");
        assert!(error.contains("permission.bash"), "{error}");
    }
}
