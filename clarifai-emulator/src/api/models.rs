//! Models and model versions, including training (PostModelVersions).

use clarifai_typed::endpoint::PathParam;
use clarifai_typed::models::StatusCode;
use std::time::Duration;

use serde_json::{Value, json};

use super::render;
use crate::builtin::{self, BUILTINS};
use crate::request::{Call, Reply, str_field};
use crate::shared::{Shared, lock};
use crate::state::{App, ModelRec, VersionRec, random_id};
use crate::status::{ApiError, ApiResult};
use crate::time;
use std::sync::Arc;

fn concept_ids(model: &Value) -> Vec<Value> {
    concept_ids_at(model, "/output_info/data/concepts")
}

fn concept_ids_at(v: &Value, pointer: &str) -> Vec<Value> {
    v.pointer(pointer)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

fn ids_of(concepts: &[Value]) -> Vec<String> {
    concepts
        .iter()
        .map(|c| str_field(c, "id").to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn builtin_is_readonly(id: &str) -> ApiError {
    ApiError::new(
        StatusCode::MODEL_INVALID_ARGUMENT,
        format!("model '{id}' is a built-in model and cannot be changed"),
    )
}

pub(crate) fn list_models(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    call.with_app(|app| {
        let all: Vec<Value> = app
            .models
            .iter()
            .map(|m| render::model(m, app, None, false))
            .chain(
                BUILTINS
                    .iter()
                    .map(|b| render::builtin_model(b, false, b.id(), b.version_id())),
            )
            .collect();
        Ok(Reply::ok(json!({"models": page.slice(&all)})))
    })
}

pub(crate) fn get_model(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::ModelId);
    let version = call.optional_param(PathParam::VersionId);
    call.with_app(|app| {
        if let Some(m) = app.model(id) {
            let v = match version {
                Some(v) => Some(
                    m.versions
                        .iter()
                        .find(|x| x.id == v)
                        .ok_or_else(|| ApiError::not_found("model version", v))?,
                ),
                None => None,
            };
            return Ok(Reply::ok(json!({"model": render::model(m, app, v, true)})));
        }
        let b = builtin::find(id).ok_or_else(|| ApiError::not_found("model", id))?;
        let version = match version {
            Some(v) => b
                .version(v)
                .ok_or_else(|| ApiError::not_found("model version", v))?,
            None => b.version_id(),
        };
        Ok(Reply::ok(
            json!({"model": render::builtin_model(b, true, id, version)}),
        ))
    })
}

pub(crate) fn post_models(call: &Call) -> ApiResult<Reply> {
    let mut given = call.list("models")?.to_vec();
    if let Some(m) = call.body.get("model").filter(|m| m.is_object()) {
        given.insert(0, m.clone());
    }
    if given.is_empty() {
        return Err(ApiError::bad_request("give 'model' or 'models'"));
    }
    let now = time::now();
    let shown = call.with_app_mut(|app| {
        let mut created: Vec<ModelRec> = Vec::new();
        // Concepts are made once every model is known to be valid: a failed request stores
        // nothing.
        let mut new_concepts: Vec<Value> = Vec::new();
        for g in &given {
            let id = match str_field(g, "id") {
                "" => random_id(),
                id => id.to_string(),
            };
            if app.model(&id).is_some()
                || builtin::find(&id).is_some()
                || created.iter().any(|m| m.id == id)
            {
                return Err(ApiError::new(
                    StatusCode::DATABASE_DUPLICATE_KEY,
                    format!("model id '{id}' already exists"),
                ));
            }
            let concepts = concept_ids(g);
            let concept_ids = ids_of(&concepts);
            new_concepts.extend(concepts);
            created.push(ModelRec {
                name: match str_field(g, "name") {
                    "" => id.clone(),
                    n => n.to_string(),
                },
                id,
                created_at: now.clone(),
                modified_at: now.clone(),
                model_type_id: match str_field(g, "model_type_id") {
                    "" => "embedding-classifier".into(),
                    t => t.to_string(),
                },
                versions: vec![VersionRec {
                    id: random_id(),
                    created_at: now.clone(),
                    status_code: StatusCode::MODEL_UNTRAINED,
                    status_details: None,
                    concepts: concept_ids.clone(),
                    centroids: Vec::new(),
                    negatives: Vec::new(),
                    total_input_count: 0,
                    output_config: Value::Null,
                }],
                concepts: concept_ids,
                output_config: g
                    .pointer("/output_info/output_config")
                    .cloned()
                    .unwrap_or_else(|| json!({})),
            });
        }
        app.ensure_concepts(&new_concepts);
        let shown: Vec<Value> = created
            .iter()
            .map(|m| render::model(m, app, None, true))
            .collect();
        app.models.extend(created);
        Ok(shown)
    })?;
    let first = shown.first().cloned().unwrap_or_else(|| json!({}));
    Ok(Reply::one("model", first).changed())
}

pub(crate) fn patch_models(call: &Call) -> ApiResult<Reply> {
    let given = call.list("models")?;
    let action = call.action()?.to_string();
    let now = time::now();
    let shown = call.with_app_mut(|app| {
        for g in given {
            let id = str_field(g, "id");
            if app.model(id).is_none() {
                return Err(if builtin::find(id).is_some() {
                    builtin_is_readonly(id)
                } else {
                    ApiError::not_found("model", id)
                });
            }
        }
        let mut shown = Vec::new();
        for g in given {
            let concepts = concept_ids(g);
            if action != "remove" {
                app.ensure_concepts(&concepts);
            }
            let ids = ids_of(&concepts);
            let Some(m) = app.models.get_mut(str_field(g, "id")) else {
                continue;
            };
            if let Some(name) = g.get("name").and_then(Value::as_str) {
                m.name = name.into();
            }
            if let Some(c) = g.pointer("/output_info/output_config") {
                m.output_config = c.clone();
            }
            if g.pointer("/output_info/data/concepts").is_some() {
                match action.as_str() {
                    "overwrite" => m.concepts = ids,
                    "remove" => m.concepts.retain(|c| !ids.contains(c)),
                    _ => {
                        for id in ids {
                            if !m.concepts.contains(&id) {
                                m.concepts.push(id);
                            }
                        }
                    }
                }
            }
            m.modified_at = now.clone();
            let snapshot = m.clone();
            shown.push(render::model(&snapshot, app, None, true));
        }
        Ok(shown)
    })?;
    Ok(Reply::one("models", shown).changed())
}

pub(crate) fn delete_model(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::ModelId).to_string();
    call.with_app_mut(|app| {
        if app.model(&id).is_none() {
            return Err(if builtin::find(&id).is_some() {
                builtin_is_readonly(&id)
            } else {
                ApiError::not_found("model", &id)
            });
        }
        app.models.retain(|m| m.id != id);
        Ok(())
    })?;
    Ok(Reply::ok(json!({})).changed())
}

pub(crate) fn delete_models(call: &Call) -> ApiResult<Reply> {
    // A bare `DELETE /v2/models` (neither ids nor delete_all) deletes every model: Clarifai's
    // "Delete all models" example sends no body, nor did its old Java client.
    let bare = ["ids", "delete_all"]
        .iter()
        .all(|f| call.body.get(*f).is_none() && call.query(f).is_none());
    let (ids, all) = if bare {
        (Vec::new(), true)
    } else {
        call.delete_ids()?
    };
    call.with_app_mut(|app| {
        if all {
            app.models.clear();
            return Ok(());
        }
        if let Some(missing) = ids.iter().find(|id| app.model(id).is_none()) {
            return Err(ApiError::not_found("model", missing));
        }
        app.models.retain(|m| !ids.contains(&m.id));
        Ok(())
    })?;
    Ok(Reply::ok(json!({})).changed())
}

pub(crate) fn list_model_types(_call: &Call) -> ApiResult<Reply> {
    Ok(Reply::ok(json!({"model_types": [
        {"id": "embedding-classifier", "title": "Transfer Learn", "description": "Classify images by the concepts of the app's labelled inputs (nearest centroid on embeddings)", "trainable": true, "creatable": true},
        {"id": "visual-classifier", "title": "Visual Classifier", "description": "Concepts of an image", "trainable": false, "creatable": false},
        {"id": "visual-embedder", "title": "Visual Embedder", "description": "A feature vector of an image", "trainable": false, "creatable": false},
        {"id": "color-recognizer", "title": "Color Recognizer", "description": "Dominant colours of an image", "trainable": false, "creatable": false},
    ]})))
}

pub(crate) fn list_model_inputs(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    let host = render::Hosting::of(call);
    let id = call.param(PathParam::ModelId);
    let version = call.optional_param(PathParam::VersionId).map(str::to_owned);
    call.with_app(|app| {
        let concepts: Vec<String> = match app.model(id) {
            Some(m) => match &version {
                Some(v) => m
                    .versions
                    .iter()
                    .find(|x| &x.id == v)
                    .ok_or_else(|| ApiError::not_found("model version", v))?
                    .concepts
                    .clone(),
                None => m.concepts.clone(),
            },
            None if builtin::find(id).is_some() => Vec::new(),
            None => return Err(ApiError::not_found("model", id)),
        };
        let inputs: Vec<Value> = app
            .inputs
            .iter()
            .filter(|i| app.labels(i).iter().any(|(c, _)| concepts.contains(c)))
            .map(|i| render::input(i, &host))
            .collect();
        Ok(Reply::ok(json!({"inputs": page.slice(&inputs)})))
    })
}

/// Creates a version and trains it in the background (`spawn_training`): the answer shows it
/// queued (21103). Its concepts and `output_config` are the request's
/// (`model_versions[0].output_info`), else the model's; with no concept it is refused (21202).
pub(crate) async fn post_model_versions(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::ModelId).to_string();
    let given = call.list("model_versions")?.iter().next();
    let given_concepts = given
        .as_ref()
        .map(|v| concept_ids_at(v, "/output_info/data/concepts"))
        .unwrap_or_default();
    let given_config = given
        .as_ref()
        .and_then(|v| v.pointer("/output_info/output_config"))
        .filter(|c| c.is_object())
        .cloned();
    let version_id = random_id();
    let shown = call.with_app_mut(|app| {
        let Some(model) = app.model(&id) else {
            return Err(if builtin::find(&id).is_some() {
                builtin_is_readonly(&id)
            } else {
                ApiError::not_found("model", &id)
            });
        };
        let concepts = if given_concepts.is_empty() {
            model.concepts.clone()
        } else {
            ids_of(&given_concepts)
        };
        if concepts.is_empty() {
            return Err(ApiError::new(
                StatusCode::MODEL_INVALID_ARGUMENT,
                format!(
                    "model '{id}' has no concepts to train on: give them in the model's or the version's output_info.data.concepts"
                ),
            ));
        }
        let output_config = given_config
            .clone()
            .unwrap_or_else(|| model.output_config.clone());
        app.ensure_concepts(&given_concepts);
        let Some(m) = app.models.get_mut(&id) else {
            return Err(ApiError::not_found("model", &id));
        };
        m.versions.push(VersionRec {
            id: version_id.clone(),
            created_at: time::now(),
            status_code: StatusCode::MODEL_QUEUED_FOR_TRAINING,
            status_details: None,
            concepts,
            centroids: Vec::new(),
            negatives: Vec::new(),
            total_input_count: 0,
            output_config,
        });
        m.modified_at = time::now();
        let snapshot = m.clone();
        Ok(render::model(&snapshot, app, None, true))
    })?;
    spawn_training(
        call.shared.clone(),
        call.target.user_id.clone(),
        call.app_id().to_string(),
        id,
        version_id,
    );
    Ok(Reply::one("model", shown).changed())
}

/// Trains version `version` of model `model` in the background: 21101 at once, then, once the
/// inputs still being processed are (30 s at most), 21100 with one centroid per concept (the
/// mean embedding of the app's inputs labelled positive with it), or 21110 without data.
fn spawn_training(shared: Arc<Shared>, user: String, app: String, model: String, version: String) {
    shared.training.send_modify(|n| *n += 1);
    // Runs `f` on the version (and its app) under the state lock, then stores the version back.
    let with_version = move |shared: &Shared, f: &mut dyn FnMut(&App, &mut VersionRec)| {
        let mut state = lock(&shared.state);
        let Some(app) = state.app_mut(&user, &app) else {
            return;
        };
        let Some(mut v) = app
            .model(&model)
            .and_then(|m| m.versions.iter().find(|v| v.id == version))
            .cloned()
        else {
            return;
        };
        f(app, &mut v);
        if let Some(slot) = app
            .models
            .get_mut(&model)
            .and_then(|m| m.versions.iter_mut().find(|x| x.id == v.id))
        {
            *slot = v;
        }
    };
    tokio::spawn(async move {
        with_version(&shared, &mut |_, v| {
            v.status_code = StatusCode::MODEL_TRAINING
        });
        let mut pending = shared.pending.subscribe();
        let _ = tokio::time::timeout(Duration::from_secs(30), pending.wait_for(|n| *n == 0)).await;
        // Read what training needs under the lock, train without it: the state stays readable
        // and writable however many inputs the app holds.
        let mut examples = Vec::new();
        with_version(&shared, &mut |app, v| {
            examples = training_examples(app, &v.concepts)
        });
        let trained = tokio::task::spawn_blocking(move || train(&examples))
            .await
            .ok();
        if let Some(trained) = trained {
            with_version(&shared, &mut |_, v| {
                v.status_code = trained.status_code;
                v.status_details = trained.status_details.clone();
                v.centroids = trained.centroids.clone();
                v.negatives = trained.negatives.clone();
                v.total_input_count = trained.total_input_count;
            });
        }
        if let Err(e) = shared.persist().await {
            eprintln!("clarifai-emulator: a trained version not saved: the state file {e}");
        }
        shared.training.send_modify(|n| *n = n.saturating_sub(1));
    });
}

/// The outcome of training on the app's processed inputs.
struct Trained {
    status_code: StatusCode,
    status_details: Option<String>,
    centroids: Vec<(String, Vec<f32>)>,
    negatives: Vec<(String, Vec<f32>)>,
    total_input_count: u32,
}

/// What training reads of the app: per concept, the embeddings of the processed inputs labelled
/// with it, positive and negative.
type Examples = Vec<(String, Vec<Vec<f32>>, Vec<Vec<f32>>)>;

fn training_examples(app: &App, concepts: &[String]) -> Examples {
    concepts
        .iter()
        .map(|c| {
            let (mut pos, mut neg) = (Vec::new(), Vec::new());
            for input in app.inputs.iter() {
                let Some(f) = &input.features else { continue };
                match app.labels(input).iter().find(|(id, _)| id == c) {
                    Some((_, v)) if *v > 0.0 => pos.push(f.embedding.clone()),
                    Some(_) => neg.push(f.embedding.clone()),
                    None => {}
                }
            }
            (c.clone(), pos, neg)
        })
        .collect()
}

/// One centroid per concept: the mean embedding of the processed inputs labelled positive with
/// it; for a concept the inputs carry only as negative labels, the mean of those (today's
/// JSON channel sends an unset `value` as 0, a negative label).
fn train(examples: &Examples) -> Trained {
    let mut centroids = Vec::new();
    let mut negatives = Vec::new();
    let mut used = 0u32;
    for (c, pos, neg) in examples {
        let mean = |vs: &[Vec<f32>]| {
            let mut m = Centroid::default();
            vs.iter().for_each(|v| m.add(v));
            (m.mean(), m.n)
        };
        match (mean(pos), mean(neg)) {
            ((Some(m), n), _) => {
                used += n;
                centroids.push((c.clone(), m));
            }
            (_, (Some(m), n)) => {
                used += n;
                negatives.push((c.clone(), m));
            }
            _ => {}
        }
    }
    let (status_code, status_details) = if centroids.is_empty() && negatives.is_empty() {
        (
            StatusCode::MODEL_TRAINING_NO_DATA,
            Some("no processed input of the app is labelled with the model's concepts".to_string()),
        )
    } else {
        (StatusCode::MODEL_TRAINED, None)
    };
    Trained {
        status_code,
        status_details,
        centroids,
        negatives,
        total_input_count: used,
    }
}

/// A running mean of embeddings.
#[derive(Default)]
struct Centroid {
    sum: Vec<f32>,
    n: u32,
}

impl Centroid {
    fn add(&mut self, v: &[f32]) {
        if self.sum.is_empty() {
            self.sum = vec![0.0; v.len()];
        }
        for (s, x) in self.sum.iter_mut().zip(v) {
            *s += x;
        }
        self.n += 1;
    }

    fn mean(&self) -> Option<Vec<f32>> {
        (self.n > 0).then(|| self.sum.iter().map(|s| s / self.n as f32).collect())
    }
}

pub(crate) fn list_model_versions(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    let id = call.param(PathParam::ModelId);
    call.with_app(|app| {
        let versions: Vec<Value> = match app.model(id) {
            Some(m) => m
                .versions
                .iter()
                .rev()
                .map(|v| render::version(v, app, &m.id))
                .collect(),
            None => {
                let b = builtin::find(id).ok_or_else(|| ApiError::not_found("model", id))?;
                b.version_ids
                    .iter()
                    .map(|v| render::builtin_version(b, id, v))
                    .collect()
            }
        };
        Ok(Reply::ok(json!({"model_versions": page.slice(&versions)})))
    })
}

pub(crate) fn get_model_version(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::ModelId);
    let vid = call.param(PathParam::VersionId);
    call.with_app(|app| {
        let v = match app.model(id) {
            Some(m) => m
                .versions
                .iter()
                .find(|v| v.id == vid)
                .map(|v| render::version(v, app, &m.id)),
            None => {
                let b = builtin::find(id).ok_or_else(|| ApiError::not_found("model", id))?;
                b.version(vid).map(|v| render::builtin_version(b, id, v))
            }
        };
        let v = v.ok_or_else(|| ApiError::not_found("model version", vid))?;
        Ok(Reply::one("model_version", v))
    })
}

pub(crate) fn delete_model_version(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::ModelId).to_string();
    let vid = call.param(PathParam::VersionId).to_string();
    call.with_app_mut(|app| {
        let Some(m) = app.models.get_mut(&id) else {
            return Err(if builtin::find(&id).is_some() {
                builtin_is_readonly(&id)
            } else {
                ApiError::not_found("model", &id)
            });
        };
        let before = m.versions.len();
        m.versions.retain(|v| v.id != vid);
        if m.versions.len() == before {
            return Err(ApiError::not_found("model version", &vid));
        }
        Ok(())
    })?;
    Ok(Reply::ok(json!({})).changed())
}
