//! The emulator's data: users, apps and what they hold, keys. Kept in memory behind one lock and,
//! when a state file is set, saved as JSON after every change.

use std::collections::BTreeMap;

use clarifai_typed::Scope;
use clarifai_typed::models::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::time;
use crate::vision::Features;

mod records;

pub(crate) use records::{
    AppRecords, CollaboratorRec, ConceptLanguageRec, DatasetRec, DatasetVersionRec, EvaluationRec,
    SavedSearchRec,
};

/// Everything the emulator knows.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct State {
    /// Users by id.
    #[serde(default)]
    pub(crate) users: BTreeMap<String, User>,
    /// Keys by secret.
    #[serde(default)]
    pub(crate) keys: BTreeMap<String, KeyRec>,
}

/// A user and their apps.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct User {
    pub(crate) id: String,
    pub(crate) created_at: String,
    #[serde(default)]
    pub(crate) apps: BTreeMap<String, App>,
}

/// An app and everything in it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct App {
    pub(crate) id: String,
    pub(crate) user_id: String,
    #[serde(default)]
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) description: String,
    pub(crate) created_at: String,
    pub(crate) modified_at: String,
    #[serde(default)]
    pub(crate) inputs: Vec<InputRec>,
    #[serde(default)]
    pub(crate) concepts: Vec<ConceptRec>,
    #[serde(default)]
    pub(crate) annotations: Vec<AnnotationRec>,
    #[serde(default)]
    pub(crate) models: Vec<ModelRec>,
    #[serde(default)]
    pub(crate) workflows: Vec<WorkflowRec>,
    /// Saved searches, datasets, collaborators, concept languages, evaluations.
    #[serde(default)]
    pub(crate) records: AppRecords,
}

impl App {
    pub(crate) fn new(user_id: &str, id: &str) -> App {
        let now = time::now();
        App {
            id: id.into(),
            user_id: user_id.into(),
            name: id.into(),
            description: String::new(),
            created_at: now.clone(),
            modified_at: now,
            inputs: Vec::new(),
            concepts: Vec::new(),
            annotations: Vec::new(),
            models: Vec::new(),
            workflows: Vec::new(),
            records: AppRecords::default(),
        }
    }

    pub(crate) fn input(&self, id: &str) -> Option<&InputRec> {
        self.inputs.iter().find(|i| i.id == id)
    }

    pub(crate) fn model(&self, id: &str) -> Option<&ModelRec> {
        self.models.iter().find(|m| m.id == id)
    }

    /// Creates the concepts named in `concepts` (a JSON list of `{id, name?}`) that do not exist.
    pub(crate) fn ensure_concepts(&mut self, concepts: &[Value]) {
        // One pass over the app's concepts, not one per given concept.
        let mut known: std::collections::HashSet<String> =
            self.concepts.iter().map(|k| k.id.clone()).collect();
        for c in concepts {
            let Some(id) = c
                .get("id")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
            else {
                continue;
            };
            if known.insert(id.to_owned()) {
                let name = c.get("name").and_then(Value::as_str).unwrap_or(id);
                self.concepts.push(ConceptRec {
                    id: id.into(),
                    name: name.into(),
                    language: "en".into(),
                    created_at: time::now(),
                });
            }
        }
    }

    /// Fills `name` (from the app's concepts) and `app_id` into the concepts of `data`, as the
    /// API shows them.
    pub(crate) fn enrich_concepts(&self, data: &mut Value) {
        let Some(list) = data.get_mut("concepts").and_then(Value::as_array_mut) else {
            return;
        };
        for c in list.iter_mut() {
            let Some(o) = c.as_object_mut() else {
                continue;
            };
            let id = o
                .get("id")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            if !o.contains_key("name") && !id.is_empty() {
                o.insert("name".into(), Value::String(self.concept_name(&id)));
            }
            o.insert("app_id".into(), Value::String(self.id.clone()));
        }
    }

    pub(crate) fn concept_name(&self, id: &str) -> String {
        self.concepts
            .iter()
            .find(|c| c.id == id)
            .map_or_else(|| id.to_string(), |c| c.name.clone())
    }

    /// The labels of an input: its own `data.concepts` merged with its annotations' concepts
    /// (later ones win), as `(concept id, value)`.
    pub(crate) fn labels(&self, input: &InputRec) -> Vec<(String, f32)> {
        let mut out: Vec<(String, f32)> = Vec::new();
        let own = input.data.get("concepts").and_then(Value::as_array);
        let from_annotations = self
            .annotations
            .iter()
            .filter(|a| a.input_id == input.id)
            .filter_map(|a| a.data.get("concepts").and_then(Value::as_array));
        for list in own.into_iter().chain(from_annotations) {
            for c in list {
                let Some(id) = c.get("id").and_then(Value::as_str) else {
                    continue;
                };
                let value = c.get("value").and_then(Value::as_f64).unwrap_or(1.0) as f32;
                match out.iter_mut().find(|(k, _)| k == id) {
                    Some(e) => e.1 = value,
                    None => out.push((id.to_string(), value)),
                }
            }
        }
        out
    }
}

/// An input.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct InputRec {
    pub(crate) id: String,
    /// `data` as sent (image bytes kept in `image.base64`, stripped when shown).
    pub(crate) data: Value,
    pub(crate) created_at: String,
    pub(crate) modified_at: String,
    pub(crate) status_code: StatusCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) status_details: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) features: Option<Features>,
}

/// A concept of an app.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ConceptRec {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) language: String,
    pub(crate) created_at: String,
}

/// An annotation (labels attached to an input).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AnnotationRec {
    pub(crate) id: String,
    pub(crate) input_id: String,
    pub(crate) data: Value,
    pub(crate) created_at: String,
    pub(crate) modified_at: String,
}

/// A custom model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ModelRec {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) created_at: String,
    pub(crate) modified_at: String,
    pub(crate) model_type_id: String,
    /// Concept ids of `output_info.data.concepts`.
    pub(crate) concepts: Vec<String>,
    /// `output_info.output_config` as sent.
    #[serde(default)]
    pub(crate) output_config: Value,
    /// Versions, oldest first.
    #[serde(default)]
    pub(crate) versions: Vec<VersionRec>,
}

/// A model version: for a trained one, one centroid per concept.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct VersionRec {
    pub(crate) id: String,
    pub(crate) created_at: String,
    pub(crate) status_code: StatusCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) status_details: Option<String>,
    pub(crate) concepts: Vec<String>,
    #[serde(default)]
    pub(crate) centroids: Vec<(String, Vec<f32>)>,
    #[serde(default)]
    pub(crate) total_input_count: u32,
}

/// A workflow.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct WorkflowRec {
    pub(crate) id: String,
    pub(crate) created_at: String,
    pub(crate) modified_at: String,
    pub(crate) nodes: Vec<NodeRec>,
}

/// A workflow node: one model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct NodeRec {
    pub(crate) id: String,
    pub(crate) model_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) model_version_id: Option<String>,
}

/// The two kinds of key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum KeyType {
    /// An app-specific key: one app.
    AppSpecificKey,
    /// A personal access token: the user's apps, through full paths.
    PersonalAccessToken,
}

impl KeyType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            KeyType::AppSpecificKey => "app_specific_key",
            KeyType::PersonalAccessToken => "personal_access_token",
        }
    }
}

/// A key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct KeyRec {
    /// The secret (Clarifai calls it the key's id).
    pub(crate) id: String,
    #[serde(rename = "type")]
    pub(crate) key_type: KeyType,
    pub(crate) user_id: String,
    /// For an app key, its one app id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) app_id: Option<String>,
    #[serde(default)]
    pub(crate) description: String,
    /// The scopes as granted (closed over their dependencies).
    pub(crate) scopes: Vec<Scope>,
    pub(crate) created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) expires_at: Option<String>,
    /// Endpoint-level permissions (`/clarifai.api.V2/PostModelOutputs`): when not empty, the key
    /// may call only these RPCs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) endpoints: Vec<String>,
}

impl KeyRec {
    /// The scopes the emulator checks: the granted ones, plus `Apps:Get` for an app key (the
    /// portal grants it with every app key; the client's key types always include it).
    pub(crate) fn effective_scopes(&self) -> Vec<Scope> {
        let mut s = self.scopes.clone();
        let apps_get = Scope::of::<clarifai_typed::scope::GetApps>();
        if self.key_type == KeyType::AppSpecificKey
            && !s.contains(&apps_get)
            && !s.iter().any(Scope::is_all)
        {
            s.push(apps_get);
        }
        s
    }

    pub(crate) fn is_expired(&self) -> bool {
        self.expires_at
            .as_deref()
            .and_then(time::parse)
            .is_some_and(|t| t <= time::unix_now())
    }
}

/// `scopes` closed over Clarifai's scope dependencies (`Inputs:Delete` brings `Inputs:Add` and
/// `Inputs:Get`), in a stable order, without duplicates.
pub(crate) fn close_scopes(scopes: &[Scope]) -> Vec<Scope> {
    let mut out: Vec<Scope> = Vec::new();
    let mut todo: Vec<Scope> = scopes.to_vec();
    while let Some(s) = todo.pop() {
        if out.contains(&s) {
            continue;
        }
        todo.extend(s.dependencies());
        out.push(s);
    }
    out.sort();
    out
}

/// A random 32-hex-digit id (secrets and server-made ids).
pub(crate) fn random_id() -> String {
    use rand::Rng;
    let bytes: [u8; 16] = rand::rng().random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
