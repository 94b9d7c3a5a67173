//! What an app holds besides its inputs, concepts, annotations, models and workflows: saved
//! searches, datasets and their versions, collaborators, concept names in other languages, and
//! model version evaluations. One field of [`App`](super::App), so that the app's shape stays
//! the one place its core lives; each record is an entity of a [`Table`], one row of the state
//! file.

use clarifai_typed::Scope;
use clarifai_typed::models::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Op, Table};

/// The records of an app (see the module): tables, each entity a row of the state file.
#[derive(Debug, Clone, Default)]
pub(crate) struct AppRecords {
    pub(crate) searches: Table<SavedSearchRec>,
    pub(crate) datasets: Table<DatasetRec>,
    pub(crate) collaborators: Table<CollaboratorRec>,
    pub(crate) concept_languages: Table<ConceptLanguageRec>,
    pub(crate) evaluations: Table<EvaluationRec>,
}

impl AppRecords {
    /// Adds the changes of every table to `out` (see [`State::take_changes`](super::State)).
    pub(super) fn take_changes(&mut self, user_id: &str, app_id: &str, out: &mut Vec<Op>) {
        self.searches.take_changes(user_id, app_id, out);
        self.datasets.take_changes(user_id, app_id, out);
        self.collaborators.take_changes(user_id, app_id, out);
        self.concept_languages.take_changes(user_id, app_id, out);
        self.evaluations.take_changes(user_id, app_id, out);
    }

    /// Clears the record of changes of every table.
    pub(super) fn forget_changes(&mut self) {
        self.searches.changed.clear();
        self.datasets.changed.clear();
        self.collaborators.changed.clear();
        self.concept_languages.changed.clear();
        self.evaluations.changed.clear();
    }
}

/// A saved search: its query as given (legacy `ands`, or `filters` and `ranks`), run again on
/// the app's inputs by `PostSearchesByID`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SavedSearchRec {
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) name: String,
    pub(crate) query: Value,
    /// Only inputs added at or before this time are searched (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) as_of: Option<String>,
    pub(crate) created_at: String,
    pub(crate) modified_at: String,
}

/// A dataset: a named set of the app's inputs, with its versions.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DatasetRec {
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) description: String,
    #[serde(default)]
    pub(crate) metadata: Value,
    pub(crate) created_at: String,
    pub(crate) modified_at: String,
    /// Member inputs (ids), with when each was added.
    #[serde(default)]
    pub(crate) inputs: Vec<(String, String)>,
    /// Versions, oldest first.
    #[serde(default)]
    pub(crate) versions: Vec<DatasetVersionRec>,
}

/// A version of a dataset: its member inputs when it was made, processed in the background
/// (64005 pending, then 64015 ready with its counts).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DatasetVersionRec {
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) description: String,
    pub(crate) created_at: String,
    pub(crate) modified_at: String,
    pub(crate) status_code: StatusCode,
    /// The member inputs when it was made.
    pub(crate) input_ids: Vec<String>,
    /// The counts (`metrics`), once ready.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) metrics: Option<Value>,
}

/// A collaborator: another user, and the scopes they get in the app.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CollaboratorRec {
    pub(crate) id: String,
    pub(crate) user_id: String,
    pub(crate) scopes: Vec<Scope>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) endpoints: Vec<String>,
    pub(crate) created_at: String,
    pub(crate) modified_at: String,
}

/// The name of a concept of the app in another language.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ConceptLanguageRec {
    /// `concept_id/language`: the entity's id in its table.
    pub(crate) id: String,
    pub(crate) concept_id: String,
    /// The language code (`zh`).
    pub(crate) language: String,
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) definition: String,
}

/// The evaluation of a model version: queued, then evaluated in the background.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct EvaluationRec {
    /// `model_id/version_id`: the entity's id in its table.
    pub(crate) id: String,
    pub(crate) model_id: String,
    pub(crate) version_id: String,
    pub(crate) status_code: StatusCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) status_details: Option<String>,
    /// `summary` and what else the evaluation found, once evaluated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) result: Option<Value>,
}

impl ConceptLanguageRec {
    /// The id of the name of concept `concept_id` in `language`.
    pub(crate) fn id_of(concept_id: &str, language: &str) -> String {
        format!("{concept_id}/{language}")
    }
}

impl EvaluationRec {
    /// The id of the evaluation of version `version_id` of model `model_id`.
    pub(crate) fn id_of(model_id: &str, version_id: &str) -> String {
        format!("{model_id}/{version_id}")
    }
}
