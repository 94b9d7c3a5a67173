//! The emulator's data: users, apps and what they hold, keys. Kept in memory behind one lock,
//! the model every handler reads.
//!
//! Every change is also recorded: the collections ([`Table`], [`Keys`]) note which entities were
//! written or removed, so that after a request [`State::take_changes`] hands exactly those to the
//! state file ([`crate::store`]), never the whole state. Their read side is a slice (or a map);
//! changing goes through their methods only (`push`, `get_mut`, `retain`, ...), so no change can
//! escape the record.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Deref;

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
#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    /// Users by id. Users and apps are only ever added ([`State::ensure_app`]).
    pub(crate) users: BTreeMap<String, User>,
    /// Keys by secret.
    pub(crate) keys: Keys,
}

/// A user and their apps. Its row in the state file holds `id` and `created_at`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct User {
    pub(crate) id: String,
    pub(crate) created_at: String,
    #[serde(skip)]
    pub(crate) apps: BTreeMap<String, App>,
    /// Not yet in the state file.
    #[serde(skip)]
    changed: bool,
}

/// An app and everything in it. Its row in the state file holds the fields up to
/// `modified_at`; each entity of its tables has a row of its own.
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
    #[serde(skip)]
    pub(crate) inputs: Table<InputRec>,
    #[serde(skip)]
    pub(crate) concepts: Table<ConceptRec>,
    #[serde(skip)]
    pub(crate) annotations: Table<AnnotationRec>,
    #[serde(skip)]
    pub(crate) models: Table<ModelRec>,
    #[serde(skip)]
    pub(crate) workflows: Table<WorkflowRec>,
    /// The fields above the tables changed since the last [`State::take_changes`].
    #[serde(skip)]
    changed: bool,
    /// Positions of `inputs` by id, so that finding an input by id costs the same whatever the
    /// app holds (a million inputs through the batching benchmark). A cache: built when first
    /// needed, kept by [`App::push_inputs`], dropped by [`App::retain_inputs`]; a lookup checks
    /// what it finds, so a stale cache is slow, never wrong.
    #[serde(skip)]
    input_index: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
    /// Saved searches, datasets, collaborators, concept languages, evaluations: tables too.
    #[serde(skip)]
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
            inputs: Table::default(),
            concepts: Table::default(),
            annotations: Table::default(),
            models: Table::default(),
            workflows: Table::default(),
            changed: true,
            input_index: Default::default(),
            records: AppRecords::default(),
        }
    }

    /// The position of input `id` in `inputs`.
    fn input_position(&self, id: &str) -> Option<usize> {
        let index = self.input_index.get_or_init(|| {
            self.inputs
                .iter()
                .enumerate()
                .map(|(p, i)| (i.id.clone(), p))
                .collect()
        });
        match index.get(id) {
            Some(&p) if self.inputs.get(p).is_some_and(|i| i.id == id) => Some(p),
            None if index.len() == self.inputs.len() => None,
            _ => self.inputs.iter().position(|i| i.id == id),
        }
    }

    /// Sets `modified_at` to now (and records the change).
    pub(crate) fn touch(&mut self) {
        self.modified_at = time::now();
        self.changed = true;
    }

    pub(crate) fn input(&self, id: &str) -> Option<&InputRec> {
        self.input_position(id).and_then(|p| self.inputs.get(p))
    }

    /// The input with this id, to change (recorded as changed).
    pub(crate) fn input_mut(&mut self, id: &str) -> Option<&mut InputRec> {
        self.input_position(id)
            .and_then(|p| self.inputs.get_mut_at(p))
    }

    /// Adds inputs at the end.
    pub(crate) fn push_inputs(&mut self, new: impl IntoIterator<Item = InputRec>) {
        for input in new {
            if let Some(index) = self.input_index.get_mut() {
                index.insert(input.id.clone(), self.inputs.len());
            }
            self.inputs.push(input);
        }
    }

    /// Keeps the inputs `keep` says to keep.
    pub(crate) fn retain_inputs(&mut self, keep: impl FnMut(&InputRec) -> bool) {
        self.inputs.retain(keep);
        self.input_index = Default::default();
    }

    /// Gives every input without one its input-level annotation: the inputs of a state file
    /// written before the emulator created them. Recorded as changes (written at start).
    pub(crate) fn ensure_input_annotations(&mut self) {
        let have: std::collections::HashSet<&str> = self
            .annotations
            .iter()
            .filter(|a| a.input_level)
            .map(|a| a.input_id.as_str())
            .collect();
        let missing: Vec<AnnotationRec> = self
            .inputs
            .iter()
            .filter(|i| !have.contains(i.id.as_str()))
            .map(|i| AnnotationRec::input_level(&i.id, &i.created_at))
            .collect();
        self.annotations.extend(missing);
    }

    /// Positions in `annotations` of the input-level annotations of these inputs, by input id:
    /// one pass over the annotations.
    pub(crate) fn input_annotation_positions(
        &self,
        input_ids: &[&str],
    ) -> std::collections::HashMap<String, usize> {
        self.annotations
            .iter()
            .enumerate()
            .filter(|(_, a)| a.input_level && input_ids.contains(&a.input_id.as_str()))
            .map(|(p, a)| (a.input_id.clone(), p))
            .collect()
    }

    pub(crate) fn model(&self, id: &str) -> Option<&ModelRec> {
        self.models.iter().find(|m| m.id == id)
    }

    /// Creates the concepts named in `concepts` (a JSON list of `{id, name?}`) that do not exist.
    pub(crate) fn ensure_concepts<'a>(&mut self, concepts: impl IntoIterator<Item = &'a Value>) {
        let mut concepts = concepts.into_iter().peekable();
        if concepts.peek().is_none() {
            return;
        }
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
        // The input-level annotation's concepts are `own` (it holds no copy).
        let from_annotations = self
            .annotations
            .iter()
            .filter(|a| a.input_id == input.id && !a.input_level)
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
    /// Random, drawn when the input is added: the background processing writes its results only
    /// to the input it read, not to a later one that re-uses the id after a delete.
    #[serde(default)]
    pub(crate) nonce: u64,
    /// `data` as sent (image bytes kept in `image.base64`, stripped when shown).
    pub(crate) data: Value,
    pub(crate) created_at: String,
    pub(crate) modified_at: String,
    pub(crate) status_code: StatusCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) status_details: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) features: Option<Features>,
    /// The bytes downloaded from `data.image.url` or `data.video.url` (base64), kept for the
    /// hosted copies; bytes uploaded as `base64` stay in `data`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) fetched: Option<String>,
}

impl InputRec {
    /// `image` or `video`: what the input holds.
    pub(crate) fn media_kind(&self) -> &'static str {
        if self.data.get("image").is_none() && self.data.get("video").is_some() {
            "video"
        } else {
            "image"
        }
    }

    /// The input's bytes, base64: uploaded, or downloaded from its URL.
    pub(crate) fn bytes_b64(&self) -> Option<&str> {
        self.data
            .get(self.media_kind())
            .and_then(|m| m.get("base64"))
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .or(self.fetched.as_deref())
    }
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
    /// For the input-level annotation, everything but `concepts`: its concepts are the input's
    /// own `data.concepts` (see [`AnnotationRec::input_level`]).
    pub(crate) data: Value,
    pub(crate) created_at: String,
    pub(crate) modified_at: String,
    /// The annotation PostInputs creates for each input (Clarifai's "input-level annotation").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) input_level: bool,
}

impl AnnotationRec {
    /// A new input-level annotation of input `input_id`.
    ///
    /// One source of truth: the concepts an input was labelled with live in the input's
    /// `data.concepts`, and its input-level annotation holds no copy. It shows them
    /// (`api::render::annotation`), PatchAnnotations on it changes them (as PatchInputs
    /// does), and PatchInputs shows through it; nothing can fall out of step. The annotation
    /// goes with its input (DeleteInputs) and is kept by DeleteAnnotations by `input_ids`;
    /// deleting it by its id is refused (remove its concepts instead).
    pub(crate) fn input_level(input_id: &str, now: &str) -> AnnotationRec {
        AnnotationRec {
            id: random_id(),
            input_id: input_id.into(),
            data: Value::Object(serde_json::Map::new()),
            created_at: now.into(),
            modified_at: now.into(),
            input_level: true,
        }
    }
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
    /// For a concept the app's inputs carry only as negative labels: the centroid of those
    /// inputs (the concept then scores how unlike them an image is).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) negatives: Vec<(String, Vec<f32>)>,
    #[serde(default)]
    pub(crate) total_input_count: u32,
    /// `output_info.output_config` the version was created with (hyper parameters ...).
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub(crate) output_config: Value,
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
    format!("{:032x}", rand::random::<u128>())
}

impl State {
    /// App `app` of user `user`, if both exist (background work finds its app again by ids).
    pub(crate) fn app_mut(&mut self, user: &str, app: &str) -> Option<&mut App> {
        self.users.get_mut(user)?.apps.get_mut(app)
    }

    /// Creates the user and their app when missing.
    pub(crate) fn ensure_app(&mut self, user: &str, app: &str) {
        let u = self.users.entry(user.to_string()).or_insert_with(|| User {
            id: user.into(),
            created_at: time::now(),
            apps: BTreeMap::new(),
            changed: true,
        });
        u.apps
            .entry(app.to_string())
            .or_insert_with(|| App::new(user, app));
    }

    /// See [`App::ensure_input_annotations`]: for every app (after reading the state file).
    pub(crate) fn ensure_input_annotations(&mut self) {
        for app in self.users.values_mut().flat_map(|u| u.apps.values_mut()) {
            app.ensure_input_annotations();
        }
    }

    /// The changes since the last call, as rows to write or remove, in an order that keeps each
    /// table's order when the rows are read back (rows are read in the order of their first
    /// write). Clears the record.
    ///
    /// Entities are copied here as JSON values (a copy, cheap even for large images); turning
    /// them into text is left to the writer, outside the state lock.
    pub(crate) fn take_changes(&mut self) -> Vec<Op> {
        let mut out = Vec::new();
        for user in self.users.values_mut() {
            if std::mem::take(&mut user.changed) {
                put(&mut out, RowKey::new(Kind::User, &user.id, "", ""), &*user);
            }
            for app in user.apps.values_mut() {
                if std::mem::take(&mut app.changed) {
                    put(
                        &mut out,
                        RowKey::new(Kind::App, &user.id, &app.id, ""),
                        &*app,
                    );
                }
                let (u, a) = (&user.id, &app.id);
                app.inputs.take_changes(u, a, &mut out);
                app.concepts.take_changes(u, a, &mut out);
                app.annotations.take_changes(u, a, &mut out);
                app.models.take_changes(u, a, &mut out);
                app.workflows.take_changes(u, a, &mut out);
                app.records.take_changes(u, a, &mut out);
            }
        }
        self.keys.take_changes(&mut out);
        out
    }

    /// Clears the record of changes (no state file: nothing to write).
    pub(crate) fn forget_changes(&mut self) {
        for user in self.users.values_mut() {
            user.changed = false;
            for app in user.apps.values_mut() {
                app.changed = false;
                app.inputs.changed.clear();
                app.concepts.changed.clear();
                app.annotations.changed.clear();
                app.models.changed.clear();
                app.workflows.changed.clear();
                app.records.forget_changes();
            }
        }
        self.keys.changed.clear();
    }

    /// Adds one row read from the state file (users first, then apps, then the rest in the
    /// order of their first write). The error names the row, never a key's id (its secret).
    pub(crate) fn load_row(
        &mut self,
        kind: &str,
        user_id: &str,
        app_id: &str,
        body: &str,
        big: Option<(&str, String)>,
    ) -> Result<(), String> {
        let Some(kind) = Kind::parse(kind) else {
            return Err(format!("a row of unknown kind '{kind}'"));
        };
        let what = match kind {
            Kind::User => format!("user '{user_id}'"),
            Kind::Key => "a key".to_string(),
            k => format!("{} of app '{user_id}/{app_id}'", k.as_str()),
        };
        // Category and place only: serde's messages may quote the value (a secret).
        let bad = |e: serde_json::Error| {
            format!(
                "the row of {what} does not decode ({:?} error at line {} column {})",
                e.classify(),
                e.line(),
                e.column()
            )
        };
        let mut v: Value = serde_json::from_str(body).map_err(bad)?;
        // The big string, if any, goes back where it was taken from (see `crate::store`).
        if let Some((path, text)) = big {
            let slot = v
                .pointer_mut(path)
                .ok_or_else(|| format!("the row of {what} misses a part"))?;
            *slot = Value::String(text);
        }
        match kind {
            Kind::User => {
                let user: User = from(v, &what)?;
                self.users.insert(user.id.clone(), user);
                return Ok(());
            }
            Kind::Key => {
                let key: KeyRec = from(v, &what)?;
                self.keys.map.insert(key.id.clone(), key);
                return Ok(());
            }
            _ => {}
        }
        let Some(user) = self.users.get_mut(user_id) else {
            return Err(format!("{what} belongs to no user of the file"));
        };
        if kind == Kind::App {
            let app: App = from(v, &what)?;
            user.apps.insert(app.id.clone(), app);
            return Ok(());
        }
        let Some(app) = user.apps.get_mut(app_id) else {
            return Err(format!("{what} belongs to no app of the file"));
        };
        match kind {
            Kind::Input => app.inputs.rows.push(from(v, &what)?),
            Kind::Concept => app.concepts.rows.push(from(v, &what)?),
            Kind::Annotation => app.annotations.rows.push(from(v, &what)?),
            Kind::Model => app.models.rows.push(from(v, &what)?),
            Kind::Workflow => app.workflows.rows.push(from(v, &what)?),
            Kind::SavedSearch => app.records.searches.rows.push(from(v, &what)?),
            Kind::Dataset => app.records.datasets.rows.push(from(v, &what)?),
            Kind::Collaborator => app.records.collaborators.rows.push(from(v, &what)?),
            Kind::ConceptLanguage => app.records.concept_languages.rows.push(from(v, &what)?),
            Kind::Evaluation => app.records.evaluations.rows.push(from(v, &what)?),
            Kind::User | Kind::App | Kind::Key => {}
        }
        Ok(())
    }
}

/// Decodes a state-file row; the error names the row (`what`) and the kind of problem only.
fn from<T: serde::de::DeserializeOwned>(v: Value, what: &str) -> Result<T, String> {
    serde_json::from_value(v).map_err(|e| {
        format!(
            "the row of {what} does not decode ({:?} error)",
            e.classify()
        )
    })
}

/// What a row of the state file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    User,
    App,
    Input,
    Concept,
    Annotation,
    Model,
    Workflow,
    Key,
    SavedSearch,
    Dataset,
    Collaborator,
    ConceptLanguage,
    Evaluation,
}

impl Kind {
    const ALL: [Kind; 13] = [
        Kind::User,
        Kind::App,
        Kind::Input,
        Kind::Concept,
        Kind::Annotation,
        Kind::Model,
        Kind::Workflow,
        Kind::Key,
        Kind::SavedSearch,
        Kind::Dataset,
        Kind::Collaborator,
        Kind::ConceptLanguage,
        Kind::Evaluation,
    ];

    /// The name in the state file's `kind` column.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::App => "app",
            Kind::Input => "input",
            Kind::Concept => "concept",
            Kind::Annotation => "annotation",
            Kind::Model => "model",
            Kind::Workflow => "workflow",
            Kind::Key => "key",
            Kind::SavedSearch => "saved_search",
            Kind::Dataset => "dataset",
            Kind::Collaborator => "collaborator",
            Kind::ConceptLanguage => "concept_language",
            Kind::Evaluation => "evaluation",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where an entity's row is: `(kind, user, app, id)`, with `""` for what does not apply (a user
/// row has no app nor id; a key is found by its id alone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RowKey {
    pub(crate) kind: Kind,
    pub(crate) user_id: String,
    pub(crate) app_id: String,
    pub(crate) id: String,
}

impl RowKey {
    fn new(kind: Kind, user_id: &str, app_id: &str, id: &str) -> RowKey {
        RowKey {
            kind,
            user_id: user_id.into(),
            app_id: app_id.into(),
            id: id.into(),
        }
    }
}

/// One change to the state file.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    /// Write the row (a new row goes after every existing one).
    Put(RowKey, Value),
    /// Remove the row.
    Delete(RowKey),
}

fn put(out: &mut Vec<Op>, key: RowKey, entity: &impl Serialize) {
    match serde_json::to_value(entity) {
        Ok(v) => out.push(Op::Put(key, v)),
        // Not reachable with the types stored here (string map keys, finite numbers).
        Err(e) => eprintln!(
            "clarifai-emulator: a {} does not serialize, not saved: {e}",
            key.kind.as_str()
        ),
    }
}

/// An entity of an app's table: found by its id, unique in the table.
pub(crate) trait Entity: Serialize {
    const KIND: Kind;
    fn id(&self) -> &str;
}

macro_rules! entities {
    ($($t:ty => $kind:ident),* $(,)?) => {$(
        impl Entity for $t {
            const KIND: Kind = Kind::$kind;
            fn id(&self) -> &str {
                &self.id
            }
        }
    )*};
}

entities! {
    InputRec => Input,
    ConceptRec => Concept,
    AnnotationRec => Annotation,
    ModelRec => Model,
    WorkflowRec => Workflow,
    SavedSearchRec => SavedSearch,
    DatasetRec => Dataset,
    CollaboratorRec => Collaborator,
    ConceptLanguageRec => ConceptLanguage,
    EvaluationRec => Evaluation,
}

/// An app's list of entities (in the order they were added) that records what changes: read it
/// as a slice; change it with [`push`](Table::push), [`extend`](Table::extend),
/// [`get_mut`](Table::get_mut), [`retain`](Table::retain) or [`clear`](Table::clear).
#[derive(Debug, Clone)]
pub(crate) struct Table<T> {
    rows: Vec<T>,
    /// Ids written or removed since the last [`State::take_changes`].
    changed: BTreeMap<String, Mark>,
}

/// What happened to an id of a [`Table`] since the last [`State::take_changes`].
#[derive(Debug, Clone, Copy, Default)]
struct Mark {
    /// It was removed: its row must go (and a re-added entity gets a new row, at the end).
    removed: bool,
    /// It is in the table now: its row must be written.
    present: bool,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table {
            rows: Vec::new(),
            changed: BTreeMap::new(),
        }
    }
}

impl<T> Deref for Table<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.rows
    }
}

impl<'a, T> IntoIterator for &'a Table<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.rows.iter()
    }
}

impl<T: Entity> Table<T> {
    /// Records that `id` is in the table and (perhaps) changed.
    fn mark(changed: &mut BTreeMap<String, Mark>, id: &str) {
        changed.entry(id.to_string()).or_default().present = true;
    }

    /// Adds an entity at the end.
    pub(crate) fn push(&mut self, row: T) {
        Self::mark(&mut self.changed, row.id());
        self.rows.push(row);
    }

    /// Adds entities at the end.
    pub(crate) fn extend(&mut self, rows: impl IntoIterator<Item = T>) {
        for row in rows {
            self.push(row);
        }
    }

    /// The entity with this id, to change (recorded as changed).
    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        let i = self.rows.iter().position(|r| r.id() == id)?;
        Self::mark(&mut self.changed, id);
        Some(&mut self.rows[i])
    }

    /// The entity at `index` (a position in the table, as from `iter().enumerate()`), to change
    /// (recorded as changed): for a handler that indexed the table once.
    pub(crate) fn get_mut_at(&mut self, index: usize) -> Option<&mut T> {
        let row = self.rows.get_mut(index)?;
        Self::mark(&mut self.changed, row.id());
        Some(row)
    }

    /// Keeps the entities `keep` says yes to; the others are removed.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        let changed = &mut self.changed;
        self.rows.retain(|r| {
            let kept = keep(r);
            if !kept {
                let mark = changed.entry(r.id().to_string()).or_default();
                mark.removed = true;
                mark.present = false;
            }
            kept
        });
    }

    /// Removes every entity.
    pub(crate) fn clear(&mut self) {
        self.retain(|_| false);
    }

    fn take_changes(&mut self, user_id: &str, app_id: &str, out: &mut Vec<Op>) {
        if self.changed.is_empty() {
            return;
        }
        let changed = std::mem::take(&mut self.changed);
        let key = |id: &str| RowKey::new(T::KIND, user_id, app_id, id);
        for (id, _) in changed.iter().filter(|(_, m)| m.removed) {
            out.push(Op::Delete(key(id)));
        }
        // Writes in table order, so that new rows are read back in this order. Looking from the
        // end, where new entities are, and stopping once every changed one is found: adding to
        // a large table does not scan it.
        let mut left = changed.values().filter(|m| m.present).count();
        let mut found = Vec::with_capacity(left);
        for row in self.rows.iter().rev() {
            if left == 0 {
                break;
            }
            if changed.contains_key(row.id()) {
                found.push(row);
                left -= 1;
            }
        }
        for row in found.into_iter().rev() {
            put(out, key(row.id()), row);
        }
    }
}

/// The keys by secret, recording what changes: read it as a map; change it with
/// [`insert`](Keys::insert), [`get_mut`](Keys::get_mut) or [`remove`](Keys::remove).
#[derive(Debug, Clone, Default)]
pub(crate) struct Keys {
    map: BTreeMap<String, KeyRec>,
    changed: BTreeSet<String>,
}

impl Deref for Keys {
    type Target = BTreeMap<String, KeyRec>;
    fn deref(&self) -> &BTreeMap<String, KeyRec> {
        &self.map
    }
}

impl Keys {
    pub(crate) fn insert(&mut self, secret: String, key: KeyRec) -> Option<KeyRec> {
        self.changed.insert(secret.clone());
        self.map.insert(secret, key)
    }

    pub(crate) fn get_mut(&mut self, secret: &str) -> Option<&mut KeyRec> {
        let key = self.map.get_mut(secret)?;
        self.changed.insert(secret.to_string());
        Some(key)
    }

    pub(crate) fn remove(&mut self, secret: &str) -> Option<KeyRec> {
        self.changed.insert(secret.to_string());
        self.map.remove(secret)
    }

    fn take_changes(&mut self, out: &mut Vec<Op>) {
        for secret in std::mem::take(&mut self.changed) {
            let key = RowKey::new(Kind::Key, "", "", &secret);
            match self.map.get(&secret) {
                Some(k) => put(out, key, k),
                None => out.push(Op::Delete(key)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concept(id: &str) -> ConceptRec {
        ConceptRec {
            id: id.into(),
            name: id.into(),
            language: "en".into(),
            created_at: String::new(),
        }
    }

    /// The ops as `("put" | "delete", id)`.
    fn ops(table: &mut Table<ConceptRec>) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        table.take_changes("u", "a", &mut out);
        out.into_iter()
            .map(|op| match op {
                Op::Put(k, _) => ("put", k.id),
                Op::Delete(k) => ("delete", k.id),
            })
            .collect()
    }

    #[test]
    fn a_table_records_exactly_what_changed_in_table_order() {
        let mut t: Table<ConceptRec> = Table::default();
        t.extend(["c", "a", "b"].map(concept));
        let put = |id: &str| ("put", id.to_string());
        let delete = |id: &str| ("delete", id.to_string());
        assert_eq!(ops(&mut t), [put("c"), put("a"), put("b")]);
        assert_eq!(ops(&mut t), []);
        // Read only: nothing to write.
        assert_eq!(t.iter().filter(|c| c.id == "a").count(), 1);
        assert_eq!(ops(&mut t), []);
        // Changed, removed, and removed then added again (a new row, at the end).
        if let Some(b) = t.get_mut("b") {
            b.name = "B".into();
        }
        t.retain(|c| c.id != "c" && c.id != "a");
        t.push(concept("c"));
        assert_eq!(ops(&mut t), [delete("a"), delete("c"), put("b"), put("c")]);
        let _ = t.get_mut_at(0);
        assert_eq!(ops(&mut t), [put("b")]);
        t.clear();
        assert_eq!(ops(&mut t), [delete("b"), delete("c")]);
        assert!(t.is_empty());
    }
}
