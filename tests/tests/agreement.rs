//! The client's method bounds agree with the endpoint table, for every endpoint.
//!
//! The bounds are written from the table by construction (`gated!` in `clarifai-typed`); this test
//! checks the other half: every RPC of the table has a method, and each method compiles for a key
//! type holding exactly that endpoint's gate scopes (a personal access token for PAT-only
//! endpoints), so no method asks for more than its gate. It generates one file from the table
//! and compiles it with trybuild.

use clarifai_typed::endpoint::{Auth, ENDPOINTS};
use clarifai_typed::{Rpc, Scope};

/// The call expression of each RPC's method, on a client named `c`.
fn call(rpc: Rpc) -> Option<&'static str> {
    Some(match rpc.name() {
        "PostModelOutputs" => "c.predict(\"m\")",
        "GetModelOutputInfo" => "c.model_output_info(\"m\")",
        "PostWorkflowResults" => "c.predict_workflow(\"w\")",
        "PostInputs" => "c.add_inputs()",
        "ListInputs" => "c.list_inputs()",
        "GetInput" => "c.get_input(\"i\")",
        "PatchInputs" => "c.patch_inputs()",
        "DeleteInput" => "c.delete_input(\"i\")",
        "DeleteInputs" => "c.delete_inputs()",
        "GetInputCount" => "c.input_count()",
        "PostSearches" => "c.search()",
        "PostInputsSearches" => "c.search_inputs()",
        "PostAnnotationsSearches" => "c.search_annotations()",
        "ListModels" => "c.list_models()",
        "GetModel" => "c.get_model(\"m\")",
        "PostModels" => "c.add_model()",
        "PatchModels" => "c.patch_models()",
        "DeleteModel" => "c.delete_model(\"m\")",
        "DeleteModels" => "c.delete_models()",
        "ListModelTypes" => "c.list_model_types()",
        "ListModelInputs" => "c.list_model_inputs(\"m\")",
        "PostModelVersions" => "c.train_model(\"m\")",
        "ListModelVersions" => "c.list_model_versions(\"m\")",
        "GetModelVersion" => "c.get_model_version(\"m\", \"v\")",
        "DeleteModelVersion" => "c.delete_model_version(\"m\", \"v\")",
        "ListConcepts" => "c.list_concepts()",
        "GetConcept" => "c.get_concept(\"c\")",
        "PostConcepts" => "c.add_concepts()",
        "PatchConcepts" => "c.patch_concepts()",
        "PostConceptsSearches" => {
            "c.search_concepts().query(clarifai_typed::models::ConceptQuery::name(\"d*\"))"
        }
        "GetConceptCounts" => "c.concept_counts()",
        "ListWorkflows" => "c.list_workflows()",
        "GetWorkflow" => "c.get_workflow(\"w\")",
        "PostWorkflows" => "c.add_workflows()",
        "PatchWorkflows" => "c.patch_workflows()",
        "DeleteWorkflow" => "c.delete_workflow(\"w\")",
        "DeleteWorkflows" => "c.delete_workflows()",
        "ListAnnotations" => "c.list_annotations()",
        "GetAnnotation" => "c.get_annotation(\"i\", \"a\")",
        "PostAnnotations" => "c.add_annotations()",
        "PatchAnnotations" => "c.patch_annotations()",
        "DeleteAnnotation" => "c.delete_annotation(\"i\", \"a\")",
        "DeleteAnnotations" => "c.delete_annotations()",
        "MyScopes" => "c.my_scopes()",
        "GetApp" => "c.get_app()",
        "ListApps" => "c.list_apps()",
        "PostKeys" => "c.add_keys()",
        "ListKeys" => "c.list_keys()",
        "GetKey" => "c.get_key(\"k\")",
        "PatchKeys" => "c.patch_keys()",
        "DeleteKey" => "c.delete_key(\"k\")",
        "ListAppKeys" => "c.list_app_keys()",
        _ => return None,
    })
}

/// The generated program: one key type per app-level endpoint holding exactly its gate scopes,
/// and one function per endpoint calling its method and checking the request type's RPC.
fn program() -> String {
    let mut out = String::from(
        "#![allow(dead_code, non_camel_case_types, non_snake_case)]\n\
         use clarifai_typed::{scoped_key, Client, PatKey, Call, Key};\n\
         use clarifai_typed::models::ApiRequest;\n\
         fn rpc_of<K: Key, R: ApiRequest>(_: &Call<'_, K, R>) -> clarifai_typed::Rpc { R::RPC }\n",
    );
    for e in ENDPOINTS {
        let rpc = e.rpc.name();
        let expr = call(e.rpc).unwrap_or("MISSING");
        let key = match e.auth {
            Auth::PatOnly => "PatKey".to_owned(),
            _ => {
                let mut gate: Vec<&str> = e.gate.iter().filter_map(Scope::rust_name).collect();
                if gate.is_empty() {
                    gate.push("GetApps"); // every key holds it; a key needs one scope
                }
                out.push_str(&format!(
                    "#[scoped_key({})]\npub struct Key_{rpc};\n",
                    gate.join(", ")
                ));
                format!("Key_{rpc}")
            }
        };
        out.push_str(&format!(
            "fn call_{rpc}(c: &Client<{key}>) {{\n    let call = {expr};\n    \
             assert_eq!(rpc_of(&call), clarifai_typed::Rpc::{rpc});\n}}\n"
        ));
    }
    out.push_str("fn main() {}\n");
    out
}

#[test]
fn every_rpc_has_a_method() {
    let missing: Vec<&str> = Rpc::ALL
        .iter()
        .filter(|r| call(**r).is_none())
        .map(|r| r.name())
        .collect();
    assert!(
        missing.is_empty(),
        "RPCs without a client method here: {missing:?}"
    );
}

#[rustversion::attr(not(stable(1.95)), ignore = "compiled with the pinned rustc 1.95 only")] // STABLE
#[test]
fn method_bounds_are_exactly_the_gate_scopes() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("agreement");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("gate_bounds.rs");
    std::fs::write(&file, program()).unwrap();
    let t = trybuild::TestCases::new();
    t.pass(&file);
}
