//! Bounded work for every request: images are measured before they are decoded, URL fetches stay
//! on loopback on every redirect hop and stop at a size limit, and large concept batches are
//! refused or handled in linear time.

mod common;

use clarifai_emulator::{Emulator, RunningEmulator};
use common::{b64, call, code, png};
use serde_json::{Value, json};

async fn env() -> (RunningEmulator, reqwest::Client, String) {
    let emu = Emulator::builder().start().await.expect("start");
    let key = common::all_scopes_key(&emu);
    (emu, reqwest::Client::new(), key)
}

async fn predict(emu: &RunningEmulator, client: &reqwest::Client, key: &str, data: Value) -> Value {
    let (_, b) = call(
        client,
        &emu.base_url(),
        "POST",
        "/v2/models/color-recognition/outputs",
        Some(key),
        Some(&json!({"inputs": [{"data": data}]})),
    )
    .await;
    b
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for b in bytes {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A small PNG whose header declares `w`×`h` pixels: the first image's header, rewritten.
fn png_declaring(w: u32, h: u32) -> Vec<u8> {
    let mut bytes = png([10, 20, 30]);
    // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4) ...
    bytes[16..20].copy_from_slice(&w.to_be_bytes());
    bytes[20..24].copy_from_slice(&h.to_be_bytes());
    let crc = crc32(&bytes[12..29]);
    bytes[29..33].copy_from_slice(&crc.to_be_bytes());
    bytes
}

#[tokio::test]
async fn an_image_declaring_too_many_pixels_is_refused_before_decoding() {
    let (emu, client, key) = env().await;
    for (w, h) in [(20_000, 20_000), (10_000, 10_000), (100_000, 300)] {
        let body = predict(
            &emu,
            &client,
            &key,
            json!({"image": {"base64": b64(&png_declaring(w, h))}}),
        )
        .await;
        let st = &body["outputs"][0]["status"];
        assert_eq!(st["code"], 30002, "{w}x{h}: {body}");
        let d = st["details"].as_str().unwrap_or("");
        assert!(
            d.contains(&format!("{w}×{h}")) && d.contains("25000000"),
            "{d}"
        );
    }
    // An image within the limit is decoded as usual.
    let body = predict(
        &emu,
        &client,
        &key,
        json!({"image": {"base64": b64(&png([1, 2, 3]))}}),
    )
    .await;
    assert_eq!(body["outputs"][0]["status"]["code"], 10000, "{body}");
}

/// A loopback server: `/redirect` sends elsewhere, `/big` streams more than 20 MiB with no
/// length, `/png` a small PNG.
async fn media_server(elsewhere: String) -> String {
    use axum::body::Body;
    use axum::response::Response;
    use axum::routing::get;
    let app = axum::Router::new()
        .route(
            "/redirect",
            get(move || {
                let to = elsewhere.clone();
                async move {
                    Response::builder()
                        .status(302)
                        .header("location", to)
                        .body(Body::empty())
                        .expect("response")
                }
            }),
        )
        .route(
            "/big",
            get(|| async {
                let chunk = vec![0u8; 1 << 20];
                let stream = futures_util::stream::iter(
                    (0..64).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
                );
                Response::builder()
                    .header("content-type", "image/png")
                    .body(Body::from_stream(stream))
                    .expect("response")
            }),
        )
        .route("/png", get(|| async { png([200, 0, 0]) }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn fetching_stays_on_loopback_on_every_hop_and_stops_at_the_size_limit() {
    let (emu, client, key) = env().await;
    // A redirect to a host that is not loopback (never contacted: refused before the hop).
    let remote = media_server("http://192.0.2.1/img.png".into()).await;
    let body = predict(
        &emu,
        &client,
        &key,
        json!({"image": {"url": format!("{remote}/redirect")}}),
    )
    .await;
    let st = &body["outputs"][0]["status"];
    assert_eq!(st["code"], 30002, "{body}");
    // A redirect that stays on loopback is followed.
    let local = media_server(format!("{remote}/png")).await;
    let body = predict(
        &emu,
        &client,
        &key,
        json!({"image": {"url": format!("{local}/redirect")}}),
    )
    .await;
    assert_eq!(body["outputs"][0]["status"]["code"], 10000, "{body}");
    // A body over 20 MiB without a length is cut off.
    let body = predict(
        &emu,
        &client,
        &key,
        json!({"image": {"url": format!("{local}/big")}}),
    )
    .await;
    let st = &body["outputs"][0]["status"];
    assert_eq!(st["code"], 30002, "{body}");
    assert!(
        st["details"].as_str().unwrap_or("").contains("larger than"),
        "{body}"
    );
}

#[tokio::test]
async fn large_concept_batches_are_capped_and_linear() {
    let (emu, client, key) = env().await;
    let many: Vec<Value> = (0..40_000)
        .map(|i| json!({"id": format!("c{i}")}))
        .collect();
    let (http, body) = call(
        &client,
        &emu.base_url(),
        "POST",
        "/v2/concepts",
        Some(&key),
        Some(&json!({"concepts": many})),
    )
    .await;
    assert_eq!((http, code(&body)), (400, 11102), "{body}");
    // A full batch of the limit is accepted, and another request is answered meanwhile.
    let batch: Vec<Value> = (0..1000).map(|i| json!({"id": format!("k{i}")})).collect();
    let (_, body) = call(
        &client,
        &emu.base_url(),
        "POST",
        "/v2/concepts",
        Some(&key),
        Some(&json!({"concepts": batch})),
    )
    .await;
    assert_eq!(code(&body), 10000);
    let (_, listed) = call(
        &client,
        &emu.base_url(),
        "GET",
        "/v2/concepts?per_page=1000",
        Some(&key),
        None,
    )
    .await;
    assert_eq!(listed["concepts"].as_array().map(Vec::len), Some(1000));
}
