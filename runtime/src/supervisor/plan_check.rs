//! Whether a [`Plan`] can run: at least one task, unique ids, dependencies
//! that exist, no cycles. The planner checks its model's plan with this
//! before answering (a bad plan goes back to the model to fix), and the
//! Supervisor checks again before queueing, since any role may plan.

use crate::protocol::Plan;
use std::collections::{BTreeMap, BTreeSet};

/// Why a plan cannot run. The message is written for the model that made
/// the plan, so that it can fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// The answer was not a plan at all.
    #[error("the plan is not valid JSON of the plan's shape: {0}")]
    Malformed(String),
    /// The plan has no tasks.
    #[error("the plan has no tasks; give at least one")]
    Empty,
    /// A task has an empty id or description.
    #[error("task #{index} needs a non-empty `id` and `description`")]
    Incomplete {
        /// Its position in the plan, from 1.
        index: usize,
    },
    /// Two tasks share an id.
    #[error("two tasks have the id `{id}`; give every task its own id")]
    DuplicateId {
        /// The shared id.
        id: String,
    },
    /// A task depends on an id no task has.
    #[error("task `{task}` depends on `{missing}`, which is not a task of the plan")]
    UnknownDependency {
        /// The depending task.
        task: String,
        /// The id it names.
        missing: String,
    },
    /// The dependencies go round in a circle.
    #[error("the dependencies form a cycle through {}; a task cannot wait for itself", .tasks.join(", "))]
    Cycle {
        /// The tasks on or behind the cycle.
        tasks: Vec<String>,
    },
}

/// Reads a plan from a planner's final answer (the plan as JSON).
pub fn parse_plan(answer: &str) -> Result<Plan, PlanError> {
    serde_json::from_str(answer.trim()).map_err(|e| PlanError::Malformed(e.to_string()))
}

/// Checks `plan` and returns the indices of its tasks in an order where
/// every task comes after the tasks it depends on (plan order among equals).
pub fn check_plan(plan: &Plan) -> Result<Vec<usize>, PlanError> {
    if plan.tasks.is_empty() {
        return Err(PlanError::Empty);
    }
    let mut index = BTreeMap::new();
    for (i, task) in plan.tasks.iter().enumerate() {
        if task.id.trim().is_empty() || task.description.trim().is_empty() {
            return Err(PlanError::Incomplete { index: i + 1 });
        }
        if index.insert(task.id.as_str(), i).is_some() {
            return Err(PlanError::DuplicateId {
                id: task.id.clone(),
            });
        }
    }
    for task in &plan.tasks {
        if let Some(missing) = task
            .depends_on
            .iter()
            .find(|d| !index.contains_key(d.as_str()))
        {
            return Err(PlanError::UnknownDependency {
                task: task.id.clone(),
                missing: missing.clone(),
            });
        }
    }
    // Repeatedly take, in plan order, the tasks whose dependencies are placed.
    let mut placed = BTreeSet::new();
    let mut order = Vec::with_capacity(plan.tasks.len());
    while order.len() < plan.tasks.len() {
        let before = order.len();
        for (i, task) in plan.tasks.iter().enumerate() {
            if !placed.contains(&i)
                && task
                    .depends_on
                    .iter()
                    .all(|d| index.get(d.as_str()).is_some_and(|j| placed.contains(j)))
            {
                placed.insert(i);
                order.push(i);
            }
        }
        if order.len() == before {
            let tasks = plan
                .tasks
                .iter()
                .enumerate()
                .filter(|(i, _)| !placed.contains(i))
                .map(|(_, t)| t.id.clone())
                .collect();
            return Err(PlanError::Cycle { tasks });
        }
    }
    Ok(order)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::PlannedTask;

    fn task(id: &str, deps: &[&str]) -> PlannedTask {
        PlannedTask {
            id: id.into(),
            description: format!("do {id}"),
            files: Vec::new(),
            depends_on: deps.iter().map(|d| d.to_string()).collect(),
        }
    }

    fn plan(tasks: Vec<PlannedTask>) -> Plan {
        Plan {
            summary: "s".into(),
            tasks,
        }
    }

    #[test]
    fn dependencies_come_first_in_the_order() {
        let p = plan(vec![
            task("c", &["a", "b"]),
            task("a", &[]),
            task("b", &["a"]),
        ]);
        assert_eq!(check_plan(&p), Ok(vec![1, 2, 0]));
    }

    #[test]
    fn empty_duplicate_unknown_and_cyclic_plans_are_refused() {
        assert_eq!(check_plan(&plan(vec![])), Err(PlanError::Empty));
        assert_eq!(
            check_plan(&plan(vec![task("a", &[]), task("a", &[])])),
            Err(PlanError::DuplicateId { id: "a".into() })
        );
        assert_eq!(
            check_plan(&plan(vec![task("a", &["z"])])),
            Err(PlanError::UnknownDependency {
                task: "a".into(),
                missing: "z".into()
            })
        );
        let cycle = check_plan(&plan(vec![
            task("a", &[]),
            task("b", &["c"]),
            task("c", &["b"]),
        ]));
        assert_eq!(
            cycle,
            Err(PlanError::Cycle {
                tasks: vec!["b".into(), "c".into()]
            })
        );
        assert!(cycle.unwrap_err().to_string().contains("b, c"));
    }

    #[test]
    fn a_task_without_a_description_is_refused() {
        let mut t = task("a", &[]);
        t.description = " ".into();
        assert_eq!(
            check_plan(&plan(vec![t])),
            Err(PlanError::Incomplete { index: 1 })
        );
    }

    #[test]
    fn the_answer_must_be_a_plan_in_json() {
        assert!(matches!(
            parse_plan("first, edit a.txt"),
            Err(PlanError::Malformed(_))
        ));
        let p = parse_plan(r#" {"summary":"s","tasks":[{"id":"t1","description":"d"}]} "#).unwrap();
        assert_eq!(p.tasks[0].files, Vec::<String>::new());
    }
}
