//! Model version evaluation: PostModelVersionMetrics queues it (21303 "Model is queued for
//! evaluation.") and returns at once; a background task evaluates the version and records 21300
//! with the metrics, or 21315 when no input is labelled with its concepts. GetModelVersionMetrics
//! shows where it is (21302 before any evaluation), as the real API does asynchronously.
//!
//! The evaluation scores the app's processed inputs labelled with the version's concepts (positive
//! or negative), each concept as predictions with the version do: by the cosine similarity of the
//! input's embedding to the centroid of the concept's positive examples, or one minus that to the
//! centroid of its negative ones when it has only those. Metrics: per concept the ROC AUC over its
//! positive and negative inputs, and precision, recall and F1 of the version's best concept per
//! input; their macro averages, and the top-1 accuracy, in `summary`. The version is evaluated on
//! the inputs it was trained on, so the figures are optimistic, as Clarifai's on training data.

use std::sync::Arc;

use clarifai_typed::endpoint::PathParam;
use clarifai_typed::models::StatusCode;
use serde_json::{Value, json};

use super::render;
use crate::builtin;
use crate::request::{Call, Reply};
use crate::shared::{Busy, Shared, lock};
use crate::state::{App, EvaluationRec, VersionRec};
use crate::status::{ApiError, ApiResult, status_json};
use crate::vision::{cosine, number};

/// `model_version.metrics` of an evaluation record (or of none: not evaluated).
fn metrics_json(rec: Option<&EvaluationRec>) -> Value {
    let Some(rec) = rec else {
        return json!({"status": status_json(StatusCode::MODEL_NOT_EVALUATED, None)});
    };
    let mut m = json!({"status": status_json(rec.status_code, rec.status_details.as_deref())});
    if let (Some(o), Some(Value::Object(result))) = (m.as_object_mut(), &rec.result) {
        for (k, v) in result {
            o.insert(k.clone(), v.clone());
        }
    }
    m
}

/// The app's version `version_id` of custom model `model_id`, or the error the API gives.
fn version<'a>(app: &'a App, model_id: &str, version_id: &str) -> ApiResult<&'a VersionRec> {
    let Some(m) = app.model(model_id) else {
        return Err(if builtin::find(model_id).is_some() {
            ApiError::new(
                StatusCode::MODEL_INVALID_ARGUMENT,
                format!(
                    "model '{model_id}' is a built-in model: only the app's own models are evaluated"
                ),
            )
        } else {
            ApiError::not_found("model", model_id)
        });
    };
    m.versions
        .iter()
        .find(|v| v.id == version_id)
        .ok_or_else(|| ApiError::not_found("model version", version_id))
}

/// PostModelVersionMetrics: queues the evaluation of a trained version (again, if it was
/// evaluated before) and answers the version with `metrics.status` 21303.
pub(crate) fn evaluate(call: &Call) -> ApiResult<Reply> {
    let model_id = call.param(PathParam::ModelId).to_string();
    let version_id = call.param(PathParam::VersionId).to_string();
    let shown = call.with_app_mut(|app| {
        let v = version(app, &model_id, &version_id)?;
        if v.status_code != StatusCode::MODEL_TRAINED {
            return Err(ApiError::new(
                StatusCode::MODEL_INVALID_ARGUMENT,
                format!(
                    "version '{version_id}' of model '{model_id}' is not trained (status {}): only a trained version is evaluated",
                    v.status_code.0
                ),
            ));
        }
        let mut shown = render::version(v, app, &model_id);
        let rec = EvaluationRec {
            id: EvaluationRec::id_of(&model_id, &version_id),
            model_id: model_id.clone(),
            version_id: version_id.clone(),
            status_code: StatusCode::MODEL_QUEUED_FOR_EVALUATION,
            status_details: None,
            result: None,
        };
        shown["metrics"] = metrics_json(Some(&rec));
        let evaluations = &mut app.records.evaluations;
        evaluations.retain(|e| !(e.model_id == model_id && e.version_id == version_id));
        evaluations.push(rec);
        Ok(shown)
    })?;
    spawn_evaluation(
        call.shared.clone(),
        call.target.user_id.clone(),
        call.app_id().to_string(),
        model_id,
        version_id,
    );
    Ok(Reply::one("model_version", shown).changed())
}

/// GetModelVersionMetrics: the version with its `metrics` (21302 when never evaluated; a built-in
/// model's version is never evaluated here).
pub(crate) fn get_metrics(call: &Call) -> ApiResult<Reply> {
    let model_id = call.param(PathParam::ModelId);
    let version_id = call.param(PathParam::VersionId);
    call.with_app(|app| {
        let mut shown = match app.model(model_id) {
            Some(_) => render::version(version(app, model_id, version_id)?, app, model_id),
            None => {
                let b = builtin::find(model_id)
                    .ok_or_else(|| ApiError::not_found("model", model_id))?;
                let v = b
                    .version(version_id)
                    .ok_or_else(|| ApiError::not_found("model version", version_id))?;
                render::builtin_version(b, model_id, v)
            }
        };
        let rec = app
            .records
            .evaluations
            .iter()
            .find(|e| e.model_id == model_id && e.version_id == version_id);
        shown["metrics"] = metrics_json(rec);
        Ok(Reply::one("model_version", shown))
    })
}

fn spawn_evaluation(
    shared: Arc<Shared>,
    user: String,
    app: String,
    model_id: String,
    version_id: String,
) {
    let busy = Busy::start(&shared);
    tokio::spawn(async move {
        let _busy = busy;
        // The answer that queued the evaluation goes out first.
        tokio::task::yield_now().await;
        {
            let mut state = lock(&shared.state);
            let Some(app) = state.app_mut(&user, &app) else {
                return;
            };
            let outcome = version(app, &model_id, &version_id)
                .map_err(|e| e.details)
                .and_then(|v| evaluate_version(app, v));
            let Some(rec) = app
                .records
                .evaluations
                .get_mut(&EvaluationRec::id_of(&model_id, &version_id))
            else {
                return;
            };
            match outcome {
                Ok(result) => {
                    rec.status_code = StatusCode::MODEL_EVALUATED;
                    rec.status_details = None;
                    rec.result = Some(result);
                }
                Err(details) => {
                    rec.status_code = StatusCode::MODEL_EVALUATION_NEED_LABELS;
                    rec.status_details = Some(details);
                    rec.result = None;
                }
            }
        }
        if let Err(e) = shared.persist().await {
            eprintln!("clarifai-emulator: an evaluation not saved: the state file {e}");
        }
    });
}

/// Per-concept counts and figures.
struct ConceptMetrics {
    positives: usize,
    roc_auc: Option<f32>,
    precision: f32,
    recall: f32,
    f1: f32,
}

/// Evaluates `v` on the app's inputs labelled with its concepts: `{summary}`, or why it cannot
/// be evaluated.
fn evaluate_version(app: &App, v: &VersionRec) -> Result<Value, String> {
    // The version's concepts as predictions score them: by similarity to the centroid of their
    // positive examples, or by dissimilarity to that of their negative ones when they have none.
    let scorers: Vec<(&str, &[f32], bool)> = v
        .centroids
        .iter()
        .map(|(id, c)| (id.as_str(), c.as_slice(), false))
        .chain(
            v.negatives
                .iter()
                .map(|(id, c)| (id.as_str(), c.as_slice(), true)),
        )
        .collect();
    // (scores by scorer, positive concept ids) per processed input labelled (positive or
    // negative) with one of the version's concepts.
    let mut rows: Vec<(Vec<f32>, Vec<&str>)> = Vec::new();
    for input in &app.inputs {
        let Some(f) = &input.features else { continue };
        let labels = app.labels(input);
        let relevant: Vec<&(String, f32)> = labels
            .iter()
            .filter(|(c, _)| scorers.iter().any(|(k, _, _)| k == c))
            .collect();
        if relevant.is_empty() {
            continue;
        }
        let scores = scorers
            .iter()
            .map(|(_, centroid, negative)| {
                let similarity = cosine(&f.embedding, centroid);
                if *negative {
                    1.0 - similarity
                } else {
                    similarity
                }
            })
            .collect();
        let positives = scorers
            .iter()
            .map(|(k, _, _)| *k)
            .filter(|k| relevant.iter().any(|(c, value)| c == k && *value > 0.0))
            .collect();
        rows.push((scores, positives));
    }
    if rows.is_empty() {
        return Err(format!(
            "no processed input of the app is labelled with the version's concepts ({})",
            v.concepts.join(", ")
        ));
    }
    let best = |scores: &[f32]| -> Option<usize> {
        scores
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(i, _)| i)
    };
    let mut per_concept = Vec::new();
    for (ci, (concept, _, _)) in scorers.iter().enumerate() {
        let is_pos = |row: &(Vec<f32>, Vec<&str>)| row.1.contains(concept);
        let pos: Vec<f32> = rows.iter().filter(|r| is_pos(r)).map(|r| r.0[ci]).collect();
        let neg: Vec<f32> = rows
            .iter()
            .filter(|r| !is_pos(r))
            .map(|r| r.0[ci])
            .collect();
        // Area under the ROC curve: the chance that a positive input outscores a negative one.
        let roc_auc = (!pos.is_empty() && !neg.is_empty()).then(|| {
            let wins: f32 = pos
                .iter()
                .flat_map(|p| {
                    neg.iter().map(move |n| match p.total_cmp(n) {
                        std::cmp::Ordering::Greater => 1.0,
                        std::cmp::Ordering::Equal => 0.5,
                        std::cmp::Ordering::Less => 0.0,
                    })
                })
                .sum();
            wins / (pos.len() * neg.len()) as f32
        });
        let predicted = |r: &(Vec<f32>, Vec<&str>)| best(&r.0) == Some(ci);
        let tp = rows.iter().filter(|r| predicted(r) && is_pos(r)).count() as f32;
        let fp = rows.iter().filter(|r| predicted(r) && !is_pos(r)).count() as f32;
        let fnn = rows.iter().filter(|r| !predicted(r) && is_pos(r)).count() as f32;
        let ratio = |a: f32, b: f32| if b > 0.0 { a / b } else { 0.0 };
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + fnn);
        per_concept.push(ConceptMetrics {
            positives: pos.len(),
            roc_auc,
            precision,
            recall,
            f1: ratio(2.0 * precision * recall, precision + recall),
        });
    }
    let with_positives: Vec<&ConceptMetrics> =
        per_concept.iter().filter(|m| m.positives > 0).collect();
    let mean = |f: &dyn Fn(&ConceptMetrics) -> Option<f32>| -> Option<f32> {
        let xs: Vec<f32> = with_positives.iter().filter_map(|m| f(m)).collect();
        (!xs.is_empty()).then(|| xs.iter().sum::<f32>() / xs.len() as f32)
    };
    let labelled = rows.iter().filter(|r| !r.1.is_empty()).count();
    let top1 = rows
        .iter()
        .filter(|r| best(&r.0).is_some_and(|i| r.1.contains(&scorers[i].0)))
        .count();
    // Each figure only where it is defined: a concept without positive examples has no recall,
    // one without negatives no ROC AUC.
    let mut summary = json!({});
    for (field, value) in [
        ("macro_avg_f1_score", mean(&|m| Some(m.f1))),
        ("macro_avg_precision", mean(&|m| Some(m.precision))),
        ("macro_avg_recall", mean(&|m| Some(m.recall))),
    ] {
        if let Some(x) = value {
            summary[field] = number(x, 4);
        }
    }
    if labelled > 0 {
        summary["top1_accuracy"] = number(top1 as f32 / labelled as f32, 4);
    }
    if let Some(auc) = mean(&|m| m.roc_auc) {
        summary["macro_avg_roc_auc"] = number(auc, 4);
    }
    // Per-concept figures would name the concepts, which a key without `Concepts:Get` may not
    // read, and the typed answer does not model them: only the summary is sent.
    Ok(json!({"summary": summary}))
}
