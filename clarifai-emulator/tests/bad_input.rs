//! Bad input is refused, Clarifai-shaped, and nothing of it is stored: bodies are decoded into
//! typed requests (a wrongly typed field is 11102 / HTTP 400), oversized bodies and paths get a
//! JSON answer, and a batch that fails stores none of its items.

mod common;

use clarifai_emulator::RunningEmulator;
use common::{Env as Fixture, code, details};
use proptest::prelude::*;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

struct Env {
    api: Fixture,
    key: String,
}

impl Env {
    async fn new() -> Env {
        let api = Fixture::new().await;
        let key = api.key.clone();
        Env { api, key }
    }

    async fn send(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        self.api.as_key(&self.key, method, path, body).await
    }

    /// How many of `field` the app holds (`inputs`, `concepts`, `models` ...).
    async fn count(&self, field: &str) -> usize {
        let (_, b) = self
            .send("GET", &format!("/v2/{field}?per_page=1000"), None)
            .await;
        b[field].as_array().map_or(0, Vec::len)
    }
}

#[tokio::test]
async fn wrongly_typed_fields_are_refused_and_store_nothing() {
    let env = Env::new().await;
    for (method, path, body, field) in [
        (
            "POST",
            "/v2/inputs",
            json!({"inputs": [1, "two", null]}),
            "inputs",
        ),
        (
            "POST",
            "/v2/inputs",
            json!({"inputs": [{"id": 12}]}),
            "inputs",
        ),
        (
            "POST",
            "/v2/inputs",
            json!({"inputs": [{"id": "a", "data": {"concepts": "dog"}}]}),
            "inputs",
        ),
        (
            "POST",
            "/v2/inputs",
            json!({"inputs": [{"id": "a", "data": {"concepts": [{"id": "d", "value": "high"}]}}]}),
            "inputs",
        ),
        (
            "POST",
            "/v2/inputs",
            json!({"inputs": "everything"}),
            "inputs",
        ),
        (
            "POST",
            "/v2/concepts",
            json!({"concepts": [{"id": ["x"]}]}),
            "concepts",
        ),
        (
            "POST",
            "/v2/models",
            json!({"model": {"id": "m", "output_info": {"data": {"concepts": {"id": "c"}}}}}),
            "models",
        ),
        (
            "POST",
            "/v2/annotations",
            json!({"annotations": [{"input_id": 3}]}),
            "annotations",
        ),
        (
            "POST",
            "/v2/workflows",
            json!({"workflows": [{"id": "w", "nodes": "n"}]}),
            "workflows",
        ),
    ] {
        let before = env.count(field).await;
        let (http, b) = env.send(method, path, Some(body.clone())).await;
        assert_eq!((http, code(&b)), (400, 11102), "{body}: {b}");
        assert!(details(&b).contains("invalid request body"), "{b}");
        assert_eq!(
            env.count(field).await,
            before,
            "{body}: something was stored"
        );
    }
}

#[tokio::test]
async fn a_failing_batch_stores_none_of_its_items() {
    let env = Env::new().await;
    let concepts_before = env.count("concepts").await;
    let models_before = env.count("models").await;
    // The second model repeats the first one's id: the request fails, and the first model's new
    // concept is not kept.
    let (http, b) = env
        .send(
            "POST",
            "/v2/models",
            Some(json!({"models": [
                {"id": "m1", "output_info": {"data": {"concepts": [{"id": "only-in-m1"}]}}},
                {"id": "m1"}
            ]})),
        )
        .await;
    assert_eq!((http, code(&b)), (400, 40010), "{b}");
    assert_eq!(env.count("concepts").await, concepts_before);
    assert_eq!(env.count("models").await, models_before);
    // Inputs: a duplicate id later in the batch refuses the whole batch.
    let (_, b) = env
        .send(
            "POST",
            "/v2/inputs",
            Some(json!({"inputs": [
                {"id": "i1", "data": {"concepts": [{"id": "from-i1"}]}},
                {"id": "i1"}
            ]})),
        )
        .await;
    assert_eq!(code(&b), 40010, "{b}");
    assert_eq!(env.count("inputs").await, 0);
    assert_eq!(env.count("concepts").await, concepts_before);
    assert_eq!(
        env.count("annotations").await,
        0,
        "no input-level annotation"
    );
    // A missing dataset, found once every input passed: still nothing.
    let (http, b) = env
        .send(
            "POST",
            "/v2/inputs",
            Some(json!({"inputs": [
                {"id": "i2", "data": {"concepts": [{"id": "from-i2"}]}},
                {"id": "i3", "dataset_ids": ["no-such-dataset"]}
            ]})),
        )
        .await;
    assert_eq!((http, code(&b)), (404, 11101), "{b}");
    assert_eq!(env.count("inputs").await, 0);
    assert_eq!(
        env.count("annotations").await,
        0,
        "no input-level annotation"
    );
    // More than the list limit is refused before any work.
    let many: Vec<Value> = (0..1001)
        .map(|i| json!({"input_id": format!("i{i}")}))
        .collect();
    let (http, b) = env
        .send(
            "POST",
            "/v2/annotations",
            Some(json!({"annotations": many})),
        )
        .await;
    assert_eq!((http, code(&b)), (400, 11102), "{b}");
}

/// Sends raw bytes and reads the status line, headers and body of the answer.
async fn raw(emu: &RunningEmulator, request: &[u8]) -> (u16, String, Value) {
    let mut stream = tokio::net::TcpStream::connect(emu.local_addr())
        .await
        .expect("connect");
    stream.write_all(request).await.expect("write");
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        stream.read_to_end(&mut buf),
    )
    .await;
    let text = String::from_utf8_lossy(&buf).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (
        status,
        head.to_ascii_lowercase(),
        serde_json::from_str(body.trim()).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn oversized_bodies_and_paths_get_clarifai_shaped_answers() {
    let env = Env::new().await;
    // A body declared larger than 128 MiB is refused from its headers.
    let request = format!(
        "POST /v2/inputs HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{{\"inputs\": [",
        env.key,
        200 * 1024 * 1024
    );
    let (status, head, body) = raw(&env.api.emu, request.as_bytes()).await;
    assert_eq!(status, 413, "{head}");
    assert!(head.contains("content-type: application/json"), "{head}");
    assert_eq!(code(&body), 40033, "{body}");
    // A path over the limit.
    let long = format!("/v2/inputs/{}", "x".repeat(10_000));
    let (http, body) = env.send("GET", &long, None).await;
    assert_eq!(http, 414);
    assert_eq!(code(&body), 11100, "{body}");
    assert!(details(&body).contains("more than"), "{body}");
}

/// A leaf of any JSON type.
fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| json!(n)),
        "[a-z0-9]{0,6}".prop_map(Value::String),
        Just(json!([1, "a"])),
        Just(json!({"k": "v"})),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// Any value in any field of an input: the emulator answers (never 5xx), and either stores
    /// the one input or nothing.
    #[test]
    fn any_value_in_any_field_is_answered_and_stores_all_or_nothing(
        field in prop::sample::select(vec!["id", "data", "data.concepts", "data.concepts[0].value",
            "data.concepts[0].id", "data.metadata", "data.image", "data.image.url", "data.geo.geo_point.latitude"]),
        value in leaf(),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async {
            let env = Env::new().await;
            let mut input = json!({"id": "x1", "data": {"concepts": [{"id": "c", "value": 1}], "metadata": {"a": 1},
                "image": {"url": "http://127.0.0.1:9/none.png"}, "geo": {"geo_point": {"latitude": 1, "longitude": 2}}}});
            let pointer = format!("/{}", field.replace('.', "/").replace("[0]", "/0"));
            if let Some(slot) = input.pointer_mut(&pointer) {
                *slot = value.clone();
            }
            let (http, b) = env.send("POST", "/v2/inputs", Some(json!({"inputs": [input]}))).await;
            prop_assert!(http < 500, "{}: {}", http, b);
            let stored = env.count("inputs").await;
            if code(&b) == 10000 {
                prop_assert_eq!(stored, 1);
            } else {
                prop_assert_eq!(stored, 0, "{}", b);
            }
            // With its input-level annotation, or neither.
            prop_assert_eq!(env.count("annotations").await, stored, "{}", b);
            Ok(())
        })?;
    }
}
