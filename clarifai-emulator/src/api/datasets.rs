//! Datasets: named sets of an app's inputs (PostDatasets, ListDatasets, GetDataset,
//! DeleteDatasets), their members (PostDatasetInputs, ListDatasetInputs) and their versions
//! (PostDatasetVersions, ListDatasetVersions, GetDatasetVersion, DeleteDatasetVersions).
//!
//! A version is a snapshot of the dataset's inputs when it is made. It is answered 64005
//! (pending) and processed by a background task right after, as the real API does: it becomes
//! 64015 (ready) with its counts in `metrics["/"]` (inputs, unlabelled ones, with metadata, with
//! a geographic point, positive labels; proto3 writes these 64-bit counts as strings). Which keys
//! `metrics` has besides `"/"` (the whole dataset) is not documented; only `"/"` is sent. The
//! counts are the version's metadata, read with `Datasets:Get`: they say how many, never which
//! (as a model version's `active_concept_count` does for `Models:Get`).
//!
//! Inputs join a dataset through PostDatasetInputs, or when added (PostInputs with
//! `inputs[].dataset_ids`, each a dataset of the app). Emulator's choices: ids are made when not
//! given, and must be new (40010 otherwise); deleting a dataset deletes its versions, never its
//! inputs; an input deleted from the app leaves every dataset; adding an input already in the
//! dataset changes nothing (the call is safe to repeat).

use std::sync::Arc;

use clarifai_typed::endpoint::PathParam;
use clarifai_typed::models::StatusCode;
use serde_json::{Value, json};

use super::render;
use crate::request::{Call, Reply, str_field};
use crate::shared::{Busy, Shared, lock};
use crate::state::{App, DatasetRec, DatasetVersionRec, random_id};
use crate::status::{ApiError, ApiResult, status_json};
use crate::time;

/// A dataset version as the API shows it.
fn render_version(v: &DatasetVersionRec, dataset: &DatasetRec, app: &App) -> Value {
    let mut out = json!({
        "id": v.id,
        "created_at": v.created_at,
        "modified_at": v.modified_at,
        "app_id": app.id,
        "user_id": app.user_id,
        "dataset_id": dataset.id,
        "status": status_json(v.status_code, None),
    });
    if !v.description.is_empty() {
        out["description"] = json!(v.description);
    }
    if let Some(m) = &v.metrics {
        out["metrics"] = m.clone();
    }
    out
}

/// A dataset as the API shows it, with its latest version.
fn render_dataset(d: &DatasetRec, app: &App) -> Value {
    let mut out = json!({
        "id": d.id,
        "created_at": d.created_at,
        "modified_at": d.modified_at,
        "app_id": app.id,
        "user_id": app.user_id,
    });
    if !d.description.is_empty() {
        out["description"] = json!(d.description);
    }
    if d.metadata.as_object().is_some_and(|m| !m.is_empty()) {
        out["metadata"] = d.metadata.clone();
    }
    if let Some(v) = d.versions.last() {
        out["version"] = render_version(v, d, app);
    }
    out
}

/// An id given in a body, or a new one; ids travel in paths, so no `/`.
fn id_or_new(given: &str, what: &str) -> ApiResult<String> {
    match given {
        "" => Ok(random_id()),
        id if id.len() > 128 || id.contains('/') => Err(ApiError::bad_request(format!(
            "a {what} id is at most 128 characters, without '/'"
        ))),
        id => Ok(id.to_string()),
    }
}

fn duplicate(what: &str, id: &str) -> ApiError {
    ApiError::new(
        StatusCode::DATABASE_DUPLICATE_KEY,
        format!("{what} id '{id}' already exists"),
    )
}

fn dataset<'a>(app: &'a App, id: &str) -> ApiResult<&'a DatasetRec> {
    app.records
        .datasets
        .iter()
        .find(|d| d.id == id)
        .ok_or_else(|| ApiError::not_found("dataset", id))
}

fn dataset_mut<'a>(app: &'a mut App, id: &str) -> ApiResult<&'a mut DatasetRec> {
    app.records
        .datasets
        .get_mut(id)
        .ok_or_else(|| ApiError::not_found("dataset", id))
}

/// PostDatasets.
pub(crate) fn add_datasets(call: &Call) -> ApiResult<Reply> {
    let given = call.list("datasets")?;
    if given.is_empty() {
        return Err(ApiError::bad_request("no datasets given"));
    }
    let now = time::now();
    let shown = call.with_app_mut(|app| {
        let mut new: Vec<DatasetRec> = Vec::with_capacity(given.len());
        for g in given {
            let id = id_or_new(str_field(g, "id"), "dataset")?;
            if dataset(app, &id).is_ok() || new.iter().any(|d| d.id == id) {
                return Err(duplicate("dataset", &id));
            }
            new.push(DatasetRec {
                id,
                description: str_field(g, "description").to_string(),
                metadata: g.get("metadata").cloned().unwrap_or(Value::Null),
                created_at: now.clone(),
                modified_at: now.clone(),
                inputs: Vec::new(),
                versions: Vec::new(),
            });
        }
        let shown: Vec<Value> = new.iter().map(|d| render_dataset(d, app)).collect();
        app.records.datasets.extend(new);
        Ok(shown)
    })?;
    Ok(Reply::one("datasets", shown).changed())
}

/// ListDatasets: the app's datasets, oldest first.
pub(crate) fn list_datasets(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    call.with_app(|app| {
        let all: Vec<Value> = app
            .records
            .datasets
            .iter()
            .map(|d| render_dataset(d, app))
            .collect();
        Ok(Reply::ok(json!({"datasets": page.slice(&all)})))
    })
}

/// ListDatasets at `/v2/users/{user_id}/datasets` with a personal access token: the datasets of
/// every app of the user, app by app.
pub(crate) fn list_user_datasets(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    if call.target.public {
        return Ok(Reply::ok(json!({"datasets": []})));
    }
    let state = lock(&call.shared.state);
    let user = state
        .users
        .get(&call.target.user_id)
        .ok_or_else(|| ApiError::not_found("user", &call.target.user_id))?;
    let all: Vec<Value> = user
        .apps
        .values()
        .flat_map(|app| app.records.datasets.iter().map(|d| render_dataset(d, app)))
        .collect();
    Ok(Reply::ok(json!({"datasets": page.slice(&all)})))
}

/// GetDataset.
pub(crate) fn get_dataset(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::DatasetId);
    call.with_app(|app| {
        Ok(Reply::ok(
            json!({"dataset": render_dataset(dataset(app, id)?, app)}),
        ))
    })
}

/// The strings of list `field` of the body (every one must be a string: checked by `wire`).
fn ids(call: &Call, field: &str) -> ApiResult<Vec<String>> {
    let ids: Vec<String> = call
        .list(field)?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    if ids.is_empty() {
        return Err(ApiError::bad_request(format!("give '{field}'")));
    }
    Ok(ids)
}

/// DeleteDatasets: every id must name a dataset, or nothing is deleted.
pub(crate) fn delete_datasets(call: &Call) -> ApiResult<Reply> {
    let ids = ids(call, "dataset_ids")?;
    call.with_app_mut(|app| {
        if let Some(missing) = ids.iter().find(|id| dataset(app, id).is_err()) {
            return Err(ApiError::not_found("dataset", missing));
        }
        app.records.datasets.retain(|d| !ids.contains(&d.id));
        Ok(())
    })?;
    Ok(Reply::ok(json!({})).changed())
}

/// The dataset's members that are still inputs of the app, with when each was added.
fn members<'a>(app: &'a App, d: &'a DatasetRec) -> Vec<(&'a crate::state::InputRec, &'a str)> {
    d.inputs
        .iter()
        .filter_map(|(id, at)| app.input(id).map(|i| (i, at.as_str())))
        .collect()
}

fn render_member(input: &crate::state::InputRec, added: &str, host: &render::Hosting) -> Value {
    json!({"input": render::input(input, host), "created_at": added})
}

/// PostDatasetInputs: `dataset_inputs[].input.id`, each an input of the app (30102 otherwise,
/// and nothing is added).
pub(crate) fn add_dataset_inputs(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::DatasetId).to_string();
    let given = call.list("dataset_inputs")?;
    if given.is_empty() {
        return Err(ApiError::bad_request("no dataset_inputs given"));
    }
    let input_ids: Vec<String> = given
        .iter()
        .map(|g| {
            g.get("input")
                .map_or("", |i| str_field(i, "id"))
                .to_string()
        })
        .collect();
    if input_ids.iter().any(String::is_empty) {
        return Err(ApiError::bad_request(
            "every dataset input names an input of the app: 'input': {'id': ...}",
        ));
    }
    let now = time::now();
    let host = render::Hosting::of(call);
    let shown = call.with_app_mut(|app| {
        dataset(app, &id)?;
        if let Some(missing) = input_ids.iter().find(|i| app.input(i).is_none()) {
            return Err(ApiError::not_found("input", missing));
        }
        let d = dataset_mut(app, &id)?;
        for input_id in &input_ids {
            if !d.inputs.iter().any(|(i, _)| i == input_id) {
                d.inputs.push((input_id.clone(), now.clone()));
            }
        }
        d.modified_at = now.clone();
        let d = dataset(app, &id)?;
        Ok(input_ids
            .iter()
            .filter_map(|i| {
                let added = d.inputs.iter().find(|(m, _)| m == i)?;
                Some(render_member(app.input(i)?, &added.1, &host))
            })
            .collect::<Vec<Value>>())
    })?;
    Ok(Reply::one("dataset_inputs", shown).changed())
}

/// PostInputs' `inputs[].dataset_ids`: the new inputs (`ids`, in the order of `given`) join those
/// datasets of the app. Every dataset named must exist (11101 otherwise), checked before anything
/// changes, so that a refused upload stores nothing.
pub(crate) fn join_new_inputs(
    app: &mut App,
    given: &[Value],
    ids: &[String],
    now: &str,
) -> ApiResult<()> {
    let named = |g: &Value| -> Vec<String> {
        g.get("dataset_ids")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|d| d.as_str().map(str::to_string))
            .collect()
    };
    for g in given {
        if let Some(missing) = named(g).iter().find(|d| dataset(app, d).is_err()) {
            return Err(ApiError::not_found("dataset", missing));
        }
    }
    for (g, input_id) in given.iter().zip(ids) {
        for d in named(g) {
            let d = dataset_mut(app, &d)?;
            if !d.inputs.iter().any(|(i, _)| i == input_id) {
                d.inputs.push((input_id.clone(), now.to_string()));
                d.modified_at = now.to_string();
            }
        }
    }
    Ok(())
}

/// ListDatasetInputs: the dataset's inputs, in the order they were added.
pub(crate) fn list_dataset_inputs(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    let id = call.param(PathParam::DatasetId);
    let host = render::Hosting::of(call);
    call.with_app(|app| {
        let d = dataset(app, id)?;
        let all: Vec<Value> = members(app, d)
            .into_iter()
            .map(|(i, at)| render_member(i, at, &host))
            .collect();
        Ok(Reply::ok(json!({"dataset_inputs": page.slice(&all)})))
    })
}

/// PostDatasetVersions: one version per `dataset_versions` item (one when the list is empty),
/// each a snapshot of the dataset's inputs, pending until processed.
pub(crate) fn add_versions(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::DatasetId).to_string();
    let mut given = call.list("dataset_versions")?.to_vec();
    if given.is_empty() {
        given.push(json!({}));
    }
    let now = time::now();
    let (shown, made) = call.with_app_mut(|app| {
        let d = dataset(app, &id)?;
        let snapshot: Vec<String> = members(app, d)
            .into_iter()
            .map(|(i, _)| i.id.clone())
            .collect();
        let mut new: Vec<DatasetVersionRec> = Vec::with_capacity(given.len());
        for g in &given {
            let vid = id_or_new(str_field(g, "id"), "dataset version")?;
            if d.versions.iter().any(|v| v.id == vid) || new.iter().any(|v| v.id == vid) {
                return Err(duplicate("dataset version", &vid));
            }
            new.push(DatasetVersionRec {
                id: vid,
                description: str_field(g, "description").to_string(),
                created_at: now.clone(),
                modified_at: now.clone(),
                status_code: StatusCode::DATASET_VERSION_PENDING,
                input_ids: snapshot.clone(),
                metrics: None,
            });
        }
        let shown: Vec<Value> = new.iter().map(|v| render_version(v, d, app)).collect();
        let made: Vec<String> = new.iter().map(|v| v.id.clone()).collect();
        let d = dataset_mut(app, &id)?;
        d.versions.extend(new);
        d.modified_at = now.clone();
        Ok((shown, made))
    })?;
    spawn_processing(
        call.shared.clone(),
        call.target.user_id.clone(),
        call.app_id().to_string(),
        id,
        made,
    );
    Ok(Reply::one("dataset_versions", shown).changed())
}

/// Processes new versions in the background: 64005 → 64015 with their counts.
fn spawn_processing(
    shared: Arc<Shared>,
    user: String,
    app: String,
    dataset_id: String,
    versions: Vec<String>,
) {
    let busy = Busy::start(&shared);
    tokio::spawn(async move {
        let _busy = busy;
        // The answer that made the versions goes out first.
        tokio::task::yield_now().await;
        {
            let mut state = lock(&shared.state);
            let Some(app) = state.app_mut(&user, &app) else {
                return;
            };
            let Some(d) = app.records.datasets.iter().find(|d| d.id == dataset_id) else {
                return;
            };
            let counted: Vec<(String, Value)> = d
                .versions
                .iter()
                .filter(|v| versions.contains(&v.id))
                .map(|v| (v.id.clone(), counts(app, &v.input_ids)))
                .collect();
            let now = time::now();
            if let Some(d) = app.records.datasets.get_mut(&dataset_id) {
                for (vid, metrics) in counted {
                    if let Some(v) = d.versions.iter_mut().find(|v| v.id == vid) {
                        v.status_code = StatusCode::DATASET_VERSION_READY;
                        v.metrics = Some(metrics);
                        v.modified_at = now.clone();
                    }
                }
            }
        }
        if let Err(e) = shared.persist().await {
            eprintln!("clarifai-emulator: dataset versions not saved: the state file {e}");
        }
    });
}

/// `metrics` of a version holding `input_ids`: the counts of the whole version under `"/"`.
fn counts(app: &App, input_ids: &[String]) -> Value {
    let inputs: Vec<&crate::state::InputRec> =
        input_ids.iter().filter_map(|id| app.input(id)).collect();
    let mut unlabeled = 0u64;
    let mut positive_tags = 0u64;
    let mut with_metadata = 0u64;
    let mut with_geo = 0u64;
    for i in &inputs {
        let positives = app.labels(i).iter().filter(|(_, v)| *v > 0.0).count() as u64;
        positive_tags += positives;
        if positives == 0 {
            unlabeled += 1;
        }
        if i.data
            .get("metadata")
            .and_then(Value::as_object)
            .is_some_and(|m| !m.is_empty())
        {
            with_metadata += 1;
        }
        if i.data.pointer("/geo/geo_point").is_some() {
            with_geo += 1;
        }
    }
    // UInt64Value counts are strings in proto3 JSON.
    json!({"/": {
        "inputs_count": inputs.len().to_string(),
        "unlabeled_inputs_count": unlabeled.to_string(),
        "inputs_with_metadata_count": with_metadata.to_string(),
        "inputs_with_geo_count": with_geo.to_string(),
        "positive_input_tags_count": positive_tags.to_string(),
    }})
}

/// ListDatasetVersions: newest first.
pub(crate) fn list_versions(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    let id = call.param(PathParam::DatasetId);
    call.with_app(|app| {
        let d = dataset(app, id)?;
        let all: Vec<Value> = d
            .versions
            .iter()
            .rev()
            .map(|v| render_version(v, d, app))
            .collect();
        Ok(Reply::ok(json!({"dataset_versions": page.slice(&all)})))
    })
}

/// GetDatasetVersion.
pub(crate) fn get_version(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::DatasetId);
    let vid = call.param(PathParam::DatasetVersionId);
    call.with_app(|app| {
        let d = dataset(app, id)?;
        let v = d
            .versions
            .iter()
            .find(|v| v.id == vid)
            .ok_or_else(|| ApiError::not_found("dataset version", vid))?;
        Ok(Reply::ok(
            json!({"dataset_version": render_version(v, d, app)}),
        ))
    })
}

/// DeleteDatasetVersions: every id must name a version of the dataset, or nothing is deleted.
pub(crate) fn delete_versions(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::DatasetId).to_string();
    let vids = ids(call, "dataset_version_ids")?;
    call.with_app_mut(|app| {
        let d = dataset_mut(app, &id)?;
        if let Some(missing) = vids
            .iter()
            .find(|v| !d.versions.iter().any(|x| x.id == **v))
        {
            return Err(ApiError::not_found("dataset version", missing));
        }
        d.versions.retain(|v| !vids.contains(&v.id));
        Ok(())
    })?;
    Ok(Reply::ok(json!({})).changed())
}
