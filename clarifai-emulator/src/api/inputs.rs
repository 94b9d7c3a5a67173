//! Inputs: add, list, get, patch, delete, count, and the background processing after an add.

use clarifai_typed::endpoint::PathParam;
use clarifai_typed::models::StatusCode;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::images::features_of_many;
use super::render;
use crate::request::{Call, Reply, check_batch, str_field};
use crate::shared::{Shared, lock};
use crate::state::{InputRec, random_id};
use crate::status::{ApiError, ApiResult};
use crate::time;

/// Concepts with their value defaulted to 1 (`cl_default_float`).
pub(crate) fn normalise_concepts(data: &mut Value) {
    if let Some(list) = data.get_mut("concepts").and_then(Value::as_array_mut) {
        for c in list.iter_mut() {
            if let Some(o) = c.as_object_mut()
                && !o.contains_key("value")
            {
                o.insert("value".into(), json!(1.0));
            }
        }
    }
}

pub(crate) fn post_inputs(call: &Call) -> ApiResult<Reply> {
    let given = call.list("inputs")?;
    check_batch(given.len())?;
    let now = time::now();
    let created = call.with_app_mut(|app| {
        let mut new: Vec<InputRec> = Vec::with_capacity(given.len());
        for g in &given {
            let id = match str_field(g, "id") {
                "" => random_id(),
                id => id.to_string(),
            };
            if app.input(&id).is_some() || new.iter().any(|i| i.id == id) {
                return Err(ApiError::new(
                    StatusCode::DATABASE_DUPLICATE_KEY,
                    format!("input id '{id}' already exists"),
                ));
            }
            let mut data = g.get("data").cloned().unwrap_or_else(|| json!({}));
            if !data.is_object() {
                return Err(ApiError::bad_request(
                    "'data' of an input must be an object",
                ));
            }
            normalise_concepts(&mut data);
            new.push(InputRec {
                id,
                data,
                created_at: now.clone(),
                modified_at: now.clone(),
                status_code: StatusCode::INPUT_PENDING,
                status_details: None,
                features: None,
            });
        }
        let ids: Vec<String> = new.iter().map(|i| i.id.clone()).collect();
        super::datasets::join_new_inputs(app, &given, &ids, &now)?;
        for i in &mut new {
            if let Some(c) = i.data.get("concepts").and_then(Value::as_array) {
                app.ensure_concepts(c);
            }
            app.enrich_concepts(&mut i.data);
        }
        app.inputs.extend(new.iter().cloned());
        Ok(new)
    })?;
    let shown: Vec<Value> = created.iter().map(render::input).collect();
    let ids: Vec<String> = created.into_iter().map(|i| i.id).collect();
    spawn_processing(
        call.shared.clone(),
        call.target.user_id.clone(),
        call.app_id().to_string(),
        ids,
    );
    Ok(Reply::ok(json!({"inputs": shown})).changed())
}

/// Processes new inputs in the background: 30001 → 30000, or 30002 with details.
fn spawn_processing(shared: Arc<Shared>, user: String, app: String, ids: Vec<String>) {
    shared.pending.send_modify(|n| *n += ids.len());
    tokio::spawn(async move {
        let datas: Vec<Value> = {
            let state = lock(&shared.state);
            let app = state.users.get(&user).and_then(|u| u.apps.get(&app));
            ids.iter()
                .map(|id| {
                    app.and_then(|a| a.input(id))
                        .map_or(Value::Null, |i| i.data.clone())
                })
                .collect()
        };
        let computed = features_of_many(&shared, &datas).await;
        for (id, computed) in ids.iter().zip(computed) {
            {
                let result = match computed {
                    Some(r) => r.map(Some),
                    None => Ok(None),
                };
                let mut state = lock(&shared.state);
                if let Some(input) = state
                    .users
                    .get_mut(&user)
                    .and_then(|u| u.apps.get_mut(&app))
                    .and_then(|a| a.inputs.iter_mut().find(|i| &i.id == id))
                {
                    match result {
                        Ok(features) => {
                            input.status_code = StatusCode::INPUT_SUCCESS;
                            input.status_details = None;
                            input.features = features;
                        }
                        Err((_, details)) => {
                            input.status_code = StatusCode::INPUT_FAILED;
                            input.status_details = Some(details);
                        }
                    }
                    input.modified_at = time::now();
                }
            }
            shared.pending.send_modify(|n| *n = n.saturating_sub(1));
        }
        shared.save();
    });
}

pub(crate) fn list_inputs(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    let ids = call.query_all("ids");
    call.with_app(|app| {
        let matching: Vec<&InputRec> = app
            .inputs
            .iter()
            .filter(|i| ids.is_empty() || ids.contains(&i.id))
            .collect();
        let shown = page.slice(&matching);
        let failed = shown
            .iter()
            .any(|i| i.status_code == StatusCode::INPUT_FAILED);
        let reply = Reply::ok(
            json!({"inputs": shown.iter().map(|i| render::input(i)).collect::<Vec<_>>()}),
        );
        // Like the real API: a page holding failed inputs is MIXED_STATUS (HTTP 207).
        Ok(if failed {
            reply.with_code(StatusCode::MIXED_STATUS)
        } else {
            reply
        })
    })
}

pub(crate) fn get_input(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::InputId);
    call.with_app(|app| {
        let input = app
            .input(id)
            .ok_or_else(|| ApiError::not_found("input", id))?;
        Ok(Reply::ok(json!({"input": render::input(input)})))
    })
}

pub(crate) fn patch_inputs(call: &Call) -> ApiResult<Reply> {
    let given = call.list("inputs")?;
    check_batch(given.len())?;
    let action = call.action()?.to_string();
    let now = time::now();
    let shown = call.with_app_mut(|app| {
        for g in &given {
            let id = str_field(g, "id");
            if app.input(id).is_none() {
                return Err(ApiError::not_found("input", id));
            }
        }
        let mut shown = Vec::new();
        for g in &given {
            let id = str_field(g, "id");
            let mut patch = g.get("data").cloned().unwrap_or_else(|| json!({}));
            normalise_concepts(&mut patch);
            if action != "remove"
                && let Some(c) = patch.get("concepts").and_then(Value::as_array)
            {
                app.ensure_concepts(c);
            }
            app.enrich_concepts(&mut patch);
            let Some(input) = app.inputs.iter_mut().find(|i| i.id == id) else {
                continue;
            };
            apply_data_patch(&mut input.data, &patch, &action);
            input.modified_at = now.clone();
            shown.push(render::input(input));
        }
        Ok(shown)
    })?;
    Ok(Reply::ok(json!({"inputs": shown})).changed())
}

/// Applies a PatchInputs/PatchAnnotations `data` to stored data: concepts by id and metadata by
/// key, merged, overwritten or removed.
pub(crate) fn apply_data_patch(data: &mut Value, patch: &Value, action: &str) {
    let Some(target) = data.as_object_mut() else {
        return;
    };
    let Some(patch) = patch.as_object() else {
        return;
    };
    for (field, value) in patch {
        match (field.as_str(), action) {
            ("concepts", "remove") => {
                let remove: Vec<&str> = value
                    .as_array()
                    .map(|a| a.iter().map(|c| str_field(c, "id")).collect())
                    .unwrap_or_default();
                if let Some(list) = target.get_mut("concepts").and_then(Value::as_array_mut) {
                    list.retain(|c| !remove.contains(&str_field(c, "id")));
                }
            }
            ("concepts", "merge") => {
                let list = target.entry("concepts").or_insert_with(|| json!([]));
                if let (Some(list), Some(new)) = (list.as_array_mut(), value.as_array()) {
                    for c in new {
                        let id = str_field(c, "id");
                        match list.iter_mut().find(|e| str_field(e, "id") == id) {
                            Some(e) => *e = c.clone(),
                            None => list.push(c.clone()),
                        }
                    }
                }
            }
            ("metadata", "remove") => {
                if let (Some(Value::Object(meta)), Some(keys)) =
                    (target.get_mut("metadata"), value.as_object())
                {
                    for k in keys.keys() {
                        meta.remove(k);
                    }
                }
            }
            ("metadata", "merge") => {
                let meta = target
                    .entry("metadata")
                    .or_insert_with(|| Value::Object(Map::new()));
                merge_objects(meta, value);
            }
            (_, "remove") => {
                target.remove(field);
            }
            _ => {
                target.insert(field.clone(), value.clone());
            }
        }
    }
}

fn merge_objects(into: &mut Value, from: &Value) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                match a.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => {
                        merge_objects(existing, v)
                    }
                    _ => {
                        a.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (into, from) => *into = from.clone(),
    }
}

pub(crate) fn delete_input(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::InputId).to_string();
    call.with_app_mut(|app| {
        let before = app.inputs.len();
        app.inputs.retain(|i| i.id != id);
        if app.inputs.len() == before {
            return Err(ApiError::not_found("input", &id));
        }
        app.annotations.retain(|a| a.input_id != id);
        Ok(())
    })?;
    Ok(Reply::ok(json!({})).changed())
}

pub(crate) fn delete_inputs(call: &Call) -> ApiResult<Reply> {
    let (ids, all) = call.delete_ids()?;
    call.with_app_mut(|app| {
        if all {
            app.inputs.clear();
            app.annotations.clear();
            return Ok(());
        }
        if let Some(missing) = ids.iter().find(|id| app.input(id).is_none()) {
            return Err(ApiError::not_found("input", missing));
        }
        app.inputs.retain(|i| !ids.contains(&i.id));
        app.annotations.retain(|a| !ids.contains(&a.input_id));
        Ok(())
    })?;
    Ok(Reply::ok(json!({})).changed())
}

pub(crate) fn input_count(call: &Call) -> ApiResult<Reply> {
    call.with_app(|app| {
        let count = |code: StatusCode| app.inputs.iter().filter(|i| i.status_code == code).count();
        Ok(Reply::ok(json!({"counts": {
            "processed": count(StatusCode::INPUT_SUCCESS),
            "to_process": count(StatusCode::INPUT_PENDING),
            "errors": count(StatusCode::INPUT_FAILED),
            "processing": 0,
            "reindexed": 0,
            "to_reindex": 0,
            "reindex_errors": 0,
            "reindexing": 0,
        }})))
    })
}
