//! What Clarifai's official client suites (`clarifai==2.6.2`, `clarifai-grpc`) expect of the API,
//! one test per difference the emulator had (issue 10; the cause is named in each test).

mod common;

use clarifai_emulator::samples::{animated_gif, png};
use clarifai_emulator::{Emulator, RunningEmulator};
use clarifai_typed::{Scope, scope};
use common::{b64, call, code, details, image_b64};
use serde_json::{Value, json};

struct Env {
    emu: RunningEmulator,
    client: reqwest::Client,
    key: String,
    pat: String,
}

impl Env {
    async fn new() -> Env {
        let emu = Emulator::builder().start().await.expect("start");
        let key = format!("Key {}", emu.create_key(&[Scope::of::<scope::All>()]));
        let pat = format!("Key {}", emu.create_pat());
        Env {
            emu,
            client: reqwest::Client::new(),
            key,
            pat,
        }
    }

    async fn req(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        self.as_key(&self.key, method, path, body).await
    }

    async fn as_key(
        &self,
        key: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        call(
            &self.client,
            &self.emu.base_url(),
            method,
            path,
            Some(key),
            body.as_ref(),
        )
        .await
    }
}

/// A picture with a skin-coloured square (a "face"), a saturated mark and stripes.
fn portrait() -> Vec<u8> {
    png(64, 48, |x, y| {
        if (8..24).contains(&x) && (8..28).contains(&y) {
            [224, 172, 140]
        } else if (40..56).contains(&x) && (30..38).contains(&y) {
            [250, 200, 0]
        } else if y % 4 < 2 {
            [30, 60, 160]
        } else {
            [200, 220, 240]
        }
    })
}

fn as_list(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

/// C1, C3: `ClarifaiApp()` builds its model cache from ListModels and reads every model's
/// `created_at`, version and status, and every listed concept's `created_at`. A list shows no
/// `output_info.data` (payload 061); `output_info` shows concepts with `created_at` and no
/// `value` (payloads 058, 067).
#[tokio::test]
async fn models_and_concepts_are_shown_as_the_legacy_client_reads_them() {
    let env = Env::new().await;
    let (http, b) = env.req("GET", "/v2/models?per_page=100", None).await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    let models = as_list(&b["models"]);
    assert!(models.len() >= 19, "{b}");
    for m in models {
        for field in ["id", "name", "created_at", "app_id"] {
            assert!(m[field].is_string(), "{field} of {m}");
        }
        assert!(m.pointer("/model_version/id").is_some(), "{m}");
        assert!(m.pointer("/model_version/status/code").is_some(), "{m}");
        assert!(m.pointer("/output_info/type").is_some(), "{m}");
        assert!(m.pointer("/output_info/data").is_none(), "{m}");
    }
    let named = |name: &str, kind: &str| {
        models
            .iter()
            .filter(|m| m["name"] == name && m["output_info"]["type"] == kind)
            .count()
    };
    assert_eq!(named("general-v1.3", "concept"), 1);
    assert_eq!(named("color", "color"), 1);
    assert_eq!(named("face", "facedetect"), 1);
    assert_eq!(named("face", "embed"), 1);
    for name in [
        "apparel",
        "food-items-v1.0",
        "nsfw-v1.0",
        "travel-v1.0",
        "weddings-v1.0",
        "moderation",
    ] {
        assert_eq!(named(name, "concept"), 1, "{name}");
    }
    let (_, b) = env
        .req(
            "GET",
            "/v2/models/aaa03c23b3724a16a56b629203edc62c/output_info",
            None,
        )
        .await;
    let concepts = as_list(&b["model"]["output_info"]["data"]["concepts"]);
    assert!(!concepts.is_empty(), "{b}");
    for c in concepts {
        assert!(
            c["created_at"].is_string() && c.get("value").is_none(),
            "{c}"
        );
    }
    // An app's concepts too.
    let (_, b) = env
        .req(
            "POST",
            "/v2/concepts",
            Some(json!({"concepts": [{"id": "cat"}]})),
        )
        .await;
    assert!(b["concepts"][0]["created_at"].is_string(), "{b}");
    assert!(b["concepts"][0].get("value").is_none(), "{b}");
}

/// C6: the public catalogue answers by the ids the 2.6.2 client's `PublicModels` and the suites
/// use, each with the output shape of its kind, computed from the pixels.
#[tokio::test]
async fn the_public_catalogue_answers_by_its_published_ids() {
    let env = Env::new().await;
    let body = json!({"inputs": [{"data": {"image": {"base64": b64(&portrait())}}}]});
    let shape = |d: &Value| -> &'static str {
        if d.get("colors").is_some() {
            "colors"
        } else if d.get("focus").is_some() {
            "focus"
        } else if d.get("embeddings").is_some() {
            "embeddings"
        } else if let Some(r) = d.get("regions").and_then(|r| r.get(0)) {
            if r.pointer("/data/embeddings").is_some() {
                "face embeddings"
            } else if r.pointer("/data/face/identity/concepts").is_some() {
                "identities"
            } else if r
                .pointer("/data/face/age_appearance/concepts")
                .is_some_and(|a| !as_list(a).is_empty())
            {
                "demographics"
            } else if r.pointer("/data/concepts").is_some() {
                "region concepts"
            } else {
                "regions"
            }
        } else if d.get("concepts").is_some_and(|c| !as_list(c).is_empty()) {
            "concepts"
        } else {
            "nothing"
        }
    };
    for (id, want) in [
        ("e0be3b9d6a454f0493ac3a30784001ff", "concepts"), // apparel
        ("e466caa0619f444ab97497640cefc4dc", "identities"), // celebrity
        ("eeed0b6733a644cea07cf4c60f87ebb7", "colors"),   // color
        ("c0c0ac362b03416da06ab3fa36fb58e3", "demographics"),
        ("a403429f2ddf4b49b307e318f00e528b", "regions"), // face detection
        ("d02b4508df58432fbb84e800597b8959", "face embeddings"),
        ("c2cf7cecd8a6427da375b9f35fcd2381", "focus"),
        ("bd367be194cf45149e75f01d59f77ba7", "concepts"), // food
        ("bbb5f41425b8468d9b7a554ff10f8581", "embeddings"),
        ("aaa03c23b3724a16a56b629203edc62c", "concepts"), // general
        ("bec14810deb94c40a05f1f0eb3c91403", "concepts"), // landscape quality
        ("c443119bf2ed4da98487520d01a0b1e3", "region concepts"), // logo
        ("d16f390eb32cad478c7ae150069bd2c6", "concepts"), // moderation
        ("e9576d86d2004ed1a38ba0cf39ecb4b1", "concepts"), // nsfw
        ("de9bd05cfdbf4534af151beb2a5d0953", "concepts"), // portrait quality
        ("fbefb47f9fdb410e8ce14f24f54b47ff", "concepts"), // textures & patterns
        ("eee28c313d69466f836ab83287a54ed9", "concepts"), // travel
        ("c386b7a870114f4a87477c0824499348", "concepts"), // wedding
    ] {
        let path = format!("/v2/models/{id}/outputs");
        let (http, b) = env.req("POST", &path, Some(body.clone())).await;
        assert_eq!((http, code(&b)), (200, 10000), "{id}: {b}");
        let out = &b["outputs"][0];
        assert_eq!(out["model"]["id"], id, "the id asked for is answered: {b}");
        assert_eq!(shape(&out["data"]), want, "{id}: {b}");
        // The same pixels, the same answer.
        let (_, again) = env.req("POST", &path, Some(body.clone())).await;
        assert_eq!(again["outputs"][0]["data"], out["data"], "{id}");
    }
    // The face is where the skin-coloured square is.
    let (_, b) = env
        .req(
            "POST",
            "/v2/models/a403429f2ddf4b49b307e318f00e528b/outputs",
            Some(body),
        )
        .await;
    let bbox = &b["outputs"][0]["data"]["regions"][0]["region_info"]["bounding_box"];
    assert_eq!(
        (
            &bbox["top_row"],
            &bbox["left_col"],
            &bbox["bottom_row"],
            &bbox["right_col"]
        ),
        (
            &json!(0.16667),
            &json!(0.125),
            &json!(0.58333),
            &json!(0.375)
        ),
        "{b}"
    );
    // An image without skin-coloured pixels has no face.
    let (_, b) = env
        .req(
            "POST",
            "/v2/models/a403429f2ddf4b49b307e318f00e528b/outputs",
            Some(json!({"inputs": [{"data": image_b64([0, 0, 200])}]})),
        )
        .await;
    assert_eq!(code(&b), 10000, "{b}");
    assert!(b["outputs"][0]["data"].get("regions").is_none(), "{b}");
}

/// C10: a model asked for by a legacy id, or at an older published version, answers under that
/// id and version.
#[tokio::test]
async fn a_public_model_answers_under_the_id_and_version_asked_for() {
    let env = Env::new().await;
    let (_, b) = env
        .req("GET", "/v2/models/aaa03c23b3724a16a56b629203edc62c", None)
        .await;
    assert_eq!(b["model"]["id"], "aaa03c23b3724a16a56b629203edc62c", "{b}");
    assert_eq!(b["model"]["name"], "general-v1.3", "{b}");
    let (http, b) = env
        .req(
            "GET",
            "/v2/models/aaa03c23b3724a16a56b629203edc62c/versions/aa9ca48295b37401f8af92ad1af0d91d/output_info",
            None,
        )
        .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    assert_eq!(
        b["model"]["model_version"]["id"], "aa9ca48295b37401f8af92ad1af0d91d",
        "{b}"
    );
    let (_, b) = env
        .req("GET", "/v2/models/general-image-recognition/versions", None)
        .await;
    assert_eq!(as_list(&b["model_versions"]).len(), 2, "{b}");
    let (http, b) = env
        .req(
            "GET",
            "/v2/models/general-image-recognition/versions/ffffffffffffffffffffffffffffffff",
            None,
        )
        .await;
    assert_eq!((http, code(&b)), (404, 21200), "{b}");
}

/// C8: a video that is an animated GIF is read as frames, sampled every `sample_ms` (default
/// 1000 ms), each frame's time the middle of its interval; output options apply per frame.
#[tokio::test]
async fn an_animated_gif_video_is_predicted_frame_by_frame() {
    let env = Env::new().await;
    let (red, blue) = ([250, 10, 10], [10, 10, 250]);
    let gif = animated_gif(16, 16, &[red, red, blue, blue, red, red], 500);
    let predict = |config: Value| {
        json!({
            "inputs": [{"data": {"video": {"base64": b64(&gif)}}}],
            "model": {"output_info": {"output_config": config}},
        })
    };
    let (http, b) = env
        .req(
            "POST",
            "/v2/models/aaa03c23b3724a16a56b629203edc62c/outputs",
            Some(predict(json!({"max_concepts": 3}))),
        )
        .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    let frames = as_list(&b["outputs"][0]["data"]["frames"]);
    // 3 s of animation: samples at 500, 1500 and 2500 ms.
    let times: Vec<&Value> = frames.iter().map(|f| &f["frame_info"]["time"]).collect();
    assert_eq!(times, [&json!(500), &json!(1500), &json!(2500)], "{b}");
    let firsts: Vec<&Value> = frames
        .iter()
        .map(|f| &f["data"]["concepts"][0]["name"])
        .collect();
    assert_eq!(
        firsts,
        [&json!("red"), &json!("blue"), &json!("red")],
        "{b}"
    );
    assert!(
        frames
            .iter()
            .all(|f| as_list(&f["data"]["concepts"]).len() == 3),
        "{b}"
    );
    assert!(b["outputs"][0]["input"]["data"]["video"].is_object(), "{b}");
    let (_, b) = env
        .req(
            "POST",
            "/v2/models/aaa03c23b3724a16a56b629203edc62c/outputs",
            Some(predict(json!({"sample_ms": 2000}))),
        )
        .await;
    let times: Vec<&Value> = as_list(&b["outputs"][0]["data"]["frames"])
        .iter()
        .map(|f| &f["frame_info"]["time"])
        .collect();
    assert_eq!(times, [&json!(1000), &json!(2500)], "{b}");
    // A catalogue model on the same video.
    let (_, b) = env
        .req(
            "POST",
            "/v2/models/bd367be194cf45149e75f01d59f77ba7/outputs",
            Some(predict(json!({}))),
        )
        .await;
    assert_eq!(code(&b), 10000, "{b}");
    assert_eq!(as_list(&b["outputs"][0]["data"]["frames"]).len(), 3, "{b}");
    // A real video container cannot be decoded.
    let mp4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2mp41\x00\x00\x00\x08mdat";
    let (http, b) = env
        .req(
            "POST",
            "/v2/models/aaa03c23b3724a16a56b629203edc62c/outputs",
            Some(json!({"inputs": [{"data": {"video": {"base64": b64(mp4)}}}]})),
        )
        .await;
    assert_eq!(http, 400, "{b}");
    assert!(
        b["outputs"][0]["status"]["details"]
            .as_str()
            .is_some_and(|d| d.contains("no video codec")),
        "{b}"
    );
}

/// C12, G13: the base workflow `General` names its nodes' model versions, lists the concept
/// model first, and takes the request's `output_config`; app workflows may use catalogue models
/// at pinned versions, shown as pinned.
#[tokio::test]
async fn workflows_name_their_versions_and_use_the_catalogue() {
    let env = Env::new().await;
    let (http, b) = env
        .req(
            "POST",
            "/v2/workflows",
            Some(json!({"workflows": [{"id": "mod-and-general", "nodes": [
                {"id": "the-general-node", "model": {"id": "aaa03c23b3724a16a56b629203edc62c", "model_version": {"id": "aa7f35c01e0642fda5cf400f543e7c40"}}},
                {"id": "the-moderation-node", "model": {"id": "d16f390eb32cad478c7ae150069bd2c6", "model_version": {"id": "aa8be956dbaa4b7a858826a84253cab9"}}},
            ]}]})),
        )
        .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    let (_, b) = env.req("GET", "/v2/workflows/mod-and-general", None).await;
    assert_eq!(
        b["workflow"]["nodes"][1]["model"]["model_version"]["id"],
        "aa8be956dbaa4b7a858826a84253cab9",
        "{b}"
    );
    let (http, b) = env
        .req(
            "POST",
            "/v2/workflows",
            Some(json!({"workflows": [{"id": "food-and-general", "nodes": [
                {"id": "food-concepts", "model": {"id": "bd367be194cf45149e75f01d59f77ba7"}},
                {"id": "general-concepts", "model": {"id": "aaa03c23b3724a16a56b629203edc62c"}},
            ]}]})),
        )
        .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    let (_, b) = env
        .req(
            "POST",
            "/v2/workflows/food-and-general/results",
            Some(json!({"inputs": [{"data": {"image": {"base64": b64(&portrait())}}}]})),
        )
        .await;
    assert_eq!(code(&b), 10000, "{b}");
    assert_eq!(as_list(&b["results"][0]["outputs"]).len(), 2, "{b}");
    // General through the public app, with a PAT.
    let (http, b) = env
        .as_key(
            &env.pat,
            "POST",
            "/v2/users/clarifai/apps/main/workflows/General/results",
            Some(json!({
                "inputs": [{"data": {"image": {"base64": b64(&portrait())}}}],
                "output_config": {"max_concepts": 3},
            })),
        )
        .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}: {}", details(&b));
    assert_eq!(
        as_list(&b["results"][0]["outputs"][0]["data"]["concepts"]).len(),
        3,
        "{b}"
    );
}

/// C9: an input whose URL an input of the app already has is refused unless it allows
/// duplicates (`allow_duplicate_url`); nothing of the request is stored.
#[tokio::test]
async fn a_duplicate_url_is_refused_unless_allowed() {
    let env = Env::new().await;
    let input = |id: &str, allow: Option<bool>| {
        let mut image = json!({"url": "http://127.0.0.1:9/metro-north.jpg"});
        if let Some(a) = allow {
            image["allow_duplicate_url"] = json!(a);
        }
        json!({"inputs": [{"id": id, "data": {"image": image}}]})
    };
    let (http, b) = env
        .req("POST", "/v2/inputs", Some(input("a", Some(true))))
        .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    let (http, b) = env.req("POST", "/v2/inputs", Some(input("b", None))).await;
    assert_eq!((http, code(&b)), (400, 30100), "{b}");
    assert!(details(&b).contains("allow_duplicate_url"), "{b}");
    let (http, _) = env.req("GET", "/v2/inputs/b", None).await;
    assert_eq!(http, 404);
    let (http, b) = env
        .req("POST", "/v2/inputs", Some(input("c", Some(false))))
        .await;
    assert_eq!((http, code(&b)), (400, 30100), "{b}");
    let (http, b) = env
        .req("POST", "/v2/inputs", Some(input("d", Some(true))))
        .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    // Twice in one batch.
    let twice = json!({"inputs": [
        {"id": "e", "data": {"image": {"url": "http://127.0.0.1:9/other.jpg"}}},
        {"id": "f", "data": {"image": {"url": "http://127.0.0.1:9/other.jpg"}}},
    ]});
    let (http, b) = env.req("POST", "/v2/inputs", Some(twice)).await;
    assert_eq!((http, code(&b)), (400, 30100), "{b}");
}
