//! Request bodies as types: every body is decoded into the request type of its RPC before a
//! handler sees it, so a wrongly typed field (`"inputs": [1, "two", null]`, a numeric id,
//! `"concepts": "dog"`, `"value": "high"`) is refused with 11102 / HTTP 400 and nothing is stored.
//!
//! These types are the emulator's own, not `clarifai_typed::models`: the emulator is an
//! independent oracle for the client's models. They follow proto3's JSON mapping, as the real
//! API's gateway does: `null` is the field's default, unknown fields are ignored, numbers may be
//! given as numeric strings, enums by name or number, `google.protobuf.Struct` (metadata) is any
//! object. Handlers keep reading the body as JSON (it is rendered and stored as JSON); once this
//! check passed, every field they read has the type they expect.

// The types exist to be decoded: serde reads their fields, nothing else does.
#![allow(dead_code)]

use clarifai_typed::Rpc;
use serde::de::{self, Deserializer};
use serde::{Deserialize, de::IgnoredAny};
use serde_json::Value;

use crate::status::{ApiError, ApiResult};

/// The most items of any list a request carries (inputs are limited further, to 128): the
/// work one request causes stays bounded.
pub(crate) const MAX_ITEMS: usize = 1000;

/// Decodes `body` as the request of `rpc`; the error says which field is wrong and how.
pub(crate) fn check(rpc: Rpc, body: &Value) -> ApiResult<()> {
    if let Some((field, n)) = body.as_object().and_then(|o| {
        o.iter()
            .filter_map(|(k, v)| v.as_array().map(|a| (k, a.len())))
            .find(|(_, n)| *n > MAX_ITEMS)
    }) {
        return Err(ApiError::bad_request(format!(
            "`{field}` holds {n} items; a request may carry at most {MAX_ITEMS}: send them in batches"
        )));
    }
    match rpc {
        Rpc::PostModelOutputs | Rpc::PostWorkflowResults => decode::<Predict>(body),
        Rpc::PostInputs | Rpc::PatchInputs => decode::<Inputs>(body),
        Rpc::PostSearches => decode::<LegacySearch>(body),
        Rpc::PostInputsSearches | Rpc::PostAnnotationsSearches => decode::<Searches>(body),
        Rpc::PostModels => decode::<OneModel>(body),
        Rpc::PatchModels => decode::<Models>(body),
        Rpc::PostModelVersions => decode::<ModelVersions>(body),
        Rpc::PostConcepts | Rpc::PatchConcepts => decode::<Concepts>(body),
        Rpc::PostConceptsSearches => decode::<ConceptSearch>(body),
        Rpc::PostWorkflows | Rpc::PatchWorkflows => decode::<Workflows>(body),
        Rpc::PostAnnotations | Rpc::PatchAnnotations => decode::<Annotations>(body),
        Rpc::PostKeys | Rpc::PatchKeys => decode::<Keys>(body),
        Rpc::DeleteInputs | Rpc::DeleteModels | Rpc::DeleteWorkflows | Rpc::DeleteAnnotations => {
            decode::<Delete>(body)
        }
        Rpc::PostModelsSearches => decode::<ModelsSearch>(body),
        Rpc::PostModelFeedback | Rpc::PostSearchFeedback => decode::<Feedback>(body),
        Rpc::PostSearchesByID => decode::<Paged>(body),
        Rpc::PostCollaborators => decode::<Collaborators>(body),
        Rpc::DeleteCollaborators => decode::<DeleteCollaborators>(body),
        Rpc::PostDatasets => decode::<Datasets>(body),
        Rpc::DeleteDatasets => decode::<DeleteDatasets>(body),
        Rpc::PostDatasetInputs => decode::<DatasetInputs>(body),
        Rpc::PostDatasetVersions => decode::<DatasetVersions>(body),
        Rpc::DeleteDatasetVersions => decode::<DeleteDatasetVersions>(body),
        Rpc::PostApps => decode::<Apps>(body),
        Rpc::PostConceptLanguages | Rpc::PatchConceptLanguages => decode::<ConceptLanguages>(body),
        // Bodies of these are ignored (their parameters are in the path and query): any object.
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
        | Rpc::GetModelVersionMetrics
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
        | Rpc::GetConceptLanguage => Ok(()),
        // Its fields (`test_search`, `eval_info`) are not read: the version is evaluated on its
        // training data.
        Rpc::PostModelVersionMetrics => Ok(()),
    }
}

fn decode<T: for<'de> Deserialize<'de>>(body: &Value) -> ApiResult<()> {
    // A body that decodes is decoded once, without tracking where the decoder is (which costs
    // an allocation per field); only a refused one is decoded again, to say where it failed.
    if T::deserialize(body).is_ok() {
        return Ok(());
    }
    serde_path_to_error::deserialize::<_, T>(body)
        .map(drop)
        .map_err(|e| {
            let at = e.path().to_string();
            let inner = without_values(&e.into_inner().to_string());
            ApiError::bad_request(if at == "." {
                format!("invalid request body: {inner}")
            } else {
                format!("invalid request body: `{at}`: {inner}")
            })
        })
}

/// `message` with every quoted value left out (`string "abc"` becomes `string "…"`): a value
/// sent in the wrong place may be a secret (a key's id), and errors are logged.
fn without_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = false;
    for c in message.chars() {
        match (c, quoted) {
            ('"', false) => {
                out.push_str("\"…");
                quoted = true;
            }
            ('"', true) => {
                out.push('"');
                quoted = false;
            }
            (_, true) => {}
            (c, false) => out.push(c),
        }
    }
    out
}

/// A number: a JSON number, or a numeric string (proto3 JSON accepts both).
#[derive(Debug)]
struct Num;

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Num, D::Error> {
        match Value::deserialize(d)? {
            Value::Number(_) | Value::Null => Ok(Num),
            Value::String(s) if s.trim().parse::<f64>().is_ok() => Ok(Num),
            other => Err(de::Error::invalid_type(unexpected(&other), &"a number")),
        }
    }
}

/// An enum value: its name (a string) or its number.
#[derive(Debug)]
struct Enum;

impl<'de> Deserialize<'de> for Enum {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Enum, D::Error> {
        match Value::deserialize(d)? {
            Value::Number(_) | Value::String(_) | Value::Null => Ok(Enum),
            other => Err(de::Error::invalid_type(
                unexpected(&other),
                &"an enum name or number",
            )),
        }
    }
}

/// A string: checked, not kept (decoding a borrowed body copies nothing).
#[derive(Debug)]
struct Str;

impl<'de> Deserialize<'de> for Str {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Str, D::Error> {
        struct Visit;
        impl de::Visitor<'_> for Visit {
            type Value = Str;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Str, E> {
                Ok(Str)
            }
        }
        d.deserialize_str(Visit)
    }
}

/// A JSON object with any content (`google.protobuf.Struct`): checked, not kept.
#[derive(Debug)]
struct Object;

impl<'de> Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Object, D::Error> {
        struct Visit;
        impl<'de> de::Visitor<'de> for Visit {
            type Value = Object;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Object, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Object)
            }
        }
        d.deserialize_map(Visit)
    }
}

fn unexpected(v: &Value) -> de::Unexpected<'_> {
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("a number"),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

// Every field is optional and `null` reads as absent (proto3 JSON); `deny_unknown_fields` is
// not used (the gateway ignores fields it does not know).

#[derive(Deserialize)]
struct Predict {
    inputs: Option<Vec<Input>>,
    model: Option<Model>,
    #[serde(rename = "workflow")]
    _workflow: Option<Workflow>,
    output_config: Option<OutputConfig>,
}

#[derive(Deserialize)]
struct Inputs {
    inputs: Option<Vec<Input>>,
    action: Option<Str>,
}

#[derive(Deserialize)]
struct Input {
    id: Option<Str>,
    data: Option<Data>,
    dataset_ids: Option<Vec<Str>>,
}

#[derive(Deserialize)]
struct Data {
    image: Option<Media>,
    video: Option<Media>,
    concepts: Option<Vec<Concept>>,
    metadata: Option<Object>,
    geo: Option<Geo>,
    regions: Option<Vec<Region>>,
    text: Option<Text>,
}

#[derive(Deserialize)]
struct Media {
    url: Option<Str>,
    base64: Option<Str>,
    allow_duplicate_url: Option<bool>,
}

#[derive(Deserialize)]
struct Text {
    raw: Option<Str>,
    url: Option<Str>,
}

#[derive(Deserialize)]
struct Region {
    id: Option<Str>,
    region_info: Option<RegionInfo>,
    data: Option<Data>,
}

#[derive(Deserialize)]
struct RegionInfo {
    bounding_box: Option<BoundingBox>,
}

#[derive(Deserialize)]
struct BoundingBox {
    top_row: Option<Num>,
    left_col: Option<Num>,
    bottom_row: Option<Num>,
    right_col: Option<Num>,
}

#[derive(Deserialize)]
struct Concept {
    id: Option<Str>,
    name: Option<Str>,
    value: Option<Num>,
    language: Option<Str>,
    app_id: Option<Str>,
}

#[derive(Deserialize)]
struct Geo {
    geo_point: Option<GeoPoint>,
    geo_limit: Option<GeoLimit>,
    geo_box: Option<Vec<GeoBoxedPoint>>,
}

#[derive(Deserialize)]
struct GeoPoint {
    latitude: Option<Num>,
    longitude: Option<Num>,
}

#[derive(Deserialize)]
struct GeoLimit {
    #[serde(rename = "type")]
    kind: Option<Str>,
    value: Option<Num>,
}

#[derive(Deserialize)]
struct GeoBoxedPoint {
    geo_point: Option<GeoPoint>,
}

#[derive(Deserialize)]
struct Model {
    id: Option<Str>,
    name: Option<Str>,
    output_info: Option<OutputInfo>,
    model_version: Option<ModelVersion>,
    model_type_id: Option<Str>,
    notes: Option<Str>,
    metadata: Option<Object>,
}

#[derive(Deserialize)]
struct OutputInfo {
    data: Option<Data>,
    output_config: Option<OutputConfig>,
    #[serde(rename = "type")]
    kind: Option<Str>,
    type_ext: Option<Str>,
    message: Option<Str>,
}

#[derive(Deserialize)]
struct OutputConfig {
    concepts_mutually_exclusive: Option<bool>,
    closed_environment: Option<bool>,
    max_concepts: Option<Num>,
    min_value: Option<Num>,
    select_concepts: Option<Vec<Concept>>,
    language: Option<Str>,
    sample_ms: Option<Num>,
}

#[derive(Deserialize)]
struct ModelVersion {
    id: Option<Str>,
    output_info: Option<OutputInfo>,
    description: Option<Str>,
}

#[derive(Deserialize)]
struct OneModel {
    model: Option<Model>,
    models: Option<Vec<Model>>,
}

#[derive(Deserialize)]
struct Models {
    models: Option<Vec<Model>>,
    action: Option<Str>,
}

#[derive(Deserialize)]
struct ModelVersions {
    model_versions: Option<Vec<ModelVersion>>,
}

#[derive(Deserialize)]
struct Concepts {
    concepts: Option<Vec<Concept>>,
    action: Option<Str>,
}

#[derive(Deserialize)]
struct ConceptSearch {
    concept_query: Option<ConceptQuery>,
    pagination: Option<Pagination>,
}

#[derive(Deserialize)]
struct ConceptQuery {
    name: Option<Str>,
    language: Option<Str>,
}

#[derive(Deserialize)]
struct Pagination {
    page: Option<Num>,
    per_page: Option<Num>,
}

#[derive(Deserialize)]
struct Workflows {
    workflows: Option<Vec<Workflow>>,
    action: Option<Str>,
}

#[derive(Deserialize)]
struct Workflow {
    id: Option<Str>,
    nodes: Option<Vec<Node>>,
    metadata: Option<Object>,
}

#[derive(Deserialize)]
struct Node {
    id: Option<Str>,
    model: Option<Model>,
    node_inputs: Option<Vec<NodeInput>>,
}

#[derive(Deserialize)]
struct NodeInput {
    node_id: Option<Str>,
}

#[derive(Deserialize)]
struct Annotations {
    annotations: Option<Vec<Annotation>>,
    action: Option<Str>,
}

#[derive(Deserialize)]
struct Annotation {
    id: Option<Str>,
    input_id: Option<Str>,
    data: Option<Data>,
    status: Option<IgnoredAny>,
}

#[derive(Deserialize)]
struct LegacySearch {
    query: Option<LegacyQuery>,
    pagination: Option<Pagination>,
    /// Searches to save (`save: true`) rather than run.
    searches: Option<Vec<SavedSearch>>,
}

#[derive(Deserialize)]
struct SavedSearch {
    id: Option<Str>,
    name: Option<Str>,
    save: Option<bool>,
    as_of: Option<Str>,
    query: Option<AnyQuery>,
    metric: Option<Enum>,
}

/// A query in either form: the legacy `ands`, or `filters` and `ranks`.
#[derive(Deserialize)]
struct AnyQuery {
    ands: Option<Vec<And>>,
    filters: Option<Vec<Criterion>>,
    ranks: Option<Vec<Criterion>>,
    language: Option<Str>,
}

#[derive(Deserialize)]
struct LegacyQuery {
    ands: Option<Vec<And>>,
    language: Option<Str>,
}

#[derive(Deserialize)]
struct And {
    input: Option<Input>,
    output: Option<Output>,
    negate: Option<bool>,
    annotation: Option<Annotation>,
}

#[derive(Deserialize)]
struct Output {
    input: Option<Input>,
    data: Option<Data>,
}

#[derive(Deserialize)]
struct Searches {
    searches: Option<Vec<Search>>,
    pagination: Option<Pagination>,
    only_count: Option<bool>,
}

#[derive(Deserialize)]
struct Search {
    query: Option<Query>,
    id: Option<Str>,
    save: Option<bool>,
    metric: Option<Enum>,
}

#[derive(Deserialize)]
struct Query {
    filters: Option<Vec<Criterion>>,
    ranks: Option<Vec<Criterion>>,
}

#[derive(Deserialize)]
struct Criterion {
    annotation: Option<Annotation>,
    input: Option<Input>,
    negate: Option<bool>,
}

#[derive(Deserialize)]
struct Keys {
    keys: Option<Vec<Key>>,
    action: Option<Str>,
}

#[derive(Deserialize)]
struct Key {
    id: Option<Str>,
    #[serde(rename = "type")]
    kind: Option<Str>,
    description: Option<Str>,
    scopes: Option<Vec<Str>>,
    endpoints: Option<Vec<Str>>,
    apps: Option<Vec<AppRef>>,
    expires_at: Option<Str>,
}

#[derive(Deserialize)]
struct AppRef {
    id: Option<Str>,
    user_id: Option<Str>,
}

#[derive(Deserialize)]
struct Delete {
    ids: Option<Vec<Str>>,
    delete_all: Option<bool>,
    input_ids: Option<Vec<Str>>,
}

#[derive(Deserialize)]
struct Paged {
    pagination: Option<Pagination>,
}

#[derive(Deserialize)]
struct ModelsSearch {
    model_query: Option<ModelQuery>,
    pagination: Option<Pagination>,
}

#[derive(Deserialize)]
struct ModelQuery {
    name: Option<Str>,
    #[serde(rename = "type")]
    kind: Option<Str>,
    model_type_id: Option<Str>,
}

#[derive(Deserialize)]
struct Feedback {
    input: Option<FeedbackInput>,
}

#[derive(Deserialize)]
struct FeedbackInput {
    id: Option<Str>,
    data: Option<Data>,
    feedback_info: Option<FeedbackInfo>,
}

#[derive(Deserialize)]
struct FeedbackInfo {
    end_user_id: Option<Str>,
    session_id: Option<Str>,
    event_type: Option<Enum>,
    output_id: Option<Str>,
    search_id: Option<Str>,
}

#[derive(Deserialize)]
struct Collaborators {
    collaborators: Option<Vec<Collaborator>>,
}

#[derive(Deserialize)]
struct Collaborator {
    id: Option<Str>,
    user: Option<UserRef>,
    scopes: Option<Vec<Str>>,
    endpoints: Option<Vec<Str>>,
}

#[derive(Deserialize)]
struct UserRef {
    id: Option<Str>,
}

#[derive(Deserialize)]
struct DeleteCollaborators {
    collaborator_ids: Option<Vec<Str>>,
    user_emails: Option<Vec<Str>>,
}

#[derive(Deserialize)]
struct Datasets {
    datasets: Option<Vec<Dataset>>,
}

#[derive(Deserialize)]
struct Dataset {
    id: Option<Str>,
    description: Option<Str>,
    notes: Option<Str>,
    metadata: Option<Object>,
}

#[derive(Deserialize)]
struct DeleteDatasets {
    dataset_ids: Option<Vec<Str>>,
}

#[derive(Deserialize)]
struct DatasetInputs {
    dataset_inputs: Option<Vec<DatasetInput>>,
}

#[derive(Deserialize)]
struct DatasetInput {
    input: Option<Input>,
}

#[derive(Deserialize)]
struct DatasetVersions {
    dataset_versions: Option<Vec<DatasetVersion>>,
}

#[derive(Deserialize)]
struct DatasetVersion {
    id: Option<Str>,
    description: Option<Str>,
    metadata: Option<Object>,
}

#[derive(Deserialize)]
struct DeleteDatasetVersions {
    dataset_version_ids: Option<Vec<Str>>,
}

#[derive(Deserialize)]
struct Apps {
    apps: Option<Vec<NewApp>>,
}

#[derive(Deserialize)]
struct NewApp {
    id: Option<Str>,
    name: Option<Str>,
    description: Option<Str>,
    default_language: Option<Str>,
}

#[derive(Deserialize)]
struct ConceptLanguages {
    concept_languages: Option<Vec<ConceptLanguage>>,
    action: Option<Str>,
}

#[derive(Deserialize)]
struct ConceptLanguage {
    id: Option<Str>,
    name: Option<Str>,
    definition: Option<Str>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn refused(rpc: Rpc, body: Value) -> String {
        match check(rpc, &body) {
            Ok(()) => panic!("{rpc}: accepted {body}"),
            Err(e) => {
                assert_eq!(
                    e.code,
                    clarifai_typed::models::StatusCode::CONN_INVALID_REQUEST
                );
                e.details
            }
        }
    }

    #[test]
    fn wrongly_typed_fields_are_refused_with_their_path() {
        let d = refused(Rpc::PostInputs, json!({"inputs": [1, "two", null]}));
        assert!(d.contains("inputs[0]"), "{d}");
        let d = refused(Rpc::PostInputs, json!({"inputs": [{"id": 7}]}));
        assert!(d.contains("inputs[0].id"), "{d}");
        let d = refused(
            Rpc::PostInputs,
            json!({"inputs": [{"data": {"concepts": "dog"}}]}),
        );
        assert!(d.contains("inputs[0].data.concepts"), "{d}");
        let d = refused(
            Rpc::PatchInputs,
            json!({"inputs": [{"data": {"concepts": [{"id": "a", "value": "high"}]}}]}),
        );
        assert!(d.contains("value") && d.contains("a number"), "{d}");
        refused(
            Rpc::PostInputs,
            json!({"inputs": [{"data": {"metadata": [1]}}]}),
        );
        refused(Rpc::PostKeys, json!({"keys": [{"scopes": "All"}]}));
        refused(Rpc::DeleteInputs, json!({"ids": [1, 2]}));
        refused(Rpc::PostModelsSearches, json!({"model_query": {"name": 7}}));
        refused(
            Rpc::PostModelFeedback,
            json!({"input": {"feedback_info": {"event_type": [1]}}}),
        );
        refused(Rpc::PostSearches, json!({"searches": [{"save": "yes"}]}));
        refused(
            Rpc::PostCollaborators,
            json!({"collaborators": [{"scopes": "All"}]}),
        );
        refused(Rpc::DeleteDatasets, json!({"dataset_ids": "d1"}));
        refused(Rpc::PostInputs, json!({"inputs": [{"dataset_ids": [1]}]}));
        refused(Rpc::PostDatasets, json!({"datasets": [{"metadata": [1]}]}));
        refused(Rpc::PostApps, json!({"apps": [{"id": 3}]}));
        refused(
            Rpc::PatchConceptLanguages,
            json!({"concept_languages": [{"id": "zh", "name": false}]}),
        );
        // A value in the wrong place is never repeated: it may be a secret.
        let d = refused(Rpc::PatchKeys, json!({"keys": "s3cr3t-key-id"}));
        assert!(!d.contains("s3cr3t") && d.contains("keys"), "{d}");
    }

    #[test]
    fn what_proto3_json_allows_is_accepted() {
        for (rpc, body) in [
            (
                Rpc::PostInputs,
                json!({"inputs": [{"id": "a", "data": {"concepts": [{"id": "c", "value": "0.5"}], "metadata": {"k": [1, {"x": null}]}, "unknown": 1}}]}),
            ),
            (Rpc::PostInputs, json!({"inputs": null})),
            (Rpc::PostModelOutputs, json!({"inputs": [{"data": null}]})),
            (
                Rpc::PostInputsSearches,
                json!({"searches": [{"query": {"ranks": [{"input": {"data": {"image": {"url": "u"}}}}]}, "metric": "EUCLIDEAN_DISTANCE"}]}),
            ),
            (Rpc::GetInput, json!({})),
        ] {
            assert!(check(rpc, &body).is_ok(), "{rpc}: {body}");
        }
    }
}
