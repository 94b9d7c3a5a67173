//! Serde models of the requests and responses of every endpoint in the table.
//!
//! Conventions (those of the API's JSON, `clarifai-api.md` §4):
//!
//! * Field names are the proto's snake_case names. Unknown fields are accepted, and the main
//!   objects keep them in an `extra` map (encoded flattened), so a decoded body encodes back
//!   without loss. A missing field and a `null` decode as the field's default (proto3 JSON).
//!   Those objects are decoded field by field without serde's `flatten` buffering (`fields.rs`).
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
//!   response type (impls generated from the endpoint rows); [`visit_request_type`] reaches the
//!   types of an [`Rpc`](crate::Rpc) known at run time.
//! * Response parts a depending scope guards are [`Redacted`](crate::Redacted). The endpoint
//!   table's guards drive [`ResolveRedactions`]: `resolve_redactions` (client side: which blank
//!   parts were withheld) and `redact_for` (server side: blank what the key may not see);
//!   [`redact_json_for`] does the same to an answer as JSON.

mod annotation;
mod api;
mod app;
mod collaborator;
mod common;
mod concept;
mod concept_language;
mod data;
mod dataset;
mod endpoints;
mod feedback;
mod fields;
mod input;
mod key;
mod list;
mod model;
mod output;
mod saved_search;
mod search;
mod status;
mod workflow;

pub use crate::redacted::{
    Blank, Redactable, ResolveRedactions, Resource, TYPE_DEPTH, Withhold, guard_present,
    guards_present, redact_json_for,
};
pub use annotation::{
    Annotation, DeleteAnnotationRequest, DeleteAnnotationsRequest, GetAnnotationRequest,
    ListAnnotationsRequest, MultiAnnotationResponse, PatchAnnotationsRequest,
    PostAnnotationsRequest, SingleAnnotationResponse,
};
pub use api::{ApiRequest, ApiResponse};
pub use app::{
    App, GetAppRequest, ListAppsRequest, MultiAppResponse, MultiScopeResponse, MyScopesRequest,
    PostAppsRequest, SingleAppResponse,
};
pub use collaborator::{
    Collaborator, DeleteCollaboratorsRequest, ListCollaboratorsRequest, MultiCollaboratorsResponse,
    PostCollaboratorsRequest, User,
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
pub use concept_language::{
    ConceptLanguage, GetConceptLanguageRequest, ListConceptLanguagesRequest,
    MultiConceptLanguageResponse, PatchConceptLanguagesRequest, PostConceptLanguagesRequest,
    SingleConceptLanguageResponse,
};
pub use data::{
    Audio, BoundingBox, Color, Data, Embedding, Frame, FrameInfo, Geo, GeoLimit, GeoPoint,
    HostedUrl, Image, Region, RegionInfo, Text, Video, W3cColor,
};
pub use dataset::{
    Dataset, DatasetInput, DatasetVersion, DatasetVersionMetrics, DeleteDatasetVersionsRequest,
    DeleteDatasetsRequest, GetDatasetRequest, GetDatasetVersionRequest, ListDatasetInputsRequest,
    ListDatasetVersionsRequest, ListDatasetsRequest, MultiDatasetInputResponse,
    MultiDatasetResponse, MultiDatasetVersionResponse, PostDatasetInputsRequest,
    PostDatasetVersionsRequest, PostDatasetsRequest, SingleDatasetResponse,
    SingleDatasetVersionResponse,
};
pub use endpoints::{RequestTypeVisitor, visit_request_type};
pub use feedback::{FeedbackInfo, PostModelFeedbackRequest, PostSearchFeedbackRequest};
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
    GetModelOutputInfoRequest, GetModelRequest, GetModelVersionMetricsRequest,
    GetModelVersionRequest, ListModelInputsRequest, ListModelTypesRequest,
    ListModelVersionsRequest, ListModelsRequest, MetricsSummary, Model, ModelQuery, ModelType,
    ModelVersion, MultiModelResponse, MultiModelTypeResponse, MultiModelVersionResponse,
    OutputConfig, OutputInfo, PatchModelsRequest, PostModelVersionMetricsRequest,
    PostModelVersionsRequest, PostModelsRequest, PostModelsSearchesRequest, SingleModelResponse,
    SingleModelVersionResponse,
};
pub use output::{MultiOutputResponse, Output, PostModelOutputsRequest};
pub use saved_search::{
    DeleteSearchRequest, GetSearchRequest, ListSearchesRequest, MultiSavedSearchResponse,
    PostSearchesByIDRequest, SingleSearchResponse,
};
pub use search::{
    And, Filter, Hit, HitCount, MultiSearchResponse, PostAnnotationsSearchesRequest,
    PostInputsSearchesRequest, PostSearchesRequest, Query, Rank, SearchSpec,
};
pub use status::{BaseResponse, Status, StatusCode, StatusKind};
pub use workflow::{
    DeleteWorkflowRequest, DeleteWorkflowsRequest, GetWorkflowRequest, ListWorkflowsRequest,
    MultiWorkflowResponse, NodeInput, PatchWorkflowsRequest, PostWorkflowResultsRequest,
    PostWorkflowResultsResponse, PostWorkflowsRequest, SingleWorkflowResponse, Workflow,
    WorkflowNode, WorkflowResult,
};

/// Whether `rpc`'s response type can hold `resource` (anywhere, up to [`TYPE_DEPTH`] types
/// deep).
pub fn response_holds(rpc: crate::Rpc, resource: Resource) -> bool {
    struct Holds(Resource);
    impl RequestTypeVisitor for Holds {
        type Output = bool;
        fn visit<R: ApiRequest>(self) -> bool {
            <R::Response as Redactable>::holds(self.0, TYPE_DEPTH)
        }
    }
    visit_request_type(rpc, Holds(resource))
}

#[cfg(test)]
mod tests;

common::paged_by_fields!(
    ListAnnotationsRequest,
    ListConceptsRequest,
    GetConceptCountsRequest,
    ListInputsRequest,
    ListKeysRequest,
    ListCollaboratorsRequest,
);
common::paged_by_pagination!(
    PostSearchesRequest,
    PostInputsSearchesRequest,
    PostAnnotationsSearchesRequest,
    PostConceptsSearchesRequest,
    PostModelsSearchesRequest,
    PostSearchesByIDRequest,
);
