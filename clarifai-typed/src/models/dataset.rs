//! Datasets: named sets of an app's inputs, their members, and their versions (snapshots that
//! are processed in the background, then ready, with counts).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::common::{JsonMap, Timestamp, Visibility};
use super::input::Input;
use super::model::{empty_request, page_request};
use super::status::Status;
use crate::redacted::redactable;

/// A dataset of an app (`Dataset`).
///
/// ```
/// use clarifai_typed::models::Dataset;
/// let d = Dataset::new("cats").with_description("every cat");
/// assert_eq!(
///     serde_json::to_value(&d).unwrap(),
///     serde_json::json!({"id": "cats", "description": "every cat"})
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Dataset {
    /// The dataset's id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
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
    /// A description.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Free-form metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<JsonMap>,
    /// Who may read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    /// Notes (markdown).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Its latest version, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<Box<DatasetVersion>>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Dataset {
    /// A dataset by id.
    pub fn new(id: impl Into<String>) -> Dataset {
        Dataset {
            id: id.into(),
            ..Dataset::default()
        }
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Dataset {
        self.description = description.into();
        self
    }
}

/// A version of a dataset (`DatasetVersion`): the dataset's inputs when it was made, processed in
/// the background (`status` 64005 pending, 64010 in progress, 64015 ready, 64020 failed).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct DatasetVersion {
    /// The version's id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// When it was made.
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
    /// The dataset it is a version of.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub dataset_id: String,
    /// Its processing status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// A description.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Counts, by part of the dataset (`"/"`: all of it), once ready.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub metrics: BTreeMap<String, DatasetVersionMetrics>,
    /// Free-form metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<JsonMap>,
    /// Who may read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    /// Fields this version does not model (`export_info`, `annotation_filter_config` ...), kept
    /// for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl DatasetVersion {
    /// A version to make, by id (empty: the server makes one).
    pub fn new(id: impl Into<String>) -> DatasetVersion {
        DatasetVersion {
            id: id.into(),
            ..DatasetVersion::default()
        }
    }
}

/// Counts of a dataset version (`DatasetVersionMetrics`); on the wire each is a
/// `google.protobuf.UInt64Value`, a JSON string (`"12"`), absent when unknown. Only the counts
/// of inputs and labels are modelled.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DatasetVersionMetrics {
    /// Inputs in the version.
    #[serde(skip_serializing_if = "Option::is_none", with = "uint64")]
    pub inputs_count: Option<u64>,
    /// Inputs without a positive label.
    #[serde(skip_serializing_if = "Option::is_none", with = "uint64")]
    pub unlabeled_inputs_count: Option<u64>,
    /// Inputs with metadata.
    #[serde(skip_serializing_if = "Option::is_none", with = "uint64")]
    pub inputs_with_metadata_count: Option<u64>,
    /// Inputs with a geographic point.
    #[serde(skip_serializing_if = "Option::is_none", with = "uint64")]
    pub inputs_with_geo_count: Option<u64>,
    /// Positive labels on whole inputs.
    #[serde(skip_serializing_if = "Option::is_none", with = "uint64")]
    pub positive_input_tags_count: Option<u64>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// A 64-bit count as proto3 JSON writes it (a string), read from a string or a number.
mod uint64 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(v: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(n) => s.serialize_str(&n.to_string()),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        match Option::<serde_json::Value>::deserialize(d)? {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::Number(n)) => n
                .as_u64()
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom("a count must be a non-negative integer")),
            Some(serde_json::Value::String(s)) => s
                .parse()
                .map(Some)
                .map_err(|_| serde::de::Error::custom("a count must be a non-negative integer")),
            Some(_) => Err(serde::de::Error::custom(
                "a count must be a number or a numeric string",
            )),
        }
    }
}

/// An input of a dataset (`DatasetInput`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct DatasetInput {
    /// The input (in a request: by id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<Input>,
    /// When it was added to the dataset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl DatasetInput {
    /// The app's input `input_id`.
    pub fn by_id(input_id: impl Into<String>) -> DatasetInput {
        DatasetInput {
            input: Some(Input::with_id_only(input_id)),
            ..DatasetInput::default()
        }
    }
}

crate::models::common::list_request! {
    /// `PostDatasets` body: datasets to create.
    PostDatasetsRequest {
        /// The datasets (give each an id to make the call safe to repeat).
        datasets: Dataset
    }
    new: "Creates these datasets.";
}

page_request! {
    /// `ListDatasets` query: a page of the app's datasets.
    ListDatasetsRequest;
    /// `ListDatasetVersions` query: a page of a dataset's versions.
    ListDatasetVersionsRequest;
    /// `ListDatasetInputs` query: a page of a dataset's inputs.
    ListDatasetInputsRequest;
}

empty_request! {
    /// `GetDataset`: no body (the dataset id is in the path).
    GetDatasetRequest;
    /// `GetDatasetVersion`: no body (dataset and version ids are in the path).
    GetDatasetVersionRequest;
}

crate::models::common::ids_request! {
    /// `DeleteDatasets` body: datasets to delete by id.
    DeleteDatasetsRequest { dataset_ids }
    ids: "Deletes these datasets.";
}

crate::models::common::list_request! {
    /// `PostDatasetVersions` body: versions to make of the dataset in the path.
    PostDatasetVersionsRequest {
        /// The versions (usually one; give it an id to make the call safe to repeat).
        dataset_versions: DatasetVersion
    }
    new: "Makes these versions.";
}

crate::models::common::ids_request! {
    /// `DeleteDatasetVersions` body: versions to delete by id.
    DeleteDatasetVersionsRequest { dataset_version_ids }
    ids: "Deletes these versions.";
}

crate::models::common::list_request! {
    /// `PostDatasetInputs` body: inputs of the app to add to the dataset in the path.
    PostDatasetInputsRequest {
        /// The inputs, by id ([`DatasetInput::by_id`]).
        dataset_inputs: DatasetInput
    }
    new: "Adds these inputs.";
}

/// Datasets (`MultiDatasetResponse`): `PostDatasets`, `ListDatasets`. `datasets` is always sent,
/// even empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultiDatasetResponse {
    /// The outcome.
    pub status: Status,
    /// The datasets.
    pub datasets: Vec<Dataset>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// One dataset (`SingleDatasetResponse`): `GetDataset`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SingleDatasetResponse {
    /// The outcome.
    pub status: Status,
    /// The dataset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dataset: Option<Dataset>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// Dataset versions (`MultiDatasetVersionResponse`): `PostDatasetVersions`,
/// `ListDatasetVersions`. `dataset_versions` is always sent, even empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultiDatasetVersionResponse {
    /// The outcome.
    pub status: Status,
    /// The versions.
    pub dataset_versions: Vec<DatasetVersion>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// One dataset version (`SingleDatasetVersionResponse`): `GetDatasetVersion`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SingleDatasetVersionResponse {
    /// The outcome.
    pub status: Status,
    /// The version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dataset_version: Option<DatasetVersion>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// Inputs of a dataset (`MultiDatasetInputResponse`): `PostDatasetInputs`, `ListDatasetInputs`.
/// `dataset_inputs` is always sent, even empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultiDatasetInputResponse {
    /// The outcome.
    pub status: Status,
    /// The dataset's inputs.
    pub dataset_inputs: Vec<DatasetInput>,
    /// Fields this version does not model (`bulk_operation`), kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

redactable! {
    Dataset {}
    DatasetVersion {}
    DatasetInput { input }
    MultiDatasetResponse { datasets }
    SingleDatasetResponse { dataset }
    MultiDatasetVersionResponse { dataset_versions }
    SingleDatasetVersionResponse { dataset_version }
    MultiDatasetInputResponse { dataset_inputs }
}

super::fields::decode_fields! {
    Dataset { id, created_at, modified_at, app_id, user_id, description, metadata, visibility, notes, version }
    DatasetVersion { id, created_at, modified_at, app_id, user_id, dataset_id, status, description, metrics, metadata, visibility }
    DatasetInput { input, created_at }
    MultiDatasetResponse { status, datasets }
    SingleDatasetResponse { status, dataset }
    MultiDatasetVersionResponse { status, dataset_versions }
    SingleDatasetVersionResponse { status, dataset_version }
    MultiDatasetInputResponse { status, dataset_inputs }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dataset_version_counts_are_uint64_strings() {
        let v: DatasetVersion = serde_json::from_value(json!({
            "id": "v1", "dataset_id": "d",
            "status": {"code": 64015},
            "metrics": {"/": {"inputs_count": "3", "unlabeled_inputs_count": 1}}
        }))
        .unwrap();
        assert_eq!(v.metrics["/"].inputs_count, Some(3));
        assert_eq!(v.metrics["/"].unlabeled_inputs_count, Some(1));
        assert_eq!(
            serde_json::to_value(&v).unwrap()["metrics"],
            json!({"/": {"inputs_count": "3", "unlabeled_inputs_count": "1"}})
        );
        assert!(
            serde_json::from_value::<DatasetVersionMetrics>(json!({"inputs_count": "many"}))
                .is_err()
        );
        assert_eq!(
            serde_json::to_value(PostDatasetInputsRequest::new([DatasetInput::by_id("in1")]))
                .unwrap(),
            json!({"dataset_inputs": [{"input": {"id": "in1"}}]})
        );
    }
}
