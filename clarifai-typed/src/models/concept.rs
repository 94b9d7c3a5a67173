//! Concepts: labels and predictions, their searches and counts.

use serde::{Deserialize, Serialize};

use super::common::{JsonMap, Pagination, Timestamp, Visibility, is_zero_u32};
use super::status::Status;
use crate::redacted::redactable;

/// A concept: a label on an input, a prediction of a model, a class a model knows.
///
/// `value` is the score of a prediction, or for a label 1 (positive) or 0 (negative). It is an
/// `Option` so that a body round-trips as it came: the server always sends it in responses, and
/// in requests an absent `value` means 1.0 (`cl_default_float`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Concept {
    /// The concept's id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Its name (in `language`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Score or label value; `None` when absent (a request label then means 1.0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<f32>,
    /// When it was created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// The language of `name`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub language: String,
    /// The app that owns it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub app_id: String,
    /// A definition.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub definition: String,
    /// The vocabulary it belongs to (`age_appearance` ...).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub vocab_id: String,
    /// The user that owns it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub user_id: String,
    /// Who may read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Concept {
    /// A concept by id (as a request label: positive).
    pub fn new(id: impl Into<String>) -> Concept {
        Concept {
            id: id.into(),
            ..Concept::default()
        }
    }

    /// A positive label (`value` 1).
    pub fn positive(id: impl Into<String>) -> Concept {
        Concept::new(id).with_value(1.0)
    }

    /// A negative label (`value` 0).
    pub fn negative(id: impl Into<String>) -> Concept {
        Concept::new(id).with_value(0.0)
    }

    /// Sets the name.
    pub fn with_name(mut self, name: impl Into<String>) -> Concept {
        self.name = name.into();
        self
    }

    /// Sets the value.
    pub fn with_value(mut self, value: f32) -> Concept {
        self.value = Some(value);
        self
    }

    /// Sets the language.
    pub fn with_language(mut self, language: impl Into<String>) -> Concept {
        self.language = language.into();
        self
    }

    /// The name, or the id when the concept has no name.
    pub fn name_or_id(&self) -> &str {
        if self.name.is_empty() {
            &self.id
        } else {
            &self.name
        }
    }

    /// The value, with the request default (1.0) when absent.
    pub fn value_or_default(&self) -> f32 {
        self.value.unwrap_or(1.0)
    }
}

/// A concept search (`concept_query`): a name with `*` wildcards, in a language.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ConceptQuery {
    /// The name to match (`dog*`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The language of `name`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub language: String,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl ConceptQuery {
    /// A search by name.
    pub fn name(name: impl Into<String>) -> ConceptQuery {
        ConceptQuery {
            name: name.into(),
            ..ConceptQuery::default()
        }
    }

    /// Sets the language.
    pub fn with_language(mut self, language: impl Into<String>) -> ConceptQuery {
        self.language = language.into();
        self
    }
}

/// How many inputs carry a concept (`GetConceptCounts`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ConceptCount {
    /// The concept's id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Its name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Counts of positive and negative labels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concept_type_count: Option<ConceptTypeCount>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// Positive and negative label counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ConceptTypeCount {
    /// Inputs labelled with the concept.
    #[serde(
        skip_serializing_if = "is_zero_u32",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub positive: u32,
    /// Inputs labelled as not the concept.
    #[serde(
        skip_serializing_if = "is_zero_u32",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub negative: u32,
}

/// `ListConcepts` query: a page of the app's concepts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ListConceptsRequest {
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

/// `GetConceptCounts` query: a page of concept counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct GetConceptCountsRequest {
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

/// `GetConcept`: no body (the concept id is in the path).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GetConceptRequest {}

crate::models::common::list_request! {
    /// `PostConcepts` body: concepts to create.
    PostConceptsRequest {
        /// The concepts.
        concepts: Concept
    }
    new: "Creates these concepts.";
}

crate::models::common::patch_request! {
    /// `PatchConcepts` body: changes to concepts (`action` `overwrite`).
    PatchConceptsRequest {
        /// The concepts, by id, with the fields to change.
        concepts: Concept
    }
    new: "Applies `action` to these concepts.";
}

/// `PostConceptsSearches` body: find concepts by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct PostConceptsSearchesRequest {
    /// The search.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concept_query: Option<ConceptQuery>,
    /// Page selection.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
}

impl PostConceptsSearchesRequest {
    /// Searches with `query`.
    pub fn new(query: ConceptQuery) -> Self {
        PostConceptsSearchesRequest {
            concept_query: Some(query),
            pagination: None,
        }
    }
}

/// Concepts (`MultiConceptResponse`): `ListConcepts`, `PostConcepts`, `PatchConcepts`,
/// `PostConceptsSearches`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultiConceptResponse {
    /// The outcome.
    pub status: Status,
    /// The concepts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub concepts: Vec<Concept>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// One concept (`SingleConceptResponse`): `GetConcept`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SingleConceptResponse {
    /// The outcome.
    pub status: Status,
    /// The concept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concept: Option<Concept>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// Concept counts (`MultiConceptCountResponse`): `GetConceptCounts`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultiConceptCountResponse {
    /// The outcome.
    pub status: Status,
    /// The counts.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub concept_counts: Vec<ConceptCount>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

redactable! {
    Concept is Concepts {}
    MultiConceptResponse {}
    SingleConceptResponse {}
    MultiConceptCountResponse {}
}

super::fields::decode_fields! {
    Concept { id, name, value, created_at, language, app_id, definition, vocab_id, user_id, visibility }
    ConceptQuery { name, language }
    ConceptCount { id, name, concept_type_count }
    MultiConceptResponse { status, concepts }
    SingleConceptResponse { status, concept }
    MultiConceptCountResponse { status, concept_counts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::PatchAction;
    use serde_json::json;

    #[test]
    fn patch_concepts_request_shape() {
        let req = PatchConceptsRequest::new(
            PatchAction::OVERWRITE,
            [Concept::positive("dog")
                .with_name("Dog")
                .with_language("en")],
        );
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            json!({
                "concepts": [{"id": "dog", "name": "Dog", "value": 1.0, "language": "en"}],
                "action": "overwrite"
            })
        );
    }

    #[test]
    fn concept_search_request_shape() {
        let mut req =
            PostConceptsSearchesRequest::new(ConceptQuery::name("狗*").with_language("zh"));
        req.pagination = Some(Pagination::new(1, 20));
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            json!({
                "concept_query": {"name": "狗*", "language": "zh"},
                "pagination": {"page": 1, "per_page": 20}
            })
        );
        let post = PostConceptsRequest::new([Concept::new("cat"), Concept::negative("dog")]);
        assert_eq!(
            serde_json::to_value(&post).unwrap(),
            json!({"concepts": [{"id": "cat"}, {"id": "dog", "value": 0.0}]})
        );
    }
}
