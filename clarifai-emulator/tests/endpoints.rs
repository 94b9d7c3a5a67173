//! The endpoint matrix: every endpoint of the table, under every path it has, generated from
//! `ENDPOINTS` (nothing here lists endpoints by hand).

mod common;

use clarifai_emulator::{Emulator, Mode, RunningEmulator};
use clarifai_typed::endpoint::{Auth, ENDPOINTS, EndpointSpec};
use clarifai_typed::models::{Resource, redact_json_for};
use clarifai_typed::{Rpc, Scope, scope};
use common::{body_for, call, code, details, fill, find_field, seed};
use serde_json::Value;

/// Every `(spec, path template, is_short)` of the table.
fn routes() -> Vec<(&'static EndpointSpec, &'static str, bool)> {
    ENDPOINTS
        .iter()
        .flat_map(|spec| {
            spec.short_paths
                .iter()
                .map(move |p| (spec, p.text, true))
                .chain(spec.full_paths.iter().map(move |p| (spec, p.text, false)))
        })
        .collect()
}

/// The JSON fields that hold a resource.
fn field_names(resource: Resource) -> &'static [&'static str] {
    match resource {
        Resource::Concepts => &["concepts"],
        Resource::Model => &["model"],
        Resource::Input => &["input"],
        Resource::Annotation => &["annotation", "annotations"],
        Resource::Workflow => &["workflow", "default_workflow"],
        _ => &[],
    }
}

/// App keys on app-level short paths, PATs everywhere else.
fn uses_app_key(spec: &EndpointSpec, short: bool) -> bool {
    short && spec.auth == Auth::Key
}

fn closure(scopes: &[Scope]) -> Vec<Scope> {
    let mut out: Vec<Scope> = Vec::new();
    let mut todo = scopes.to_vec();
    while let Some(s) = todo.pop() {
        if !out.contains(&s) {
            todo.extend(s.dependencies());
            out.push(s);
        }
    }
    out
}

/// What a key created with `scopes` effectively holds in the emulator.
fn effective(scopes: &[Scope], app_key: bool) -> Vec<Scope> {
    let mut s = closure(scopes);
    if app_key {
        s.push(Scope::of::<scope::GetApps>());
    }
    s
}

fn make_key(emu: &RunningEmulator, scopes: &[Scope], app_key: bool) -> String {
    let secret = if app_key {
        emu.create_key(scopes)
    } else {
        emu.create_pat_with(scopes)
    };
    format!("Key {secret}")
}

async fn send(
    emu: &RunningEmulator,
    client: &reqwest::Client,
    spec: &EndpointSpec,
    path: &str,
    auth: &str,
    body: Option<&Value>,
) -> (u16, Value) {
    call(
        client,
        &emu.base_url(),
        spec.method.as_str(),
        path,
        Some(auth),
        body,
    )
    .await
}

fn label(spec: &EndpointSpec, path: &str) -> String {
    format!("{} {} {}", spec.rpc, spec.method.as_str(), path)
}

/// Endpoints whose response type can hold a guarded part that their answers never show:
/// ListModels lists no `output_info.data` (Clarifai's payload 061), hence no concepts to redact,
/// nor does PostModelsSearches (payload 049).
const NOTHING_GUARDED_LISTED: &[Rpc] = &[Rpc::ListModels, Rpc::PostModelsSearches];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn right_key_succeeds_and_missing_depending_scopes_redact_or_reject_on_every_path() {
    let client = reqwest::Client::new();
    let mut failures = Vec::new();
    let (mut successes, mut redactions, mut blanked, mut stricts) = (0, 0, 0, 0);
    for (spec, template, short) in routes() {
        let app_key = uses_app_key(spec, short);
        // Right key: exactly the depending scopes. On full paths of app-level endpoints, both a
        // PAT and an app key of the app named in the path.
        let mut kinds = vec![app_key];
        if !short && spec.auth == Auth::Key {
            kinds.push(true);
        }
        let mut full_body = Value::Null;
        let mut ok = true;
        for kind in kinds {
            let emu = Emulator::builder().start().await.expect("start");
            let s = seed(&emu, &client).await;
            let path = fill(template, &s);
            let body = body_for(spec.rpc, &s);
            let key = make_key(&emu, spec.depending, kind);
            let (http, b) = send(&emu, &client, spec, &path, &key, body.as_ref()).await;
            if http != 200 || code(&b) != 10000 {
                let who = if kind { "app key" } else { "PAT" };
                failures.push(format!(
                    "{}: right key ({who}) got {http} {b}",
                    label(spec, &path)
                ));
                ok = false;
            }
            if full_body.is_null() {
                full_body = b;
            }
        }
        if !ok {
            continue;
        }
        successes += 1;
        // A key with only the gate scopes.
        let held = effective(spec.gate, app_key);
        let missing: Vec<&Scope> = spec.missing_depending(&held).collect();
        if missing.is_empty() {
            continue;
        }
        let redact = Emulator::builder()
            .mode(Mode::Redact)
            .start()
            .await
            .expect("start");
        let s2 = seed(&redact, &client).await;
        let path2 = fill(template, &s2);
        let body2 = body_for(spec.rpc, &s2);
        let key = make_key(&redact, spec.gate, app_key);
        let (http, red_body) = send(&redact, &client, spec, &path2, &key, body2.as_ref()).await;
        if http != 200 || code(&red_body) != 10000 {
            failures.push(format!(
                "{}: redact mode got {http} {red_body}",
                label(spec, &path2)
            ));
            continue;
        }
        redactions += 1;
        let mut blanked_here = 0;
        let mut guarded = false;
        for (scope, _) in spec.guards().iter() {
            if !scope.is_granted_by(&held) {
                guarded = true;
            }
        }
        // An oracle independent of the types: no field that names a withheld resource is left
        // anywhere in the answer.
        for (scope, resource) in spec.guards().iter() {
            if scope.is_granted_by(&held) {
                continue;
            }
            for name in field_names(*resource) {
                if let Some(at) = find_field(&red_body, name, "") {
                    failures.push(format!(
                        "{}: `{at}` left for a key lacking {}: {red_body}",
                        label(spec, &path2),
                        scope.as_str()
                    ));
                }
            }
        }
        if guarded {
            // Nothing guarded is left: redacting the answer again changes nothing.
            let mut again = red_body.clone();
            redact_json_for(spec.rpc, &mut again, &held);
            if again != red_body {
                failures.push(format!(
                    "{}: a guarded part was not blanked: {red_body}",
                    label(spec, &path2)
                ));
            }
            // And the full answer did hold something to blank.
            let mut full_redacted = full_body.clone();
            redact_json_for(spec.rpc, &mut full_redacted, &held);
            if full_redacted != full_body {
                blanked_here += 1;
            }
        }
        if guarded && blanked_here == 0 && !NOTHING_GUARDED_LISTED.contains(&spec.rpc) {
            failures.push(format!(
                "{}: no guarded part was present in the full response, so redaction is untested: {full_body}",
                label(spec, template)
            ));
        }
        blanked += blanked_here;
        // Strict mode: the same key is rejected, naming the missing scopes.
        redact.set_mode(Mode::Strict);
        let (http, strict_body) = send(&redact, &client, spec, &path2, &key, body2.as_ref()).await;
        let d = details(&strict_body);
        if http != 401
            || code(&strict_body) != 11007
            || !missing.iter().all(|m| d.contains(m.as_str()))
        {
            failures.push(format!(
                "{}: strict mode got {http} {strict_body}",
                label(spec, &path2)
            ));
        } else {
            stricts += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let total = routes().len();
    assert_eq!(successes, total);
    assert!(
        redactions > 40 && stricts == redactions && blanked > 30,
        "{redactions} {stricts} {blanked}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rejections_on_every_path() {
    let client = reqwest::Client::new();
    let emu = Emulator::builder().start().await.expect("start");
    let base = emu.base_url();
    let pat = format!("Key {}", emu.create_pat());
    let app_all = common::all_scopes_key(&emu);
    let mut failures = Vec::new();
    let mut gates = 0;
    let mut pat_short = 0;
    let mut pat_only = 0;
    let mut wrong_app = 0;
    emu.create_app("other");
    for (spec, template, short) in routes() {
        let path = template
            .replace("{user_id}", "me")
            .replace("{app_id}", "main")
            .replace('{', "x")
            .replace('}', "");
        let app_key = uses_app_key(spec, short);
        let name = label(spec, &path);
        let method = spec.method.as_str();
        // Missing gate scope → 11007 naming the scope and the endpoint.
        let without_gate: Vec<Scope> = spec
            .depending
            .iter()
            .filter(|s| !spec.gate.contains(s))
            .cloned()
            .collect();
        let held = effective(&without_gate, app_key);
        let missing: Vec<&Scope> = spec.missing_gate(&held).collect();
        if !missing.is_empty() {
            let key = make_key(&emu, &without_gate, app_key);
            let (http, b) = call(&client, &base, method, &path, Some(&key), None).await;
            let d = details(&b);
            let named =
                missing.iter().all(|m| d.contains(m.as_str())) && d.contains(&spec.grpc_name());
            if http != 401 || code(&b) != 11007 || !named {
                failures.push(format!("{name}: missing gate got {http} {b}"));
            }
            gates += 1;
        }
        // Unknown key → 11009 / 401, never echoing the secret; on a path naming the user `me`
        // (which only a key resolves) 11008, as Clarifai's grpc suite expects.
        let unknown = if path.contains("/users/me/") {
            11008
        } else {
            11009
        };
        let (http, b) = call(
            &client,
            &base,
            method,
            &path,
            Some("Key not-a-real-key-unknown-to-the-emulator"),
            None,
        )
        .await;
        if http != 401 || code(&b) != unknown || b.to_string().contains("not-a-real-key") {
            failures.push(format!("{name}: unknown key got {http} {b}"));
        }
        // Malformed keys → 11008 / 401.
        for bad in ["Key not a key!", "Bearer 0123abcd", "0123abcd", "Key "] {
            let (http, b) = call(&client, &base, method, &path, Some(bad), None).await;
            if http != 401 || code(&b) != 11008 {
                failures.push(format!("{name}: malformed '{bad}' got {http} {b}"));
            }
        }
        // No header at all → 11008 / 401.
        let (http, b) = call(&client, &base, method, &path, None, None).await;
        if http != 401 || code(&b) != 11008 {
            failures.push(format!("{name}: no header got {http} {b}"));
        }
        // An app key on a full path naming another app, or another user → 11008.
        if template.contains("{app_id}") && spec.auth == Auth::Key {
            for other in [
                template
                    .replace("{user_id}", "me")
                    .replace("{app_id}", "other"),
                template
                    .replace("{user_id}", "someone")
                    .replace("{app_id}", "main"),
            ] {
                let other = other.replace('{', "x").replace('}', "");
                let (http, b) = call(&client, &base, method, &other, Some(&app_all), None).await;
                if http != 401 || code(&b) != 11008 {
                    failures.push(format!("{name}: app key on {other} got {http} {b}"));
                }
                wrong_app += 1;
            }
        }
        // A PAT on an app-level short path → 11008 "Must provide app external ID...".
        if short && spec.auth == Auth::Key {
            let (http, b) = call(&client, &base, method, &path, Some(&pat), None).await;
            if http != 401
                || code(&b) != 11008
                || !details(&b).contains("Must provide app external ID")
            {
                failures.push(format!("{name}: PAT on short path got {http} {b}"));
            }
            pat_short += 1;
        }
        // An app key on a PAT-only endpoint → 11008.
        if spec.auth == Auth::PatOnly {
            let (http, b) = call(&client, &base, method, &path, Some(&app_all), None).await;
            if http != 401 || code(&b) != 11008 {
                failures.push(format!("{name}: app key on PAT-only got {http} {b}"));
            }
            pat_only += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        gates > 80 && pat_short >= 45 && pat_only >= 7 && wrong_app > 90,
        "{gates} {pat_short} {pat_only} {wrong_app}"
    );
}

#[tokio::test]
async fn batch_of_129_inputs_is_rejected_on_every_path_that_takes_inputs() {
    let client = reqwest::Client::new();
    let emu = Emulator::builder().start().await.expect("start");
    let key = common::all_scopes_key(&emu);
    let pat = format!("Key {}", emu.create_pat());
    let inputs: Vec<Value> = (0..129)
        .map(|i| serde_json::json!({"id": format!("i{i}"), "data": {"image": {"url": "http://127.0.0.1:9/x.png"}}}))
        .collect();
    let body = serde_json::json!({"inputs": inputs});
    let mut checked = 0;
    for (spec, template, short) in routes() {
        if !matches!(
            spec.rpc,
            Rpc::PostInputs | Rpc::PostModelOutputs | Rpc::PostWorkflowResults
        ) {
            continue;
        }
        let path = template
            .replace("{user_id}", "me")
            .replace("{app_id}", "main")
            .replace("{model_id}", "general-image-recognition")
            .replace("{version_id}", "aa7f35c01e0642fda5cf400f543e7c40")
            .replace("{workflow_id}", "any");
        let auth = if short { &key } else { &pat };
        let (http, b) = call(
            &client,
            &emu.base_url(),
            "POST",
            &path,
            Some(auth),
            Some(&body),
        )
        .await;
        assert_eq!((http, code(&b)), (400, 39999), "{path}: {b}");
        assert_eq!(details(&b), "batch of 129 inputs exceeds the limit of 128");
        checked += 1;
    }
    assert_eq!(checked, 9);
    // Nothing was added.
    let (_, b) = call(
        &client,
        &emu.base_url(),
        "GET",
        "/v2/inputs",
        Some(&key),
        None,
    )
    .await;
    assert_eq!(b["inputs"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn literal_routes_win_over_id_templates() {
    let client = reqwest::Client::new();
    let emu = Emulator::builder().start().await.expect("start");
    let key = common::all_scopes_key(&emu);
    let base = emu.base_url();
    let (_, b) = call(&client, &base, "GET", "/v2/inputs/status", Some(&key), None).await;
    assert!(b.get("counts").is_some(), "{b}");
    let (_, b) = call(&client, &base, "GET", "/v2/models/types", Some(&key), None).await;
    assert!(b.get("model_types").is_some(), "{b}");
    let (_, b) = call(
        &client,
        &base,
        "GET",
        "/v2/concepts/status",
        Some(&key),
        None,
    )
    .await;
    assert!(b.get("concept_counts").is_some(), "{b}");
    let q = serde_json::json!({"concept_query": {"name": "red"}});
    let (_, b) = call(
        &client,
        &base,
        "POST",
        "/v2/concepts/searches",
        Some(&key),
        Some(&q),
    )
    .await;
    assert_eq!(b["concepts"][0]["id"], "red", "{b}");
    let q = serde_json::json!({"searches": []});
    let (_, b) = call(
        &client,
        &base,
        "POST",
        "/v2/inputs/searches",
        Some(&key),
        Some(&q),
    )
    .await;
    assert!(b.get("hits").is_some(), "{b}");
    let (http, b) = call(&client, &base, "GET", "/v2/inputs/nope", Some(&key), None).await;
    assert_eq!((http, code(&b)), (404, 11101), "{b}");
    let (http, b) = call(&client, &base, "GET", "/v2/models/nope", Some(&key), None).await;
    assert_eq!((http, code(&b)), (404, 21200), "{b}");
    let (http, b) = call(&client, &base, "GET", "/v2/nowhere", Some(&key), None).await;
    assert_eq!((http, code(&b)), (404, 11101), "{b}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_bodies_and_params_never_break_the_server() {
    let client = reqwest::Client::new();
    let emu = Emulator::builder().start().await.expect("start");
    let s = seed(&emu, &client).await;
    let base = emu.base_url();
    let key = common::all_scopes_key(&emu);
    let pat = format!("Key {}", emu.create_pat());
    let odd: Vec<Value> = [
        "{}",
        r#"{"inputs": 5}"#,
        r#"{"inputs": [1, "x", null, {"data": 3}, {"id": 7, "data": {"image": {"base64": "!!!"}}}]}"#,
        r#"{"inputs": [{"data": {"image": {"url": "not a url"}}}, {"data": {"image": {"url": "ftp://127.0.0.1/x"}}}]}"#,
        r#"{"models": [{"id": 3}], "model": "x", "action": 9}"#,
        r#"{"pagination": {"page": -1, "per_page": "lots"}}"#,
        r#"{"query": {"ands": "x"}, "searches": [{"query": {"filters": 1, "ranks": [{"annotation": {"data": {"image": {"base64": "AAAA"}}}}]}}]}"#,
        r#"{"keys": [{"scopes": 7, "apps": "main", "expires_at": "tomorrow", "endpoints": [1]}]}"#,
        r#"{"concepts": [{"id": ""}, {"name": 1}], "concept_query": {"name": 5}}"#,
        r#"{"annotations": [{"input_id": 1, "data": []}], "ids": [1, 2], "delete_all": "yes"}"#,
        r#"{"workflows": [{"id": "w", "nodes": "n"}], "inputs": [{"data": {"concepts": "c"}}]}"#,
    ]
    .iter()
    .map(|t| serde_json::from_str(t).expect("odd body"))
    .collect();
    let mut failures = Vec::new();
    for (spec, template, short) in routes() {
        let auth = if uses_app_key(spec, short) {
            &key
        } else {
            &pat
        };
        for path in [
            fill(template, &s),
            template
                .replace("{user_id}", "me")
                .replace("{app_id}", "main"),
        ] {
            for body in &odd {
                let (http, b) = call(
                    &client,
                    &base,
                    spec.method.as_str(),
                    &path,
                    Some(auth),
                    Some(body),
                )
                .await;
                if http >= 500 || code(&b) == 0 {
                    failures.push(format!("{} {path} {body}: {http} {b}", spec.rpc));
                }
            }
            for query in [
                "?page=0&per_page=0",
                "?page=99999999999999999999",
                "?ids=&delete_all=true",
            ] {
                let p = format!("{path}{query}");
                let (http, b) =
                    call(&client, &base, spec.method.as_str(), &p, Some(auth), None).await;
                if http >= 500 || code(&b) == 0 {
                    failures.push(format!("{} {p}: {http} {b}", spec.rpc));
                }
            }
        }
    }
    emu.wait_idle().await;
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let (http, _) = call(&client, &base, "GET", "/v2/myscopes", Some(&key), None).await;
    assert_eq!(http, 200, "still serving");
}
