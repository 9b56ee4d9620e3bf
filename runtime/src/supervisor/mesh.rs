//! The mesh: which agents are live, which role may message which, and who
//! a message goes to. Plain data; the Supervisor does the delivering.

use super::SupervisorError;
use crate::protocol::{AgentId, Envelope, Recipient};
use std::collections::{BTreeMap, BTreeSet};

/// Which role may message which. By default everyone may message everyone;
/// [`Self::deny`] forbids one direction between two roles.
///
/// ```
/// use code_mesh_runtime::supervisor::MeshTopology;
///
/// // Reviewers may read what coders send them but not order coders about.
/// let topology = MeshTopology::full().deny("reviewer", "coder");
/// assert!(topology.allows("coder", "reviewer"));
/// assert!(!topology.allows("reviewer", "coder"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeshTopology {
    denied: BTreeSet<(String, String)>,
}

impl MeshTopology {
    /// Every role may message every role, its own included.
    pub fn full() -> Self {
        Self::default()
    }

    /// Forbids agents of `from` to message agents of `to` (one direction only).
    pub fn deny(mut self, from: impl Into<String>, to: impl Into<String>) -> Self {
        self.denied.insert((from.into(), to.into()));
        self
    }

    /// Whether an agent of role `from` may message an agent of role `to`.
    pub fn allows(&self, from: &str, to: &str) -> bool {
        !self.denied.contains(&(from.to_string(), to.to_string()))
    }
}

/// The live agents, by id and by role, under a topology.
#[derive(Debug, Default)]
pub(crate) struct Mesh {
    topology: MeshTopology,
    roles: BTreeMap<AgentId, String>,
    by_role: BTreeMap<String, BTreeSet<AgentId>>,
}

impl Mesh {
    /// An empty mesh under `topology`.
    pub fn new(topology: MeshTopology) -> Self {
        Self {
            topology,
            ..Self::default()
        }
    }

    /// Adds a live agent (again, after a restart: it is not added twice).
    pub fn join(&mut self, agent: AgentId, role: &str) {
        self.roles.insert(agent, role.to_string());
        self.by_role
            .entry(role.to_string())
            .or_default()
            .insert(agent);
    }

    /// Removes an agent; it receives nothing more.
    pub fn leave(&mut self, agent: AgentId) {
        if let Some(role) = self.roles.remove(&agent)
            && let Some(agents) = self.by_role.get_mut(&role)
        {
            agents.remove(&agent);
            if agents.is_empty() {
                self.by_role.remove(&role);
            }
        }
    }

    /// The agents `envelope` should be delivered to, each once, in id order.
    ///
    /// A message from the front end (`from: None`) may go to anyone. An
    /// agent's message to one agent or to a role is refused when the topology
    /// forbids it; a broadcast skips the agents the sender may not message.
    /// A message that would reach nobody is an error saying why.
    pub fn route(&self, envelope: &Envelope) -> Result<Vec<AgentId>, SupervisorError> {
        let sender = match envelope.from {
            Some(from) => match self.roles.get(&from) {
                Some(role) => Some((from, role.as_str())),
                None => return Err(SupervisorError::SenderNotLive { from }),
            },
            None => None,
        };
        let check = |to_role: &str| match sender {
            Some((_, from_role)) if !self.topology.allows(from_role, to_role) => {
                Err(SupervisorError::MessageDenied {
                    from_role: from_role.to_string(),
                    to_role: to_role.to_string(),
                })
            }
            _ => Ok(()),
        };
        match &envelope.to {
            Recipient::Agent(to) => {
                let role = self
                    .roles
                    .get(to)
                    .ok_or(SupervisorError::AgentNotLive { to: *to })?;
                check(role)?;
                Ok(vec![*to])
            }
            Recipient::Role(role) => {
                let agents = self
                    .by_role
                    .get(role)
                    .filter(|agents| !agents.is_empty())
                    .ok_or_else(|| SupervisorError::NoAgentOfRole { role: role.clone() })?;
                check(role)?;
                Ok(agents.iter().copied().collect())
            }
            Recipient::Broadcast => {
                let to: Vec<AgentId> = self
                    .roles
                    .iter()
                    .filter(|(id, role)| {
                        sender.is_none_or(|(from, _)| from != **id) && check(role).is_ok()
                    })
                    .map(|(id, _)| *id)
                    .collect();
                if to.is_empty() {
                    let from = match sender {
                        Some((from, _)) => from.to_string(),
                        None => "the front end".to_string(),
                    };
                    return Err(SupervisorError::NoBroadcastRecipient { from });
                }
                Ok(to)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envelope(from: Option<u64>, to: Recipient) -> Envelope {
        Envelope {
            from: from.map(AgentId),
            to,
            body: serde_json::Value::Null,
        }
    }

    fn mesh(topology: MeshTopology) -> Mesh {
        let mut mesh = Mesh::new(topology);
        mesh.join(AgentId(1), "coder");
        mesh.join(AgentId(2), "coder");
        mesh.join(AgentId(3), "reviewer");
        mesh
    }

    #[test]
    fn direct_message_goes_to_that_agent_only() {
        let mesh = mesh(MeshTopology::full());
        let to = mesh
            .route(&envelope(Some(1), Recipient::Agent(AgentId(3))))
            .unwrap();
        assert_eq!(to, vec![AgentId(3)]);
    }

    #[test]
    fn role_message_goes_to_every_agent_of_the_role() {
        let mesh = mesh(MeshTopology::full());
        let to = mesh
            .route(&envelope(Some(3), Recipient::Role("coder".into())))
            .unwrap();
        assert_eq!(to, vec![AgentId(1), AgentId(2)]);
    }

    #[test]
    fn broadcast_skips_the_sender() {
        let mesh = mesh(MeshTopology::full());
        let to = mesh
            .route(&envelope(Some(2), Recipient::Broadcast))
            .unwrap();
        assert_eq!(to, vec![AgentId(1), AgentId(3)]);
        let to = mesh.route(&envelope(None, Recipient::Broadcast)).unwrap();
        assert_eq!(to, vec![AgentId(1), AgentId(2), AgentId(3)]);
    }

    #[test]
    fn denied_pairs_are_refused_or_skipped() {
        let mesh = mesh(MeshTopology::full().deny("reviewer", "coder"));
        let err = mesh
            .route(&envelope(Some(3), Recipient::Agent(AgentId(1))))
            .unwrap_err();
        assert_eq!(
            err,
            SupervisorError::MessageDenied {
                from_role: "reviewer".into(),
                to_role: "coder".into()
            }
        );
        assert!(
            mesh.route(&envelope(Some(3), Recipient::Role("coder".into())))
                .is_err()
        );
        let err = mesh
            .route(&envelope(Some(3), Recipient::Broadcast))
            .unwrap_err();
        assert!(matches!(err, SupervisorError::NoBroadcastRecipient { .. }));
        // The other direction is still open, and the front end is never refused.
        assert!(
            mesh.route(&envelope(Some(1), Recipient::Agent(AgentId(3))))
                .is_ok()
        );
        assert!(
            mesh.route(&envelope(None, Recipient::Agent(AgentId(1))))
                .is_ok()
        );
    }

    #[test]
    fn agents_that_left_receive_nothing() {
        let mut mesh = mesh(MeshTopology::full());
        mesh.leave(AgentId(3));
        assert_eq!(
            mesh.route(&envelope(Some(1), Recipient::Agent(AgentId(3)))),
            Err(SupervisorError::AgentNotLive { to: AgentId(3) })
        );
        assert_eq!(
            mesh.route(&envelope(Some(1), Recipient::Role("reviewer".into()))),
            Err(SupervisorError::NoAgentOfRole {
                role: "reviewer".into()
            })
        );
        assert_eq!(
            mesh.route(&envelope(Some(3), Recipient::Broadcast)),
            Err(SupervisorError::SenderNotLive { from: AgentId(3) })
        );
    }
}
