//! Token and cost totals: what a turn or a whole session has used, summed
//! from the usage each agent reports with [`UsageRecorded`].

use crate::model::Usage;
use crate::protocol::TaskId;
use actix::Message;

/// An agent's report to the Supervisor: one model request of `task` used
/// `usage`, costing `cost_usd` when the model's price is known. Sent right
/// after the matching [`crate::protocol::Event::Usage`], and before the
/// agent reports its attempt ended, so a turn's totals are complete when it
/// closes.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "()")]
pub(crate) struct UsageRecorded {
    /// The task whose request it was.
    pub task: TaskId,
    /// The tokens counted.
    pub usage: Usage,
    /// What they cost in USD, when known.
    pub cost_usd: Option<f64>,
}

/// Tokens and cost summed over many requests.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Spend {
    /// Every request's tokens.
    pub usage: Usage,
    /// The summed cost of the requests whose price was known; `None` while
    /// there was none.
    pub cost_usd: Option<f64>,
}

impl Spend {
    /// Adds one request.
    pub fn add(&mut self, usage: Usage, cost_usd: Option<f64>) {
        self.usage += usage;
        if let Some(cost) = cost_usd {
            *self.cost_usd.get_or_insert(0.0) += cost;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usage(input: u64, output: u64) -> Usage {
        Usage {
            input_tokens: input,
            output_tokens: output,
            cached_input_tokens: 0,
        }
    }

    #[test]
    fn requests_add_up_and_unpriced_ones_add_no_cost() {
        let mut spend = Spend::default();
        spend.add(usage(10, 5), None);
        assert_eq!(spend.cost_usd, None);
        spend.add(usage(100, 50), Some(0.25));
        spend.add(usage(1, 1), Some(0.5));
        assert_eq!(spend.usage, usage(111, 56));
        assert_eq!(spend.cost_usd, Some(0.75));
    }
}
