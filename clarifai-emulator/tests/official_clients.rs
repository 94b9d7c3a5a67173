//! What Clarifai's official client suites (`clarifai==2.6.2`, `clarifai-grpc`) expect of the API,
//! one test per difference the emulator had (issue 10; the cause is named in each test).

mod common;

use clarifai_emulator::Emulator;
use clarifai_emulator::samples::{animated_gif, png};
use clarifai_typed::{Scope, scope};
use common::{Env, b64, call, code, details, image_b64};
use serde_json::{Value, json};

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

/// C2, G12: an image uploaded as bytes gets a `url`, its hosted original; every input whose
/// bytes the emulator holds shows `hosted {prefix, suffix, sizes}`, and the copies are served to
/// a key that may read the app's inputs (header or cookie), 401 to a bad credential, 404
/// without one.
#[tokio::test]
async fn uploaded_and_downloaded_bytes_are_hosted() {
    let env = Env::new().await;
    let picture = portrait();
    let (http, b) = env
        .req(
            "POST",
            "/v2/inputs",
            Some(json!({"inputs": [{"id": "up", "data": {"image": {"base64": b64(&picture)}}}]})),
        )
        .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    let url = b["inputs"][0]["data"]["image"]["url"]
        .as_str()
        .expect("a url at once")
        .to_string();
    let base = env.emu.base_url();
    let user = env.emu.user_id().to_string();
    let app = env.emu.app_id().to_string();
    assert_eq!(
        url,
        format!("{base}/orig/users/{user}/apps/{app}/inputs/image/up")
    );
    env.emu.wait_idle().await;
    let (_, b) = env.req("GET", "/v2/inputs/up", None).await;
    let image = &b["input"]["data"]["image"];
    assert_eq!(image["url"], url.as_str(), "{b}");
    assert!(image.get("base64").is_none(), "{b}");
    assert_eq!(image["hosted"]["prefix"], base.as_str(), "{b}");
    assert_eq!(
        image["hosted"]["suffix"],
        format!("users/{user}/apps/{app}/inputs/image/up"),
        "{b}"
    );
    assert_eq!(
        image["hosted"]["sizes"],
        json!(["orig", "tiny", "small", "large"])
    );

    let http = reqwest::Client::new();
    let get = |url: String, header: Option<(&'static str, String)>| {
        let http = http.clone();
        async move {
            let mut req = http.get(url);
            if let Some((name, value)) = header {
                req = req.header(name, value);
            }
            let resp = req.send().await.expect("request");
            let status = resp.status().as_u16();
            let ctype = resp
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            (status, ctype, resp.bytes().await.expect("body").to_vec())
        }
    };
    let key = env.key.trim_start_matches("Key ").to_string();
    let (status, ctype, bytes) = get(url.clone(), Some(("authorization", env.key.clone()))).await;
    assert_eq!((status, ctype.as_str()), (200, "image/png"));
    assert_eq!(bytes, picture, "the original bytes");
    let cookie = format!("x-clarifai-api-key={key}");
    let (status, _, bytes) = get(url.clone(), Some(("cookie", cookie))).await;
    assert_eq!((status, bytes.len()), (200, picture.len()));
    let tiny = url.replace("/orig/", "/tiny/");
    let (status, ctype, bytes) = get(tiny, Some(("authorization", env.pat.clone()))).await;
    assert_eq!((status, ctype.as_str()), (200, "image/jpeg"));
    assert!(!bytes.is_empty());
    for bad in [
        (
            "authorization",
            "Key not-a-real-key-only-for-tests".to_string(),
        ),
        (
            "cookie",
            "x-clarifai-api-key=not-a-real-key-only-for-tests".into(),
        ),
        (
            "x-clarifai-session-token",
            "not-a-real-key-only-for-tests".into(),
        ),
        ("cookie", "x_clarifai_session_token=0000".into()),
    ] {
        let (status, _, _) = get(url.clone(), Some(bad.clone())).await;
        assert_eq!(status, 401, "{bad:?}");
    }
    // A key that may not read inputs.
    let predict_only = format!(
        "Key {}",
        env.emu.create_key(&[Scope::of::<scope::Predict>()])
    );
    let (status, _, _) = get(url.clone(), Some(("authorization", predict_only))).await;
    assert_eq!(status, 401);
    let (status, _, _) = get(url.clone(), None).await;
    assert_eq!(status, 404);
    let (status, _, _) = get(
        url.replace("/up", "/nope"),
        Some(("authorization", env.key.clone())),
    )
    .await;
    assert_eq!(status, 404);

    // A URL input keeps its URL and is hosted once downloaded.
    let server = common::serve_bytes(picture.clone()).await;
    let given = format!("{server}/img.png");
    let (_, b) = env
        .req(
            "POST",
            "/v2/inputs",
            Some(json!({"inputs": [{"id": "down", "data": {"image": {"url": given}}}]})),
        )
        .await;
    assert_eq!(
        b["inputs"][0]["data"]["image"]["url"],
        given.as_str(),
        "{b}"
    );
    env.emu.wait_idle().await;
    let (_, b) = env.req("GET", "/v2/inputs/down", None).await;
    assert_eq!(b["input"]["data"]["image"]["url"], given.as_str(), "{b}");
    let hosted = &b["input"]["data"]["image"]["hosted"];
    let orig = format!(
        "{}/orig/{}",
        hosted["prefix"].as_str().unwrap_or(""),
        hosted["suffix"].as_str().unwrap_or("")
    );
    let (status, _, bytes) = get(orig, Some(("authorization", env.key.clone()))).await;
    assert_eq!((status, bytes), (200, picture));
}

/// C2: the hosting URL can be set (the URL clients should see); the copies are served under its
/// path.
#[tokio::test]
async fn the_hosting_url_can_be_set() {
    let emu = Emulator::builder()
        .hosting_url("https://s3.amazonaws.com/clarifai-api/img3/prod/")
        .start()
        .await
        .expect("start");
    let key = common::all_scopes_key(&emu);
    let client = reqwest::Client::new();
    let picture = portrait();
    let (_, b) = call(
        &client,
        &emu.base_url(),
        "POST",
        "/v2/inputs",
        Some(&key),
        Some(&json!({"inputs": [{"id": "x", "data": {"image": {"base64": b64(&picture)}}}]})),
    )
    .await;
    let url = b["inputs"][0]["data"]["image"]["url"]
        .as_str()
        .expect("url")
        .to_string();
    assert!(
        url.starts_with("https://s3.amazonaws.com/clarifai-api/img3/prod/orig/users/"),
        "{url}"
    );
    let path = url.trim_start_matches("https://s3.amazonaws.com");
    let resp = client
        .get(format!("{}{path}", emu.base_url()))
        .header("authorization", &key)
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.bytes().await.expect("body").to_vec(), picture);
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

/// What users of the clients meet besides the suites: CORS for the JavaScript client in a web
/// page, the `Key` scheme in any case, a bad key answered the same on known and unknown paths,
/// an unknown key on a `me` path (G3).
#[tokio::test]
async fn cors_key_scheme_and_unknown_paths() {
    let env = Env::new().await;
    let base = env.emu.base_url();
    let client = reqwest::Client::new();
    let preflight = client
        .request(reqwest::Method::OPTIONS, format!("{base}/v2/models"))
        .header("origin", "http://localhost:3000")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
        .send()
        .await
        .expect("preflight");
    assert_eq!(preflight.status().as_u16(), 204);
    let h = preflight.headers();
    assert_eq!(
        h["access-control-allow-origin"], "http://localhost:3000",
        "{h:?}"
    );
    assert_eq!(
        h["access-control-allow-headers"],
        "authorization, content-type"
    );
    assert!(
        h["access-control-allow-methods"]
            .to_str()
            .is_ok_and(|m| m.contains("POST") && m.contains("PATCH"))
    );
    let resp = client
        .get(format!("{base}/v2/models"))
        .header("origin", "http://localhost:3000")
        .header("authorization", &env.key)
        .send()
        .await
        .expect("get");
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(
        resp.headers()["access-control-allow-origin"],
        "http://localhost:3000"
    );
    let resp = client
        .get(format!("{base}/v2/models"))
        .send()
        .await
        .expect("get");
    assert_eq!(resp.headers()["access-control-allow-origin"], "*");

    let secret = env.key.trim_start_matches("Key ");
    for scheme in ["key", "KEY", "kEy"] {
        let (http, b) = env
            .as_key(&format!("{scheme} {secret}"), "GET", "/v2/models", None)
            .await;
        assert_eq!((http, code(&b)), (200, 10000), "{scheme}: {b}");
    }

    let (http, b) = env.req("GET", "/v2/nowhere", None).await;
    assert_eq!((http, code(&b)), (404, 11101), "{b}");
    let (http, b) = call(&client, &base, "GET", "/v2/nowhere", None, None).await;
    assert_eq!((http, code(&b)), (401, 11008), "{b}");
    let unknown = "Key not-a-real-key-only-for-tests";
    let (http, b) = env.as_key(unknown, "GET", "/v2/nowhere", None).await;
    assert_eq!((http, code(&b)), (401, 11009), "{b}");
    let (http, b) = env.as_key(unknown, "PUT", "/v2/models", None).await;
    assert_eq!((http, code(&b)), (401, 11009), "{b}");
    let (http, b) = env.req("PUT", "/v2/models", None).await;
    assert_eq!((http, code(&b)), (405, 11103), "{b}");
    let (http, b) = env
        .as_key("Key SOME_INVALID_KEY", "GET", "/v2/users/me/models", None)
        .await;
    assert_eq!((http, code(&b)), (401, 11008), "{b}");
    assert_eq!(
        b["status"]["description"],
        "Invalid API key or Invalid API key/application pair"
    );
    let (http, b) = env
        .as_key(
            "Key SOME_INVALID_KEY",
            "GET",
            "/v2/users/me/apps/main/inputs",
            None,
        )
        .await;
    assert_eq!((http, code(&b)), (401, 11008), "{b}");
}

/// C13, G10: training is asynchronous (21103 queued, then 21100 or 21110); a model with no
/// concept is refused (21202); a version takes its concepts and `output_config` from the
/// request, and shows them.
#[tokio::test]
async fn training_is_queued_then_done_and_a_version_keeps_what_it_was_given() {
    let env = Env::new().await;
    let (_, b) = env
        .req(
            "POST",
            "/v2/models",
            Some(json!({"model": {"id": "empty"}})),
        )
        .await;
    assert_eq!(code(&b), 10000, "{b}");
    let (http, b) = env
        .req("POST", "/v2/models/empty/versions", Some(json!({})))
        .await;
    assert_eq!((http, code(&b)), (400, 21202), "{b}");

    let mut red = image_b64([250, 10, 10]);
    red["concepts"] = json!([{"id": "warm"}]);
    let (_, b) = env
        .req(
            "POST",
            "/v2/inputs",
            Some(json!({"inputs": [{"id": "r", "data": red}]})),
        )
        .await;
    assert_eq!(code(&b), 10000, "{b}");
    let body = json!({"model_versions": [{"output_info": {
        "data": {"concepts": [{"id": "warm"}]},
        "output_config": {"hyper_params": {"custom_training_cfg": "custom_training_1layer", "N_EPOCHS": 5}},
    }}]});
    // At once, while the input is still being processed: the version is queued.
    let (http, b) = env
        .req("POST", "/v2/models/empty/versions", Some(body))
        .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    let version = &b["model"]["model_version"];
    assert_eq!(version["status"]["code"], 21103, "{b}");
    assert_eq!(
        version["output_info"]["output_config"]["hyper_params"]["custom_training_cfg"],
        "custom_training_1layer",
        "{b}"
    );
    let id = version["id"].as_str().expect("id").to_string();
    env.emu.wait_idle().await;
    let (_, b) = env
        .req("GET", &format!("/v2/models/empty/versions/{id}"), None)
        .await;
    assert_eq!(b["model_version"]["status"]["code"], 21100, "{b}");
    let (_, b) = env.req("GET", "/v2/models/empty/output_info", None).await;
    let concepts = as_list(&b["model"]["model_version"]["output_info"]["data"]["concepts"]);
    assert_eq!(concepts.len(), 1, "{b}");
    assert_eq!(concepts[0]["id"], "warm");
    let (_, b) = env
        .req(
            "POST",
            &format!("/v2/models/empty/versions/{id}/outputs"),
            Some(json!({"inputs": [{"data": image_b64([240, 20, 20])}]})),
        )
        .await;
    assert_eq!(b["outputs"][0]["data"]["concepts"][0]["id"], "warm", "{b}");
    // A concept the inputs carry only as a negative label (clarifai-grpc's JSON channel sends an
    // unset value as 0): trained, scoring how unlike those inputs an image is.
    let mut blue = image_b64([10, 10, 250]);
    blue["concepts"] = json!([{"id": "not-blue", "value": 0.0}]);
    let (_, b) = env
        .req(
            "POST",
            "/v2/inputs",
            Some(json!({"inputs": [{"id": "b", "data": blue}]})),
        )
        .await;
    assert_eq!(code(&b), 10000, "{b}");
    let body = json!({"model_versions": [{"output_info": {"data": {"concepts": [{"id": "not-blue", "value": 0.0}]}}}]});
    let (_, b) = env
        .req("POST", "/v2/models/empty/versions", Some(body))
        .await;
    let id = b["model"]["model_version"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    env.emu.wait_idle().await;
    let (_, b) = env
        .req("GET", &format!("/v2/models/empty/versions/{id}"), None)
        .await;
    assert_eq!(b["model_version"]["status"]["code"], 21100, "{b}");
    let predict = |rgb| json!({"inputs": [{"data": image_b64(rgb)}]});
    let path = format!("/v2/models/empty/versions/{id}/outputs");
    let (_, blue_out) = env.req("POST", &path, Some(predict([10, 10, 250]))).await;
    let (_, red_out) = env.req("POST", &path, Some(predict([250, 10, 10]))).await;
    let score = |b: &Value| b["outputs"][0]["data"]["concepts"][0]["value"].as_f64();
    assert!(score(&blue_out) < Some(0.05), "{blue_out}");
    assert!(score(&red_out) > Some(0.5), "{red_out}");
    // A model whose concepts no processed input has: no data.
    let (_, b) = env
        .req(
            "POST",
            "/v2/models",
            Some(json!({"model": {"id": "lonely", "output_info": {"data": {"concepts": [{"id": "nothing-has-me"}]}}}})),
        )
        .await;
    assert_eq!(code(&b), 10000, "{b}");
    let (_, b) = env
        .req("POST", "/v2/models/lonely/versions", Some(json!({})))
        .await;
    assert_eq!(b["model"]["model_version"]["status"]["code"], 21103, "{b}");
    env.emu.wait_idle().await;
    let (_, b) = env.req("GET", "/v2/models/lonely/versions", None).await;
    assert_eq!(b["model_versions"][0]["status"]["code"], 21110, "{b}");
}

/// C14: a search right after an upload sees the new inputs (it waits for their processing).
#[tokio::test]
async fn a_search_right_after_an_upload_sees_the_new_input() {
    let env = Env::new().await;
    let mut data = image_b64([20, 200, 20]);
    data["geo"] = json!({"geo_point": {"latitude": 40.0, "longitude": -73.0}});
    let (_, b) = env
        .req(
            "POST",
            "/v2/inputs",
            Some(json!({"inputs": [{"id": "fresh", "data": data}]})),
        )
        .await;
    assert_eq!(code(&b), 10000, "{b}");
    let by_id =
        json!({"query": {"ands": [{"output": {"input": {"id": "fresh", "data": {"image": {}}}}}]}});
    let (http, b) = env.req("POST", "/v2/searches", Some(by_id)).await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    assert_eq!(b["hits"][0]["input"]["id"], "fresh", "{b}");
    let geo = json!({"query": {"ands": [{"input": {"data": {"geo": {"geo_box": [
        {"geo_point": {"latitude": 39.0, "longitude": -74.0}},
        {"geo_point": {"latitude": 41.0, "longitude": -72.0}},
    ]}}}}]}});
    let (_, b) = env.req("POST", "/v2/searches", Some(geo)).await;
    assert_eq!(as_list(&b["hits"]).len(), 1, "{b}");
}

/// G8: a concept id that exists is 40003 "Invalid request", details saying "duplicate".
/// G9: a predict whose every input failed alike answers their status (30002) at the top.
#[tokio::test]
async fn duplicate_concepts_and_a_predict_whose_inputs_all_failed() {
    let env = Env::new().await;
    let body = json!({"concepts": [{"id": "dup"}]});
    let (_, b) = env.req("POST", "/v2/concepts", Some(body.clone())).await;
    assert_eq!(code(&b), 10000, "{b}");
    let (http, b) = env.req("POST", "/v2/concepts", Some(body)).await;
    assert_eq!((http, code(&b)), (400, 40003), "{b}");
    assert_eq!(b["status"]["description"], "Invalid request");
    assert!(details(&b).to_lowercase().contains("duplicate"), "{b}");

    let missing =
        json!({"inputs": [{"data": {"image": {"url": "http://127.0.0.1:9/non-existing.jpg"}}}]});
    let (http, b) = env
        .as_key(
            &env.pat,
            "POST",
            "/v2/users/clarifai/apps/main/models/aaa03c23b3724a16a56b629203edc62c/outputs",
            Some(missing),
        )
        .await;
    assert_eq!((http, code(&b)), (400, 30002), "{b}");
    assert_eq!(b["outputs"][0]["status"]["code"], 30002, "{b}");
}
