//! Robustness of the response decoder (`clarifai_typed::client::decode_response`), by property
//! tests: whatever bytes a server (or a proxy, or a broken connection) sends, decoding never
//! panics and ends in the error a caller can act on.
//!
//! # What is generated
//!
//! Over six request types (`PostModelOutputsRequest`, `ListInputsRequest`, `GetInputRequest`,
//! `PostSearchesRequest`, `MyScopesRequest`, `ListKeysRequest`; POST and GET endpoints, lists
//! and single objects), two key types (every scope, and `Predict` only: redaction resolution
//! differs) and any HTTP status (`u16`, 0 included):
//!
//! * arbitrary bytes;
//! * realistic response bodies (written inline below, in the shape of Clarifai's answers) and
//!   bodies carrying other statuses (11007, 11009, 11005, 21200, 10010 mixed, 10020 failure, a
//!   status as a name, a status code of `u32::MAX + 1`);
//! * those bodies truncated at every position (exhaustively) and at random positions;
//! * those bodies with one JSON node (anywhere, the status and the root included) replaced by a
//!   value of another kind: a string, a number (`1e308`, `-1`, `2^64`, `u32::MAX + 1`, `1e400`,
//!   fractions, 30 digits), an object, an array, `null`, a bool, or nesting 1–300 levels deep;
//! * those bodies with invalid UTF-8 bytes inserted;
//! * arbitrary JSON values (objects with or without a status of any code).
//!
//! # The properties
//!
//! 1. Decoding never panics (and formatting the result with `{}` / `{:?}` never panics).
//! 2. The outcome is the one the client documents, computed independently here (`expected`):
//!    a body that is the endpoint's JSON with status 10000 (or 10010 on a read) decodes `Ok`;
//!    10010/10020 on a write is `Error::Partial`, and so is another status on a write whose listed
//!    items (non-empty) all carry that status; another status is a status-carrying error with
//!    that very code (`Error::status()`), also when only `{"status": ...}` of the body decodes;
//!    anything else is `Error::Decode`. No other variant (transport, usage) ever comes out.
//! 3. An `Error::Decode` carries the HTTP status given and an excerpt of at most 200 characters
//!    (for key-management endpoints, whose answers hold key secrets, a placeholder instead)
//!    that is exactly the start of the body read as lossy UTF-8.
//! 4. Every realistic success body decodes `Ok` whatever the HTTP status; every strict prefix of
//!    one is `Error::Decode`.
//!
//! # Running
//!
//! `cargo test -p clarifai-typed-tests --test decode_props` runs 256 cases per property (a few
//! seconds). proptest reads `PROPTEST_CASES`, so a long run is, for example:
//!
//! ```text
//! PROPTEST_CASES=200000 cargo test --release -p clarifai-typed-tests --test decode_props -- --nocapture
//! ```
//!
//! With `--nocapture` each property prints how many cases it ran, and how the decodes of the
//! whole binary so far ended (`Ok`, `Decode`, `Partial`, status errors). Each run draws a new
//! random seed, so a time-boxed run can repeat batches, e.g. for about ten minutes:
//!
//! ```text
//! end=$((SECONDS + 600)); while [ $SECONDS -lt $end ]; do
//!   PROPTEST_CASES=100000 cargo test --release -p clarifai-typed-tests --test decode_props || break
//! done
//! ```
//!
//! (25 such batches, 15 million cases, ran in 600 s on 2 cores without a failure.) A failure is
//! shrunk to a minimal body and saved in `tests/proptest-regressions/decode_props.txt`
//! (replayed first on later runs).
//!
//! Deterministic companions: every realistic body decodes `Ok` under ten HTTP statuses; the
//! bodies with other statuses give their documented errors; every strict prefix of the success
//! and mixed bodies is `Error::Decode`; nesting 100 to 5000 levels deep at many paths is
//! refused without overflowing a test thread's stack in a debug build.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::sync::atomic::{AtomicU64, Ordering};

use clarifai_typed::client::decode_response;
use clarifai_typed::endpoint::Method;
use clarifai_typed::models::{
    ApiRequest, ApiResponse, BaseResponse, GetInputRequest, ListInputsRequest, ListKeysRequest,
    MyScopesRequest, PostModelOutputsRequest, PostSearchesRequest, StatusCode,
};
use clarifai_typed::{Error, Key, scoped_key};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::FileFailurePersistence;
use serde_json::{Value, json};

/// Every scope.
#[scoped_key(All)]
pub struct FullKey;

/// Predicting only: guarded parts of responses resolve to `Withheld`.
#[scoped_key(Predict)]
pub struct PredictOnly;

// ---------------------------------------------------------------------------------------------
// Realistic bodies.

/// The request types exercised, by index.
const KINDS: usize = 6;

fn ok_status() -> Value {
    json!({"code": 10000, "description": "Ok", "req_id": "7f3c2a9e1b6d4c08a5e2f1d3c4b5a697"})
}

fn input_json(id: &str) -> Value {
    json!({
        "id": id,
        "data": {
            "image": {
                "url": "https://samples.clarifai.com/metro-north.jpg",
                "image_info": {"width": 500, "height": 333, "format": "JPEG", "color_mode": "YUV"}
            },
            "concepts": [{"id": "warm", "name": "warm", "value": 1, "app_id": "main"}],
            "metadata": {"camera": "north", "shot": 3},
            "geo": {"geo_point": {"longitude": -30.0, "latitude": 40.0}}
        },
        "created_at": "2017-10-13T20:53:00.253139Z",
        "modified_at": "2017-10-13T20:53:00.868659782Z",
        "status": {"code": 30000, "description": "Download complete"}
    })
}

/// A success body of request kind `kind` (see `decode_any`).
fn sample(kind: usize) -> Value {
    match kind {
        0 => json!({
            "status": ok_status(),
            "outputs": [{
                "id": "ea68cac87c304b28a8046557062f34a0",
                "status": {"code": 10000, "description": "Ok"},
                "created_at": "2016-11-22T16:50:25.209218Z",
                "model": {
                    "id": "aaa03c23b3724a16a56b629203edc62c",
                    "name": "general",
                    "created_at": "2016-03-09T17:11:39.608845Z",
                    "app_id": "main",
                    "output_info": {"message": "Show output_info with: GET /models/{model_id}/output_info",
                                    "type": "concept", "type_ext": "concept"},
                    "model_version": {"id": "aa9ca48295b37401f8af92ad1af0d91d",
                                      "created_at": "2016-07-13T01:19:12.147644Z",
                                      "status": {"code": 21100, "description": "Model trained successfully"}}
                },
                "input": {"id": "ea68cac87c304b28a8046557062f34a0",
                          "data": {"image": {"url": "https://samples.clarifai.com/metro-north.jpg"}}},
                "data": {
                    "concepts": [
                        {"id": "ai_HLmqFqBf", "name": "train", "value": 0.9989112, "app_id": "main"},
                        {"id": "ai_fvlBqXZR", "name": "railway", "value": 0.9975532, "app_id": "main"}
                    ],
                    "colors": [{"raw_hex": "#f2f2f2", "w3c": {"hex": "#f5f5f5", "name": "WhiteSmoke"},
                                "value": 0.929}],
                    "regions": [{"id": "r1", "region_info": {"bounding_box":
                        {"top_row": 0.1, "left_col": 0.2, "bottom_row": 0.8, "right_col": 0.9}},
                        "data": {"concepts": [{"id": "red", "name": "red", "value": 0.7}]}, "value": 0.5}],
                    "embeddings": [{"vector": [0.1, -0.2, 0.3], "num_dimensions": 3}]
                }
            }]
        }),
        1 => json!({"status": ok_status(), "inputs": [input_json("red"), input_json("blue")]}),
        2 => json!({"status": ok_status(), "input": input_json("red")}),
        3 => json!({
            "status": ok_status(),
            "id": "c5b1e2a3f4d5468798a9b0c1d2e3f4a5",
            "hits": [
                {"score": 0.98, "input": input_json("red")},
                {"score": 0.5, "input": input_json("blue"), "user_id": "me", "app_id": "main"}
            ],
            "query": {"ands": [{"output": {"input": {"data": {"image":
                {"url": "https://samples.clarifai.com/metro-north.jpg"}}}}}]}
        }),
        4 => json!({
            "status": ok_status(),
            "scopes": ["Predict", "Inputs:Get", "Apps:Get"],
            "app": {"id": "main", "name": "main", "default_language": "en",
                    "default_workflow_id": "General", "user_id": "me",
                    "created_at": "2019-01-16T23:33:46.605294Z"},
            "endpoints": ["/clarifai.api.V2/PostModelOutputs"]
        }),
        _ => json!({
            "status": ok_status(),
            "keys": [{
                "id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
                "type": "app_specific_key",
                "description": "All permissions",
                "scopes": ["All"],
                "apps": [{"id": "main", "user_id": "me", "name": "main"}],
                "created_at": "2017-04-11T21:50:50.223962Z",
                "expires_at": "2030-01-01T00:00:00Z"
            }, {
                "id": "f9e8d7c6b5a4938271605f4e3d2c1b0a",
                "type": "personal_access_token",
                "description": "ci",
                "scopes": ["All"],
                "created_at": "2017-04-11T21:50:50.223962Z"
            }]
        }),
    }
}

/// Bodies with other statuses, for any kind (their typed part is the sample's).
fn with_status(kind: usize, variant: usize) -> Value {
    let mut v = sample(kind);
    let status = match variant % 9 {
        0 => json!({"code": 11007, "description": "Insufficient scopes",
                    "details": "missing scopes: Predict; endpoint: /clarifai.api.V2/PostModelOutputs"}),
        1 => json!({"code": 11009, "description": "API key not found"}),
        2 => json!({"code": 11005, "description": "Making too many requests",
                    "details": "exceeded limit of 10 requests per second"}),
        3 => json!({"code": 21200, "description": "Model does not exist"}),
        4 => json!({"code": 10010, "description": "Mixed Success"}),
        5 => json!({"code": 10020, "description": "Failure"}),
        6 => json!({"code": "CONN_THROTTLED", "description": "throttled"}),
        7 => json!({"code": 99009, "description": "Internal error"}),
        _ => json!({"description": "no code at all"}),
    };
    v["status"] = status;
    v
}

/// Decodes `body` as kind `kind`'s response with key type `K`, and checks the properties.
fn decode_any<K: Key>(kind: usize, http_status: u16, body: &[u8]) -> Outcome {
    match kind % KINDS {
        0 => check::<K, PostModelOutputsRequest>(http_status, body),
        1 => check::<K, ListInputsRequest>(http_status, body),
        2 => check::<K, GetInputRequest>(http_status, body),
        3 => check::<K, PostSearchesRequest>(http_status, body),
        4 => check::<K, MyScopesRequest>(http_status, body),
        _ => check::<K, ListKeysRequest>(http_status, body),
    }
}

fn decode_both(kind: usize, http_status: u16, body: &[u8]) -> Result<Outcome, String> {
    let a = decode_any::<FullKey>(kind, http_status, body);
    let b = decode_any::<PredictOnly>(kind, http_status, body);
    // The key type changes redaction only, never the outcome.
    if std::mem::discriminant(&a) != std::mem::discriminant(&b) {
        return Err(format!("key types disagree: {a:?} / {b:?}"));
    }
    a.into_checked()
}

// ---------------------------------------------------------------------------------------------
// The oracle.

/// What decoding gave, after the checks.
#[derive(Debug)]
enum Outcome {
    Ok,
    Decode,
    Partial,
    Status(u32),
    /// A property was broken: what, and the body.
    Broken(String),
}

impl Outcome {
    fn into_checked(self) -> Result<Outcome, String> {
        match self {
            Outcome::Broken(why) => Err(why),
            other => Ok(other),
        }
    }
}

/// What the decoder should answer, from the documented rules, computed apart from it.
#[derive(Debug, PartialEq)]
enum Expected {
    Ok,
    Decode,
    Partial,
    Status(u32),
}

fn expected<R: ApiRequest>(body: &[u8]) -> Expected {
    let read = R::RPC.spec().method == Method::Get;
    match serde_json::from_slice::<R::Response>(body) {
        Ok(response) => match response.status().code {
            StatusCode::SUCCESS => Expected::Ok,
            StatusCode::MIXED_STATUS if read => Expected::Ok,
            StatusCode::ZERO => Expected::Decode,
            StatusCode::MIXED_STATUS | StatusCode::FAILURE => Expected::Partial,
            code if !read && items_all_with::<R>(body, code.0) => Expected::Partial,
            code => Expected::Status(code.0),
        },
        Err(_) => match serde_json::from_slice::<BaseResponse>(body) {
            Ok(base)
                if base.status.code != StatusCode::ZERO
                    && base.status.code != StatusCode::SUCCESS =>
            {
                Expected::Status(base.status.code.0)
            }
            _ => Expected::Decode,
        },
    }
}

/// Whether the body lists items in the endpoint's list field, at least one, every one with
/// status `code`.
fn items_all_with<R: ApiRequest>(body: &[u8], code: u32) -> bool {
    let value: Value = serde_json::from_slice(body).unwrap_or_default();
    let Some(items) = R::RPC
        .spec()
        .list_field
        .and_then(|f| value.get(f))
        .and_then(Value::as_array)
    else {
        return false;
    };
    !items.is_empty()
        && items
            .iter()
            .all(|i| i.pointer("/status/code").and_then(Value::as_u64) == Some(u64::from(code)))
}

static DECODED: AtomicU64 = AtomicU64::new(0);
/// How many decodes ended `Ok`, `Decode`, `Partial`, status-carrying (printed with the counts).
static OUTCOMES: [AtomicU64; 4] = [const { AtomicU64::new(0) }; 4];

fn check<K: Key, R: ApiRequest>(http_status: u16, body: &[u8]) -> Outcome {
    DECODED.fetch_add(1, Ordering::Relaxed);
    let want = expected::<R>(body);
    let got = decode_response::<K, R>(http_status, body);
    let show = || String::from_utf8_lossy(&body[..body.len().min(600)]).into_owned();
    let broken = |why: String| {
        Outcome::Broken(format!(
            "{} (HTTP {http_status}, key {}): {why}; body ({} bytes) begins {:?}",
            R::RPC,
            K::NAME,
            body.len(),
            show()
        ))
    };
    let outcome = match &got {
        Ok(response) => {
            let _ = format!("{response:?}");
            let code = response.status().code;
            let read = R::RPC.spec().method == Method::Get;
            if !(code == StatusCode::SUCCESS || (read && code == StatusCode::MIXED_STATUS)) {
                return broken(format!("Ok with status {}", code.0));
            }
            Outcome::Ok
        }
        Err(err) => {
            let _ = format!("{err} {err:?}");
            match err {
                Error::Decode {
                    http_status: carried,
                    excerpt,
                    reason,
                    ..
                } => {
                    if *carried != http_status {
                        return broken(format!("Decode carries HTTP {carried}"));
                    }
                    if reason.is_empty() {
                        return broken("Decode without a reason".into());
                    }
                    let n = excerpt.chars().count();
                    if n > 200 {
                        return broken(format!("excerpt of {n} characters"));
                    }
                    let lossy = String::from_utf8_lossy(body);
                    let start: String = lossy.chars().take(200).collect();
                    // Key-management answers hold key secrets (a key's id is its secret): their
                    // bodies are never quoted.
                    let holds_secrets = R::RPC.name().contains("Key");
                    if holds_secrets {
                        if !excerpt.starts_with("[not shown") {
                            return broken(format!(
                                "excerpt {excerpt:?} quotes a key-management answer"
                            ));
                        }
                    } else if *excerpt != start || !lossy.starts_with(excerpt.as_str()) {
                        return broken(format!("excerpt {excerpt:?} is not the start of the body"));
                    }
                    Outcome::Decode
                }
                Error::Partial(p) => {
                    if !matches!(
                        p.status.code,
                        StatusCode::MIXED_STATUS | StatusCode::FAILURE
                    ) {
                        return broken(format!("Partial with status {}", p.status.code.0));
                    }
                    Outcome::Partial
                }
                Error::Transport { .. }
                | Error::Usage(_)
                | Error::ScopesNotGranted(_)
                | Error::GaveUp { .. } => {
                    return broken(format!("a variant decoding cannot produce: {err:?}"));
                }
                other => match other.status() {
                    Some(status)
                        if status.code != StatusCode::SUCCESS
                            && status.code != StatusCode::ZERO =>
                    {
                        Outcome::Status(status.code.0)
                    }
                    _ => return broken(format!("an error without a failure status: {other:?}")),
                },
            }
        }
    };
    let agrees = match (&outcome, &want) {
        (Outcome::Ok, Expected::Ok)
        | (Outcome::Decode, Expected::Decode)
        | (Outcome::Partial, Expected::Partial) => true,
        (Outcome::Status(a), Expected::Status(b)) => a == b,
        _ => false,
    };
    if !agrees {
        return broken(format!("got {got:?}, expected {want:?}"));
    }
    let slot = match outcome {
        Outcome::Ok => 0,
        Outcome::Decode => 1,
        Outcome::Partial => 2,
        _ => 3,
    };
    OUTCOMES[slot].fetch_add(1, Ordering::Relaxed);
    outcome
}

// ---------------------------------------------------------------------------------------------
// Mutations.

/// One step of a path into a JSON value.
#[derive(Debug, Clone)]
enum Step {
    Key(String),
    At(usize),
}

fn paths(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                here.push(Step::Key(k.clone()));
                paths(child, here, out);
                here.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                here.push(Step::At(i));
                paths(child, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'v>(v: &'v mut Value, path: &[Step]) -> &'v mut Value {
    path.iter().fold(v, |v, step| match step {
        Step::Key(k) => &mut v[k.as_str()],
        Step::At(i) => &mut v[*i],
    })
}

/// A replacement for one node: a JSON value, or raw JSON text that `serde_json::Value` cannot
/// hold (numbers out of range, nesting past the parser's limit).
#[derive(Debug, Clone)]
enum Replacement {
    Value(Value),
    Raw(String),
}

fn deep(depth: usize, object: bool) -> String {
    if object {
        format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))
    } else {
        format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
    }
}

fn replacement() -> impl Strategy<Value = Replacement> {
    prop_oneof![
        Just(Replacement::Value(Value::Null)),
        any::<bool>().prop_map(|b| Replacement::Value(json!(b))),
        ".{0,40}".prop_map(|s| Replacement::Value(json!(s))),
        Just(Replacement::Value(json!("10000"))),
        Just(Replacement::Value(json!("SUCCESS"))),
        any::<i64>().prop_map(|n| Replacement::Value(json!(n))),
        any::<u64>().prop_map(|n| Replacement::Value(json!(n))),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| Replacement::Value(json!(f))),
        prop::sample::select(vec![
            "1e308",
            "-1e308",
            "-1",
            "0",
            "-0",
            "0.5",
            "1.0",
            "10000.0",
            "1e400",
            "-1e400",
            "1E-400",
            "18446744073709551616",
            "18446744073709551615",
            "-9223372036854775809",
            "4294967296",
            "4294967295",
            "65536",
            "123456789012345678901234567890",
        ])
        .prop_map(|s| Replacement::Raw(s.to_owned())),
        Just(Replacement::Value(json!({}))),
        Just(Replacement::Value(json!([]))),
        Just(Replacement::Value(json!({"code": 10000}))),
        Just(Replacement::Value(json!([{"code": 10000}, "x", 1]))),
        (1usize..300, any::<bool>()).prop_map(|(d, o)| Replacement::Raw(deep(d, o))),
        arb_json().prop_map(Replacement::Value),
    ]
}

/// Replaces the node at `path` and serializes the result compactly.
fn mutate(v: &Value, path: &[Step], with: &Replacement) -> Vec<u8> {
    let mut v = v.clone();
    let marker = "\u{1}raw-replacement\u{1}";
    *node_mut(&mut v, path) = match with {
        Replacement::Value(x) => x.clone(),
        Replacement::Raw(_) => json!(marker),
    };
    let text = serde_json::to_string(&v).unwrap();
    match with {
        Replacement::Value(_) => text.into_bytes(),
        Replacement::Raw(raw) => text
            .replace(&serde_json::to_string(marker).unwrap(), raw)
            .into_bytes(),
    }
}

/// Arbitrary JSON values, small.
fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "status", "code", "id", "data", "outputs", "inputs", "input", "hits", "scopes",
                    "keys", "concepts", "value", "details", "x",
                ])
                .prop_map(str::to_owned),
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A body for kind `kind`: the success sample or one with another status.
fn base_body(kind: usize, variant: usize) -> Value {
    if variant == 0 {
        sample(kind)
    } else {
        with_status(kind, variant - 1)
    }
}

// ---------------------------------------------------------------------------------------------
// Deterministic checks.

#[test]
fn every_realistic_success_body_decodes_ok_whatever_the_http_status() {
    for kind in 0..KINDS {
        let body = serde_json::to_vec(&sample(kind)).unwrap();
        for http in [200, 0, 204, 400, 401, 404, 429, 500, 503, u16::MAX] {
            let outcome = decode_both(kind, http, &body).unwrap();
            assert!(matches!(outcome, Outcome::Ok), "kind {kind}: {outcome:?}");
        }
    }
}

#[test]
fn bodies_with_other_statuses_give_the_documented_errors() {
    for kind in 0..KINDS {
        for variant in 0..9 {
            let body = serde_json::to_vec(&with_status(kind, variant)).unwrap();
            for http in [200, 207, 400, 401, 404, 429, 500] {
                decode_both(kind, http, &body).unwrap();
            }
        }
    }
    // A status code past u32 cannot be a StatusCode: not a status-carrying error, a Decode.
    let body = br#"{"status":{"code":4294967296,"description":"x"},"outputs":[]}"#;
    let outcome = decode_both(0, 500, body).unwrap();
    assert!(matches!(outcome, Outcome::Decode), "{outcome:?}");
}

#[test]
fn every_strict_prefix_of_a_realistic_body_is_a_decode_error() {
    for kind in 0..KINDS {
        // The success body and a mixed-status one; other bodies are cut at random positions
        // by `truncated_bodies`.
        for variant in [0, 5] {
            let body = serde_json::to_vec(&base_body(kind, variant)).unwrap();
            for cut in 0..body.len() {
                let outcome = decode_both(kind, 200, &body[..cut]).unwrap();
                assert!(
                    matches!(outcome, Outcome::Decode),
                    "kind {kind} variant {variant} cut {cut}: {outcome:?}"
                );
            }
        }
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    // On the test thread's default stack, in a debug build: serde_json's recursion limit (128)
    // must stop the parse before the stack does, wherever the nesting is.
    for kind in 0..KINDS {
        let value = sample(kind);
        let mut all = Vec::new();
        paths(&value, &mut Vec::new(), &mut all);
        for depth in [100, 127, 128, 129, 500, 5000] {
            for object in [false, true] {
                for path in all.iter().step_by(7) {
                    let body = mutate(&value, path, &Replacement::Raw(deep(depth, object)));
                    decode_both(kind, 200, &body).unwrap();
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Properties.

static CASES: [AtomicU64; 6] = [const { AtomicU64::new(0) }; 6];
const NAMES: [&str; 6] = [
    "arbitrary_bytes",
    "truncated_bodies",
    "wrong_types_at_random_paths",
    "invalid_utf8",
    "arbitrary_json",
    "mutated_then_truncated",
];

fn count(property: usize) {
    let n = CASES[property].fetch_add(1, Ordering::Relaxed) + 1;
    // Printed once per property, at the last case of a run (visible with --nocapture).
    if n == u64::from(ProptestConfig::default().cases) {
        let o = |i: usize| OUTCOMES[i].load(Ordering::Relaxed);
        println!(
            "decode_props: {} ran {n} cases ({} decodes so far in this binary: {} Ok, {} Decode, \
             {} Partial, {} status errors)",
            NAMES[property],
            DECODED.load(Ordering::Relaxed),
            o(0),
            o(1),
            o(2),
            o(3)
        );
    }
}

proptest! {
    // The default config reads `PROPTEST_CASES`; failures are saved next to this file's package.
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(
            "proptest-regressions/decode_props.txt",
        ))),
        ..ProptestConfig::default()
    })]

    /// Property 1–3 on bytes with no structure at all.
    #[test]
    fn arbitrary_bytes(
        kind in 0..KINDS,
        http in any::<u16>(),
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..512),
            // Bytes that start like JSON.
            prop::collection::vec(any::<u8>(), 0..256).prop_map(|mut b| { b.insert(0, b'{'); b }),
            // Long bodies, for the 200-character excerpt.
            prop::collection::vec(any::<u8>(), 180..1200),
        ],
    ) {
        count(0);
        let outcome = decode_both(kind, http, &body).map_err(TestCaseError::fail)?;
        // Random bytes are not JSON (and if they are, the oracle agreed).
        let _ = outcome;
    }

    /// A realistic body (any status) cut at a random position is a Decode error.
    #[test]
    fn truncated_bodies(kind in 0..KINDS, variant in 0usize..10, http in any::<u16>(), cut in any::<Index>()) {
        count(1);
        let body = serde_json::to_vec(&base_body(kind, variant)).unwrap();
        let cut = cut.index(body.len());
        let outcome = decode_both(kind, http, &body[..cut]).map_err(TestCaseError::fail)?;
        prop_assert!(matches!(outcome, Outcome::Decode), "{:?}", outcome);
    }

    /// One node of a realistic body replaced by a value of another kind (or a huge number, or
    /// deep nesting): the outcome is the documented one.
    #[test]
    fn wrong_types_at_random_paths(
        kind in 0..KINDS,
        variant in 0usize..10,
        http in any::<u16>(),
        at in any::<Index>(),
        with in replacement(),
    ) {
        count(2);
        let value = base_body(kind, variant);
        let mut all = Vec::new();
        paths(&value, &mut Vec::new(), &mut all);
        let path = &all[at.index(all.len())];
        let body = mutate(&value, path, &with);
        decode_both(kind, http, &body).map_err(TestCaseError::fail)?;
    }

    /// Invalid UTF-8 bytes inserted into a realistic body: a Decode error whose excerpt is the
    /// lossy start of the body.
    #[test]
    fn invalid_utf8(
        kind in 0..KINDS,
        variant in 0usize..10,
        http in any::<u16>(),
        at in any::<Index>(),
        bad in prop::collection::vec(0x80u8..=0xff, 1..4),
    ) {
        count(3);
        let mut body = serde_json::to_vec(&base_body(kind, variant)).unwrap();
        let at = at.index(body.len() + 1);
        body.splice(at..at, bad.iter().copied());
        let outcome = decode_both(kind, http, &body).map_err(TestCaseError::fail)?;
        // Any byte >= 0x80 in a JSON text is either invalid UTF-8 or outside a string.
        prop_assert!(std::str::from_utf8(&body).is_ok() || matches!(outcome, Outcome::Decode), "{:?}", outcome);
    }

    /// Arbitrary JSON values, with and without a status of any code.
    #[test]
    fn arbitrary_json(
        kind in 0..KINDS,
        http in any::<u16>(),
        value in arb_json(),
        code in prop_oneof![Just(None), any::<u32>().prop_map(Some), (10000u32..10030).prop_map(Some)],
    ) {
        count(4);
        let mut value = value;
        if let (Some(code), Value::Object(map)) = (code, &mut value) {
            map.insert("status".into(), json!({"code": code, "description": "generated"}));
        }
        let body = serde_json::to_vec(&value).unwrap();
        decode_both(kind, http, &body).map_err(TestCaseError::fail)?;
    }

    /// A mutated body, truncated: still never a panic, still the documented outcome.
    #[test]
    fn mutated_then_truncated(
        kind in 0..KINDS,
        variant in 0usize..10,
        http in any::<u16>(),
        at in any::<Index>(),
        with in replacement(),
        cut in any::<Index>(),
    ) {
        count(5);
        let value = base_body(kind, variant);
        let mut all = Vec::new();
        paths(&value, &mut Vec::new(), &mut all);
        let body = mutate(&value, &all[at.index(all.len())], &with);
        let cut = cut.index(body.len() + 1);
        decode_both(kind, http, &body[..cut]).map_err(TestCaseError::fail)?;
    }
}
