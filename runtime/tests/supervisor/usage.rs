//! Usage and cost: each request's tokens and price as events, and the
//! totals of a turn and a session.

use crate::support::{Gate, role, start};
use code_mesh_runtime::model::{ModelRef, Usage};
use code_mesh_runtime::pricing::{ModelPrice, PriceList};
use code_mesh_runtime::protocol::{Event, Op, TurnStatus};
use code_mesh_runtime::role::Role;
use code_mesh_runtime::supervisor::{GetStatus, Submit, SupervisorBuilder};
use std::rc::Rc;

/// $2 per million input tokens, $8 per million output, $0.50 cached, for
/// `openai/gpt-4o` only.
struct OnePrice;

impl PriceList for OnePrice {
    fn price(&self, model: &ModelRef) -> Option<ModelPrice> {
        (model.to_string() == "openai/gpt-4o").then_some(ModelPrice {
            input: 2.0,
            output: 8.0,
            cached_input: Some(0.5),
        })
    }
}

fn usage(input: u64, output: u64, cached: u64) -> Usage {
    Usage {
        input_tokens: input,
        output_tokens: output,
        cached_input_tokens: cached,
    }
}

/// What [`two_requests`] uses in all.
fn usage_total() -> Usage {
    usage(3_000, 300, 1_000)
}

/// A role that reports two requests' usage, then answers.
fn two_requests() -> Rc<dyn Role> {
    role(|_, ctx| async move {
        ctx.record_usage(usage(1_000, 100, 0));
        ctx.record_usage(usage(2_000, 200, 1_000));
        Ok("done".to_string())
    })
}

fn user_turn(prompt: &str) -> Submit {
    Submit(Op::UserTurn {
        prompt: prompt.into(),
        agent: None,
        plan: None,
    })
}

fn costs(events: &[Event]) -> Vec<Option<f64>> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Usage { cost_usd, .. } => Some(*cost_usd),
            _ => None,
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[actix::test]
async fn usage_events_carry_their_cost_and_the_turn_sums_them() {
    let builder = SupervisorBuilder::new()
        .role("coder", two_requests())
        .prices(Rc::new(OnePrice));
    let (supervisor, mut events) = start(builder).await;
    supervisor.send(user_turn("go")).await.unwrap();
    let seen = events.until_turn_complete().await;

    // 1000 × $2 + 100 × $8, then 1000 × $2 + 1000 × $0.50 + 200 × $8, per million.
    let costs = costs(&seen);
    assert_eq!(costs.len(), 2, "{seen:#?}");
    assert!(close(costs[0].unwrap(), 0.0028), "{costs:?}");
    assert!(close(costs[1].unwrap(), 0.0041), "{costs:?}");
    let Some(Event::TurnComplete {
        status: TurnStatus::Completed,
        usage: total,
        cost_usd: Some(cost),
        ..
    }) = seen.last()
    else {
        panic!("the turn ends with its totals: {seen:#?}");
    };
    assert_eq!(*total, usage_total());
    assert!(close(*cost, 0.0069), "{cost}");
}

#[actix::test]
async fn without_a_known_price_usage_is_reported_without_a_cost() {
    let builder = SupervisorBuilder::new()
        .role("coder", two_requests())
        .model(ModelRef::parse("ollama/llama3").unwrap())
        .prices(Rc::new(OnePrice));
    let (supervisor, mut events) = start(builder).await;
    supervisor.send(user_turn("go")).await.unwrap();
    let seen = events.until_turn_complete().await;

    assert_eq!(costs(&seen), [None, None]);
    assert!(matches!(
        seen.last(),
        Some(Event::TurnComplete {
            usage,
            cost_usd: None,
            ..
        }) if *usage == usage_total()
    ));
    let json = serde_json::to_value(seen.last().unwrap()).unwrap();
    assert!(json.get("cost_usd").is_none(), "{json}");
}

#[actix::test]
async fn each_turn_counts_its_own_requests_and_the_status_counts_the_session() {
    let builder = SupervisorBuilder::new()
        .role("coder", two_requests())
        .prices(Rc::new(OnePrice));
    let (supervisor, mut events) = start(builder).await;
    for prompt in ["one", "two"] {
        supervisor.send(user_turn(prompt)).await.unwrap();
        let seen = events.until_turn_complete().await;
        assert!(matches!(
            seen.last(),
            Some(Event::TurnComplete { usage, .. }) if *usage == usage_total()
        ));
    }

    let report = supervisor.send(GetStatus).await.unwrap();
    assert_eq!(report.usage, usage(6_000, 600, 2_000));
    assert!(
        close(report.cost_usd.unwrap(), 0.0138),
        "{:?}",
        report.cost_usd
    );
}

#[actix::test]
async fn a_cancelled_turn_still_reports_what_it_used() {
    let gate = Gate::new();
    let waits = {
        let gate = gate.clone();
        role(move |_, ctx| {
            let gate = gate.clone();
            async move {
                ctx.record_usage(usage(500, 50, 0));
                gate.wait().await;
                Ok("never".to_string())
            }
        })
    };
    let (supervisor, mut events) = start(SupervisorBuilder::new().role("coder", waits)).await;
    supervisor.send(user_turn("long job")).await.unwrap();
    events.until(|e| matches!(e, Event::Usage { .. })).await;
    supervisor.send(Submit(Op::Cancel)).await.unwrap();
    let seen = events.until_turn_complete().await;

    assert!(matches!(
        seen.last(),
        Some(Event::TurnComplete {
            status: TurnStatus::Cancelled,
            usage: total,
            cost_usd: None,
            ..
        }) if *total == usage(500, 50, 0)
    ));
}
