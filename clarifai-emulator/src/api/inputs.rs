//! Inputs: add, list, get, patch, delete, count, and the background processing after an add.

use clarifai_typed::endpoint::PathParam;
use clarifai_typed::models::StatusCode;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use base64::Engine;

use super::images::{Work, analysed_of_many, image_bytes, video_as_image};
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

pub(crate) fn post_inputs(call: &mut Call) -> ApiResult<Reply> {
    // The inputs are moved out of the body: their data is stored, not copied.
    let mut given = call.take_list("inputs")?;
    check_batch(given.len())?;
    let now = time::now();
    let host = render::Hosting::of(call);
    let (shown, ids) = call.with_app_mut(|app| {
        let mut new: Vec<InputRec> = Vec::with_capacity(given.len());
        // A URL is added once unless the input says `allow_duplicate_url` (issue 10, C9). The
        // app's inputs are read only for the URLs of this batch that may not repeat, and only
        // when there is one: a batch of bytes, or of URLs allowed twice, costs nothing here
        // however many inputs the app holds.
        let checked: std::collections::HashSet<&str> = given
            .iter()
            .filter_map(|g| g.get("data"))
            .filter(|d| !allows_duplicate_url(d))
            .filter_map(given_url)
            .collect();
        let mut urls: std::collections::HashMap<String, String> = match checked.is_empty() {
            true => std::collections::HashMap::new(),
            false => app
                .inputs
                .iter()
                .filter_map(|i| {
                    given_url(&i.data)
                        .filter(|u| checked.contains(u))
                        .map(|u| (u.to_string(), i.id.clone()))
                })
                .collect(),
        };
        let mut batch_ids = std::collections::HashSet::with_capacity(given.len());
        for g in given.iter_mut() {
            let id = match str_field(g, "id") {
                "" => random_id(),
                id => id.to_string(),
            };
            if app.input(&id).is_some() || !batch_ids.insert(id.clone()) {
                return Err(ApiError::new(
                    StatusCode::DATABASE_DUPLICATE_KEY,
                    format!("input id '{id}' already exists"),
                ));
            }
            let mut data = g.get_mut("data").map_or_else(|| json!({}), Value::take);
            if !data.is_object() {
                return Err(ApiError::bad_request(
                    "'data' of an input must be an object",
                ));
            }
            normalise_concepts(&mut data);
            if let Some(url) = given_url(&data) {
                let allowed = allows_duplicate_url(&data);
                match urls.get(url) {
                    Some(other) if !allowed => {
                        return Err(ApiError::new(
                            StatusCode::INPUT_DUPLICATE,
                            format!(
                                "input '{id}': its URL is that of input '{other}'; set allow_duplicate_url to add it again"
                            ),
                        ));
                    }
                    _ => {
                        urls.insert(url.to_string(), id.clone());
                    }
                }
            }
            new.push(InputRec {
                id,
                nonce: rand::random(),
                data,
                created_at: now.clone(),
                modified_at: now.clone(),
                status_code: StatusCode::INPUT_PENDING,
                status_details: None,
                features: None,
                fetched: None,
            });
        }
        let ids: Vec<String> = new.iter().map(|i| i.id.clone()).collect();
        super::datasets::join_new_inputs(app, &given, &ids, &now)?;
        // The batch's concepts are added in one pass over the app's concepts, then named.
        app.ensure_concepts(
            new.iter()
                .filter_map(|i| i.data.get("concepts").and_then(Value::as_array))
                .flatten(),
        );
        for i in &mut new {
            app.enrich_concepts(&mut i.data);
        }
        // Each input has its input-level annotation, added with it (nothing is stored before
        // every input passed, above). Its concepts are the input's `data.concepts`, not a copy:
        // see `AnnotationRec::input_level`.
        app.annotations.extend(
            new.iter()
                .map(|i| crate::state::AnnotationRec::input_level(&i.id, &now)),
        );
        let shown: Vec<Value> = new.iter().map(|i| render::input(i, &host)).collect();
        let processing = new.iter().map(|i| (i.id.clone(), i.nonce)).collect();
        app.push_inputs(new);
        Ok((shown, processing))
    })?;
    spawn_processing(
        call.shared.clone(),
        call.target.user_id.clone(),
        call.app_id().to_string(),
        ids,
    );
    Ok(Reply::one("inputs", shown).changed())
}

/// The URL an input's image or video was given by.
fn given_url(data: &Value) -> Option<&str> {
    ["image", "video"]
        .iter()
        .find_map(|m| data.get(m)?.get("url")?.as_str())
        .filter(|u| !u.is_empty())
}

/// Whether an input's image or video says `allow_duplicate_url`.
fn allows_duplicate_url(data: &Value) -> bool {
    ["image", "video"].iter().any(|m| {
        data.get(m)
            .and_then(|x| x.get("allow_duplicate_url"))
            .and_then(Value::as_bool)
            == Some(true)
    })
}

/// The parts of an input's data that its processing reads: its image and video (not its
/// concepts and metadata, which may be large).
fn media_of(data: &Value) -> Value {
    let mut media = Map::new();
    for kind in ["image", "video"] {
        if let Some(m) = data.get(kind) {
            media.insert(kind.into(), m.clone());
        }
    }
    Value::Object(media)
}

/// Processes new inputs in the background: 30001 → 30000, or 30002 with details. An image is
/// decoded (its features computed); a video is downloaded, not decoded; downloaded bytes are
/// kept for the hosted copies. Results go only to the input that was read (same id and nonce):
/// an input deleted meanwhile, or deleted and added again under its id, is left alone. They are
/// in the state file before the inputs count as processed
/// ([`RunningEmulator::wait_idle`](crate::RunningEmulator::wait_idle)).
fn spawn_processing(shared: Arc<Shared>, user: String, app: String, inputs: Vec<(String, u64)>) {
    shared.pending.send_modify(|n| *n += inputs.len());
    tokio::spawn(async move {
        let datas: Vec<Value> = {
            let state = lock(&shared.state);
            let app = state.users.get(&user).and_then(|u| u.apps.get(&app));
            inputs
                .iter()
                .map(|(id, nonce)| {
                    app.and_then(|a| a.input(id))
                        .filter(|i| i.nonce == *nonce)
                        .map_or(Value::Null, |i| media_of(&i.data))
                })
                .collect()
        };
        let computed = analysed_of_many(&shared, &datas, Work::Background).await;
        let mut results = Vec::with_capacity(inputs.len());
        for (data, computed) in datas.iter().zip(computed) {
            let result = match (computed, video_as_image(data)) {
                (Some(r), _) => r.map(|(f, bytes)| (Some(f), Some(bytes))),
                (None, Some(video)) => image_bytes(&shared, &video).await.map(|b| (None, Some(b))),
                (None, None) => Ok((None, None)),
            };
            let uploaded = ["/image/base64", "/video/base64"].iter().any(|p| {
                data.pointer(p)
                    .and_then(Value::as_str)
                    .is_some_and(|s| !s.is_empty())
            });
            results.push((result, uploaded));
        }
        {
            let mut state = lock(&shared.state);
            let mut app = state.app_mut(&user, &app);
            for ((id, nonce), (result, uploaded)) in inputs.iter().zip(results) {
                let Some(app) = app.as_mut() else { break };
                if app.input(id).is_none_or(|i| i.nonce != *nonce) {
                    continue;
                }
                let Some(input) = app.input_mut(id) else {
                    continue;
                };
                match result {
                    Ok((features, bytes)) => {
                        input.status_code = StatusCode::INPUT_SUCCESS;
                        input.status_details = None;
                        input.features = features;
                        input.fetched = bytes
                            .filter(|_| !uploaded)
                            .map(|b| base64::engine::general_purpose::STANDARD.encode(b));
                    }
                    Err((_, details)) => {
                        input.status_code = StatusCode::INPUT_FAILED;
                        input.status_details = Some(details);
                    }
                }
                input.modified_at = time::now();
            }
        }
        if let Err(e) = shared.persist().await {
            eprintln!("clarifai-emulator: processed inputs not saved: the state file {e}");
        }
        shared
            .pending
            .send_modify(|n| *n = n.saturating_sub(inputs.len()));
    });
}

/// Processes the inputs of every app still waiting (30001): those added before the emulator
/// last stopped, reloaded from the state file.
pub(crate) fn resume_processing(shared: &Arc<Shared>) {
    let mut waiting = Vec::new();
    for app in lock(&shared.state)
        .users
        .values()
        .flat_map(|u| u.apps.values())
    {
        let inputs: Vec<(String, u64)> = app
            .inputs
            .iter()
            .filter(|i| i.status_code == StatusCode::INPUT_PENDING)
            .map(|i| (i.id.clone(), i.nonce))
            .collect();
        if !inputs.is_empty() {
            waiting.push((app.user_id.clone(), app.id.clone(), inputs));
        }
    }
    for (user, app, inputs) in waiting {
        spawn_processing(shared.clone(), user, app, inputs);
    }
}

pub(crate) fn list_inputs(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    let host = render::Hosting::of(call);
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
            json!({"inputs": shown.iter().map(|i| render::input(i, &host)).collect::<Vec<_>>()}),
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
        Ok(Reply::ok(
            json!({"input": render::input(input, &render::Hosting::of(call))}),
        ))
    })
}

pub(crate) fn patch_inputs(call: &Call) -> ApiResult<Reply> {
    let given = call.list("inputs")?;
    check_batch(given.len())?;
    let action = call.action()?.to_string();
    let now = time::now();
    let host = render::Hosting::of(call);
    let shown = call.with_app_mut(|app| {
        for g in given {
            let id = str_field(g, "id");
            if app.input(id).is_none() {
                return Err(ApiError::not_found("input", id));
            }
        }
        // The input-level annotations whose concepts (the inputs' own) change: modified too.
        let labelled: Vec<&str> = given
            .iter()
            .filter(|g| g.pointer("/data/concepts").is_some())
            .map(|g| str_field(g, "id"))
            .collect();
        let annotations = if labelled.is_empty() {
            Default::default()
        } else {
            app.input_annotation_positions(&labelled)
        };
        let mut shown = Vec::new();
        for g in given {
            let id = str_field(g, "id");
            if g.pointer("/data/concepts").is_some()
                && let Some(a) = annotations
                    .get(id)
                    .and_then(|&p| app.annotations.get_mut_at(p))
            {
                a.modified_at = now.clone();
            }
            let mut patch = g.get("data").cloned().unwrap_or_else(|| json!({}));
            normalise_concepts(&mut patch);
            if action != "remove"
                && let Some(c) = patch.get("concepts").and_then(Value::as_array)
            {
                app.ensure_concepts(c);
            }
            app.enrich_concepts(&mut patch);
            let Some(input) = app.input_mut(id) else {
                continue;
            };
            apply_data_patch(&mut input.data, &patch, &action);
            input.modified_at = now.clone();
            shown.push(render::input(input, &host));
        }
        Ok(shown)
    })?;
    Ok(Reply::one("inputs", shown).changed())
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
        app.retain_inputs(|i| i.id != id);
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
            app.retain_inputs(|_| false);
            app.annotations.clear();
            return Ok(());
        }
        if let Some(missing) = ids.iter().find(|id| app.input(id).is_none()) {
            return Err(ApiError::not_found("input", missing));
        }
        app.retain_inputs(|i| !ids.contains(&i.id));
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
