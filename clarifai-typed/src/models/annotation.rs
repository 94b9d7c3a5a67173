//! Annotations: labels (concepts, regions) attached to inputs by users or models.

use serde::{Deserialize, Serialize};

use super::common::{JsonMap, Timestamp, is_false, is_zero_u32};
use super::data::Data;
use super::model::empty_request;
use super::status::Status;
use crate::redacted::redactable;

/// An annotation of an input (`Annotation`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Annotation {
    /// The annotation's id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The input it annotates.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub input_id: String,
    /// What it says (concepts, regions ...; concepts are redacted without `Concepts:Get`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Data>,
    /// Free-form information.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotation_info: Option<JsonMap>,
    /// When it was created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// When it last changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<Timestamp>,
    /// Its status (24150 success ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The user who made it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub user_id: String,
    /// The app it belongs to.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub app_id: String,
    /// The model version that made it, if a model did.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub model_version_id: String,
    /// Whether a trusted annotator made it.
    #[serde(skip_serializing_if = "is_false")]
    pub trusted: bool,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Annotation {
    /// An annotation of input `input_id` with `data`.
    pub fn new(input_id: impl Into<String>, data: Data) -> Annotation {
        Annotation {
            input_id: input_id.into(),
            data: Some(data),
            ..Annotation::default()
        }
    }
}

/// `ListAnnotations` query: a page of the app's annotations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ListAnnotationsRequest {
    /// Only these annotations.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub ids: Vec<String>,
    /// Only annotations of these inputs.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub input_ids: Vec<String>,
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

empty_request! {
    /// `GetAnnotation`: no body (input and annotation ids are in the path).
    GetAnnotationRequest;
    /// `DeleteAnnotation`: no body (input and annotation ids are in the path).
    DeleteAnnotationRequest;
}

crate::models::common::list_request! {
    /// `PostAnnotations` body: annotations to add.
    PostAnnotationsRequest {
        /// The annotations.
        annotations: Annotation
    }
    new: "Adds these annotations.";
}

crate::models::common::patch_request! {
    /// `PatchAnnotations` body: changes to annotations.
    PatchAnnotationsRequest {
        /// The annotations, by id, with the fields to change.
        annotations: Annotation
    }
    new: "Applies `action` to these annotations.";
}

/// `DeleteAnnotations` body: annotations to delete by id, or all annotations of some inputs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DeleteAnnotationsRequest {
    /// The annotation ids.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub ids: Vec<String>,
    /// The inputs whose annotations go.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub input_ids: Vec<String>,
}

/// Annotations (`MultiAnnotationResponse`): `ListAnnotations`, `PostAnnotations`,
/// `PatchAnnotations`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultiAnnotationResponse {
    /// The outcome.
    pub status: Status,
    /// The annotations.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub annotations: Vec<Annotation>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// One annotation (`SingleAnnotationResponse`): `GetAnnotation`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SingleAnnotationResponse {
    /// The outcome.
    pub status: Status,
    /// The annotation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub annotation: Option<Annotation>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

redactable! {
    Annotation is Annotation { data }
    MultiAnnotationResponse { annotations }
    SingleAnnotationResponse { annotation }
}

super::fields::decode_fields! {
    Annotation { id, input_id, data, annotation_info, created_at, modified_at, status, user_id, app_id, model_version_id, trusted }
    MultiAnnotationResponse { status, annotations }
    SingleAnnotationResponse { status, annotation }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::{BoundingBox, Concept, Region, RegionInfo};
    use serde_json::json;

    #[test]
    fn annotation_request_shapes() {
        let mut region = Region {
            region_info: Some(RegionInfo::bounding_box(BoundingBox::new(
                0.125, 0.25, 0.5, 0.75,
            ))),
            ..Region::default()
        };
        region.data = Some(Data::default().with_concepts([Concept::positive("face")]));
        let mut data = Data::default().with_concepts([Concept::positive("dog")]);
        data.regions.push(region);
        let req = PostAnnotationsRequest::new([Annotation::new("in-1", data)]);
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            json!({"annotations": [{"input_id": "in-1", "data": {
                "concepts": [{"id": "dog", "value": 1.0}],
                "regions": [{
                    "region_info": {"bounding_box": {"top_row": 0.125, "left_col": 0.25, "bottom_row": 0.5, "right_col": 0.75}},
                    "data": {"concepts": [{"id": "face", "value": 1.0}]}
                }]
            }}]})
        );
        let del = DeleteAnnotationsRequest {
            ids: vec!["a1".into()],
            input_ids: vec!["in-1".into()],
        };
        assert_eq!(
            serde_json::to_value(&del).unwrap(),
            json!({"ids": ["a1"], "input_ids": ["in-1"]})
        );
    }
}
