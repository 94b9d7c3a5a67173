//! A scope is needed to read through another endpoint: predicting or searching by a stored
//! input's id reads that input, a search by concepts reads labels. Without the scope the request
//! is refused the same way whether or not the id exists.

mod common;

use clarifai_typed::{Scope, scope};
use common::{Env as Fixture, RED, code, details, image_b64};
use serde_json::{Value, json};

/// An emulator whose app holds one processed input, `stored`, labelled `secret-label`.
async fn env() -> Fixture {
    let api = Fixture::new().await;
    let all = api.key.clone();
    let mut data = image_b64(RED);
    data["concepts"] = json!([{"id": "secret-label", "value": 1}]);
    let (_, b) = api
        .as_key(
            &all,
            "POST",
            "/v2/inputs",
            Some(json!({"inputs": [{"id": "stored", "data": data}]})),
        )
        .await;
    assert_eq!(code(&b), 10000, "{b}");
    api.emu.wait_idle().await;
    api
}

async fn send(api: &Fixture, key: &str, method: &str, path: &str, body: Value) -> (u16, Value) {
    api.as_key(key, method, path, Some(body)).await
}

/// The answer without what differs between any two requests (`req_id`).
fn comparable(mut body: Value) -> Value {
    if let Some(s) = body.get_mut("status").and_then(Value::as_object_mut) {
        s.remove("req_id");
    }
    body
}

#[tokio::test]
async fn predicting_by_input_id_needs_inputs_get_and_reveals_nothing_without_it() {
    let env = env().await;
    let predict_only = env.key_with(&[Scope::of::<scope::Predict>()]);
    let path = "/v2/models/general-image-recognition/outputs";
    let (h1, existing) = send(
        &env,
        &predict_only,
        "POST",
        path,
        json!({"inputs": [{"id": "stored"}]}),
    )
    .await;
    let (h2, missing) = send(
        &env,
        &predict_only,
        "POST",
        path,
        json!({"inputs": [{"id": "no-such-input"}]}),
    )
    .await;
    assert_eq!((h1, code(&existing)), (401, 11007), "{existing}");
    assert!(details(&existing).contains("Inputs:Get"), "{existing}");
    assert_eq!(h1, h2);
    assert_eq!(comparable(existing), comparable(missing));
    // With the scope, the stored input is read, and a missing one is reported missing.
    let reader = env.key_with(&[
        Scope::of::<scope::Predict>(),
        Scope::of::<scope::GetInputs>(),
    ]);
    let (_, ok) = send(
        &env,
        &reader,
        "POST",
        path,
        json!({"inputs": [{"id": "stored"}]}),
    )
    .await;
    assert_eq!(code(&ok), 10000, "{ok}");
    // Giving the pixels needs nothing more than Predict.
    let (_, given) = send(
        &env,
        &predict_only,
        "POST",
        path,
        json!({"inputs": [{"data": image_b64(RED)}]}),
    )
    .await;
    assert_eq!(code(&given), 10000, "{given}");
}

#[tokio::test]
async fn workflows_read_through_inputs_the_same_way() {
    let env = env().await;
    let key = env.key_with(&[
        Scope::of::<scope::Predict>(),
        Scope::of::<scope::GetWorkflows>(),
    ]);
    let path = "/v2/workflows/General/results";
    let (_, a) = send(
        &env,
        &key,
        "POST",
        path,
        json!({"inputs": [{"id": "stored"}]}),
    )
    .await;
    let (_, b) = send(
        &env,
        &key,
        "POST",
        path,
        json!({"inputs": [{"id": "nope"}]}),
    )
    .await;
    assert_eq!(code(&a), 11007, "{a}");
    assert_eq!(comparable(a), comparable(b));
}

#[tokio::test]
async fn searches_that_read_guarded_data_need_its_scope() {
    let env = env().await;
    let search_only = env.key_with(&[Scope::of::<scope::Search>()]);
    let by_id = |id: &str| json!({"searches": [{"query": {"filters": [{"input": {"id": id}}]}}]});
    let rank_by_id = |id: &str| json!({"query": {"ands": [{"output": {"input": {"id": id}}}]}});
    for (path, existing, missing) in [
        ("/v2/inputs/searches", by_id("stored"), by_id("nope")),
        ("/v2/searches", rank_by_id("stored"), rank_by_id("nope")),
    ] {
        let (_, a) = send(&env, &search_only, "POST", path, existing).await;
        let (_, b) = send(&env, &search_only, "POST", path, missing).await;
        assert_eq!(code(&a), 11007, "{path}: {a}");
        assert_eq!(comparable(a), comparable(b), "{path}");
    }
    // Counting hits by a label would reveal the label: a concept filter needs Concepts:Get.
    let by_label = |label: &str| json!({"searches": [{"query": {"filters": [{"input": {"data": {"concepts": [{"id": label, "value": 1}]}}}]}}]});
    let (_, a) = send(
        &env,
        &search_only,
        "POST",
        "/v2/inputs/searches",
        by_label("secret-label"),
    )
    .await;
    let (_, b) = send(
        &env,
        &search_only,
        "POST",
        "/v2/inputs/searches",
        by_label("absent-label"),
    )
    .await;
    assert_eq!(code(&a), 11007, "{a}");
    assert!(details(&a).contains("Concepts:Get"), "{a}");
    assert_eq!(comparable(a), comparable(b));
    // With the scopes the same searches run.
    let reader = env.key_with(&[
        Scope::of::<scope::Search>(),
        Scope::of::<scope::GetInputs>(),
        Scope::of::<scope::GetConcepts>(),
    ]);
    let (_, hits) = send(
        &env,
        &reader,
        "POST",
        "/v2/inputs/searches",
        by_label("secret-label"),
    )
    .await;
    assert_eq!(code(&hits), 10000, "{hits}");
    assert_eq!(hits["hits"].as_array().map(Vec::len), Some(1), "{hits}");
}
