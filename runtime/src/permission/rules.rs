//! The rule list: built-in defaults, then the config's rules; the last rule
//! matching a permission and pattern decides.

use super::action::PermissionAction::{self, Allow, Ask, Deny};
use super::wildcard::wildcard_match;
use serde::{Deserialize, Serialize};

/// Commands that only look, allowed without asking by default. Everything
/// else a shell can run (and anything that redirects into a file) is asked
/// for, because a command can change files behind the change set's back.
const READ_ONLY_COMMANDS: &[&str] = &[
    "ls *",
    "pwd *",
    "cat *",
    "head *",
    "tail *",
    "wc *",
    "echo *",
    "printf *",
    "grep *",
    "rg *",
    "find *",
    "tree *",
    "file *",
    "stat *",
    "du *",
    "df *",
    "which *",
    "whoami *",
    "date *",
    "uname *",
    "sort *",
    "uniq *",
    "cut *",
    "diff *",
    "true *",
    "cd *",
    "git status *",
    "git diff *",
    "git log *",
    "git show *",
    "git branch",
    "git rev-parse *",
    "git ls-files *",
    "git blame *",
];

/// Forms of the commands above that do change things.
const WRITING_FORMS: &[&str] = &["find * -delete*", "find * -exec*", "find * -ok*"];

/// One rule: for `permission` (or `*`, every permission) and a pattern
/// matching the action's target, do `action`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionRule {
    /// `edit`, `bash`, `webfetch`, `external_directory`, a tool's name, or `*`.
    pub permission: String,
    /// A wildcard pattern over the target: a path for `edit`, a command for
    /// `bash`, a URL for `webfetch` (see [`super::wildcard_match`]).
    pub pattern: String,
    /// What to do.
    pub action: PermissionAction,
}

impl PermissionRule {
    /// A rule for `permission` and `pattern`.
    pub fn new(permission: &str, pattern: &str, action: PermissionAction) -> Self {
        Self {
            permission: permission.to_string(),
            pattern: pattern.to_string(),
            action,
        }
    }

    /// Whether the rule covers `permission` on `target`.
    /// A `*` rule covers every permission but `external_directory`, which
    /// only a rule naming it can allow: `"permission": "allow"` must not open
    /// the whole disk.
    pub(crate) fn matches(&self, permission: &str, target: &str) -> bool {
        let covers = self.permission == permission
            || (self.permission == "*" && permission != "external_directory");
        covers && wildcard_match(&self.pattern, target)
    }
}

/// An ordered list of rules; the last one that matches decides.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "serde_json::Value")]
pub struct PermissionRules {
    rules: Vec<PermissionRule>,
}

impl Default for PermissionRules {
    /// The built-in defaults alone.
    fn default() -> Self {
        Self::defaults()
    }
}

impl PermissionRules {
    /// The defaults: everything allowed, except that edits are staged for
    /// review (`edit: ask`), shell commands are asked for unless they only
    /// look (`ls`, `git status`, …), and paths outside the project are denied.
    pub fn defaults() -> Self {
        let mut rules = vec![
            PermissionRule::new("*", "*", Allow),
            PermissionRule::new("edit", "*", Ask),
            PermissionRule::new("bash", "*", Ask),
            PermissionRule::new("external_directory", "*", Deny),
        ];
        rules.extend(
            READ_ONLY_COMMANDS
                .iter()
                .map(|pattern| PermissionRule::new("bash", pattern, Allow)),
        );
        rules.extend(
            WRITING_FORMS
                .iter()
                .map(|pattern| PermissionRule::new("bash", pattern, Ask)),
        );
        Self { rules }
    }

    /// No rules at all (everything falls back to `ask`).
    pub fn empty() -> Self {
        Self { rules: Vec::new() }
    }

    /// The rules in order.
    pub fn rules(&self) -> &[PermissionRule] {
        &self.rules
    }

    /// Adds `rule` after the others, so it wins over them where it matches.
    pub fn push(&mut self, rule: PermissionRule) {
        self.rules.push(rule);
    }

    /// These rules with `later`'s after them (the config's over the defaults).
    pub fn extended(mut self, later: &PermissionRules) -> Self {
        self.rules.extend(later.rules.iter().cloned());
        self
    }

    /// What the last rule matching `permission` on `target` says; `ask`
    /// when none does.
    pub fn action(&self, permission: &str, target: &str) -> PermissionAction {
        self.rules
            .iter()
            .rev()
            .find(|rule| rule.matches(permission, target))
            .map_or(Ask, |rule| rule.action)
    }
}

/// Reads the config's `permission` value: a single action for everything
/// (`"permission": "allow"`), or an object whose keys are permissions and
/// whose values are an action or an object of pattern → action, in order.
impl TryFrom<serde_json::Value> for PermissionRules {
    type Error = String;

    fn try_from(value: serde_json::Value) -> Result<Self, Self::Error> {
        let mut rules = Vec::new();
        match value {
            serde_json::Value::String(_) => {
                rules.push(PermissionRule::new(
                    "*",
                    "*",
                    parse_action(&value, "permission")?,
                ));
            }
            serde_json::Value::Object(map) => {
                for (permission, value) in map {
                    match value {
                        serde_json::Value::Object(patterns) => {
                            for (pattern, action) in patterns {
                                let at = format!("permission.{permission}.{pattern}");
                                rules.push(PermissionRule::new(
                                    &permission,
                                    &pattern,
                                    parse_action(&action, &at)?,
                                ));
                            }
                        }
                        action => {
                            let at = format!("permission.{permission}");
                            rules.push(PermissionRule::new(
                                &permission,
                                "*",
                                parse_action(&action, &at)?,
                            ));
                        }
                    }
                }
            }
            other => {
                return Err(format!(
                    "`permission` must be \"allow\", \"ask\", \"deny\" or an object of them, not {other}"
                ));
            }
        }
        Ok(Self { rules })
    }
}

/// An action from its JSON string; `at` names the key for the error.
fn parse_action(value: &serde_json::Value, at: &str) -> Result<PermissionAction, String> {
    serde_json::from_value(value.clone())
        .map_err(|_| format!("`{at}` must be \"allow\", \"ask\" or \"deny\", not {value}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_stage_edits_ask_for_commands_and_deny_outside_paths() {
        let rules = PermissionRules::defaults();
        assert_eq!(rules.action("read", "src/main.rs"), Allow);
        assert_eq!(rules.action("edit", "src/main.rs"), Ask);
        assert_eq!(rules.action("bash", "cargo test"), Ask);
        assert_eq!(rules.action("bash", "ls -la"), Allow);
        assert_eq!(rules.action("bash", "git status"), Allow);
        assert_eq!(rules.action("bash", "find . -name x -delete"), Ask);
        assert_eq!(rules.action("external_directory", "/etc"), Deny);
    }

    #[test]
    fn config_rules_come_after_the_defaults_and_the_last_match_wins() {
        let config: PermissionRules = serde_json::from_value(json!({
            "bash": { "*": "allow", "git *": "ask", "git status": "allow", "rm *": "deny" },
            "edit": "allow"
        }))
        .unwrap();
        let rules = PermissionRules::defaults().extended(&config);
        assert_eq!(rules.action("bash", "cargo test"), Allow);
        assert_eq!(rules.action("bash", "git push"), Ask);
        assert_eq!(rules.action("bash", "git status"), Allow);
        assert_eq!(rules.action("bash", "rm -rf build"), Deny);
        assert_eq!(rules.action("edit", "a.txt"), Allow);
    }

    #[test]
    fn one_action_for_everything() {
        let config: PermissionRules = serde_json::from_value(json!("deny")).unwrap();
        let rules = PermissionRules::defaults().extended(&config);
        assert_eq!(rules.action("read", "x"), Deny);
        assert_eq!(rules.action("bash", "ls"), Deny);
    }

    #[test]
    fn allowing_everything_still_keeps_outside_paths_denied_unless_named() {
        let all: PermissionRules = serde_json::from_value(json!("allow")).unwrap();
        let rules = PermissionRules::defaults().extended(&all);
        assert_eq!(rules.action("bash", "rm -rf x"), Allow);
        assert_eq!(rules.action("external_directory", "/etc/*"), Deny);
        let named: PermissionRules =
            serde_json::from_value(json!({ "external_directory": "allow" })).unwrap();
        let rules = PermissionRules::defaults().extended(&named);
        assert_eq!(rules.action("external_directory", "/etc/*"), Allow);
    }

    #[test]
    fn a_bad_action_names_its_key() {
        let error = serde_json::from_value::<PermissionRules>(json!({ "bash": { "ls": "yes" } }))
            .unwrap_err()
            .to_string();
        assert!(error.contains("permission.bash.ls"), "{error}");
    }
}
