//! Models, their output info and versions, and the requests that list, create and train them.

use serde::{Deserialize, Serialize};

use super::common::{
    JsonMap, Pagination, Timestamp, Visibility, is_false, is_zero_f32, is_zero_u32,
};
use super::concept::Concept;
use super::data::Data;
use super::status::Status;
use crate::redacted::redactable;

/// A model of an app (`Model`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Model {
    /// The model's id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Its name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Its display name (deprecated by Clarifai, still sent).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub display_name: String,
    /// When it was created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// When it last changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<Timestamp>,
    /// The app that owns it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub app_id: String,
    /// The user that owns it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub user_id: String,
    /// What it outputs, and its settings (its concepts are redacted without `Concepts:Get`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_info: Option<OutputInfo>,
    /// The version used or described.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_version: Option<ModelVersion>,
    /// Its type (`visual-classifier` ...).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub model_type_id: String,
    /// A description.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Who may read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    /// Free-form metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<JsonMap>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Model {
    /// A model by id.
    pub fn new(id: impl Into<String>) -> Model {
        Model {
            id: id.into(),
            ..Model::default()
        }
    }

    /// Sets the name.
    pub fn with_name(mut self, name: impl Into<String>) -> Model {
        self.name = name.into();
        self
    }

    /// Sets the concepts the model outputs (`output_info.data.concepts`).
    pub fn with_concepts(mut self, concepts: impl IntoIterator<Item = Concept>) -> Model {
        let info = self.output_info.get_or_insert_with(OutputInfo::default);
        let data = info.data.take().unwrap_or_default();
        info.data = Some(data.with_concepts(concepts));
        self
    }

    /// Sets the output configuration (`output_info.output_config`).
    pub fn with_output_config(mut self, config: OutputConfig) -> Model {
        self.output_info
            .get_or_insert_with(OutputInfo::default)
            .output_config = Some(config);
        self
    }
}

/// What a model outputs (`OutputInfo`): its concepts, its settings, its type.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct OutputInfo {
    /// The concepts the model knows (redacted without `Concepts:Get`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Data>,
    /// Settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_config: Option<OutputConfig>,
    /// A note from the server (`"Show output_info with: GET /models/{model_id}/output_info"`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// The output type (`concept`, `color`, `embed`, `detect-concept` ...).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub r#type: String,
    /// The extended type (`facedetect-identity` ...).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub type_ext: String,
    /// Fields this version does not model (`fields_map`, `params`), kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A model's settings (`OutputConfig`), on the model or per prediction.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct OutputConfig {
    /// At most one concept per input (a softmax classifier).
    #[serde(skip_serializing_if = "is_false")]
    pub concepts_mutually_exclusive: bool,
    /// Train without negatives from other concepts.
    #[serde(skip_serializing_if = "is_false")]
    pub closed_environment: bool,
    /// Start from an existing model.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub existing_model_id: String,
    /// The language of concept names in predictions.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub language: String,
    /// Training hyper-parameters (JSON text).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub hyper_parameters: String,
    /// Return at most this many concepts (0: the model's default).
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub max_concepts: u32,
    /// Return only concepts scoring at least this.
    #[serde(skip_serializing_if = "is_zero_f32")]
    pub min_value: f32,
    /// Return only these concepts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub select_concepts: Vec<Concept>,
    /// Training timeout in seconds.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub training_timeout: u32,
    /// Video sampling interval in milliseconds.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub sample_ms: u32,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl OutputConfig {
    /// Sets `max_concepts`.
    pub fn with_max_concepts(mut self, max_concepts: u32) -> OutputConfig {
        self.max_concepts = max_concepts;
        self
    }

    /// Sets `min_value`.
    pub fn with_min_value(mut self, min_value: f32) -> OutputConfig {
        self.min_value = min_value;
        self
    }

    /// Sets the language of concept names.
    pub fn with_language(mut self, language: impl Into<String>) -> OutputConfig {
        self.language = language.into();
        self
    }

    /// Returns only these concepts.
    pub fn with_select_concepts(
        mut self,
        concepts: impl IntoIterator<Item = Concept>,
    ) -> OutputConfig {
        self.select_concepts = concepts.into_iter().collect();
        self
    }
}

/// A version of a model (`ModelVersion`): what training produced.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ModelVersion {
    /// The version's id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// When it was created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// Its training status (21100 trained, 21102 untrained, 21103 queued ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// How many concepts it knows.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub active_concept_count: u32,
    /// Its evaluation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metrics: Option<EvalMetrics>,
    /// How many inputs it was trained on.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub total_input_count: u32,
    /// What it outputs (its concepts are redacted without `Concepts:Get`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_info: Option<OutputInfo>,
    /// Who may read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    /// The app that owns it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub app_id: String,
    /// The user that owns it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub user_id: String,
    /// A description.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Free-form metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<JsonMap>,
    /// Fields this version does not model (`train_stats`, `worker_id` ...), kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A model version's evaluation (`EvalMetrics`): its status and summary.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct EvalMetrics {
    /// The evaluation status (21300 evaluated, 21301 evaluating, 21303 queued ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The summary of the evaluation, once evaluated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<MetricsSummary>,
    /// Fields this version does not model (confusion matrix, per-concept metrics ...), kept for
    /// round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// The summary of an evaluation (`MetricsSummary`): macro averages over the model's concepts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MetricsSummary {
    /// Share of inputs whose best concept is a true label (deprecated by Clarifai, still sent).
    #[serde(skip_serializing_if = "is_zero_f32")]
    pub top1_accuracy: f32,
    /// Mean area under the ROC curve over the concepts.
    #[serde(skip_serializing_if = "is_zero_f32")]
    pub macro_avg_roc_auc: f32,
    /// Mean F1 score over the concepts.
    #[serde(skip_serializing_if = "is_zero_f32")]
    pub macro_avg_f1_score: f32,
    /// Mean precision over the concepts.
    #[serde(skip_serializing_if = "is_zero_f32")]
    pub macro_avg_precision: f32,
    /// Mean recall over the concepts.
    #[serde(skip_serializing_if = "is_zero_f32")]
    pub macro_avg_recall: f32,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A kind of model one can create (`ModelType`); only its identity is modelled.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ModelType {
    /// The type's id (`visual-classifier` ...).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Its title.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// A description.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Input field names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub input_fields: Vec<String>,
    /// Output field names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub output_fields: Vec<String>,
    /// Whether models of this type are trainable.
    #[serde(skip_serializing_if = "is_false")]
    pub trainable: bool,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A model search (`model_query`): a name with `*` wildcards, an output type, a model type.
///
/// ```
/// use clarifai_typed::models::ModelQuery;
/// let q = ModelQuery::name("general*").with_type("embed");
/// assert_eq!(
///     serde_json::to_value(&q).unwrap(),
///     serde_json::json!({"name": "general*", "type": "embed"})
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ModelQuery {
    /// The name to match (`celeb*`): `*` matches any run of characters, case is ignored.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The output type to match (`output_info.type`: `concept`, `color`, `embed` ...), the field
    /// older clients send (today's protos reserve it).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub r#type: String,
    /// The model type to match (`visual-classifier` ...), the field of today's protos.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub model_type_id: String,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl ModelQuery {
    /// Models named like `name` (`*` wildcards).
    pub fn name(name: impl Into<String>) -> ModelQuery {
        ModelQuery {
            name: name.into(),
            ..ModelQuery::default()
        }
    }

    /// Only models whose output type (`output_info.type`) is `output_type`.
    pub fn with_type(mut self, output_type: impl Into<String>) -> ModelQuery {
        self.r#type = output_type.into();
        self
    }

    /// Only models of model type `model_type_id`.
    pub fn with_model_type(mut self, model_type_id: impl Into<String>) -> ModelQuery {
        self.model_type_id = model_type_id.into();
        self
    }
}

macro_rules! page_request {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[serde(default)]
        #[non_exhaustive]
        pub struct $name {
            /// The page, from 1.
            #[serde(skip_serializing_if = "crate::models::common::is_zero_u32", deserialize_with = "crate::models::common::null_as_default")]
            pub page: u32,
            /// Items per page.
            #[serde(skip_serializing_if = "crate::models::common::is_zero_u32", deserialize_with = "crate::models::common::null_as_default")]
            pub per_page: u32,
        }

        impl $name {
            /// Page `page` of `per_page` items.
            pub fn page(page: u32, per_page: u32) -> Self {
                $name { page, per_page }
            }
        }

        crate::models::common::paged_by_fields!($name);
    )*};
}

macro_rules! empty_request {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[non_exhaustive]
        pub struct $name {}
    )*};
}
pub(crate) use {empty_request, page_request};

page_request! {
    /// `ListModels` query: a page of the app's models.
    ListModelsRequest;
    /// `ListModelTypes` query: a page of model types.
    ListModelTypesRequest;
    /// `ListModelInputs` query: a page of a model's training inputs.
    ListModelInputsRequest;
    /// `ListModelVersions` query: a page of a model's versions.
    ListModelVersionsRequest;
}

empty_request! {
    /// `GetModelOutputInfo`: no body (the model id, and version id, are in the path).
    GetModelOutputInfoRequest;
    /// `GetModel`: no body (the model id is in the path).
    GetModelRequest;
    /// `DeleteModel`: no body (the model id is in the path).
    DeleteModelRequest;
    /// `GetModelVersion`: no body (model and version ids are in the path).
    GetModelVersionRequest;
    /// `DeleteModelVersion`: no body (model and version ids are in the path).
    DeleteModelVersionRequest;
    /// `GetModelVersionMetrics`: no body (model and version ids are in the path).
    GetModelVersionMetricsRequest;
}

/// `PostModels` body: models to create.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PostModelsRequest {
    /// The models.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub models: Vec<Model>,
    /// One model (deprecated form of `models`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<Model>,
}

impl PostModelsRequest {
    /// Creates these models.
    pub fn new(models: impl IntoIterator<Item = Model>) -> Self {
        PostModelsRequest {
            models: models.into_iter().collect(),
            model: None,
        }
    }
}

crate::models::common::patch_request! {
    /// `PatchModels` body: changes to models.
    PatchModelsRequest {
        /// The models, by id, with the fields to change.
        models: Model
    }
    new: "Applies `action` to these models.";
}

/// `DeleteModels` body: models to delete by id, or all of them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DeleteModelsRequest {
    /// The ids.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub ids: Vec<String>,
    /// Delete every model of the app.
    #[serde(
        skip_serializing_if = "is_false",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub delete_all: bool,
}

impl DeleteModelsRequest {
    /// Deletes these models.
    pub fn ids(ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        DeleteModelsRequest {
            ids: ids.into_iter().map(Into::into).collect(),
            delete_all: false,
        }
    }
}

/// `PostModelVersions` body: train a new version (an empty body trains on the app's labels).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PostModelVersionsRequest {
    /// Versions to create, with their settings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub model_versions: Vec<ModelVersion>,
    /// A description of the new version.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// `PostModelsSearches` body: find the app's and the public models by name and type.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PostModelsSearchesRequest {
    /// The search.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_query: Option<ModelQuery>,
    /// Page selection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// Fields this version does not model (`user_app_id`, sent by today's clients), kept for
    /// round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// `PostModelVersionMetrics` body: evaluate a model version (usually empty: the server evaluates
/// on the version's training data).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PostModelVersionMetricsRequest {
    /// Fields this version does not model (`test_search`, `eval_info`), kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// One model (`SingleModelResponse`): `GetModel`, `GetModelOutputInfo`, `PostModels`,
/// `PostModelVersions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SingleModelResponse {
    /// The outcome.
    pub status: Status,
    /// The model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<Model>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// Models (`MultiModelResponse`): `ListModels`, `PatchModels`. `models` is always sent, even
/// empty (error bodies show `"models": []`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultiModelResponse {
    /// The outcome.
    pub status: Status,
    /// The models.
    pub models: Vec<Model>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// Model types (`MultiModelTypeResponse`): `ListModelTypes`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultiModelTypeResponse {
    /// The outcome.
    pub status: Status,
    /// The model types.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub model_types: Vec<ModelType>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// One model version (`SingleModelVersionResponse`): `GetModelVersion`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SingleModelVersionResponse {
    /// The outcome.
    pub status: Status,
    /// The version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_version: Option<ModelVersion>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// Model versions (`MultiModelVersionResponse`): `ListModelVersions`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultiModelVersionResponse {
    /// The outcome.
    pub status: Status,
    /// The versions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub model_versions: Vec<ModelVersion>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

redactable! {
    Model is Model { output_info, model_version }
    OutputInfo { data }
    ModelVersion { output_info }
    SingleModelResponse { model }
    MultiModelResponse { models }
    MultiModelTypeResponse {}
    SingleModelVersionResponse { model_version }
    MultiModelVersionResponse { model_versions }
}

super::fields::decode_fields! {
    Model { id, name, display_name, created_at, modified_at, app_id, user_id, output_info, model_version, model_type_id, description, visibility, metadata }
    OutputInfo { data, output_config, message, r#type = "type", type_ext }
    OutputConfig { concepts_mutually_exclusive, closed_environment, existing_model_id, language, hyper_parameters, max_concepts, min_value, select_concepts, training_timeout, sample_ms }
    ModelVersion { id, created_at, status, active_concept_count, metrics, total_input_count, output_info, visibility, app_id, user_id, description, metadata }
    ModelType { id, title, description, input_fields, output_fields, trainable }
    PostModelVersionsRequest { model_versions, description }
    SingleModelResponse { status, model }
    MultiModelResponse { status, models }
    MultiModelTypeResponse { status, model_types }
    SingleModelVersionResponse { status, model_version }
    MultiModelVersionResponse { status, model_versions }
    EvalMetrics { status, summary }
    MetricsSummary { top1_accuracy, macro_avg_roc_auc, macro_avg_f1_score, macro_avg_precision, macro_avg_recall }
    ModelQuery { name, r#type = "type", model_type_id }
    PostModelsSearchesRequest { model_query, pagination }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::PatchAction;
    use serde_json::json;

    #[test]
    fn create_and_patch_model_request_shapes() {
        let req = PostModelsRequest::new([Model::new("pets")
            .with_name("Pets")
            .with_concepts([Concept::positive("dog"), Concept::positive("cat")])
            .with_output_config(OutputConfig::default())]);
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            json!({"models": [{"id": "pets", "name": "Pets", "output_info": {
                "data": {"concepts": [{"id": "dog", "value": 1.0}, {"id": "cat", "value": 1.0}]},
                "output_config": {}
            }}]})
        );
        let patch = PatchModelsRequest::new(
            PatchAction::MERGE,
            [Model::new("pets").with_output_config(OutputConfig {
                concepts_mutually_exclusive: true,
                closed_environment: true,
                ..Default::default()
            })],
        );
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            json!({"models": [{"id": "pets", "output_info": {"output_config": {
                "concepts_mutually_exclusive": true, "closed_environment": true
            }}}], "action": "merge"})
        );
        assert_eq!(
            serde_json::to_value(DeleteModelsRequest::ids(["m1"])).unwrap(),
            json!({"ids": ["m1"]})
        );
        assert_eq!(
            serde_json::to_value(ListModelsRequest::page(1, 50)).unwrap(),
            json!({"page": 1, "per_page": 50})
        );
        assert_eq!(
            serde_json::to_value(PostModelVersionsRequest::default()).unwrap(),
            json!({})
        );
    }

    #[test]
    fn error_body_keeps_empty_models() {
        let body =
            json!({"status": {"code": 11009, "description": "API key not found"}, "models": []});
        let r: MultiModelResponse = serde_json::from_value(body.clone()).unwrap();
        assert_eq!(r.status.code, crate::models::StatusCode::CONN_KEY_NOT_FOUND);
        assert_eq!(serde_json::to_value(&r).unwrap(), body);
    }
}
