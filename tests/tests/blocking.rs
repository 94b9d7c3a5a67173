//! The blocking client (feature `blocking`, enabled by this crate's dev-dependency) against the
//! emulator: predict, add, list, iterate items and pages, and refusals instead of panics inside an
//! async runtime.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::collections::HashSet;

use clarifai_emulator::{Emulator, RunningEmulator};
use clarifai_typed::blocking::BlockingClient;
use clarifai_typed::models::{Input, ListResponse};
use clarifai_typed::{Error, Scope, scope, scoped_key};

/// Every scope.
#[scoped_key(All)]
pub struct FullKey;

/// Predicting only.
#[scoped_key(Predict)]
pub struct PredictOnly;

fn png(rgb: [u8; 3]) -> Vec<u8> {
    clarifai_emulator::samples::png(8, 8, |_, _| rgb)
}

/// The emulator runs on a runtime of the test's; the blocking client on its own.
struct Setup {
    rt: tokio::runtime::Runtime,
    emu: RunningEmulator,
    secret: String,
    client: BlockingClient<FullKey>,
}

fn setup() -> Setup {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let emu = rt.block_on(Emulator::builder().start()).unwrap();
    let secret = emu.create_key(&[Scope::of::<scope::All>()]);
    let client = clarifai_typed::Client::builder(FullKey::new(secret.clone()).unwrap())
        .base_url(emu.base_url())
        .build_blocking()
        .unwrap();
    Setup {
        rt,
        emu,
        secret,
        client,
    }
}

fn id(i: usize) -> String {
    format!("b-{i:03}")
}

/// Adds `n` inputs `b-000` ... in batches of 128, and waits until they are processed.
fn add_inputs(s: &Setup, n: usize) {
    let bytes = png([200, 30, 30]);
    let all: Vec<usize> = (0..n).collect();
    for (k, batch) in all.chunks(128).enumerate() {
        let inputs = batch
            .iter()
            .map(|&i| Input::from_bytes(bytes.clone()).with_id(id(i)));
        // Both ways of sending: a call built through `Deref`, and a closure.
        if k % 2 == 0 {
            s.client.send(s.client.add_inputs().inputs(inputs)).unwrap();
        } else {
            s.client.call(|c| c.add_inputs().inputs(inputs)).unwrap();
        }
    }
    s.rt.block_on(s.emu.wait_idle());
}

#[test]
fn predicts_adds_lists_and_iterates() {
    let s = setup();
    let client = &s.client;

    let predicted = client
        .send(
            client
                .predict("color-recognition")
                .input(Input::from_bytes(png([250, 10, 10]))),
        )
        .unwrap();
    assert!(
        !predicted.outputs[0]
            .data
            .as_ref()
            .unwrap()
            .colors
            .is_empty()
    );

    let n = 150;
    add_inputs(&s, n);
    let listed = client.call(|c| c.list_inputs().page(1, 1000)).unwrap();
    let order: Vec<String> = listed.inputs.iter().map(|i| i.id.clone()).collect();
    assert_eq!(order, (0..n).map(id).collect::<Vec<_>>());

    // Every item, 40 a request: 4 requests, the last page short.
    let mut items = client.items(client.list_inputs().page_size(40));
    let ids: Vec<String> = items.by_ref().map(|i| i.unwrap().id).collect();
    assert_eq!(ids, order);
    assert_eq!(items.stream().requests(), 4);
    assert!(items.next().is_none());
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), n);

    let sizes: Vec<usize> = client
        .pages(client.list_inputs().page_size(40))
        .map(|p| p.unwrap().len())
        .collect();
    assert_eq!(sizes, [40, 40, 40, 30]);

    // Other methods of the async client, blocking.
    let report = client.verify_scopes().unwrap();
    assert!(report.missing.is_empty());
    let count = client.call(|c| c.input_count()).unwrap();
    assert!(count.counts.is_some());

    // A narrowed client shares the runtime and the pool.
    let narrow: BlockingClient<PredictOnly> = client.narrow();
    let clone = narrow.clone();
    drop(narrow);
    clone
        .send(
            clone
                .predict("general-image-recognition")
                .input(Input::from_bytes(png([10, 10, 250]))),
        )
        .unwrap();
}

#[test]
fn an_error_ends_the_iteration() {
    let s = setup();
    add_inputs(&s, 30);
    let client = &s.client;
    let mut items = client.items(client.list_inputs().page_size(10));
    for i in 0..10 {
        assert_eq!(items.next().unwrap().unwrap().id, id(i));
    }
    assert!(
        s.emu
            .set_key_expiry(&s.secret, Some("2001-01-01T00:00:00Z"))
    );
    let err = items.next().unwrap().unwrap_err();
    assert!(matches!(err, Error::InvalidKey { .. }), "{err:?}");
    assert!(items.next().is_none());

    // Not found, from a plain call.
    assert!(s.emu.set_key_expiry(&s.secret, None));
    let err = client.send(client.get_input("nope")).unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}

fn assert_usage(result: Result<impl std::fmt::Debug, Error>) {
    match result {
        Err(Error::Usage(message)) => {
            assert!(message.contains("inside a Tokio runtime"), "{message}");
            assert!(
                message.contains("async `clarifai_typed::Client`"),
                "{message}"
            );
        }
        other => panic!("expected a usage error, got {other:?}"),
    }
}

#[test]
fn inside_an_async_runtime_calls_are_refused_not_panicking() {
    let s = setup();
    let client = &s.client;
    s.rt.block_on(async {
        assert_usage(client.send(client.get_input("x")));
        assert_usage(client.call(|c| c.list_inputs()));
        assert_usage(client.verify_scopes());
        assert_usage(client.block_on(async { 1 }));
        let mut items = client.items(client.list_inputs());
        assert_usage(items.next().unwrap());
        assert!(items.next().is_none());
    });
    // In a spawned task too, and dropping the last clone of a blocking client there is fine.
    let spawned = client.clone();
    s.rt.block_on(async move {
        tokio::spawn(async move {
            assert_usage(spawned.send(spawned.get_input("x")));
            drop(spawned);
            let fresh = BlockingClient::new(FullKey::new("abc").unwrap()).unwrap();
            drop(fresh);
        })
        .await
        .unwrap();
    });
    // Outside, the same client works.
    let err = client.send(client.get_input("x")).unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}

#[test]
fn calls_of_another_client_are_refused() {
    let s = setup();
    let other = clarifai_typed::Client::builder(FullKey::new(s.secret.clone()).unwrap())
        .base_url(s.emu.base_url())
        .build_blocking()
        .unwrap();
    let err = s.client.send(other.get_input("x")).unwrap_err();
    assert!(
        matches!(&err, Error::Usage(m) if m.contains("another client")),
        "{err:?}"
    );
    let mut items = s.client.items(other.list_inputs());
    assert!(matches!(items.next(), Some(Err(Error::Usage(_)))));
    assert!(items.next().is_none());
}
