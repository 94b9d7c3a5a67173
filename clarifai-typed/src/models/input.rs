//! Inputs: what an app holds (images, videos, texts with their labels), and their counts.

use serde::{Deserialize, Serialize};

use super::common::{Bytes, JsonMap, Timestamp, is_false, is_zero_u32};
use super::concept::Concept;
use super::data::{Data, Geo};
use super::feedback::FeedbackInfo;
use super::status::Status;
use crate::redacted::redactable;

/// An input: one image, video or text of an app, with its labels and metadata.
///
/// ```
/// use clarifai_typed::models::{Concept, Input};
/// let input = Input::from_url("https://samples.clarifai.com/dog.jpg")
///     .with_id("dog-1")
///     .allow_duplicate_url(true)
///     .with_concepts([Concept::positive("dog")]);
/// assert_eq!(
///     serde_json::to_value(&input).unwrap(),
///     serde_json::json!({"id": "dog-1", "data": {
///         "image": {"url": "https://samples.clarifai.com/dog.jpg", "allow_duplicate_url": true},
///         "concepts": [{"id": "dog", "value": 1.0}]
///     }})
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Input {
    /// The input's id (the server makes one when a request leaves it out).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// What the input holds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Data>,
    /// When it was added.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// When it last changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<Timestamp>,
    /// Its processing status (30000 done, 30001 pending, 30002 failed ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The datasets it belongs to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dataset_ids: Vec<String>,
    /// What a feedback event is about (the input of `PostModelFeedback` and
    /// `PostSearchFeedback`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feedback_info: Option<FeedbackInfo>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Input {
    /// An input holding an image at a URL.
    pub fn from_url(url: impl Into<String>) -> Input {
        Input::from_data(Data::image_url(url))
    }

    /// An input holding image bytes.
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Input {
        Input::from_data(Data::image_bytes(bytes))
    }

    /// An input holding `data`.
    pub fn from_data(data: Data) -> Input {
        Input {
            data: Some(data),
            ..Input::default()
        }
    }

    /// An input named by id only (for patches and searches).
    pub fn with_id_only(id: impl Into<String>) -> Input {
        Input::default().with_id(id)
    }

    /// Sets the id (client-set ids make uploads safe to repeat).
    pub fn with_id(mut self, id: impl Into<String>) -> Input {
        self.id = id.into();
        self
    }

    fn data_mut(&mut self) -> &mut Data {
        self.data.get_or_insert_with(Data::default)
    }

    /// Sets `allow_duplicate_url` on the image.
    pub fn allow_duplicate_url(mut self, allow: bool) -> Input {
        let data = self.data_mut();
        data.image
            .get_or_insert_with(Box::default)
            .allow_duplicate_url = allow;
        self
    }

    /// Sets the concepts.
    pub fn with_concepts(mut self, concepts: impl IntoIterator<Item = Concept>) -> Input {
        let data = std::mem::take(self.data_mut());
        self.data = Some(data.with_concepts(concepts));
        self
    }

    /// Sets the metadata.
    pub fn with_metadata(mut self, metadata: JsonMap) -> Input {
        self.data_mut().metadata = Some(metadata);
        self
    }

    /// Sets the geographic point.
    pub fn with_geo_point(mut self, longitude: f32, latitude: f32) -> Input {
        self.data_mut().geo = Some(Box::new(Geo::point(longitude, latitude)));
        self
    }
}

/// Counts of the app's inputs by processing state (`InputCount`). Every counter is always sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct InputCount {
    /// Processed.
    pub processed: u32,
    /// Waiting to be processed.
    pub to_process: u32,
    /// Failed.
    pub errors: u32,
    /// Being processed.
    pub processing: u32,
    /// Reindexed.
    pub reindexed: u32,
    /// Waiting to be reindexed.
    pub to_reindex: u32,
    /// Failed to reindex.
    pub reindex_errors: u32,
    /// Being reindexed.
    pub reindexing: u32,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// `PostInputs` body: inputs to add (at most 128 per request).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct PostInputsRequest {
    /// The inputs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<Input>,
    /// A job id to group the upload under.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub inputs_add_job_id: String,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl PostInputsRequest {
    /// Adds these inputs.
    pub fn new(inputs: impl IntoIterator<Item = Input>) -> Self {
        PostInputsRequest {
            inputs: inputs.into_iter().collect(),
            ..Self::default()
        }
    }
}

/// `ListInputs` query: a page of the app's inputs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ListInputsRequest {
    /// The page, from 1.
    #[serde(
        skip_serializing_if = "is_zero_u32",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub page: u32,
    /// Items per page.
    #[serde(
        skip_serializing_if = "is_zero_u32",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub per_page: u32,
}

/// `GetInput`: no body (the input id is in the path).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GetInputRequest {}

/// `GetInputCount`: no body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GetInputCountRequest {}

/// `DeleteInput`: no body (the input id is in the path).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DeleteInputRequest {}

crate::models::common::patch_request! {
    /// `PatchInputs` body: changes to inputs (`merge`, `overwrite` or `remove` concepts and metadata).
    PatchInputsRequest {
        /// The inputs, by id, with the data to apply.
        inputs: Input
    }
    new: "Applies `action` to these inputs.";
}

/// `DeleteInputs` body: inputs to delete by id, or all of them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DeleteInputsRequest {
    /// The ids.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub ids: Vec<String>,
    /// Delete every input of the app.
    #[serde(
        skip_serializing_if = "is_false",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub delete_all: bool,
}

impl DeleteInputsRequest {
    /// Deletes these inputs.
    pub fn ids(ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        DeleteInputsRequest {
            ids: ids.into_iter().map(Into::into).collect(),
            delete_all: false,
        }
    }

    /// Deletes every input of the app.
    pub fn all() -> Self {
        DeleteInputsRequest {
            ids: Vec::new(),
            delete_all: true,
        }
    }
}

/// Inputs (`MultiInputResponse`): `PostInputs`, `ListInputs`, `PatchInputs`, `ListModelInputs`.
/// `inputs` is always sent, even empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultiInputResponse {
    /// The outcome.
    pub status: Status,
    /// The inputs, each with its own status.
    pub inputs: Vec<Input>,
    /// Fields this version does not model (`inputs_add_job`), kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// One input (`SingleInputResponse`): `GetInput`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SingleInputResponse {
    /// The outcome.
    pub status: Status,
    /// The input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<Input>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// Input counts (`SingleInputCountResponse`): `GetInputCount`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SingleInputCountResponse {
    /// The outcome.
    pub status: Status,
    /// The counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts: Option<InputCount>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

redactable! {
    Input is Input { data }
    MultiInputResponse { inputs }
    SingleInputResponse { input }
    SingleInputCountResponse {}
}

super::fields::decode_fields! {
    Input { id, data, created_at, modified_at, status, dataset_ids, feedback_info }
    InputCount { processed, to_process, errors, processing, reindexed, to_reindex, reindex_errors, reindexing }
    PostInputsRequest { inputs, inputs_add_job_id }
    MultiInputResponse { status, inputs }
    SingleInputResponse { status, input }
    SingleInputCountResponse { status, counts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::PatchAction;
    use serde_json::json;

    #[test]
    fn post_inputs_request_shape() {
        let mut metadata = JsonMap::new();
        metadata.insert("k".into(), json!("v"));
        let mut req = PostInputsRequest::new([
            Input::from_url("https://some.image.url1")
                .with_id("@inputID1")
                .allow_duplicate_url(true)
                .with_geo_point(55.0, 66.0)
                .with_concepts([Concept::positive("dog"), Concept::negative("cat")])
                .with_metadata(metadata),
            Input::from_bytes(b"true".to_vec()).with_id("@inputID2"),
        ]);
        req.inputs_add_job_id = "job-1".into();
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            json!({
                "inputs": [
                    {"id": "@inputID1", "data": {
                        "image": {"url": "https://some.image.url1", "allow_duplicate_url": true},
                        "geo": {"geo_point": {"longitude": 55.0, "latitude": 66.0}},
                        "concepts": [{"id": "dog", "value": 1.0}, {"id": "cat", "value": 0.0}],
                        "metadata": {"k": "v"}
                    }},
                    {"id": "@inputID2", "data": {"image": {"base64": "dHJ1ZQ=="}}}
                ],
                "inputs_add_job_id": "job-1"
            })
        );
    }

    #[test]
    fn patch_and_delete_request_shapes() {
        let req = PatchInputsRequest::new(
            PatchAction::REMOVE,
            [Input::with_id_only("@inputID").with_concepts([Concept::negative("@concept2")])],
        );
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            json!({
                "inputs": [{"id": "@inputID", "data": {"concepts": [{"id": "@concept2", "value": 0.0}]}}],
                "action": "remove"
            })
        );
        assert_eq!(
            serde_json::to_value(DeleteInputsRequest::ids(["a", "b"])).unwrap(),
            json!({"ids": ["a", "b"]})
        );
        assert_eq!(
            serde_json::to_value(DeleteInputsRequest::all()).unwrap(),
            json!({"delete_all": true})
        );
        let list = ListInputsRequest {
            page: 2,
            per_page: 20,
        };
        assert_eq!(
            serde_json::to_value(&list).unwrap(),
            json!({"page": 2, "per_page": 20})
        );
    }

    #[test]
    fn always_present_fields_are_sent_empty() {
        let empty = MultiInputResponse::default();
        assert_eq!(
            serde_json::to_value(&empty).unwrap(),
            json!({"status": {"code": 0}, "inputs": []})
        );
        let counts = SingleInputCountResponse {
            counts: Some(InputCount::default()),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&counts).unwrap()["counts"],
            json!({"processed": 0, "to_process": 0, "errors": 0, "processing": 0,
                   "reindexed": 0, "to_reindex": 0, "reindex_errors": 0, "reindexing": 0})
        );
    }
}
