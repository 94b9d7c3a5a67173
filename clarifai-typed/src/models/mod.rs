//! Serde models of the requests and responses of every endpoint in the table.
//!
//! Conventions (those of the API's JSON, `clarifai-api.md` §4):
//!
//! * Field names are the proto's snake_case names. Unknown fields are accepted, and the main
//!   objects keep them in a flattened `extra` map, so a decoded body encodes back without loss.
//! * Zero values (empty strings and lists, `0`, `false`, absent messages) are left out when
//!   encoding, except the fields the server always sends (`cl_show_if_empty`):
//!   `MultiInputResponse.inputs`, `MultiOutputResponse.outputs`, `MultiModelResponse.models`,
//!   `MultiSearchResponse.hits`, `MultiKeyResponse.keys`, `Hit.score`, every `InputCount`
//!   counter. Message fields are `Option`s, so an object sent empty (`"data": {}`) stays present.
//!   `Concept.value` is an `Option` too: absent in a request means 1.0.
//! * Enums are open newtypes over the number ([`StatusCode`], [`Gettable`]) that decode the
//!   number or the name and encode the number. Timestamps are [`Timestamp`] (RFC 3339, original
//!   text kept); bytes are [`Bytes`] (standard base64).
//! * Request types model the body (or, for `GET`, the query: [`query_pairs`]); path parameters
//!   (ids in the URL) are not part of them. [`ApiRequest`] ties each request type to its RPC and
//!   response type; [`__endpoint_types!`](crate::__endpoint_types) lists them all.
//! * Response parts a depending scope guards are [`Redacted`](crate::Redacted). The endpoint
//!   table's guards drive [`ResolveRedactions`]: `resolve_redactions` (client side: which blank
//!   parts were withheld) and `redact_for` (server side: blank what the key may not see).

mod annotation;
mod app;
mod common;
mod concept;
mod data;
mod input;
mod key;
mod list;
mod model;
mod output;
mod search;
mod status;
mod workflow;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::endpoint::Rpc;

pub use crate::redacted::{
    Blank, PathStep, Redactable, ResolveRedactions, Withhold, knows_guard_path, path_steps,
};
pub use annotation::{
    Annotation, DeleteAnnotationRequest, DeleteAnnotationsRequest, GetAnnotationRequest,
    ListAnnotationsRequest, MultiAnnotationResponse, PatchAnnotationsRequest,
    PostAnnotationsRequest, SingleAnnotationResponse,
};
pub use app::{
    App, GetAppRequest, ListAppsRequest, MultiAppResponse, MultiScopeResponse, MyScopesRequest,
    SingleAppResponse,
};
pub use common::{
    Bytes, Gettable, JsonMap, Paged, Pagination, PatchAction, Timestamp, TimestampError,
    Visibility, query_pairs,
};
pub use concept::{
    Concept, ConceptCount, ConceptQuery, ConceptTypeCount, GetConceptCountsRequest,
    GetConceptRequest, ListConceptsRequest, MultiConceptCountResponse, MultiConceptResponse,
    PatchConceptsRequest, PostConceptsRequest, PostConceptsSearchesRequest, SingleConceptResponse,
};
pub use data::{
    Audio, BoundingBox, Color, Data, Embedding, Frame, FrameInfo, Geo, GeoLimit, GeoPoint, Image,
    Region, RegionInfo, Text, Video, W3cColor,
};
pub use input::{
    DeleteInputRequest, DeleteInputsRequest, GetInputCountRequest, GetInputRequest, Input,
    InputCount, ListInputsRequest, MultiInputResponse, PatchInputsRequest, PostInputsRequest,
    SingleInputCountResponse, SingleInputResponse,
};
pub use key::{
    ApiKey, DeleteKeyRequest, GetKeyRequest, KeySecret, ListAppKeysRequest, ListKeysRequest,
    MultiKeyResponse, PatchKeysRequest, PostKeysRequest, SingleKeyResponse,
};
pub use list::ListResponse;
pub use model::{
    DeleteModelRequest, DeleteModelVersionRequest, DeleteModelsRequest, EvalMetrics,
    GetModelOutputInfoRequest, GetModelRequest, GetModelVersionRequest, ListModelInputsRequest,
    ListModelTypesRequest, ListModelVersionsRequest, ListModelsRequest, Model, ModelQuery,
    ModelType, ModelVersion, MultiModelResponse, MultiModelTypeResponse, MultiModelVersionResponse,
    OutputConfig, OutputInfo, PatchModelsRequest, PostModelVersionsRequest, PostModelsRequest,
    PostModelsSearchesRequest, SingleModelResponse, SingleModelVersionResponse,
};
pub use output::{MultiOutputResponse, Output, PostModelOutputsRequest};
pub use search::{
    And, Filter, Hit, HitCount, MultiSearchResponse, PostAnnotationsSearchesRequest,
    PostInputsSearchesRequest, PostSearchesRequest, Query, Rank, SearchSpec,
};
pub use status::{BaseResponse, Status, StatusCode};
pub use workflow::{
    DeleteWorkflowRequest, DeleteWorkflowsRequest, GetWorkflowRequest, ListWorkflowsRequest,
    MultiWorkflowResponse, NodeInput, PatchWorkflowsRequest, PostWorkflowResultsRequest,
    PostWorkflowResultsResponse, PostWorkflowsRequest, SingleWorkflowResponse, Workflow,
    WorkflowNode, WorkflowResult,
};

/// A response body: it has a status, and parts guarded by depending scopes.
pub trait ApiResponse:
    Serialize
    + DeserializeOwned
    + Redactable
    + Default
    + Clone
    + std::fmt::Debug
    + Send
    + Sync
    + 'static
{
    /// The response's status.
    fn status(&self) -> &Status;
}

/// A request type of one RPC: its body (or query), the [`Rpc`] it belongs to and the type of the
/// response.
///
/// Every RPC of [`ENDPOINTS`](crate::endpoint::ENDPOINTS) has exactly one request type
/// (`XxxRequest`, named after the proto's request message); see the table in
/// [`__endpoint_types!`](crate::__endpoint_types).
///
/// ```
/// use clarifai_typed::models::{ApiRequest, MultiOutputResponse, PostModelOutputsRequest};
/// use clarifai_typed::Rpc;
/// fn rpc_of<R: ApiRequest>() -> Rpc { R::RPC }
/// assert_eq!(rpc_of::<PostModelOutputsRequest>(), Rpc::PostModelOutputs);
/// let _: Option<<PostModelOutputsRequest as ApiRequest>::Response> = None::<MultiOutputResponse>;
/// ```
pub trait ApiRequest:
    Serialize + DeserializeOwned + Default + Clone + std::fmt::Debug + Send + Sync + 'static
{
    /// The RPC.
    const RPC: Rpc;
    /// The response body.
    type Response: ApiResponse;
}

/// Whether every object a creating request carries has a client-set id (so that sending it twice
/// cannot create a second copy): what the retry policy asks.
macro_rules! creates_with_ids {
    ($($request:ty => $field:ident),* $(,)?) => {$(
        impl $request {
            pub(crate) fn all_have_ids(&self) -> bool {
                !self.$field.is_empty() && self.$field.iter().all(|item| !item.id.is_empty())
            }
        }
    )*};
}

creates_with_ids!(
    PostInputsRequest => inputs,
    PostConceptsRequest => concepts,
    PostWorkflowsRequest => workflows,
    PostAnnotationsRequest => annotations,
);

/// Calls `$callback! { Rpc => RequestType, ResponseType; ... }` with every endpoint of the table,
/// in [`Rpc`] order: the one declaration of which types each RPC speaks. Types are written as
/// `$crate::models::X` paths.
#[doc(hidden)]
#[macro_export]
macro_rules! __endpoint_types {
    ($callback:path) => {
        $callback! {
            PostModelOutputs => $crate::models::PostModelOutputsRequest, $crate::models::MultiOutputResponse;
            GetModelOutputInfo => $crate::models::GetModelOutputInfoRequest, $crate::models::SingleModelResponse;
            PostWorkflowResults => $crate::models::PostWorkflowResultsRequest, $crate::models::PostWorkflowResultsResponse;
            PostInputs => $crate::models::PostInputsRequest, $crate::models::MultiInputResponse;
            ListInputs => $crate::models::ListInputsRequest, $crate::models::MultiInputResponse;
            GetInput => $crate::models::GetInputRequest, $crate::models::SingleInputResponse;
            PatchInputs => $crate::models::PatchInputsRequest, $crate::models::MultiInputResponse;
            DeleteInput => $crate::models::DeleteInputRequest, $crate::models::BaseResponse;
            DeleteInputs => $crate::models::DeleteInputsRequest, $crate::models::BaseResponse;
            GetInputCount => $crate::models::GetInputCountRequest, $crate::models::SingleInputCountResponse;
            PostSearches => $crate::models::PostSearchesRequest, $crate::models::MultiSearchResponse;
            PostInputsSearches => $crate::models::PostInputsSearchesRequest, $crate::models::MultiSearchResponse;
            PostAnnotationsSearches => $crate::models::PostAnnotationsSearchesRequest, $crate::models::MultiSearchResponse;
            ListModels => $crate::models::ListModelsRequest, $crate::models::MultiModelResponse;
            GetModel => $crate::models::GetModelRequest, $crate::models::SingleModelResponse;
            PostModels => $crate::models::PostModelsRequest, $crate::models::SingleModelResponse;
            PatchModels => $crate::models::PatchModelsRequest, $crate::models::MultiModelResponse;
            DeleteModel => $crate::models::DeleteModelRequest, $crate::models::BaseResponse;
            DeleteModels => $crate::models::DeleteModelsRequest, $crate::models::BaseResponse;
            ListModelTypes => $crate::models::ListModelTypesRequest, $crate::models::MultiModelTypeResponse;
            ListModelInputs => $crate::models::ListModelInputsRequest, $crate::models::MultiInputResponse;
            PostModelVersions => $crate::models::PostModelVersionsRequest, $crate::models::SingleModelResponse;
            ListModelVersions => $crate::models::ListModelVersionsRequest, $crate::models::MultiModelVersionResponse;
            GetModelVersion => $crate::models::GetModelVersionRequest, $crate::models::SingleModelVersionResponse;
            DeleteModelVersion => $crate::models::DeleteModelVersionRequest, $crate::models::BaseResponse;
            ListConcepts => $crate::models::ListConceptsRequest, $crate::models::MultiConceptResponse;
            GetConcept => $crate::models::GetConceptRequest, $crate::models::SingleConceptResponse;
            PostConcepts => $crate::models::PostConceptsRequest, $crate::models::MultiConceptResponse;
            PatchConcepts => $crate::models::PatchConceptsRequest, $crate::models::MultiConceptResponse;
            PostConceptsSearches => $crate::models::PostConceptsSearchesRequest, $crate::models::MultiConceptResponse;
            GetConceptCounts => $crate::models::GetConceptCountsRequest, $crate::models::MultiConceptCountResponse;
            ListWorkflows => $crate::models::ListWorkflowsRequest, $crate::models::MultiWorkflowResponse;
            GetWorkflow => $crate::models::GetWorkflowRequest, $crate::models::SingleWorkflowResponse;
            PostWorkflows => $crate::models::PostWorkflowsRequest, $crate::models::MultiWorkflowResponse;
            PatchWorkflows => $crate::models::PatchWorkflowsRequest, $crate::models::MultiWorkflowResponse;
            DeleteWorkflow => $crate::models::DeleteWorkflowRequest, $crate::models::BaseResponse;
            DeleteWorkflows => $crate::models::DeleteWorkflowsRequest, $crate::models::BaseResponse;
            ListAnnotations => $crate::models::ListAnnotationsRequest, $crate::models::MultiAnnotationResponse;
            GetAnnotation => $crate::models::GetAnnotationRequest, $crate::models::SingleAnnotationResponse;
            PostAnnotations => $crate::models::PostAnnotationsRequest, $crate::models::MultiAnnotationResponse;
            PatchAnnotations => $crate::models::PatchAnnotationsRequest, $crate::models::MultiAnnotationResponse;
            DeleteAnnotation => $crate::models::DeleteAnnotationRequest, $crate::models::BaseResponse;
            DeleteAnnotations => $crate::models::DeleteAnnotationsRequest, $crate::models::BaseResponse;
            MyScopes => $crate::models::MyScopesRequest, $crate::models::MultiScopeResponse;
            GetApp => $crate::models::GetAppRequest, $crate::models::SingleAppResponse;
            ListApps => $crate::models::ListAppsRequest, $crate::models::MultiAppResponse;
            PostKeys => $crate::models::PostKeysRequest, $crate::models::MultiKeyResponse;
            ListKeys => $crate::models::ListKeysRequest, $crate::models::MultiKeyResponse;
            GetKey => $crate::models::GetKeyRequest, $crate::models::SingleKeyResponse;
            PatchKeys => $crate::models::PatchKeysRequest, $crate::models::MultiKeyResponse;
            DeleteKey => $crate::models::DeleteKeyRequest, $crate::models::BaseResponse;
            ListAppKeys => $crate::models::ListAppKeysRequest, $crate::models::MultiKeyResponse;
        }
    };
}

macro_rules! impl_api_request {
    ($($rpc:ident => $req:path, $resp:path;)*) => {
        $(
            impl ApiRequest for $req {
                const RPC: Rpc = Rpc::$rpc;
                type Response = $resp;
            }
        )*

        /// Whether the response type of `rpc` has a [`Redacted`](crate::Redacted) part at the
        /// guard path `path`; `None` for an RPC without a response type.
        pub fn response_knows_guard_path(rpc: Rpc, path: &str) -> Option<bool> {
            $(
                if rpc == Rpc::$rpc {
                    return Some(knows_guard_path::<$resp>(path));
                }
            )*
            None
        }
    };
}

crate::__endpoint_types!(impl_api_request);

macro_rules! impl_api_response {
    ($($ty:ident),* $(,)?) => {$(
        impl ApiResponse for $ty {
            fn status(&self) -> &Status {
                &self.status
            }
        }
    )*};
}

impl_api_response!(
    BaseResponse,
    MultiOutputResponse,
    SingleModelResponse,
    MultiModelResponse,
    MultiModelTypeResponse,
    SingleModelVersionResponse,
    MultiModelVersionResponse,
    PostWorkflowResultsResponse,
    MultiWorkflowResponse,
    SingleWorkflowResponse,
    MultiInputResponse,
    SingleInputResponse,
    SingleInputCountResponse,
    MultiSearchResponse,
    MultiConceptResponse,
    SingleConceptResponse,
    MultiConceptCountResponse,
    MultiAnnotationResponse,
    SingleAnnotationResponse,
    MultiScopeResponse,
    SingleAppResponse,
    MultiAppResponse,
    MultiKeyResponse,
    SingleKeyResponse,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::ENDPOINTS;
    use crate::scope::Scope;
    use std::collections::HashSet;

    #[test]
    fn every_rpc_has_request_and_response_types() {
        let mut seen = HashSet::new();
        macro_rules! collect {
            ($($rpc:ident => $req:path, $resp:path;)*) => {
                $(
                    assert_eq!(<$req as ApiRequest>::RPC, Rpc::$rpc);
                    assert!(seen.insert(Rpc::$rpc), "{} listed twice", stringify!($rpc));
                )*
            };
        }
        crate::__endpoint_types!(collect);
        for e in ENDPOINTS {
            assert!(seen.contains(&e.rpc), "{} has no types", e.rpc);
        }
        assert_eq!(seen.len(), ENDPOINTS.len());
    }

    #[test]
    fn default_requests_are_empty_bodies_and_responses_round_trip() {
        macro_rules! check {
            ($($rpc:ident => $req:path, $resp:path;)*) => {$(
                assert_eq!(
                    serde_json::to_value(<$req>::default()).unwrap(),
                    serde_json::json!({}),
                    "{}", stringify!($rpc)
                );
                let back: $req = serde_json::from_str("{}").unwrap();
                assert_eq!(back, <$req>::default());
                let resp = <$resp>::default();
                let text = serde_json::to_string(&resp).unwrap();
                assert_eq!(serde_json::from_str::<$resp>(&text).unwrap(), resp);
                // `null` reads as the default everywhere, as in proto3 JSON.
                let nulls: $resp = serde_json::from_str(r#"{"status": null}"#).unwrap();
                assert_eq!(nulls.status(), &Status::default());
            )*};
        }
        crate::__endpoint_types!(check);
    }

    #[test]
    fn response_types_know_every_guard_path_of_the_table() {
        for e in ENDPOINTS {
            for g in e.guards {
                assert_eq!(
                    response_knows_guard_path(e.rpc, g.path),
                    Some(true),
                    "{}: the response type has no Redacted part at `{}`",
                    e.rpc,
                    g.path
                );
            }
        }
        // And it does not answer yes to anything.
        assert_eq!(
            response_knows_guard_path(Rpc::PostModelOutputs, "outputs[].data.colors"),
            Some(false)
        );
        assert_eq!(
            response_knows_guard_path(Rpc::PostModelOutputs, "outputs.data.concepts"),
            Some(false)
        );
        assert_eq!(
            response_knows_guard_path(Rpc::PostModelOutputs, "outputs[].data"),
            Some(false)
        );
        assert_eq!(
            response_knows_guard_path(Rpc::PostSearches, "hits[].nothing"),
            Some(false)
        );
    }

    /// A response body where the part at `path` is absent and everything leading to it is
    /// present: `outputs[].data.concepts` gives `{"outputs": [{"data": {}}]}`.
    fn blank_at(path: &str) -> serde_json::Value {
        fn build(steps: &[PathStep<'_>]) -> serde_json::Value {
            match steps.split_first() {
                Some((PathStep::Each, rest)) => serde_json::Value::Array(vec![build(rest)]),
                Some((PathStep::Field(name), rest)) if !rest.is_empty() => {
                    let mut map = serde_json::Map::new();
                    map.insert((*name).to_owned(), build(rest));
                    serde_json::Value::Object(map)
                }
                _ => serde_json::Value::Object(serde_json::Map::new()),
            }
        }
        let mut body = build(&path_steps(path));
        if let serde_json::Value::Object(map) = &mut body {
            map.insert("status".into(), serde_json::json!({"code": 10000}));
        }
        body
    }

    #[test]
    fn resolving_withholds_exactly_what_the_missing_scope_guards() {
        let everything: Vec<Scope> = Scope::catalogue().filter(|s| !s.is_all()).collect();
        macro_rules! check {
            ($($rpc:ident => $req:path, $resp:path;)*) => {$(
                let rpc = Rpc::$rpc;
                for g in rpc.spec().guards {
                    let body = blank_at(g.path);
                    let decode = || serde_json::from_value::<$resp>(body.clone()).unwrap();
                    let withheld = format!("Withheld {{ scope: {:?} }}", g.scope);
                    // A key holding everything but this guard's scope.
                    let held: Vec<Scope> =
                        everything.iter().filter(|s| **s != g.scope).cloned().collect();
                    let mut without = decode();
                    without.resolve_redactions(rpc, &held);
                    let text = format!("{without:?}");
                    assert!(text.contains(&withheld), "{rpc}: `{}` not withheld: {text}", g.path);
                    assert_eq!(text.matches("Withheld").count(), 1, "{rpc}: {text}");
                    // A key holding the scope (or `All`) sees an empty, visible part.
                    for held in [everything.clone(), vec![Scope::of::<crate::scope::All>()]] {
                        let mut with = decode();
                        with.resolve_redactions(rpc, &held);
                        let text = format!("{with:?}");
                        assert!(!text.contains("Withheld"), "{rpc}: {text}");
                        assert_eq!(with, decode());
                    }
                    // Applying the guard directly does the same as resolving without the scope.
                    let mut direct = decode();
                    direct.apply_guard(g);
                    assert_eq!(direct, without);
                }
            )*};
        }
        crate::__endpoint_types!(check);
    }

    #[test]
    fn filled_parts_stay_visible() {
        let mut r: MultiOutputResponse = serde_json::from_value(serde_json::json!({
            "status": {"code": 10000},
            "outputs": [
                {"model": {"id": "m"}, "data": {"concepts": [{"id": "dog", "value": 0.9}]}},
                {"data": {}}
            ]
        }))
        .unwrap();
        r.resolve_redactions(Rpc::PostModelOutputs, &[]);
        let first = &r.outputs[0];
        assert!(first.model.is_visible());
        assert!(first.concepts().is_visible());
        let second = &r.outputs[1];
        assert!(second.model.is_withheld());
        assert_eq!(
            second.concepts().withheld_scope(),
            Some(&Scope::of::<crate::scope::GetConcepts>())
        );
        // Withheld parts are left out when encoding.
        assert_eq!(
            serde_json::to_value(&r).unwrap()["outputs"][1],
            serde_json::json!({"data": {}})
        );
    }

    #[test]
    fn redact_for_blanks_filled_parts_like_the_server() {
        let body = serde_json::json!({
            "status": {"code": 10000},
            "outputs": [{
                "model": {"id": "m", "output_info": {"data": {"concepts": [{"id": "c"}]}}},
                "data": {"concepts": [{"id": "dog", "value": 0.9}]}
            }]
        });
        let mut r: MultiOutputResponse = serde_json::from_value(body).unwrap();
        let held = [
            Scope::of::<crate::scope::Predict>(),
            Scope::of::<crate::scope::GetModels>(),
        ];
        r.redact_for(Rpc::PostModelOutputs, &held);
        assert!(r.outputs[0].model.is_visible());
        assert!(r.outputs[0].concepts().is_withheld());
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            serde_json::json!({"status": {"code": 10000}, "outputs": [{
                "model": {"id": "m", "output_info": {"data": {"concepts": [{"id": "c"}]}}},
                "data": {}
            }]})
        );
        // A key holding everything gets the response unchanged.
        let mut full: MultiOutputResponse = serde_json::from_value(serde_json::json!({
            "outputs": [{"data": {"concepts": [{"id": "dog"}]}}]
        }))
        .unwrap();
        let before = full.clone();
        full.redact_for(Rpc::PostModelOutputs, &[Scope::of::<crate::scope::All>()]);
        assert_eq!(full, before);
    }

    #[test]
    fn search_hits_withhold_inputs_and_annotations() {
        let mut r: MultiSearchResponse = serde_json::from_value(serde_json::json!({
            "status": {"code": 10000},
            "hits": [{"score": 0.5}, {"score": 0.4, "input": {"id": "i", "data": {}}}]
        }))
        .unwrap();
        r.resolve_redactions(
            Rpc::PostInputsSearches,
            &[Scope::of::<crate::scope::GetInputs>()],
        );
        assert!(r.hits[0].input.is_visible());
        assert!(r.hits[0].annotation.is_withheld());
        let input = r.hits[1].input.visible().and_then(Option::as_ref).unwrap();
        assert!(input.data.as_ref().unwrap().concepts.is_withheld());
    }
}

common::paged_by_fields!(
    ListAnnotationsRequest,
    ListConceptsRequest,
    GetConceptCountsRequest,
    ListInputsRequest,
    ListKeysRequest,
);
common::paged_by_pagination!(
    PostSearchesRequest,
    PostInputsSearchesRequest,
    PostAnnotationsSearchesRequest,
    PostConceptsSearchesRequest,
);
