//! The state file keeps what was acknowledged: `kill -9` during bursts of writes, restarts with
//! inputs still being processed, a deleted and re-added input while the old one is processed,
//! and the order of lists across restarts.

mod common;
mod process;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{b64, call, code, png, png_with};
use process::{HeldImage, Proc, TempDir};
use serde_json::{Value, json};

const KEY: &str = "Key durability-key";
const ARGS: [&str; 2] = ["--key", "durability-key=All"];

/// Sends a request; `None` when the connection failed (the emulator was killed).
async fn send(
    client: &reqwest::Client,
    url: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Option<(u16, Value)> {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = client
        .request(method, format!("{url}{path}"))
        .header("Authorization", KEY);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.ok()?;
    let status = resp.status().as_u16();
    let body = resp.json().await.ok()?;
    Some((status, body))
}

/// What one writer of a burst was told: each input it touched, with its metadata when it
/// should exist (`None`: deleted), and the one input whose last request had no answer.
#[derive(Debug, Default)]
struct Told {
    inputs: BTreeMap<String, Option<Value>>,
    unknown: BTreeSet<String>,
}

/// One writer: adds inputs, patches the newest, deletes the oldest, until a request fails (the
/// emulator was killed) or 400 requests were made.
async fn writer(url: String, name: String, acked: Arc<AtomicUsize>) -> Told {
    let client = reqwest::Client::new();
    let image = b64(&png([40, 90, 200]));
    let mut told = Told::default();
    let mut live: Vec<String> = Vec::new();
    for i in 0..400u32 {
        let (method, path, body, id, after) = match i % 5 {
            3 if !live.is_empty() => {
                let id = live[live.len() - 1].clone();
                let meta = json!({"patched": i});
                let body =
                    json!({"action": "merge", "inputs": [{"id": id, "data": {"metadata": meta}}]});
                ("PATCH", "/v2/inputs".to_string(), Some(body), id, "patch")
            }
            4 if live.len() > 1 => {
                let id = live.remove(0);
                ("DELETE", format!("/v2/inputs/{id}"), None, id, "delete")
            }
            _ => {
                let id = format!("{name}-{i}");
                let body = json!({"inputs": [{"id": id, "data": {
                    "image": {"base64": image}, "metadata": {"n": i}}}]});
                ("POST", "/v2/inputs".to_string(), Some(body), id, "add")
            }
        };
        match send(&client, &url, method, &path, body).await {
            Some((200, b)) if code(&b) == 10000 => {
                match after {
                    "add" => {
                        told.inputs.insert(id.clone(), Some(json!({"n": i})));
                        live.push(id);
                    }
                    "patch" => {
                        if let Some(Some(Value::Object(m))) = told.inputs.get_mut(&id) {
                            m.insert("patched".into(), json!(i));
                        }
                    }
                    _ => {
                        told.inputs.insert(id, None);
                    }
                }
                acked.fetch_add(1, Ordering::SeqCst);
            }
            _ => {
                told.unknown.insert(id);
                break;
            }
        }
    }
    told
}

/// Every input of the app, by id: its metadata and status code.
async fn all_inputs(url: &str) -> BTreeMap<String, (Value, u64)> {
    let client = reqwest::Client::new();
    let mut out = BTreeMap::new();
    for page in 1.. {
        let path = format!("/v2/inputs?page={page}&per_page=1000");
        let (http, b) = send(&client, url, "GET", &path, None)
            .await
            .expect("list inputs");
        assert!(http == 200 || http == 207, "{b}");
        let list = b["inputs"].as_array().cloned().unwrap_or_default();
        for i in &list {
            let id = i["id"].as_str().expect("id").to_string();
            let meta = i["data"]["metadata"].clone();
            let status = i["status"]["code"].as_u64().unwrap_or(0);
            out.insert(id, (meta, status));
        }
        if list.len() < 1000 {
            break;
        }
    }
    out
}

/// Polls `check` every 20 ms until it holds, for at most 20 s; whether it held.
async fn eventually<F: AsyncFnMut() -> bool>(mut check: F) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if check().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_write_survives_kill_9_during_a_burst() {
    let dir = TempDir::new("burst");
    let state = dir.join("state.db");
    let mut told = Vec::new();
    for round in 0..2 {
        let emu = Proc::start(&ARGS, &state);
        let acked = Arc::new(AtomicUsize::new(0));
        let writers: Vec<_> = (0..6)
            .map(|w| {
                let name = format!("r{round}w{w}");
                tokio::spawn(writer(emu.url.clone(), name, acked.clone()))
            })
            .collect();
        // Kill it in the middle of the burst.
        let burst = eventually(async || acked.load(Ordering::SeqCst) >= 150).await;
        assert!(burst, "the writers got too few answers");
        emu.kill_9();
        for w in writers {
            told.push(w.await.expect("writer"));
        }
    }
    let emu = Proc::start(&ARGS, &state);
    let found = all_inputs(&emu.url).await;
    let mut checked = 0;
    for t in &told {
        for (id, expected) in &t.inputs {
            if t.unknown.contains(id) {
                continue;
            }
            match expected {
                Some(meta) => {
                    let got = found.get(id).map(|(m, _)| m);
                    assert_eq!(got, Some(meta), "acknowledged input {id}");
                }
                None => assert!(!found.contains_key(id), "deleted input {id} is back"),
            }
            checked += 1;
        }
    }
    assert!(checked >= 150, "{checked}");
    // Inputs that were still waiting when the process died are processed now.
    let done = eventually(async || {
        all_inputs(&emu.url)
            .await
            .values()
            .all(|(_, status)| *status == 30000)
    })
    .await;
    assert!(done, "inputs left unprocessed after the restart");
}

#[tokio::test]
async fn an_input_processing_when_killed_is_processed_after_restart() {
    let dir = TempDir::new("killed-processing");
    let state = dir.join("state.db");
    let image = HeldImage::start(png_with(7, 5, |_, _| [255, 0, 0]), true).await;
    let client = reqwest::Client::new();
    let emu = Proc::start(&ARGS, &state);
    let body = json!({"inputs": [{"id": "slow", "data": {"image": {"url": image.url}}}]});
    let (http, b) = send(&client, &emu.url, "POST", "/v2/inputs", Some(body))
        .await
        .expect("add");
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    // The emulator is downloading the image when it dies.
    image.wait_requests(1).await;
    emu.kill_9();
    image.release();
    let emu = Proc::start(&ARGS, &state);
    let mut last = Value::Null;
    let processed = eventually(async || {
        last = send(&client, &emu.url, "GET", "/v2/inputs/slow", None)
            .await
            .expect("get")
            .1;
        last["input"]["status"]["code"] != 30001
    })
    .await;
    assert!(processed, "{last}");
    assert_eq!(last["input"]["status"]["code"], 30000, "{last}");
    assert_eq!(last["input"]["data"]["image"]["image_info"]["width"], 7);
    assert_eq!(image.requests.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn an_input_pending_at_shutdown_is_processed_after_restart() {
    let dir = TempDir::new("shutdown-processing");
    let state = dir.join("state.db");
    let image = HeldImage::start(png_with(6, 4, |_, _| [0, 0, 255]), true).await;
    let emu = common::on_state(&state, "start").await;
    let key = common::all_scopes_key(&emu);
    let client = reqwest::Client::new();
    let body = json!({"inputs": [{"id": "later", "data": {"image": {"url": image.url}}}]});
    let (http, b) = call(
        &client,
        &emu.base_url(),
        "POST",
        "/v2/inputs",
        Some(&key),
        Some(&body),
    )
    .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    image.wait_requests(1).await;
    emu.shutdown().await;
    image.release();
    let emu = common::on_state(&state, "restart").await;
    emu.wait_idle().await;
    let (_, b) = call(
        &client,
        &emu.base_url(),
        "GET",
        "/v2/inputs/later",
        Some(&key),
        None,
    )
    .await;
    assert_eq!(b["input"]["status"]["code"], 30000, "{b}");
    assert_eq!(b["input"]["data"]["image"]["image_info"]["width"], 6, "{b}");
}

#[tokio::test]
async fn a_re_added_input_never_gets_the_deleted_ones_results() {
    let dir = TempDir::new("re-added");
    let state = dir.join("state.db");
    // The old input's image is 7 pixels wide, the new one's 5.
    let old = HeldImage::start(png_with(7, 7, |_, _| [255, 0, 0]), true).await;
    let new = json!({"image": {"base64": b64(&png_with(5, 5, |_, _| [0, 0, 255]))}});
    let emu = common::on_state(&state, "start").await;
    let key = common::all_scopes_key(&emu);
    let client = reqwest::Client::new();
    let base = emu.base_url();
    let add = |data: Value| json!({"inputs": [{"id": "x", "data": data}]});
    let body = add(json!({"image": {"url": old.url}}));
    let (http, b) = call(
        &client,
        &base,
        "POST",
        "/v2/inputs",
        Some(&key),
        Some(&body),
    )
    .await;
    assert_eq!(http, 200, "{b}");
    old.wait_requests(1).await;
    // While the old input is downloading: delete it, add another under its id.
    let (http, b) = call(&client, &base, "DELETE", "/v2/inputs/x", Some(&key), None).await;
    assert_eq!(http, 200, "{b}");
    let (http, b) = call(
        &client,
        &base,
        "POST",
        "/v2/inputs",
        Some(&key),
        Some(&add(new)),
    )
    .await;
    assert_eq!(http, 200, "{b}");
    // The old processing ends last.
    let newer_done = eventually(async || {
        let (_, b) = call(&client, &base, "GET", "/v2/inputs/x", Some(&key), None).await;
        b["input"]["status"]["code"] == 30000
    })
    .await;
    assert!(newer_done);
    old.release();
    emu.wait_idle().await;
    let (_, b) = call(&client, &base, "GET", "/v2/inputs/x", Some(&key), None).await;
    assert_eq!(b["input"]["data"]["image"]["image_info"]["width"], 5, "{b}");
    // And so in the state file.
    emu.shutdown().await;
    let emu = common::on_state(&state, "restart").await;
    let (_, b) = call(
        &client,
        &emu.base_url(),
        "GET",
        "/v2/inputs/x",
        Some(&key),
        None,
    )
    .await;
    assert_eq!(b["input"]["status"]["code"], 30000, "{b}");
    assert_eq!(b["input"]["data"]["image"]["image_info"]["width"], 5, "{b}");
}

#[tokio::test]
async fn lists_keep_their_order_across_restarts() {
    let dir = TempDir::new("order");
    let state = dir.join("state.db");
    let emu = common::on_state(&state, "start").await;
    let key = common::all_scopes_key(&emu);
    let client = reqwest::Client::new();
    let base = emu.base_url();
    let inputs = json!({"inputs": [
        {"id": "c", "data": {"metadata": {}}},
        {"id": "a", "data": {"metadata": {}}},
        {"id": "b", "data": {"metadata": {}}},
    ]});
    call(
        &client,
        &base,
        "POST",
        "/v2/inputs",
        Some(&key),
        Some(&inputs),
    )
    .await;
    // Deleted and added again: it goes to the end.
    call(&client, &base, "DELETE", "/v2/inputs/c", Some(&key), None).await;
    let again = json!({"inputs": [{"id": "c", "data": {"metadata": {"again": true}}}]});
    call(
        &client,
        &base,
        "POST",
        "/v2/inputs",
        Some(&key),
        Some(&again),
    )
    .await;
    let concepts = json!({"concepts": [{"id": "zebra"}, {"id": "ant"}]});
    call(
        &client,
        &base,
        "POST",
        "/v2/concepts",
        Some(&key),
        Some(&concepts),
    )
    .await;
    emu.wait_idle().await;
    let ids = async |base: &str, path: &str, field: &str| -> Vec<String> {
        let (_, b) = call(&client, base, "GET", path, Some(&key), None).await;
        b[field]
            .as_array()
            .expect("list")
            .iter()
            .map(|v| v["id"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let before = (
        ids(&base, "/v2/inputs", "inputs").await,
        ids(&base, "/v2/concepts", "concepts").await,
    );
    assert_eq!(before.0, ["a", "b", "c"]);
    emu.shutdown().await;
    let emu = common::on_state(&state, "restart").await;
    let base = emu.base_url();
    let after = (
        ids(&base, "/v2/inputs", "inputs").await,
        ids(&base, "/v2/concepts", "concepts").await,
    );
    assert_eq!(before, after);
}
