//! Conformance: every real Clarifai payload of `shared/clarifai-payloads/` decodes into our models
//! and encodes back without loss.
//!
//! The payloads are not part of the repository. They are read from
//! `$CLARIFAI_PAYLOADS`, or else from `shared/clarifai-payloads` beside the workspace; when the
//! folder is absent the test is reported `ignored`, with the reason (the crate's build script
//! looks for it; should it vanish after the build, the test prints `skipped: ...` and passes).
//!
//! `INDEX.md` in that folder names the RPC of every payload; `*.request.json` files are request
//! bodies, the others response bodies. Each is decoded (from its text) into the request or
//! response type of that RPC (`clarifai_typed::__endpoint_types!`), encoded again, and compared
//! with the original as `serde_json::Value`s. The one payload of an RPC outside the endpoint
//! table, the legacy `/v2/feedback` (gone from the API), uses `BaseResponse`.
//! `curl-requests.json` is not a payload and is skipped.
//!
//! # Normalization
//!
//! Proto3 JSON does not tell an absent field from its zero value, and the models leave zero values
//! out (except the always-present ones), so before comparing, **both** sides go through the same
//! normalization (both, because fields the models do not know are kept verbatim in their `extra`
//! maps, zero values included, while the always-present fields are added when absent):
//!
//! 1. `null` values are removed (`"app_id": null` is how some docs show an unset field);
//! 2. zero scalars (`""`, `0`, `false`) and empty lists are removed, except under the keys that
//!    the server always sends (`cl_show_if_empty`): `inputs`, `outputs`, `models`, `hits`,
//!    `keys`, `score`, `value` and the `counts` counters. Empty objects are kept: an object sent
//!    empty (`"data": {}`) must stay present;
//! 3. enum names become numbers (`"code": "SUCCESS"` → `10000`, `"gettable": "PUBLIC"` → `50`).
//!
//! Numbers then compare equal when they are equal as `f64` or as `f32` (the proto's `float`
//! fields: `0.73790145` comes back as the shortest text of the same `f32`).
//!
//! The report also counts the payloads that round-trip *exactly* (only step 1 and the number
//! rule applied).

use clarifai_typed::Rpc;
use clarifai_typed::models::{ApiRequest, RequestTypeVisitor, visit_request_type};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// At least this many of the 127 payloads must decode.
const MIN_DECODED: usize = 127;

/// At least this many must round-trip exactly (the others differ only by zero values the
/// models leave out, such as `"closed_environment": false` and `"index": 0`).
const MIN_EXACT: usize = 117;

/// Payloads known not to round-trip (file name, why). Any other payload that fails is a
/// regression and fails the test.
const KNOWN_MISSES: &[(&str, &str)] = &[];

const ALWAYS_PRESENT: &[&str] = &[
    "inputs",
    "outputs",
    "models",
    "hits",
    "keys",
    "score",
    "value",
    "processed",
    "to_process",
    "errors",
    "processing",
    "reindexed",
    "to_reindex",
    "reindex_errors",
    "reindexing",
];

fn payload_dir() -> PathBuf {
    match std::env::var_os("CLARIFAI_PAYLOADS") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/clarifai-payloads"
        ))
        .to_path_buf(),
    }
}

/// One payload's entry in `INDEX.md`.
#[derive(Debug)]
struct Entry {
    rpc: String,
    request: bool,
}

/// Reads the payload table of `INDEX.md`: `| file | endpoint | RPC | ... | status.code | ... |`.
fn parse_index(text: &str) -> BTreeMap<String, Entry> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        // ["", file, endpoint, rpc, source, fixed, keys, code, notes, ""]
        if cells.len() < 9 || !cells[1].ends_with(".json") {
            continue;
        }
        let file = cells[1].to_owned();
        let request = file.ends_with(".request.json") || cells[7] == "(request)";
        out.insert(
            file,
            Entry {
                rpc: cells[3].to_owned(),
                request,
            },
        );
    }
    out
}

/// The outcome of one payload.
enum Outcome {
    /// Did not decode.
    DecodeError(String),
    /// Decoded; `None` if it round-trips, else the first difference.
    Decoded {
        normalized: Option<String>,
        exact: Option<String>,
    },
}

fn round_trip<T: Serialize + DeserializeOwned>(text: &str, original: &Value) -> Outcome {
    let decoded: T = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => return Outcome::DecodeError(e.to_string()),
    };
    let encoded = match serde_json::to_string(&decoded).map(|s| serde_json::from_str(&s)) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) | Err(e) => return Outcome::DecodeError(format!("does not encode: {e}")),
    };
    let exact = first_difference(&drop_nulls(original), &drop_nulls(&encoded), "");
    let normalized = first_difference(&normalize(original, None), &normalize(&encoded, None), "");
    Outcome::Decoded { normalized, exact }
}

/// Decodes `text` as the request or response of `rpc`.
fn check(rpc: &str, request: bool, text: &str, original: &Value) -> Outcome {
    struct RoundTrip<'a> {
        request: bool,
        text: &'a str,
        original: &'a Value,
    }
    impl RequestTypeVisitor for RoundTrip<'_> {
        type Output = Outcome;
        fn visit<R: ApiRequest>(self) -> Outcome {
            if self.request {
                round_trip::<R>(self.text, self.original)
            } else {
                round_trip::<R::Response>(self.text, self.original)
            }
        }
    }
    // The payload index names RPCs as in the protos: the table's names.
    if let Some(rpc) = Rpc::from_name(rpc) {
        let visitor = RoundTrip {
            request,
            text,
            original,
        };
        return visit_request_type(rpc, visitor);
    }
    use clarifai_typed::models as m;
    match (rpc, request) {
        (legacy, false) if legacy.starts_with("(legacy") => {
            round_trip::<m::BaseResponse>(text, original)
        }
        _ => Outcome::DecodeError(format!(
            "no {} type for RPC `{rpc}`",
            if request { "request" } else { "response" }
        )),
    }
}

fn drop_nulls(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), drop_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(drop_nulls).collect()),
        other => other.clone(),
    }
}

fn is_zero(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(_) => false,
    }
}

fn enum_number(key: &str, v: &Value) -> Option<Value> {
    let name = v.as_str()?;
    let n = match key {
        "code" => clarifai_typed::models::StatusCode::from_name(name)?.0,
        "gettable" => clarifai_typed::models::Gettable::from_name(name)?.0,
        _ => return None,
    };
    Some(Value::from(n))
}

/// The normalization documented at the top of this file.
fn normalize(v: &Value, key: Option<&str>) -> Value {
    if let Some(n) = key.and_then(|k| enum_number(k, v)) {
        return n;
    }
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, v)| {
                    !v.is_null() && (!is_zero(v) || ALWAYS_PRESENT.contains(&k.as_str()))
                })
                .map(|(k, v)| (k.clone(), normalize(v, Some(k))))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|i| normalize(i, None)).collect()),
        other => other.clone(),
    }
}

fn numbers_equal(a: &serde_json::Number, b: &serde_json::Number) -> bool {
    if a == b {
        return true;
    }
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y || (x as f32) == (y as f32),
        _ => false,
    }
}

fn show(v: &Value) -> String {
    let text = v.to_string();
    if text.len() > 80 {
        format!(
            "{}...",
            &text[..text.char_indices().nth(77).map_or(text.len(), |(i, _)| i)]
        )
    } else {
        text
    }
}

/// The JSON pointer of the first difference between `want` (the original) and `got` (ours).
fn first_difference(want: &Value, got: &Value, at: &str) -> Option<String> {
    match (want, got) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                match b.get(k) {
                    None => return Some(format!("{here}: lost (was {})", show(v))),
                    Some(w) => {
                        if let Some(d) = first_difference(v, w, &here) {
                            return Some(d);
                        }
                    }
                }
            }
            b.iter()
                .find(|(k, _)| !a.contains_key(*k))
                .map(|(k, v)| format!("{at}/{k}: added ({})", show(v)))
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!("{at}: {} items became {}", a.len(), b.len()));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (v, w))| first_difference(v, w, &format!("{at}/{i}")))
        }
        (Value::Number(x), Value::Number(y)) if numbers_equal(x, y) => None,
        (x, y) if x == y => None,
        (x, y) => Some(format!(
            "{}: {} became {}",
            if at.is_empty() { "/" } else { at },
            show(x),
            show(y)
        )),
    }
}

#[cfg_attr(
    not(shared_payloads),
    ignore = "../shared/clarifai-payloads is not here (it is not part of the repository); set CLARIFAI_PAYLOADS to its folder to run"
)]
#[test]
fn real_payloads_decode_and_round_trip() {
    let dir = payload_dir();
    let index_path = dir.join("INDEX.md");
    let index_text = match std::fs::read_to_string(&index_path) {
        Ok(text) => text,
        Err(e) => {
            println!(
                "skipped: payload folder {} not found ({e}); set CLARIFAI_PAYLOADS to run the conformance test",
                dir.display()
            );
            return;
        }
    };
    let index = parse_index(&index_text);

    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("payload folder is readable")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json") && name != "curl-requests.json")
        .collect();
    files.sort();

    let mut decoded = 0;
    let mut round_tripped = 0;
    let mut exact = 0;
    let mut misses: Vec<(String, String)> = Vec::new();
    let mut inexact: Vec<(String, String)> = Vec::new();
    for file in &files {
        let Some(entry) = index.get(file) else {
            misses.push((file.clone(), "not listed in INDEX.md".into()));
            continue;
        };
        let text = std::fs::read_to_string(dir.join(file)).expect("payload is readable");
        let original: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                misses.push((file.clone(), format!("not JSON: {e}")));
                continue;
            }
        };
        match check(&entry.rpc, entry.request, &text, &original) {
            Outcome::DecodeError(e) => {
                misses.push((file.clone(), format!("{} does not decode: {e}", entry.rpc)))
            }
            Outcome::Decoded {
                normalized,
                exact: is_exact,
            } => {
                decoded += 1;
                if is_exact.is_none() {
                    exact += 1;
                }
                match normalized {
                    None => {
                        round_tripped += 1;
                        if let Some(diff) = is_exact {
                            inexact.push((file.clone(), diff));
                        }
                    }
                    Some(diff) => misses.push((file.clone(), format!("{}: {diff}", entry.rpc))),
                }
            }
        }
    }

    println!(
        "conformance over {} ({} payloads):",
        dir.display(),
        files.len()
    );
    println!("  decoded:                  {decoded}/{}", files.len());
    println!(
        "  round-trip (normalized):  {round_tripped}/{}",
        files.len()
    );
    println!("  round-trip (exact):       {exact}/{}", files.len());
    for (file, why) in &misses {
        println!("  MISS {file}: {why}");
    }
    for (file, why) in &inexact {
        println!("  round-trips only normalized: {file}: {why}");
    }

    let known: Vec<&str> = KNOWN_MISSES.iter().map(|(f, _)| *f).collect();
    for (file, _) in KNOWN_MISSES {
        if !misses.iter().any(|(f, _)| f == file) {
            println!("  note: {file} now round-trips: remove it from KNOWN_MISSES");
        }
    }
    let regressions: Vec<&(String, String)> = misses
        .iter()
        .filter(|(f, _)| !known.contains(&f.as_str()))
        .collect();
    assert!(
        decoded >= MIN_DECODED,
        "only {decoded} payloads decode, expected at least {MIN_DECODED}"
    );
    assert!(
        exact >= MIN_EXACT,
        "only {exact} payloads round-trip exactly, expected at least {MIN_EXACT}"
    );
    assert!(
        regressions.is_empty(),
        "payloads that should round-trip do not: {regressions:#?}"
    );
}

#[test]
fn normalization_is_what_the_docs_say() {
    let original = serde_json::json!({
        "status": {"code": "SUCCESS", "description": ""},
        "outputs": [],
        "app_id": null,
        "data": {},
        "count": 0,
        "value": 0,
        "x": 0.73790145
    });
    assert_eq!(
        normalize(&original, None),
        serde_json::json!({
            "status": {"code": 10000}, "outputs": [], "data": {}, "value": 0, "x": 0.73790145
        })
    );
    // What an f32 field gives back: the shortest text of the same f32.
    let shortest: f64 = (0.73790145_f64 as f32).to_string().parse().unwrap();
    let ours = serde_json::json!({ "x": shortest });
    assert_eq!(
        first_difference(&serde_json::json!({"x": 0.73790145}), &ours, ""),
        None
    );
    assert_eq!(
        first_difference(
            &serde_json::json!({"a": {"b": [1, 2]}}),
            &serde_json::json!({"a": {"b": [1, 3]}}),
            ""
        ),
        Some("/a/b/1: 2 became 3".to_owned())
    );
    let index = parse_index(
        "| File | Endpoint | RPC | S | F | K | status.code | N |\n|---|---|---|---|---|---|---|---|\n\
         | 001-a.json | POST /v2/x | PostModelOutputs | s | — | status | 10000 | n |\n\
         | 001-a.request.json | POST /v2/x | PostModelOutputs | s | — | inputs | (request) | n |\n",
    );
    assert_eq!(index.len(), 2);
    assert!(!index["001-a.json"].request);
    assert!(index["001-a.request.json"].request);
    assert_eq!(index["001-a.json"].rpc, "PostModelOutputs");
}
