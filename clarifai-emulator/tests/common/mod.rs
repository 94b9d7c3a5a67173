//! Helpers shared by the emulator's tests.
#![allow(dead_code, unreachable_pub, missing_docs, unused_imports)]

use base64::Engine;
use clarifai_emulator::RunningEmulator;
use clarifai_typed::Rpc;
use serde_json::{Value, json};

pub use clarifai_emulator::samples::{png as png_with, solid_png as png};

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn image_b64(rgb: [u8; 3]) -> Value {
    json!({"image": {"base64": b64(&png(rgb))}})
}

/// An emulator keeping its state in `path`: started on a new file, or again on the file of an
/// earlier one. Panics with `why` (what the test expected) when it does not start.
pub async fn on_state(path: &std::path::Path, why: &str) -> RunningEmulator {
    match clarifai_emulator::Emulator::builder()
        .state_file(path)
        .start()
        .await
    {
        Ok(emu) => emu,
        Err(e) => panic!("{why}: {e}"),
    }
}

/// The `Authorization` value of a new app key holding every scope.
pub fn all_scopes_key(emu: &RunningEmulator) -> String {
    format!(
        "Key {}",
        emu.create_key(&[clarifai_typed::Scope::of::<clarifai_typed::scope::All>()])
    )
}

/// An emulator, an HTTP client, and an app key holding every scope plus a PAT: the set-up of the
/// behaviour tests and the official-client difference tests.
pub struct Env {
    pub emu: RunningEmulator,
    pub client: reqwest::Client,
    /// The `Authorization` value of an app key holding every scope.
    pub key: String,
    /// The `Authorization` value of a personal access token.
    pub pat: String,
}

impl Env {
    /// A fresh emulator with the default user and app.
    pub async fn new() -> Env {
        Env::with(clarifai_emulator::Emulator::builder()).await
    }

    /// An emulator started from `builder`.
    pub async fn with(builder: clarifai_emulator::EmulatorBuilder) -> Env {
        let emu = builder.start().await.expect("start");
        let key = all_scopes_key(&emu);
        let pat = format!("Key {}", emu.create_pat());
        Env {
            emu,
            client: reqwest::Client::new(),
            key,
            pat,
        }
    }

    /// The `Authorization` value of a new app key holding `scopes`.
    pub fn key_with(&self, scopes: &[clarifai_typed::Scope]) -> String {
        format!("Key {}", self.emu.create_key(scopes))
    }

    /// Sends a request with the all-scopes key.
    pub async fn req(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        self.as_key(&self.key, method, path, body).await
    }

    /// Sends a request with `key` (an `Authorization` value).
    pub async fn as_key(
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

    /// Adds `inputs` (a JSON list) and waits until they are processed.
    pub async fn add_inputs(&self, inputs: Value) {
        let (http, b) = self
            .req("POST", "/v2/inputs", Some(json!({"inputs": inputs})))
            .await;
        assert_eq!((http, code(&b)), (200, 10000), "{b}");
        self.emu.wait_idle().await;
    }
}

/// The path of the first field named `name` in `v` that holds something (not null, not an
/// empty list or object): how the redaction tests look for a withheld resource.
pub fn find_field(v: &Value, name: &str, at: &str) -> Option<String> {
    match v {
        Value::Object(map) => map.iter().find_map(|(k, child)| {
            let here = format!("{at}.{k}");
            let filled = !(child.is_null()
                || child.as_array().is_some_and(Vec::is_empty)
                || child.as_object().is_some_and(serde_json::Map::is_empty));
            if k == name && filled {
                Some(here)
            } else {
                find_field(child, name, &here)
            }
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, child)| find_field(child, name, &format!("{at}[{i}]"))),
        _ => None,
    }
}

pub const RED: [u8; 3] = [255, 0, 0];
pub const BLUE: [u8; 3] = [0, 0, 255];
pub const GREEN: [u8; 3] = [0, 200, 0];

/// Sends a request; returns the HTTP status and the JSON body (`Null` if it does not parse).
pub async fn call(
    client: &reqwest::Client,
    base: &str,
    method: &str,
    path: &str,
    auth: Option<&str>,
    body: Option<&Value>,
) -> (u16, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = client.request(method, format!("{base}{path}"));
    if let Some(a) = auth {
        req = req.header("Authorization", a);
    }
    if let Some(b) = body {
        req = req
            .header("Content-Type", "application/json")
            .body(serde_json::to_vec(b).expect("json"));
    }
    let resp = req.send().await.expect("request failed");
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await.expect("body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

pub fn code(body: &Value) -> u64 {
    body.pointer("/status/code")
        .and_then(Value::as_u64)
        .unwrap_or(0)
}

pub fn details(body: &Value) -> String {
    body.pointer("/status/details")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

/// What the seeded world holds that paths and bodies refer to.
#[derive(Debug, Clone)]
pub struct Seed {
    pub version_id: String,
    pub spare_key: String,
}

/// Seeds an app through the API with a full PAT: concepts cat/dog; inputs in1 (red, cat,
/// metadata), in2 (blue, dog); annotation an1 on in1; model m1 (cat, dog) trained; workflow wf1
/// (m1 and the general model); saved search s1 (by a red image); dataset ds1 holding in1, with
/// version dv1; collaborator carol; `cat` named in `zh`; a spare personal access token holding
/// `Keys:Get`.
pub async fn seed(emu: &RunningEmulator, client: &reqwest::Client) -> Seed {
    let pat = format!("Key {}", emu.create_pat());
    let base = emu.base_url();
    let p = format!("/v2/users/{}/apps/{}", emu.user_id(), emu.app_id());
    let post = |path: String, body: Value| {
        let pat = pat.clone();
        let base = base.clone();
        let client = client.clone();
        async move {
            let (s, b) = call(&client, &base, "POST", &path, Some(&pat), Some(&body)).await;
            assert_eq!(code(&b), 10000, "seeding {path}: {s} {b}");
            b
        }
    };
    post(
        format!("{p}/concepts"),
        json!({"concepts": [{"id": "cat"}, {"id": "dog"}]}),
    )
    .await;
    let mut in1 = image_b64(RED);
    in1["concepts"] = json!([{"id": "cat", "value": 1}]);
    in1["metadata"] = json!({"k": "v"});
    let mut in2 = image_b64(BLUE);
    in2["concepts"] = json!([{"id": "dog", "value": 1}]);
    post(
        format!("{p}/inputs"),
        json!({"inputs": [{"id": "in1", "data": in1}, {"id": "in2", "data": in2}]}),
    )
    .await;
    emu.wait_idle().await;
    post(
        format!("{p}/annotations"),
        json!({"annotations": [{"id": "an1", "input_id": "in1", "data": {"concepts": [{"id": "cat"}]}}]}),
    )
    .await;
    post(
        format!("{p}/models"),
        json!({"model": {"id": "m1", "output_info": {"data": {"concepts": [{"id": "cat"}, {"id": "dog"}]}}}}),
    )
    .await;
    let trained = post(format!("{p}/models/m1/versions"), json!({})).await;
    let version_id = trained
        .pointer("/model/model_version/id")
        .and_then(Value::as_str)
        .expect("version id")
        .to_string();
    emu.wait_idle().await;
    post(
        format!("{p}/workflows"),
        json!({"workflows": [{"id": "wf1", "nodes": [
            {"id": "custom", "model": {"id": "m1"}},
            {"id": "general", "model": {"id": "general-image-recognition"}}
        ]}]}),
    )
    .await;
    // A saved search ranking by an image (so that a key with only the gate scopes may run it: a
    // filter would read concepts), a dataset with an input and a version, a collaborator, and a
    // name of `cat` in Chinese.
    post(
        format!("{p}/searches"),
        json!({"searches": [{"id": "s1", "save": true, "query": {"ands": [{"output": {"input": {"data": image_b64(RED)}}}]}}]}),
    )
    .await;
    post(
        format!("{p}/datasets"),
        json!({"datasets": [{"id": "ds1"}]}),
    )
    .await;
    post(
        format!("{p}/datasets/ds1/inputs"),
        json!({"dataset_inputs": [{"input": {"id": "in1"}}]}),
    )
    .await;
    post(
        format!("{p}/datasets/ds1/versions"),
        json!({"dataset_versions": [{"id": "dv1"}]}),
    )
    .await;
    post(
        format!("{p}/collaborators"),
        json!({"collaborators": [{"user": {"id": "carol"}, "scopes": ["Inputs:Get"]}]}),
    )
    .await;
    post(
        format!("{p}/concepts/cat/languages"),
        json!({"concept_languages": [{"id": "zh", "name": "猫"}]}),
    )
    .await;
    // A key within the reach of a key manager holding only `Keys:*` scopes (a key touches only
    // keys it could have made).
    let spare_key =
        emu.create_pat_with(&[clarifai_typed::Scope::of::<clarifai_typed::scope::GetKeys>()]);
    Seed {
        version_id,
        spare_key,
    }
}

/// Fills a path template of the table with the seeded ids.
pub fn fill(template: &str, seed: &Seed) -> String {
    template
        .replace("{user_id}", "me")
        .replace("{app_id}", "main")
        .replace("{model_id}", "m1")
        .replace("{version_id}", &seed.version_id)
        .replace("{input_id}", "in1")
        .replace("{annotation_id}", "an1")
        .replace("{concept_id}", "cat")
        .replace("{workflow_id}", "wf1")
        .replace("{key_id}", &seed.spare_key)
        .replace("{search_id}", "s1")
        .replace("{dataset_id}", "ds1")
        .replace("{dataset_version_id}", "dv1")
        .replace("{language_id}", "zh")
}

/// A request body that makes `rpc` succeed on the seeded world.
pub fn body_for(rpc: Rpc, seed: &Seed) -> Option<Value> {
    let red = image_b64(RED);
    Some(match rpc {
        Rpc::PostModelOutputs | Rpc::PostWorkflowResults => json!({"inputs": [{"data": red}]}),
        Rpc::PostInputs => {
            let mut d = image_b64(GREEN);
            d["concepts"] = json!([{"id": "cat"}]);
            json!({"inputs": [{"id": "new1", "data": d}]})
        }
        Rpc::PatchInputs => {
            json!({"inputs": [{"id": "in1", "data": {"concepts": [{"id": "dog", "value": 1}]}}], "action": "merge"})
        }
        Rpc::DeleteInputs => json!({"ids": ["in2"]}),
        Rpc::PostSearches => json!({"query": {"ands": [{"output": {"input": {"data": red}}}]}}),
        Rpc::PostInputsSearches => {
            json!({"searches": [{"query": {"ranks": [{"annotation": {"data": red}}]}}]})
        }
        // Ranked by an image, so that a key with only the gate scope (`Search`) may run it: a
        // filter would read annotations and concepts.
        Rpc::PostAnnotationsSearches => {
            json!({"searches": [{"query": {"ranks": [{"annotation": {"data": red}}]}}]})
        }
        Rpc::PostModels => {
            json!({"model": {"id": "m2", "output_info": {"data": {"concepts": [{"id": "cat"}]}}}})
        }
        Rpc::PatchModels => json!({"models": [{"id": "m1", "name": "renamed"}], "action": "merge"}),
        Rpc::DeleteModels => json!({"ids": ["m1"]}),
        Rpc::PostModelVersions => json!({}),
        Rpc::PostConcepts => json!({"concepts": [{"id": "bird"}]}),
        Rpc::PatchConcepts => {
            json!({"concepts": [{"id": "cat", "name": "Cat"}], "action": "overwrite"})
        }
        Rpc::PostConceptsSearches => json!({"concept_query": {"name": "c*"}}),
        Rpc::PostWorkflows => {
            json!({"workflows": [{"id": "wf2", "nodes": [{"id": "n1", "model": {"id": "m1"}}]}]})
        }
        Rpc::PatchWorkflows => {
            json!({"workflows": [{"id": "wf1", "nodes": [{"id": "n1", "model": {"id": "m1"}}]}], "action": "overwrite"})
        }
        Rpc::DeleteWorkflows => json!({"ids": ["wf1"]}),
        Rpc::PostAnnotations => {
            json!({"annotations": [{"input_id": "in2", "data": {"concepts": [{"id": "dog"}]}}]})
        }
        Rpc::PatchAnnotations => {
            json!({"annotations": [{"id": "an1", "data": {"concepts": [{"id": "dog"}]}}], "action": "merge"})
        }
        Rpc::DeleteAnnotations => json!({"ids": ["an1"]}),
        Rpc::PostKeys => {
            json!({"keys": [{"description": "k", "scopes": ["Keys:Get"], "apps": [{"id": "main", "user_id": "me"}]}]})
        }
        Rpc::PatchKeys => {
            json!({"keys": [{"id": seed.spare_key, "description": "changed"}], "action": "overwrite"})
        }
        Rpc::PostModelsSearches => json!({"model_query": {"name": "*"}}),
        Rpc::PostModelFeedback => json!({"input": {
            "id": "in1",
            "data": {"concepts": [{"id": "cat", "value": 1}]},
            "feedback_info": {"event_type": "annotation", "end_user_id": "u", "session_id": "s", "output_id": "o"}
        }}),
        Rpc::PostSearchFeedback => json!({"input": {
            "id": "in1",
            "feedback_info": {"event_type": "search_click", "end_user_id": "u", "session_id": "s", "search_id": "s1"}
        }}),
        // A scope every key that may call it holds: a key grants a collaborator only what it
        // holds itself.
        Rpc::PostCollaborators => {
            json!({"collaborators": [{"user": {"id": "bob"}, "scopes": ["Collaborators:Get"]}]})
        }
        Rpc::DeleteCollaborators => json!({"collaborator_ids": ["carol"]}),
        Rpc::PostDatasets => json!({"datasets": [{"id": "ds2"}]}),
        Rpc::DeleteDatasets => json!({"dataset_ids": ["ds1"]}),
        Rpc::PostDatasetInputs => json!({"dataset_inputs": [{"input": {"id": "in2"}}]}),
        Rpc::PostDatasetVersions => json!({"dataset_versions": [{"id": "dv2"}]}),
        Rpc::DeleteDatasetVersions => json!({"dataset_version_ids": ["dv1"]}),
        Rpc::PostApps => json!({"apps": [{"id": "app2", "name": "Second"}]}),
        Rpc::PostConceptLanguages => json!({"concept_languages": [{"id": "ja", "name": "猫"}]}),
        Rpc::PatchConceptLanguages => {
            json!({"concept_languages": [{"id": "zh", "name": "猫咪"}], "action": "merge"})
        }
        // No body: the path (and query) say everything.
        Rpc::GetModelOutputInfo
        | Rpc::ListInputs
        | Rpc::GetInput
        | Rpc::DeleteInput
        | Rpc::GetInputCount
        | Rpc::ListModels
        | Rpc::GetModel
        | Rpc::DeleteModel
        | Rpc::ListModelTypes
        | Rpc::ListModelInputs
        | Rpc::ListModelVersions
        | Rpc::GetModelVersion
        | Rpc::DeleteModelVersion
        | Rpc::ListConcepts
        | Rpc::GetConcept
        | Rpc::GetConceptCounts
        | Rpc::ListWorkflows
        | Rpc::GetWorkflow
        | Rpc::DeleteWorkflow
        | Rpc::ListAnnotations
        | Rpc::GetAnnotation
        | Rpc::DeleteAnnotation
        | Rpc::MyScopes
        | Rpc::GetApp
        | Rpc::ListApps
        | Rpc::ListKeys
        | Rpc::GetKey
        | Rpc::DeleteKey
        | Rpc::ListAppKeys
        | Rpc::PostModelVersionMetrics
        | Rpc::GetModelVersionMetrics
        | Rpc::PostSearchesByID
        | Rpc::GetSearch
        | Rpc::ListSearches
        | Rpc::DeleteSearch
        | Rpc::ListCollaborators
        | Rpc::ListDatasets
        | Rpc::GetDataset
        | Rpc::ListDatasetInputs
        | Rpc::ListDatasetVersions
        | Rpc::GetDatasetVersion
        | Rpc::ListConceptLanguages
        | Rpc::GetConceptLanguage => return None,
    })
}

/// Serves `bytes` at `/img.png` (and 404 elsewhere) on a loopback port; returns the base URL.
pub async fn serve_bytes(bytes: Vec<u8>) -> String {
    use axum::routing::get;
    let app = axum::Router::new().route(
        "/img.png",
        get(move || {
            let bytes = bytes.clone();
            async move { ([("content-type", "image/png")], bytes) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}
