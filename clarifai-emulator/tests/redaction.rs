//! Redaction is complete: a key lacking a depending scope sees nothing of the guarded resource
//! anywhere in an answer — including the places found by probing (concepts under video frames
//! and detected regions, concepts of the model echoed in an output, annotation search hits, the
//! models of a workflow's nodes). The exhaustive proof over every endpoint and every place a
//! response type can hold a resource is `redaction_leaves_nothing_of_a_guarded_resource` in
//! clarifai-typed (the emulator redacts with the same type walk); this file checks the
//! emulator's real answers with an independent oracle: no field naming the resource is left.

mod common;

use clarifai_typed::{Scope, scope};
use common::{Env as Fixture, RED, code, find_field, image_b64};
use serde_json::{Value, json};

struct Env {
    api: Fixture,
    all: String,
}

impl Env {
    async fn new() -> Env {
        let api = Fixture::new().await;
        let all = api.key.clone();
        Env { api, all }
    }

    fn key(&self, scopes: &[Scope]) -> String {
        self.api.key_with(scopes)
    }

    /// Sends, and checks the answer is a success.
    async fn send(&self, key: &str, method: &str, path: &str, body: Option<Value>) -> Value {
        let (_, b) = self.api.as_key(key, method, path, body).await;
        assert_eq!(code(&b), 10000, "{method} {path}: {b}");
        b
    }
}

#[tokio::test]
async fn no_concepts_under_frames_regions_or_the_echoed_model() {
    let env = Env::new().await;
    let predict_only = env.key(&[
        Scope::of::<scope::Predict>(),
        Scope::of::<scope::GetModels>(),
    ]);
    let image = image_b64(RED)["image"]["base64"].clone();
    for (model, data) in [
        (
            "general-image-recognition",
            json!({"video": {"base64": image}}),
        ),
        (
            "general-image-detection",
            json!({"image": {"base64": image}}),
        ),
        (
            "general-image-recognition",
            json!({"image": {"base64": image}}),
        ),
    ] {
        let path = format!("/v2/models/{model}/outputs");
        let body = Some(json!({"inputs": [{"data": data}]}));
        // The full answer holds concepts (so the check below means something).
        let full = env.send(&env.all, "POST", &path, body.clone()).await;
        assert!(
            find_field(&full, "concepts", "").is_some(),
            "{model}: {full}"
        );
        let red = env.send(&predict_only, "POST", &path, body).await;
        assert_eq!(find_field(&red, "concepts", ""), None, "{model}: {red}");
    }
}

#[tokio::test]
async fn no_annotations_or_concepts_in_annotation_search_hits() {
    let env = Env::new().await;
    let mut data = image_b64(RED);
    data["concepts"] = json!([{"id": "cat", "value": 1}]);
    env.send(
        &env.all,
        "POST",
        "/v2/inputs",
        Some(json!({"inputs": [{"id": "i1", "data": data}]})),
    )
    .await;
    env.api.emu.wait_idle().await;
    env.send(
        &env.all,
        "POST",
        "/v2/annotations",
        Some(json!({"annotations": [{"input_id": "i1", "data": {"concepts": [{"id": "cat"}]}}]})),
    )
    .await;
    let query = Some(
        json!({"searches": [{"query": {"ranks": [{"annotation": {"data": image_b64(RED)}}]}}]}),
    );
    let full = env
        .send(&env.all, "POST", "/v2/annotations/searches", query.clone())
        .await;
    assert!(find_field(&full, "annotation", "").is_some(), "{full}");
    let search_only = env.key(&[Scope::of::<scope::Search>()]);
    let red = env
        .send(&search_only, "POST", "/v2/annotations/searches", query)
        .await;
    for name in ["annotation", "concepts", "input"] {
        assert_eq!(find_field(&red, name, ""), None, "{name}: {red}");
    }
    assert!(!red["hits"].as_array().is_none_or(Vec::is_empty), "{red}");
}

#[tokio::test]
async fn no_models_under_a_workflows_nodes() {
    let env = Env::new().await;
    let full = env
        .send(&env.all, "GET", "/v2/workflows/General", None)
        .await;
    assert!(find_field(&full, "model", "").is_some(), "{full}");
    let workflows_only = env.key(&[Scope::of::<scope::GetWorkflows>()]);
    for path in ["/v2/workflows/General", "/v2/workflows"] {
        let red = env.send(&workflows_only, "GET", path, None).await;
        assert_eq!(find_field(&red, "model", ""), None, "{path}: {red}");
    }
}
