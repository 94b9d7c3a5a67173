//! Behaviour beyond the endpoint matrix: predictions, search, training, pages, inputs, keys,
//! rate limit, fault injection and the state file.

mod common;

use std::time::{Duration, Instant};

use clarifai_emulator::{Emulator, Fault};
use clarifai_typed::{Scope, scope};
use common::{
    BLUE, Env, GREEN, RED, b64, call, code, details, image_b64, png, png_with, serve_bytes,
};
use serde_json::{Value, json};

#[tokio::test]
async fn colour_of_a_solid_red_png_is_red_and_predictions_are_deterministic() {
    let env = Env::new().await;
    for model in ["color-recognition", "eeed0b6733a644cea07cf4c60f87ebb7"] {
        let body = json!({"inputs": [{"data": image_b64(RED)}]});
        let (http, b) = env
            .req(
                "POST",
                &format!("/v2/models/{model}/outputs"),
                Some(body.clone()),
            )
            .await;
        assert_eq!((http, code(&b)), (200, 10000), "{b}");
        let colors = &b["outputs"][0]["data"]["colors"];
        assert_eq!(colors[0]["w3c"]["name"], "Red", "{b}");
        assert_eq!(colors[0]["w3c"]["hex"], "#ff0000");
        assert_eq!(colors[0]["raw_hex"], "#ff0000");
        assert_eq!(colors[0]["value"], 1.0);
        assert_eq!(b["outputs"][0]["status"]["code"], 10000);
        assert_eq!(b["outputs"][0]["model"]["output_info"]["type"], "color");
        let (_, again) = env
            .req("POST", &format!("/v2/models/{model}/outputs"), Some(body))
            .await;
        assert_eq!(again["outputs"][0]["data"], b["outputs"][0]["data"]);
    }
    // A half blue, half white JPEG: two colours of about half each.
    let img = image::RgbImage::from_fn(40, 20, |x, _| {
        image::Rgb(if x < 20 { BLUE } else { [255, 255, 255] })
    });
    let mut jpeg = std::io::Cursor::new(Vec::new());
    img.write_to(&mut jpeg, image::ImageFormat::Jpeg)
        .expect("jpeg");
    let body = json!({"inputs": [{"data": {"image": {"base64": b64(jpeg.get_ref())}}}]});
    let (_, b) = env
        .req("POST", "/v2/models/color-recognition/outputs", Some(body))
        .await;
    let names: Vec<&str> = b["outputs"][0]["data"]["colors"]
        .as_array()
        .expect("colors")
        .iter()
        .filter_map(|c| c["w3c"]["name"].as_str())
        .collect();
    assert!(
        names.contains(&"Blue") && names.contains(&"White"),
        "{names:?}"
    );
}

#[tokio::test]
async fn general_and_embedding_models_compute_from_pixels() {
    let env = Env::new().await;
    for model in [
        "general-image-recognition",
        "aaa03c23b3724a16a56b629203edc62c",
    ] {
        let body = json!({"inputs": [{"data": image_b64(RED)}, {"data": image_b64([10, 10, 10])}]});
        let (_, b) = env
            .req(
                "POST",
                &format!("/v2/models/{model}/outputs"),
                Some(body.clone()),
            )
            .await;
        assert_eq!(code(&b), 10000, "{b}");
        let red = &b["outputs"][0]["data"]["concepts"];
        assert_eq!(red[0]["name"], "red", "{b}");
        let dark: Vec<&str> = b["outputs"][1]["data"]["concepts"]
            .as_array()
            .expect("concepts")
            .iter()
            .filter_map(|c| c["name"].as_str())
            .collect();
        assert!(
            dark.contains(&"dark") && dark.contains(&"black"),
            "{dark:?}"
        );
        for out in b["outputs"].as_array().expect("outputs") {
            for c in out["data"]["concepts"].as_array().expect("concepts") {
                let v = c["value"].as_f64().expect("value");
                assert!((0.0..=1.0).contains(&v));
            }
        }
        let (_, again) = env
            .req("POST", &format!("/v2/models/{model}/outputs"), Some(body))
            .await;
        assert_eq!(again["outputs"][0]["data"], b["outputs"][0]["data"]);
    }
    // Output config: max_concepts and select_concepts.
    let body = json!({"inputs": [{"data": image_b64(RED)}], "model": {"output_info": {"output_config": {"max_concepts": 1}}}});
    let (_, b) = env
        .req(
            "POST",
            "/v2/models/general-image-recognition/outputs",
            Some(body),
        )
        .await;
    assert_eq!(
        b["outputs"][0]["data"]["concepts"].as_array().map(Vec::len),
        Some(1)
    );
    // Embeddings: L2-normalised, deterministic.
    let body = json!({"inputs": [{"data": image_b64(GREEN)}]});
    let (_, b) = env
        .req(
            "POST",
            "/v2/models/bbb5f41425b8468d9b7a554ff10f8581/outputs",
            Some(body),
        )
        .await;
    let e = &b["outputs"][0]["data"]["embeddings"][0];
    let v: Vec<f64> = e["vector"]
        .as_array()
        .expect("vector")
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    assert_eq!(e["num_dimensions"].as_u64(), Some(v.len() as u64));
    let norm: f64 = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    assert!((norm - 1.0).abs() < 1e-3, "{norm}");
    // A PAT may use the public app's models through full paths.
    let body = json!({"inputs": [{"data": image_b64(RED)}]});
    let (http, b) = env
        .as_key(
            &env.pat,
            "POST",
            "/v2/users/clarifai/apps/main/models/general-image-recognition/outputs",
            Some(body),
        )
        .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    // ... but cannot change it, and app keys cannot reach it.
    let create = json!({"model": {"id": "mine"}});
    let (http, b) = env
        .as_key(
            &env.pat,
            "POST",
            "/v2/users/clarifai/apps/main/models",
            Some(create),
        )
        .await;
    assert_eq!((http, code(&b)), (401, 11008), "{b}");
    let (http, b) = env
        .as_key(&env.key, "GET", "/v2/users/clarifai/apps/main/models", None)
        .await;
    assert_eq!((http, code(&b)), (401, 11008), "{b}");
}

#[tokio::test]
async fn a_bad_url_gives_mixed_status_and_all_bad_gives_failure() {
    let env = Env::new().await;
    let server = serve_bytes(png(RED)).await;
    let good = json!({"data": {"image": {"url": format!("{server}/img.png")}}});
    let bad_url = format!("{server}/missing.png");
    let bad = json!({"data": {"image": {"url": bad_url}}});
    let (http, b) = env
        .req(
            "POST",
            "/v2/models/color-recognition/outputs",
            Some(json!({"inputs": [good, bad.clone()]})),
        )
        .await;
    assert_eq!((http, code(&b)), (207, 10010), "{b}");
    assert_eq!(b["status"]["description"], "Mixed Success");
    assert_eq!(b["outputs"][0]["status"]["code"], 10000);
    assert_eq!(b["outputs"][0]["data"]["colors"][0]["w3c"]["name"], "Red");
    let failed = &b["outputs"][1];
    assert_eq!(failed["status"]["code"], 30002);
    assert_eq!(
        failed["status"]["description"],
        "Download failed; check URL"
    );
    assert_eq!(
        failed["status"]["details"],
        format!("404 Client Error: Not Found for url: {bad_url}")
    );
    assert_eq!(failed["data"], json!({}));
    assert_eq!(failed["input"]["data"]["image"]["url"], bad_url);
    let (http, b) = env
        .req(
            "POST",
            "/v2/models/color-recognition/outputs",
            Some(json!({"inputs": [bad]})),
        )
        .await;
    // Every input failed alike: their status is the request's (30002, as the grpc suite's
    // test_failed_predict expects); failing differently is 10020.
    assert_eq!((http, code(&b)), (400, 30002), "{b}");
    let (http, b) = env
        .req(
            "POST",
            "/v2/models/color-recognition/outputs",
            Some(json!({"inputs": [bad, {"data": {}}]})),
        )
        .await;
    assert_eq!((http, code(&b)), (400, 10020), "{b}");
    // Remote hosts are not fetched unless allowed.
    let remote =
        json!({"data": {"image": {"url": "https://samples.clarifai.com/metro-north.jpg"}}});
    let (_, b) = env
        .req(
            "POST",
            "/v2/models/color-recognition/outputs",
            Some(json!({"inputs": [remote]})),
        )
        .await;
    assert_eq!(b["outputs"][0]["status"]["code"], 30002);
    assert!(details(&json!({"status": b["outputs"][0]["status"]})).contains("loopback"));
    // No image at all.
    let (_, b) = env
        .req(
            "POST",
            "/v2/models/color-recognition/outputs",
            Some(json!({"inputs": [{"data": {}}]})),
        )
        .await;
    assert_eq!(b["outputs"][0]["status"]["code"], 30104);
}

#[tokio::test]
async fn inputs_are_pending_then_processed_and_ids_are_unique() {
    let env = Env::new().await;
    let server = serve_bytes(png(RED)).await;
    let inputs = json!([
        {"id": "ok", "data": {"image": {"url": format!("{server}/img.png")}}},
        {"id": "broken", "data": {"image": {"url": format!("{server}/nope.png")}}},
        {"id": "bytes", "data": image_b64(BLUE)},
    ]);
    let (http, b) = env
        .req("POST", "/v2/inputs", Some(json!({"inputs": inputs})))
        .await;
    assert_eq!((http, code(&b)), (200, 10000));
    for i in b["inputs"].as_array().expect("inputs") {
        assert_eq!(i["status"]["code"], 30001, "{i}");
        assert_eq!(i["status"]["description"], "Download pending");
        assert!(i["created_at"].as_str().is_some_and(|t| t.ends_with('Z')));
        assert!(i["data"]["image"].get("base64").is_none());
    }
    env.emu.wait_idle().await;
    let (_, b) = env.req("GET", "/v2/inputs/ok", None).await;
    assert_eq!(b["input"]["status"]["code"], 30000, "{b}");
    assert_eq!(b["input"]["data"]["image"]["image_info"]["width"], 16);
    let (_, b) = env.req("GET", "/v2/inputs/broken", None).await;
    assert_eq!(b["input"]["status"]["code"], 30002, "{b}");
    assert!(details(&json!({"status": b["input"]["status"]})).starts_with("404 Client Error"));
    let (http, b) = env.req("GET", "/v2/inputs", None).await;
    assert_eq!(
        (http, code(&b)),
        (207, 10010),
        "a page with failed inputs is mixed: {b}"
    );
    let (_, b) = env.req("GET", "/v2/inputs/status", None).await;
    assert_eq!(b["counts"]["processed"], 2);
    assert_eq!(b["counts"]["errors"], 1);
    // Duplicate ids.
    let (http, b) = env
        .req(
            "POST",
            "/v2/inputs",
            Some(json!({"inputs": [{"id": "ok", "data": image_b64(RED)}]})),
        )
        .await;
    assert_eq!((http, code(&b)), (400, 40010), "{b}");
    let (http, b) = env
        .req(
            "POST",
            "/v2/inputs",
            Some(json!({"inputs": [{"id": "x", "data": {}}, {"id": "x", "data": {}}]})),
        )
        .await;
    assert_eq!((http, code(&b)), (400, 40010), "{b}");
    // Bad JSON.
    let resp = env
        .client
        .post(format!("{}/v2/inputs", env.emu.base_url()))
        .header("Authorization", &env.key)
        .body("{not json")
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status().as_u16(), 400);
    let b: Value = resp.json().await.expect("json");
    assert_eq!(code(&b), 11100);
    // Patch and delete.
    let patch = json!({"inputs": [{"id": "bytes", "data": {"metadata": {"a": 1}, "concepts": [{"id": "sky"}]}}], "action": "merge"});
    let (_, b) = env.req("PATCH", "/v2/inputs", Some(patch)).await;
    assert_eq!(b["inputs"][0]["data"]["metadata"]["a"], 1, "{b}");
    assert_eq!(b["inputs"][0]["data"]["concepts"][0]["value"], 1.0);
    let (_, b) = env.req("GET", "/v2/concepts/sky", None).await;
    assert_eq!(
        b["concept"]["id"], "sky",
        "concepts are created with inputs: {b}"
    );
    let (http, _) = env.req("DELETE", "/v2/inputs/bytes", None).await;
    assert_eq!(http, 200);
    let (http, b) = env.req("GET", "/v2/inputs/bytes", None).await;
    assert_eq!((http, code(&b)), (404, 11101));
}

#[tokio::test]
async fn visual_search_ranks_the_most_similar_first() {
    let env = Env::new().await;
    env.add_inputs(json!([
        {"id": "blue", "data": image_b64(BLUE)},
        {"id": "dark-red", "data": image_b64([190, 10, 10])},
        {"id": "red", "data": {"image": {"base64": b64(&png(RED))}, "metadata": {"kind": "warm", "n": {"x": 1}}, "concepts": [{"id": "fire"}]}},
        {"id": "green", "data": image_b64(GREEN)},
        {"id": "half", "data": {"image": {"base64": b64(&png_with(16, 16, |x, _| if x < 8 { RED } else { BLUE }))}}},
    ]))
    .await;
    let query = image_b64(RED);
    let legacy = json!({"query": {"ands": [{"output": {"input": {"data": query}}}]}});
    let new = json!({"searches": [{"query": {"ranks": [{"annotation": {"data": query}}]}}]});
    for (path, body) in [("/v2/searches", legacy), ("/v2/inputs/searches", new)] {
        let (http, b) = env.req("POST", path, Some(body)).await;
        assert_eq!((http, code(&b)), (200, 10000), "{b}");
        let hits = b["hits"].as_array().expect("hits");
        let ids: Vec<&str> = hits
            .iter()
            .filter_map(|h| h["input"]["id"].as_str())
            .collect();
        assert_eq!(&ids[..2], ["red", "dark-red"], "{path}: {ids:?}");
        let scores: Vec<f64> = hits.iter().filter_map(|h| h["score"].as_f64()).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
        assert!(scores.iter().all(|s| (0.0..=1.0).contains(s)));
        assert!(scores[0] > 0.99);
    }
    // By an input of the app.
    let body = json!({"searches": [{"query": {"ranks": [{"annotation": {"input_id": "blue"}}]}}]});
    let (_, b) = env.req("POST", "/v2/inputs/searches", Some(body)).await;
    assert_eq!(b["hits"][0]["input"]["id"], "blue");
    // By concept (a label, or a prediction of the general model).
    let body = json!({"query": {"ands": [{"output": {"data": {"concepts": [{"id": "fire", "value": 1}]}}}]}});
    let (_, b) = env.req("POST", "/v2/searches", Some(body)).await;
    let ids: Vec<&str> = b["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["input"]["id"].as_str())
        .collect();
    assert_eq!(ids, ["red"]);
    let body = json!({"searches": [{"query": {"filters": [{"annotation": {"data": {"concepts": [{"name": "green", "value": 1}]}}}]}}]});
    let (_, b) = env.req("POST", "/v2/inputs/searches", Some(body)).await;
    let ids: Vec<&str> = b["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .filter_map(|h| h["input"]["id"].as_str())
        .collect();
    assert_eq!(ids, ["green"], "{b}");
    // By metadata (subset match) and by id.
    let body = json!({"query": {"ands": [{"input": {"data": {"metadata": {"n": {"x": 1}}}}}]}});
    let (_, b) = env.req("POST", "/v2/searches", Some(body)).await;
    assert_eq!(b["hits"].as_array().map(Vec::len), Some(1));
    assert_eq!(b["hits"][0]["input"]["id"], "red");
    let body = json!({"searches": [{"query": {"filters": [{"input": {"id": "green"}}]}}]});
    let (_, b) = env.req("POST", "/v2/inputs/searches", Some(body)).await;
    assert_eq!(b["hits"][0]["input"]["id"], "green");
    assert_eq!(b["hits"].as_array().map(Vec::len), Some(1));
    // Annotation searches carry the annotation.
    let body = json!({"searches": [{"query": {"filters": [{"annotation": {"data": {"concepts": [{"id": "fire"}]}}}]}}]});
    let (_, b) = env
        .req("POST", "/v2/annotations/searches", Some(body))
        .await;
    assert_eq!(b["hits"][0]["annotation"]["input_id"], "red", "{b}");
    // Pagination in the body.
    let body = json!({"query": {"ands": [{"output": {"input": {"data": query}}}]}, "pagination": {"page": 2, "per_page": 2}});
    let (_, b) = env.req("POST", "/v2/searches", Some(body)).await;
    assert_eq!(b["hits"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn a_custom_model_trains_on_annotated_inputs_and_predicts_their_concepts() {
    let env = Env::new().await;
    let create = json!({"model": {"id": "temp", "name": "temperature", "output_info": {"data": {"concepts": [{"id": "hot"}, {"id": "cold"}]}}}});
    let (_, b) = env.req("POST", "/v2/models", Some(create)).await;
    assert_eq!(b["model"]["model_version"]["status"]["code"], 21102, "{b}");
    let (http, b) = env
        .req(
            "POST",
            "/v2/models/temp/outputs",
            Some(json!({"inputs": [{"data": image_b64(RED)}]})),
        )
        .await;
    assert_eq!((http, code(&b)), (400, 21102), "untrained: {b}");
    env.add_inputs(json!([
        {"id": "r1", "data": {"image": {"base64": b64(&png([250, 20, 0]))}, "concepts": [{"id": "hot"}]}},
        {"id": "r2", "data": {"image": {"base64": b64(&png([220, 60, 10]))}, "concepts": [{"id": "hot"}, {"id": "cold", "value": 0}]}},
        {"id": "b1", "data": image_b64([10, 40, 240])},
        {"id": "b2", "data": image_b64([60, 120, 255])},
    ]))
    .await;
    // Labels can also come as annotations.
    let ann = json!({"annotations": [
        {"input_id": "b1", "data": {"concepts": [{"id": "cold"}]}},
        {"input_id": "b2", "data": {"concepts": [{"id": "cold"}]}},
    ]});
    let (_, b) = env.req("POST", "/v2/annotations", Some(ann)).await;
    assert_eq!(code(&b), 10000, "{b}");
    let (http, b) = env
        .req("POST", "/v2/models/temp/versions", Some(json!({})))
        .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    // Training is asynchronous: queued at first, trained in the background.
    assert_eq!(b["model"]["model_version"]["status"]["code"], 21103, "{b}");
    let version = b["model"]["model_version"]["id"]
        .as_str()
        .expect("version")
        .to_string();
    env.emu.wait_idle().await;
    let (_, b) = env
        .req("GET", &format!("/v2/models/temp/versions/{version}"), None)
        .await;
    assert_eq!(b["model_version"]["status"]["code"], 21100, "{b}");
    assert_eq!(b["model_version"]["total_input_count"], 4);
    let body =
        json!({"inputs": [{"data": image_b64([240, 30, 5])}, {"data": image_b64([30, 70, 250])}]});
    for path in [
        "/v2/models/temp/outputs".to_string(),
        format!("/v2/models/temp/versions/{version}/outputs"),
    ] {
        let (_, b) = env.req("POST", &path, Some(body.clone())).await;
        assert_eq!(code(&b), 10000, "{b}");
        assert_eq!(b["outputs"][0]["data"]["concepts"][0]["id"], "hot", "{b}");
        assert_eq!(b["outputs"][1]["data"]["concepts"][0]["id"], "cold", "{b}");
        let v = b["outputs"][0]["data"]["concepts"][0]["value"]
            .as_f64()
            .expect("value");
        assert!(v > 0.9 && v <= 1.0, "{v}");
    }
    // Inputs of the app can be predicted by id.
    let by_id = json!({"inputs": [{"id": "b2"}, {"id": "missing"}]});
    let (http, b) = env
        .req("POST", "/v2/models/temp/outputs", Some(by_id))
        .await;
    assert_eq!((http, code(&b)), (207, 10010), "{b}");
    assert_eq!(b["outputs"][0]["data"]["concepts"][0]["id"], "cold", "{b}");
    assert_eq!(b["outputs"][1]["status"]["code"], 30104);
    let (_, b) = env.req("GET", "/v2/models/temp/inputs", None).await;
    assert_eq!(b["inputs"].as_array().map(Vec::len), Some(4));
    let (_, b) = env.req("GET", "/v2/models/temp/versions", None).await;
    assert_eq!(b["model_versions"].as_array().map(Vec::len), Some(2));
    assert_eq!(b["model_versions"][0]["id"], version.as_str());
    // Workflows run their models.
    let wf = json!({"workflows": [{"id": "wf", "nodes": [{"id": "t", "model": {"id": "temp"}}, {"id": "c", "model": {"id": "color-recognition"}}]}]});
    let (_, b) = env.req("POST", "/v2/workflows", Some(wf)).await;
    assert_eq!(code(&b), 10000, "{b}");
    let (_, b) = env
        .req(
            "POST",
            "/v2/workflows/wf/results",
            Some(json!({"inputs": [{"data": image_b64(RED)}]})),
        )
        .await;
    assert_eq!(
        b["results"][0]["outputs"][0]["data"]["concepts"][0]["id"], "hot",
        "{b}"
    );
    assert_eq!(
        b["results"][0]["outputs"][1]["data"]["colors"][0]["w3c"]["name"],
        "Red"
    );
    // Every app has the base workflow "General": the General model first (its concepts are
    // the first output), then the embedding; the request's own output_config applies.
    let body = json!({"inputs": [{"data": image_b64(RED)}], "output_config": {"max_concepts": 1}});
    let (_, b) = env
        .req("POST", "/v2/workflows/General/results", Some(body))
        .await;
    assert_eq!(code(&b), 10000, "{b}");
    let concepts = &b["results"][0]["outputs"][0]["data"]["concepts"];
    assert_eq!(concepts[0]["name"], "red", "{b}");
    assert_eq!(concepts.as_array().map(Vec::len), Some(1), "{b}");
    assert!(
        b["results"][0]["outputs"][1]["data"]["embeddings"].is_array(),
        "{b}"
    );
    let (_, b) = env.req("GET", "/v2/workflows/General", None).await;
    assert_eq!(b["workflow"]["id"], "General");
    for node in b["workflow"]["nodes"].as_array().expect("nodes") {
        assert!(
            node.pointer("/model/model_version/id")
                .and_then(Value::as_str)
                .is_some_and(|v| v.len() == 32),
            "every node names its model's version: {b}"
        );
    }
}

#[tokio::test]
async fn list_endpoints_page_and_clamp() {
    let env = Env::new().await;
    let inputs: Vec<Value> = (0..5)
        .map(|i| json!({"id": format!("t{i}"), "data": {"text": {"raw": "hello"}}}))
        .collect();
    env.add_inputs(json!(inputs)).await;
    let mut seen = Vec::new();
    for page in 1..=4 {
        let (_, b) = env
            .req("GET", &format!("/v2/inputs?page={page}&per_page=2"), None)
            .await;
        let ids: Vec<String> = b["inputs"]
            .as_array()
            .expect("inputs")
            .iter()
            .filter_map(|i| i["id"].as_str().map(String::from))
            .collect();
        assert_eq!(ids.len(), [2, 2, 1, 0][page - 1], "page {page}");
        seen.extend(ids);
    }
    assert_eq!(seen, ["t0", "t1", "t2", "t3", "t4"]);
    let (_, b) = env.req("GET", "/v2/inputs?per_page=100000", None).await;
    assert_eq!(b["inputs"].as_array().map(Vec::len), Some(5));
    let (http, b) = env.req("GET", "/v2/inputs?page=abc", None).await;
    assert_eq!((http, code(&b)), (400, 11102));
    // 130 inputs in two batches: the default page is 128.
    for batch in 0..2 {
        let inputs: Vec<Value> = (0..65)
            .map(|i| json!({"id": format!("b{batch}-{i}"), "data": {"text": {"raw": "x"}}}))
            .collect();
        env.add_inputs(json!(inputs)).await;
    }
    let (_, b) = env.req("GET", "/v2/inputs", None).await;
    assert_eq!(b["inputs"].as_array().map(Vec::len), Some(128));
    let (_, b) = env.req("GET", "/v2/inputs?page=2", None).await;
    assert_eq!(b["inputs"].as_array().map(Vec::len), Some(7));
}

#[tokio::test]
async fn keys_are_managed_with_a_pat_and_bound_to_their_app() {
    let env = Env::new().await;
    env.emu.create_app("other");
    let p = "/v2/users/me/keys";
    let body = json!({"keys": [{"description": "ci", "scopes": ["Inputs:Delete"], "apps": [{"id": "main", "user_id": "me"}]}]});
    let (http, b) = env.as_key(&env.pat, "POST", p, Some(body)).await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    let new = b["keys"][0]["id"].as_str().expect("id").to_string();
    assert_eq!(new.len(), 32);
    assert!(
        new.bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
    let scopes: Vec<&str> = b["keys"][0]["scopes"]
        .as_array()
        .expect("scopes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        scopes.contains(&"Inputs:Get") && scopes.contains(&"Inputs:Add"),
        "closed over dependencies: {scopes:?}"
    );
    let new_key = format!("Key {new}");
    let (_, b) = env.as_key(&new_key, "GET", "/v2/myscopes", None).await;
    let mine: Vec<&str> = b["scopes"]
        .as_array()
        .expect("scopes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        mine.contains(&"Apps:Get"),
        "every app key holds Apps:Get: {mine:?}"
    );
    assert_eq!(b["app"]["id"], "main");
    // Full paths naming its own app work; another app or user does not.
    let (http, _) = env
        .as_key(&new_key, "GET", "/v2/users/me/apps/main/inputs", None)
        .await;
    assert_eq!(http, 200);
    let (http, b) = env
        .as_key(&new_key, "GET", "/v2/users/me/apps/other/inputs", None)
        .await;
    assert_eq!((http, code(&b)), (401, 11008), "{b}");
    let (http, b) = env
        .as_key(&new_key, "GET", "/v2/users/someone/apps/main/inputs", None)
        .await;
    assert_eq!((http, code(&b)), (401, 11008), "{b}");
    // The PAT reaches both apps, but not a missing one.
    let (http, _) = env
        .as_key(&env.pat, "GET", "/v2/users/me/apps/other/inputs", None)
        .await;
    assert_eq!(http, 200);
    let (http, b) = env
        .as_key(&env.pat, "GET", "/v2/users/me/apps/nope/inputs", None)
        .await;
    assert_eq!((http, code(&b)), (404, 11101), "{b}");
    // List, get, patch, list per app, delete.
    let (_, b) = env.as_key(&env.pat, "GET", p, None).await;
    assert!(
        b["keys"]
            .as_array()
            .expect("keys")
            .iter()
            .any(|k| k["id"] == new.as_str())
    );
    let (_, b) = env
        .as_key(&env.pat, "GET", &format!("{p}/{new}"), None)
        .await;
    assert_eq!(b["key"]["description"], "ci");
    let patch = json!({"keys": [{"id": new, "scopes": ["Predict"]}], "action": "overwrite"});
    let (_, b) = env.as_key(&env.pat, "PATCH", p, Some(patch)).await;
    assert_eq!(b["keys"][0]["scopes"], json!(["Predict"]), "{b}");
    let (http, b) = env.as_key(&new_key, "DELETE", "/v2/inputs/x", None).await;
    assert_eq!((http, code(&b)), (401, 11007), "{b}");
    let (_, b) = env
        .as_key(&env.pat, "GET", "/v2/users/me/apps/other/keys", None)
        .await;
    assert_eq!(b["keys"], json!([]));
    let (_, b) = env
        .as_key(&env.pat, "GET", "/v2/users/me/apps/main/keys", None)
        .await;
    assert!(b["keys"].as_array().expect("keys").len() >= 2);
    let (http, _) = env
        .as_key(&env.pat, "DELETE", &format!("{p}/{new}"), None)
        .await;
    assert_eq!(http, 200);
    let (http, b) = env.as_key(&new_key, "GET", "/v2/myscopes", None).await;
    assert_eq!((http, code(&b)), (401, 11009));
    // Endpoint-level permissions restrict a key to the RPCs it lists.
    let body = json!({"keys": [{"scopes": ["All"], "endpoints": ["/clarifai.api.V2/PostModelOutputs"], "apps": [{"id": "main"}]}]});
    let (_, b) = env.as_key(&env.pat, "POST", p, Some(body)).await;
    assert_eq!(
        b["keys"][0]["endpoints"],
        json!(["/clarifai.api.V2/PostModelOutputs"]),
        "{b}"
    );
    let limited = format!("Key {}", b["keys"][0]["id"].as_str().expect("id"));
    let predict = json!({"inputs": [{"data": image_b64(RED)}]});
    let (http, _) = env
        .as_key(
            &limited,
            "POST",
            "/v2/models/color-recognition/outputs",
            Some(predict),
        )
        .await;
    assert_eq!(http, 200);
    let (http, b) = env.as_key(&limited, "GET", "/v2/inputs", None).await;
    assert_eq!((http, code(&b)), (401, 11007));
    assert!(details(&b).contains("/clarifai.api.V2/ListInputs"), "{b}");
    let (_, b) = env.as_key(&limited, "GET", "/v2/myscopes", None).await;
    assert_eq!(b["endpoints"], json!(["/clarifai.api.V2/PostModelOutputs"]));
    // Unknown scopes are refused; expired keys are rejected.
    let body = json!({"keys": [{"scopes": ["Teleport:Add"], "apps": [{"id": "main"}]}]});
    let (http, b) = env.as_key(&env.pat, "POST", p, Some(body)).await;
    assert_eq!((http, code(&b)), (400, 11102), "{b}");
    let short = env.emu.create_key(&[Scope::of::<scope::Predict>()]);
    assert!(env.emu.set_key_expiry(&short, Some("2001-01-01T00:00:00Z")));
    let (http, b) = env
        .as_key(&format!("Key {short}"), "GET", "/v2/myscopes", None)
        .await;
    assert_eq!((http, code(&b)), (401, 11008));
    assert_eq!(details(&b), "API key has expired.");
}

#[tokio::test]
async fn the_rate_limit_answers_429() {
    let env = Env::with(Emulator::builder().rate(3)).await;
    let mut codes = Vec::new();
    let start = Instant::now();
    for _ in 0..5 {
        let resp = env
            .client
            .get(format!("{}/v2/myscopes", env.emu.base_url()))
            .header("Authorization", &env.key)
            .send()
            .await
            .expect("send");
        let http = resp.status().as_u16();
        let retry = resp.headers().get("retry-after").cloned();
        let b: Value = resp.json().await.expect("json");
        codes.push((http, code(&b)));
        if http == 429 {
            assert_eq!(details(&b), "exceeded limit of 3 requests per second");
            assert_eq!(b["status"]["description"], "Making too many requests");
            assert_eq!(retry.as_ref().and_then(|v| v.to_str().ok()), Some("1"));
        }
    }
    if start.elapsed() < Duration::from_millis(900) {
        assert_eq!(codes[..3], [(200, 10000); 3]);
        assert_eq!(codes[3..], [(429, 11005); 2]);
    }
    // Another key has its own budget.
    let (http, _) = env
        .as_key(&env.pat, "GET", "/v2/users/me/apps/main/myscopes", None)
        .await;
    assert_eq!(http, 200);
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let (http, _) = env.req("GET", "/v2/myscopes", None).await;
    assert_eq!(http, 200, "the window moved on");
}

#[tokio::test]
async fn faults_are_injected_on_demand() {
    let env = Env::new().await;
    env.emu.fail_next(1, Fault::Throttle);
    env.emu.fail_next(1, Fault::Unavailable);
    env.emu.fail_next(1, Fault::Internal);
    let (http, b) = env.req("GET", "/v2/myscopes", None).await;
    assert_eq!((http, code(&b)), (429, 11005));
    let (http, b) = env.req("GET", "/v2/myscopes", None).await;
    assert_eq!((http, code(&b)), (503, 40031));
    let (http, b) = env.req("GET", "/v2/myscopes", None).await;
    assert_eq!((http, code(&b)), (500, 99009));
    let (http, b) = env.req("GET", "/v2/myscopes", None).await;
    assert_eq!((http, code(&b)), (200, 10000));
    // Truncated body: well framed, not JSON.
    env.emu.fail_next(1, Fault::TruncatedBody);
    let resp = env
        .client
        .get(format!("{}/v2/myscopes", env.emu.base_url()))
        .header("Authorization", &env.key)
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status().as_u16(), 200);
    let text = resp.text().await.expect("text");
    assert!(
        !text.is_empty() && serde_json::from_str::<Value>(&text).is_err(),
        "{text}"
    );
    // Dropped connection.
    env.emu.fail_next(1, Fault::DropConnection);
    let err = env
        .client
        .get(format!("{}/v2/myscopes", env.emu.base_url()))
        .header("Authorization", &env.key)
        .send()
        .await;
    assert!(err.is_err(), "{err:?}");
    // Delay.
    env.emu
        .fail_next(1, Fault::Delay(Duration::from_millis(300)));
    let start = Instant::now();
    let (http, _) = env.req("GET", "/v2/myscopes", None).await;
    assert_eq!(http, 200);
    assert!(start.elapsed() >= Duration::from_millis(300));
    // A seeded share: the same seed fails the same requests.
    let mut patterns = Vec::new();
    for _ in 0..2 {
        env.emu.fail_share(0.5, 42, Fault::Unavailable);
        let mut pattern = Vec::new();
        for _ in 0..20 {
            let (http, _) = env.req("GET", "/v2/myscopes", None).await;
            pattern.push(http);
        }
        patterns.push(pattern);
    }
    env.emu.clear_faults();
    assert_eq!(patterns[0], patterns[1]);
    let failed = patterns[0].iter().filter(|h| **h == 503).count();
    assert!((3..=17).contains(&failed), "{failed}");
    let (http, _) = env.req("GET", "/v2/myscopes", None).await;
    assert_eq!(http, 200);
}

#[tokio::test]
async fn the_state_file_survives_a_restart() {
    let dir = std::env::temp_dir().join(format!("clarifai-emu-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("state.db");
    let _ = std::fs::remove_file(&file);
    let (key, version) = {
        let env = Env::with(Emulator::builder().state_file(&file)).await;
        env.add_inputs(json!([{"id": "keep", "data": {"image": {"base64": b64(&png(RED))}, "concepts": [{"id": "warm"}]}}])).await;
        let create =
            json!({"model": {"id": "m", "output_info": {"data": {"concepts": [{"id": "warm"}]}}}});
        env.req("POST", "/v2/models", Some(create)).await;
        let (_, b) = env
            .req("POST", "/v2/models/m/versions", Some(json!({})))
            .await;
        let version = b["model"]["model_version"]["id"]
            .as_str()
            .expect("v")
            .to_string();
        env.emu.wait_idle().await;
        let key = env.key.clone();
        env.emu.shutdown().await;
        (key, version)
    };
    let head = std::fs::read(&file).expect("state file");
    assert!(head.starts_with(b"SQLite format 3\0"));
    let emu = common::on_state(&file, "restart").await;
    let client = reqwest::Client::new();
    let (http, b) = call(
        &client,
        &emu.base_url(),
        "GET",
        "/v2/inputs/keep",
        Some(&key),
        None,
    )
    .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    assert_eq!(b["input"]["status"]["code"], 30000);
    let (_, b) = call(
        &client,
        &emu.base_url(),
        "GET",
        &format!("/v2/models/m/versions/{version}"),
        Some(&key),
        None,
    )
    .await;
    assert_eq!(b["model_version"]["status"]["code"], 21100, "{b}");
    let body = json!({"inputs": [{"data": image_b64(RED)}]});
    let (_, b) = call(
        &client,
        &emu.base_url(),
        "POST",
        "/v2/models/m/outputs",
        Some(&key),
        Some(&body),
    )
    .await;
    assert_eq!(b["outputs"][0]["data"]["concepts"][0]["id"], "warm", "{b}");
    // A file that is not a state is refused.
    let junk = dir.join("junk.json");
    std::fs::write(&junk, "[1, 2").expect("write");
    let err = Emulator::builder().state_file(&junk).start().await;
    assert!(err.is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn concepts_annotations_and_workflows_crud() {
    let env = Env::new().await;
    let (_, b) = env
        .req(
            "POST",
            "/v2/concepts",
            Some(json!({"concepts": [{"id": "dog", "name": "Dog"}]})),
        )
        .await;
    assert_eq!(b["concepts"][0]["name"], "Dog");
    let (http, b) = env
        .req(
            "POST",
            "/v2/concepts",
            Some(json!({"concepts": [{"id": "dog"}]})),
        )
        .await;
    assert_eq!((http, code(&b)), (400, 40003));
    assert_eq!(b["status"]["description"], "Invalid request");
    assert!(details(&b).contains("duplicate"), "{b}");
    let (_, b) = env
        .req(
            "PATCH",
            "/v2/concepts",
            Some(json!({"concepts": [{"id": "dog", "name": "Hound"}], "action": "overwrite"})),
        )
        .await;
    assert_eq!(b["concepts"][0]["name"], "Hound");
    let (http, b) = env.req("GET", "/v2/concepts/cat", None).await;
    assert_eq!((http, code(&b)), (404, 11101));
    env.add_inputs(json!([{"id": "i", "data": {"image": {"base64": b64(&png(RED))}, "concepts": [{"id": "dog"}]}}])).await;
    let (_, b) = env.req("GET", "/v2/concepts/status", None).await;
    assert_eq!(
        b["concept_counts"][0]["concept_type_count"]["positive"], 1,
        "{b}"
    );
    let (_, b) = env.req("POST", "/v2/annotations", Some(json!({"annotations": [{"id": "a", "input_id": "i", "data": {"concepts": [{"id": "dog"}]}}]}))).await;
    assert_eq!(b["annotations"][0]["status"]["code"], 24150);
    let (_, b) = env.req("GET", "/v2/inputs/i/annotations/a", None).await;
    assert_eq!(b["annotation"]["input_id"], "i");
    let (http, b) = env
        .req(
            "POST",
            "/v2/annotations",
            Some(json!({"annotations": [{"input_id": "nope", "data": {}}]})),
        )
        .await;
    assert_eq!((http, code(&b)), (404, 11101));
    let (http, _) = env.req("DELETE", "/v2/inputs/i/annotations/a", None).await;
    assert_eq!(http, 200);
    // What is left is the input's own, input-level annotation.
    let (_, b) = env.req("GET", "/v2/annotations", None).await;
    assert_eq!(b["annotations"].as_array().map(Vec::len), Some(1), "{b}");
    assert_ne!(b["annotations"][0]["id"], "a", "{b}");
    assert_eq!(b["annotations"][0]["input_id"], "i", "{b}");
    let (http, b) = env.req("GET", "/v2/workflows/none", None).await;
    assert_eq!((http, code(&b)), (404, 22102));
    let (http, b) = env
        .req(
            "POST",
            "/v2/workflows",
            Some(json!({"workflows": [{"id": "w", "nodes": [{"model": {"id": "missing"}}]}]})),
        )
        .await;
    assert_eq!((http, code(&b)), (404, 21200), "{b}");
    let (http, b) = env
        .req("DELETE", "/v2/models/general-image-recognition", None)
        .await;
    assert_eq!((http, code(&b)), (400, 21202), "{b}");
}

/// The flow of the grpc suite's `test_save_and_execute_annotations_search_by_id`: every added
/// input has an input-level annotation holding its concepts; merging a concept into it labels the
/// input, and a saved search for that concept finds both inputs, with score 1.
#[tokio::test]
async fn an_input_level_annotation_labels_its_input() {
    let env = Env::new().await;
    let input = |id: &str, concept: &str| {
        json!({"id": id, "data": {
            "image": {"base64": b64(&png(RED)), "allow_duplicate_url": true},
            "concepts": [{"id": concept, "name": format!("{concept} name"), "value": 1}],
            "metadata": {"some-key": "some-value", "another-key": {"inner-key": "inner-value"}},
            "geo": {"geo_point": {"longitude": 44, "latitude": 55}},
        }})
    };
    env.add_inputs(json!([input("in1", "c1"), input("in2", "c2")]))
        .await;
    let (http, b) = env
        .req("GET", "/v2/annotations?input_ids=in1&input_ids=in2", None)
        .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    let listed = b["annotations"].as_array().cloned().unwrap_or_default();
    assert_eq!(listed.len(), 2, "one per input: {b}");
    let of = |input: &str| {
        listed
            .iter()
            .find(|a| a["input_id"] == input)
            .cloned()
            .unwrap_or_else(|| panic!("no annotation of {input}: {b}"))
    };
    let (a1, a2) = (of("in1"), of("in2"));
    assert_eq!(a1["data"]["concepts"][0]["id"], "c1", "{a1}");
    assert_eq!(a2["data"]["concepts"][0]["id"], "c2", "{a2}");
    let patch = json!({"action": "merge", "annotations": [
        {"id": a1["id"], "input_id": "in1", "data": {"concepts": [{"id": "anno-conc", "value": 1}]}},
        {"id": a2["id"], "input_id": "in2", "data": {"concepts": [{"id": "anno-conc", "value": 1}]}},
    ]});
    let (http, b) = env.req("PATCH", "/v2/annotations", Some(patch)).await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    let ids: Vec<&str> = b["annotations"][0]["data"]["concepts"]
        .as_array()
        .map(|c| c.iter().filter_map(|c| c["id"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(ids, ["c1", "anno-conc"], "{b}");
    // One source of truth: the input shows the merged concept, and its annotation what
    // PatchInputs changes.
    let (_, b) = env.req("GET", "/v2/inputs/in1", None).await;
    assert_eq!(b["input"]["data"]["concepts"][1]["id"], "anno-conc", "{b}");
    let patch = json!({"action": "remove", "inputs": [{"id": "in2", "data": {"concepts": [{"id": "c2"}]}}]});
    let (_, b) = env.req("PATCH", "/v2/inputs", Some(patch)).await;
    assert_eq!(code(&b), 10000, "{b}");
    let (_, b) = env
        .req(
            "GET",
            &format!(
                "/v2/inputs/in2/annotations/{}",
                a2["id"].as_str().unwrap_or("")
            ),
            None,
        )
        .await;
    assert_eq!(
        b["annotation"]["data"]["concepts"].as_array().map(Vec::len),
        Some(1),
        "{b}"
    );
    assert_eq!(
        b["annotation"]["data"]["concepts"][0]["id"], "anno-conc",
        "{b}"
    );
    // Saved, then run by id: both inputs, score 1.
    let as_of = rfc3339_in(5);
    let save = json!({"searches": [{"id": "by-anno", "save": true, "as_of": as_of, "query": {"ands": [
        {"input": {"data": {"concepts": [{"id": "anno-conc", "value": 1}]}}},
    ]}}]});
    let (http, b) = env.req("POST", "/v2/searches", Some(save)).await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    let (http, b) = env
        .req("POST", "/v2/searches/by-anno", Some(json!({})))
        .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    let hits = b["hits"].as_array().cloned().unwrap_or_default();
    let mut found: Vec<&str> = hits
        .iter()
        .filter_map(|h| h["input"]["id"].as_str())
        .collect();
    found.sort_unstable();
    assert_eq!(found, ["in1", "in2"], "{b}");
    assert!(hits.iter().all(|h| h["score"] == 1.0), "{b}");
    // The new-style searches find them through the annotation too.
    let body = json!({"searches": [{"query": {"filters": [{"annotation": {"data": {"concepts": [{"id": "anno-conc", "value": 1}]}}}]}}]});
    let (_, b) = env
        .req("POST", "/v2/annotations/searches", Some(body.clone()))
        .await;
    assert_eq!(b["hits"].as_array().map(Vec::len), Some(2), "{b}");
    assert!(
        b["hits"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|h| h["annotation"]["id"] == a1["id"] || h["annotation"]["id"] == a2["id"]),
        "{b}"
    );
    let (_, b) = env.req("POST", "/v2/inputs/searches", Some(body)).await;
    assert_eq!(b["hits"].as_array().map(Vec::len), Some(2), "{b}");
    // The input-level annotation goes with its input, not by itself.
    let path = format!(
        "/v2/inputs/in1/annotations/{}",
        a1["id"].as_str().unwrap_or("")
    );
    let (http, b) = env.req("DELETE", &path, None).await;
    assert_eq!((http, code(&b)), (400, 11102), "{b}");
    let (http, b) = env
        .req(
            "DELETE",
            "/v2/annotations",
            Some(json!({"input_ids": ["in1"]})),
        )
        .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    let (_, b) = env.req("GET", &path, None).await;
    assert_eq!(code(&b), 10000, "kept: {b}");
    let (_, b) = env.req("DELETE", "/v2/inputs/in1", None).await;
    assert_eq!(code(&b), 10000, "{b}");
    let (http, _) = env.req("GET", &path, None).await;
    assert_eq!(http, 404);
    let (_, b) = env.req("GET", "/v2/annotations", None).await;
    assert_eq!(b["annotations"].as_array().map(Vec::len), Some(1), "{b}");
}

/// Now plus `secs` seconds, as RFC 3339 (UTC).
fn rfc3339_in(secs: u64) -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        + secs;
    let (days, rem) = (t / 86_400, t % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[tokio::test]
async fn big_bodies_wrong_methods_and_all_keys() {
    let env = Env::new().await;
    // Bodies over axum's default 2 MiB are accepted.
    let pad = "a".repeat(3 * 1024 * 1024);
    let body = json!({"inputs": [{"id": "big", "data": {"text": {"raw": "x"}, "metadata": {"pad": pad}}}]});
    let (http, b) = env.req("POST", "/v2/inputs", Some(body)).await;
    assert_eq!((http, code(&b)), (200, 10000));
    // A known path with a method it does not have.
    let (http, b) = env.req("PUT", "/v2/inputs", None).await;
    assert_eq!((http, code(&b)), (405, 11103), "{b}");
    // A key with `All` reports just `All`.
    let (_, b) = env.req("GET", "/v2/myscopes", None).await;
    assert_eq!(b["scopes"], json!(["All"]));
    // Strict and redact can be switched at run time.
    let predict_only = format!(
        "Key {}",
        env.emu.create_key(&[Scope::of::<scope::Predict>()])
    );
    let body = json!({"inputs": [{"data": image_b64(RED)}]});
    let path = "/v2/models/general-image-recognition/outputs";
    let (_, b) = env
        .as_key(&predict_only, "POST", path, Some(body.clone()))
        .await;
    assert_eq!(code(&b), 10000);
    assert!(
        b["outputs"][0].get("model").is_none(),
        "Models:Get guards the model: {b}"
    );
    assert!(
        b["outputs"][0]["data"].get("concepts").is_none(),
        "Concepts:Get guards concepts"
    );
    env.emu.set_mode(clarifai_emulator::Mode::Strict);
    let (http, b) = env.as_key(&predict_only, "POST", path, Some(body)).await;
    assert_eq!((http, code(&b)), (401, 11007));
    assert_eq!(
        details(&b),
        "missing scopes: Concepts:Get, Models:Get; endpoint: /clarifai.api.V2/PostModelOutputs"
    );
}

/// Request shapes of Clarifai's published cURL examples (see `curl_replay.rs`).
#[tokio::test]
async fn documented_shapes_trailing_slashes_videos_detection_and_geo() {
    let env = Env::new().await;
    let server = serve_bytes(png_with(20, 20, |x, _| if x < 10 { RED } else { BLUE })).await;

    // A trailing slash is ignored; a bare DELETE /v2/models/ deletes every model.
    let model =
        json!({"model": {"id": "pets", "output_info": {"data": {"concepts": [{"id": "c"}]}}}});
    let (_, b) = env.req("POST", "/v2/models/", Some(model)).await;
    assert_eq!(code(&b), 10000, "{b}");
    let (http, b) = env
        .req(
            "PATCH",
            "/v2/models/",
            Some(json!({"models": [{"id": "pets", "name": "renamed"}], "action": "merge"})),
        )
        .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    let (http, b) = env.req("GET", "/v2/models/pets/?page=1", None).await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    assert_eq!(b["model"]["name"], "renamed");
    let (http, b) = env.req("DELETE", "/v2/models/", None).await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    let (_, b) = env.req("GET", "/v2/models/pets", None).await;
    assert_eq!(code(&b), 21200, "{b}");
    // Other batch deletes still need ids or delete_all.
    let (http, b) = env.req("DELETE", "/v2/inputs", None).await;
    assert_eq!((http, code(&b)), (400, 11102), "{b}");

    // A video whose bytes are a still image is one frame.
    let body = json!({"inputs": [{"data": {"video": {"url": format!("{server}/img.png")}}}]});
    let (http, b) = env
        .req(
            "POST",
            "/v2/models/general-image-recognition/outputs",
            Some(body),
        )
        .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    let frames = b["outputs"][0]["data"]["frames"]
        .as_array()
        .expect("frames");
    assert_eq!(frames.len(), 1, "{b}");
    assert_eq!(frames[0]["frame_info"], json!({"index": 0, "time": 0}));
    let names: Vec<&str> = frames[0]["data"]["concepts"]
        .as_array()
        .expect("concepts")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert!(
        names.contains(&"red") && names.contains(&"blue"),
        "{names:?}"
    );
    // Bytes that are no image fail per input.
    let body = json!({"inputs": [{"data": {"video": {"base64": b64(b"not a video")}}}]});
    let (_, b) = env
        .req(
            "POST",
            "/v2/models/general-image-recognition/outputs",
            Some(body),
        )
        .await;
    assert_eq!(code(&b), 30002, "{b}");
    assert_eq!(b["outputs"][0]["status"]["code"], 30002, "{b}");

    // Detection: one region per colour, boxed where it lies.
    let body = json!({"inputs": [{"data": image_b64_of(png_with(20, 20, |x, _| if x < 10 { RED } else { BLUE }))}]});
    let (http, b) = env
        .as_key(
            &env.pat,
            "POST",
            "/v2/users/clarifai/apps/main/models/general-image-detection/versions/1580bb1932594c93b7e2e04456af7c6f/outputs",
            Some(body),
        )
        .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    let regions = b["outputs"][0]["data"]["regions"]
        .as_array()
        .expect("regions");
    assert_eq!(regions.len(), 2, "{b}");
    let red = regions
        .iter()
        .find(|r| r["data"]["concepts"][0]["name"] == "red")
        .expect("a red region");
    assert_eq!(
        red["region_info"]["bounding_box"],
        json!({"top_row": 0.0, "left_col": 0.0, "bottom_row": 1.0, "right_col": 0.5}),
        "{b}"
    );
    assert_eq!(red["value"], 0.999, "a full box, capped below 1");
    assert_eq!(
        b["outputs"][0]["model"]["output_info"]["type"],
        "detect-concept"
    );

    // Geo search: within a distance of a point, or inside a box.
    let at = |lat: f64, lon: f64| json!({"geo_point": {"latitude": lat, "longitude": lon}});
    let mut near = image_b64(RED);
    near["geo"] = at(40.0, -30.0);
    let mut far = image_b64(BLUE);
    far["geo"] = at(-10.0, 100.0);
    env.add_inputs(json!([{"id": "near", "data": near}, {"id": "far", "data": far}, {"id": "nowhere", "data": image_b64(GREEN)}]))
        .await;
    let search = |geo: Value| json!({"query": {"ands": [{"input": {"data": {"geo": geo}}}]}});
    let ids = |b: &Value| -> Vec<String> {
        b["hits"]
            .as_array()
            .expect("hits")
            .iter()
            .filter_map(|h| h["input"]["id"].as_str().map(str::to_string))
            .collect()
    };
    let mut point = at(40.0, -29.0);
    point["geo_limit"] = json!({"type": "withinKilometers", "value": 150});
    let (_, b) = env.req("POST", "/v2/searches", Some(search(point))).await;
    assert_eq!(ids(&b), ["near"], "{b}");
    let mut point = at(40.0, -29.0);
    point["geo_limit"] = json!({"type": "withinKilometers", "value": 50});
    let (_, b) = env.req("POST", "/v2/searches", Some(search(point))).await;
    assert!(ids(&b).is_empty(), "{b}");
    let (_, b) = env
        .req(
            "POST",
            "/v2/searches",
            Some(search(
                json!({"geo_box": [at(-20.0, 90.0), at(0.0, 110.0)]}),
            )),
        )
        .await;
    assert_eq!(ids(&b), ["far"], "{b}");
}

fn image_b64_of(png: Vec<u8>) -> Value {
    json!({"image": {"base64": b64(&png)}})
}
