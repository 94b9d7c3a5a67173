//! Concept languages: the name (and definition) of a concept in other languages.

use serde::{Deserialize, Serialize};

use super::common::JsonMap;
use super::model::{empty_request, page_request};
use super::status::Status;
use crate::redacted::redactable;

/// The name of a concept in one language (`ConceptLanguage`).
///
/// ```
/// use clarifai_typed::models::ConceptLanguage;
/// let zh = ConceptLanguage::new("zh", "狗").with_definition("一种动物");
/// assert_eq!(
///     serde_json::to_value(&zh).unwrap(),
///     serde_json::json!({"id": "zh", "name": "狗", "definition": "一种动物"})
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ConceptLanguage {
    /// The language code (`zh`, `ja`, `en` ...).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The concept's name in that language.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Its definition in that language.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub definition: String,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl ConceptLanguage {
    /// The name `name` in language `language` (`zh`).
    pub fn new(language: impl Into<String>, name: impl Into<String>) -> ConceptLanguage {
        ConceptLanguage {
            id: language.into(),
            name: name.into(),
            ..ConceptLanguage::default()
        }
    }

    /// Sets the definition.
    pub fn with_definition(mut self, definition: impl Into<String>) -> ConceptLanguage {
        self.definition = definition.into();
        self
    }
}

page_request! {
    /// `ListConceptLanguages` query: a page of a concept's languages.
    ListConceptLanguagesRequest;
}

empty_request! {
    /// `GetConceptLanguage`: no body (concept and language are in the path).
    GetConceptLanguageRequest;
}

crate::models::common::list_request! {
    /// `PostConceptLanguages` body: names of the concept in the path, in other languages.
    PostConceptLanguagesRequest {
        /// The names, one per language (the language is the id).
        concept_languages: ConceptLanguage
    }
    new: "Adds these names.";
}

crate::models::common::patch_request! {
    /// `PatchConceptLanguages` body: changes to names of the concept in the path, by language.
    PatchConceptLanguagesRequest {
        /// The names, by language id, with the fields to change.
        concept_languages: ConceptLanguage
    }
    new: "Applies `action` to these names.";
}

/// Names of a concept (`MultiConceptLanguageResponse`): `ListConceptLanguages`,
/// `PostConceptLanguages`, `PatchConceptLanguages`. `concept_languages` is always sent, even
/// empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultiConceptLanguageResponse {
    /// The outcome.
    pub status: Status,
    /// The names, one per language.
    pub concept_languages: Vec<ConceptLanguage>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// One name of a concept (`SingleConceptLanguageResponse`): `GetConceptLanguage`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SingleConceptLanguageResponse {
    /// The outcome.
    pub status: Status,
    /// The name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concept_language: Option<ConceptLanguage>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

// A concept's names are read and written with the concept scopes themselves (the gates), so
// nothing here is guarded apart.
redactable! {
    MultiConceptLanguageResponse {}
    SingleConceptLanguageResponse {}
}

super::fields::decode_fields! {
    ConceptLanguage { id, name, definition }
    MultiConceptLanguageResponse { status, concept_languages }
    SingleConceptLanguageResponse { status, concept_language }
}
