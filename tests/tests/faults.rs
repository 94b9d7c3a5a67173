//! The client at scale under injected faults: nothing lost, nothing stored twice.
//!
//! 5,000 inputs uploaded through 30% injected faults (429, 503, delays, truncated bodies, dropped
//! connections) end with every input stored exactly once; a batched predict over 1,000 inputs
//! under the same faults returns 1,000 outcomes; an exhausted retry budget says how many attempts
//! were made and why.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::collections::HashSet;
use std::time::Duration;

use clarifai_emulator::{Emulator, Fault, RunningEmulator};
use clarifai_typed::models::Input;
use clarifai_typed::{Client, Error, Key, Outcome, RetryPolicy, scoped_key};

/// Uploads, reads back, predicts.
#[scoped_key(Predict, AddInputs)]
pub struct UploadKey;

fn png(seed: u32) -> Vec<u8> {
    let rgb = [
        (seed * 37 % 256) as u8,
        (seed * 91 % 256) as u8,
        (seed * 53 % 256) as u8,
    ];
    clarifai_emulator::samples::png(4, 4, |_, _| rgb)
}

const FAULTS: [Fault; 5] = [
    Fault::Throttle,
    Fault::Unavailable,
    Fault::Delay(Duration::from_millis(30)),
    Fault::TruncatedBody,
    Fault::DropConnection,
];

fn client(emu: &RunningEmulator, policy: RetryPolicy) -> Client<UploadKey> {
    Client::builder(UploadKey::new(emu.create_key(UploadKey::SCOPES)).unwrap())
        .base_url(emu.base_url())
        .retry(policy)
        .batch_concurrency(4)
        .timeout(Some(Duration::from_secs(10)))
        .build()
        .unwrap()
}

/// Every id the app holds, read page by page with faults switched off.
async fn stored_ids(client: &Client<UploadKey>) -> Vec<String> {
    let mut ids = Vec::new();
    for page in 1.. {
        let response = client.list_inputs().page(page, 1000).await.unwrap();
        let n = response.inputs.len();
        ids.extend(response.inputs.into_iter().map(|i| i.id));
        if n < 1000 {
            break;
        }
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_thousand_inputs_through_thirty_percent_faults_are_stored_exactly_once() {
    let emu = Emulator::builder().start().await.unwrap();
    let policy = RetryPolicy::default()
        .max_attempts(8)
        .backoff(Duration::from_millis(20), Duration::from_millis(500));
    let client = client(&emu, policy);
    // Half the inputs carry the caller's ids, half get the client's.
    let inputs: Vec<Input> = (0..5000u32)
        .map(|i| {
            let input = Input::from_bytes(png(i));
            if i % 2 == 0 {
                input.with_id(format!("in-{i}"))
            } else {
                input
            }
        })
        .collect();
    emu.fail_share_mixed(0.3, 7, &FAULTS);
    let outcomes = client.add_inputs_batched(inputs).await.unwrap();
    emu.clear_faults();
    assert_eq!(outcomes.len(), 5000);
    let failed: Vec<_> = outcomes.iter().filter_map(Outcome::failed).collect();
    assert!(
        failed.is_empty(),
        "{} inputs failed, first: {:?}",
        failed.len(),
        failed.first()
    );
    // Outcomes are in the caller's order.
    for (i, o) in outcomes.iter().enumerate().step_by(2) {
        assert_eq!(o.done().unwrap().id, format!("in-{i}"));
    }
    let returned: HashSet<String> = outcomes
        .iter()
        .filter_map(|o| o.done().map(|i| i.id.clone()))
        .collect();
    assert_eq!(returned.len(), 5000, "every outcome names a distinct input");

    let stored = stored_ids(&client).await;
    let unique: HashSet<&String> = stored.iter().collect();
    assert_eq!(stored.len(), 5000, "the app holds exactly the 5,000 inputs");
    assert_eq!(unique.len(), 5000);
    assert!(returned.iter().all(|id| unique.contains(id)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batched_predict_over_a_thousand_inputs_under_faults_returns_a_thousand_outcomes() {
    let emu = Emulator::builder().start().await.unwrap();
    let policy = RetryPolicy::default()
        .max_attempts(8)
        .backoff(Duration::from_millis(20), Duration::from_millis(500));
    let client = client(&emu, policy);
    let inputs: Vec<Input> = (0..1000u32).map(|i| Input::from_bytes(png(i))).collect();
    emu.fail_share_mixed(0.3, 11, &FAULTS);
    let outcomes = client
        .predict_batched("color-recognition", inputs)
        .await
        .unwrap();
    emu.clear_faults();
    assert_eq!(outcomes.len(), 1000);
    let done = outcomes.iter().filter(|o| o.done().is_some()).count();
    let first_failure = outcomes.iter().find_map(Outcome::failed);
    assert_eq!(
        done, 1000,
        "with 8 attempts a batch should get through 30% faults: {first_failure:?}"
    );
    assert!(outcomes.iter().all(|o| {
        o.done()
            .is_some_and(|out| out.data.as_ref().is_some_and(|d| !d.colors.is_empty()))
    }));
}

#[tokio::test]
async fn an_exhausted_budget_says_how_many_attempts_and_why() {
    let emu = Emulator::builder().start().await.unwrap();
    let policy = RetryPolicy::default()
        .max_attempts(3)
        .backoff(Duration::from_millis(5), Duration::from_millis(20));
    let client = client(&emu, policy);
    emu.fail_next(1, Fault::Unavailable);
    emu.fail_next(1, Fault::DropConnection);
    emu.fail_next(1, Fault::Unavailable);
    let err = client
        .predict("color-recognition")
        .input(Input::from_bytes(png(1)))
        .await
        .unwrap_err();
    let Error::GaveUp {
        attempts, reasons, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*attempts, 3);
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(reasons[0].contains("503"), "{reasons:?}");
    let text = err.to_string();
    assert!(text.contains("gave up after 3 attempts"), "{text}");

    // A throttled call waits at least what Retry-After asks (the emulator says 1 s).
    emu.fail_next(1, Fault::Throttle);
    let started = std::time::Instant::now();
    client
        .predict("color-recognition")
        .input(Input::from_bytes(png(2)))
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1));

    // Training is never repeated: one 503 and the call ends.
    emu.fail_next(1, Fault::Unavailable);
    let err = client
        .add_inputs()
        .input(Input::from_bytes(png(3)))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Api {
                http_status: 503,
                ..
            }
        ),
        "an input without id is sent once: {err:?}"
    );
}
