//! Annotations: labels attached to inputs.

use clarifai_typed::endpoint::PathParam;
use clarifai_typed::models::StatusCode;
use serde_json::{Value, json};

use super::inputs::{apply_data_patch, normalise_concepts};
use super::render;
use crate::request::{Call, Reply, str_field};
use crate::state::{AnnotationRec, random_id};
use crate::status::{ApiError, ApiResult};
use crate::time;

pub(crate) fn list_annotations(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    let ids = call.query_all("ids");
    let input_ids = call.query_all("input_ids");
    call.with_app(|app| {
        let all: Vec<Value> = app
            .annotations
            .iter()
            .filter(|a| ids.is_empty() || ids.contains(&a.id))
            .filter(|a| input_ids.is_empty() || input_ids.contains(&a.input_id))
            .map(|a| render::annotation(a, app))
            .collect();
        Ok(Reply::ok(json!({"annotations": page.slice(&all)})))
    })
}

pub(crate) fn get_annotation(call: &Call) -> ApiResult<Reply> {
    let input_id = call.param(PathParam::InputId);
    let id = call.param(PathParam::AnnotationId);
    call.with_app(|app| {
        let a = app
            .annotations
            .iter()
            .find(|a| a.id == id && a.input_id == input_id)
            .ok_or_else(|| ApiError::not_found("annotation", id))?;
        Ok(Reply::ok(json!({"annotation": render::annotation(a, app)})))
    })
}

pub(crate) fn post_annotations(call: &Call) -> ApiResult<Reply> {
    let given = call.list("annotations")?;
    if given.is_empty() {
        return Err(ApiError::bad_request("no annotations given"));
    }
    let now = time::now();
    let shown = call.with_app_mut(|app| {
        let mut new: Vec<AnnotationRec> = Vec::new();
        for g in given {
            let input_id = str_field(g, "input_id");
            if app.input(input_id).is_none() {
                return Err(ApiError::not_found("input", input_id));
            }
            let id = match str_field(g, "id") {
                "" => random_id(),
                id => id.to_string(),
            };
            if app.annotations.iter().any(|a| a.id == id) || new.iter().any(|a| a.id == id) {
                return Err(ApiError::new(
                    StatusCode::DATABASE_DUPLICATE_KEY,
                    format!("annotation id '{id}' already exists"),
                ));
            }
            let mut data = g.get("data").cloned().unwrap_or_else(|| json!({}));
            normalise_concepts(&mut data);
            new.push(AnnotationRec {
                id,
                input_id: input_id.into(),
                data,
                created_at: now.clone(),
                modified_at: now.clone(),
                input_level: false,
            });
        }
        for a in &mut new {
            if let Some(c) = a.data.get("concepts").and_then(Value::as_array) {
                app.ensure_concepts(c);
            }
            app.enrich_concepts(&mut a.data);
        }
        let shown: Vec<Value> = new.iter().map(|a| render::annotation(a, app)).collect();
        app.annotations.extend(new);
        Ok(shown)
    })?;
    Ok(Reply::one("annotations", shown).changed())
}

pub(crate) fn patch_annotations(call: &Call) -> ApiResult<Reply> {
    let given = call.list("annotations")?;
    let action = call.action()?.to_string();
    let now = time::now();
    let shown = call.with_app_mut(|app| {
        for g in given {
            let id = str_field(g, "id");
            if !app.annotations.iter().any(|a| a.id == id) {
                return Err(ApiError::not_found("annotation", id));
            }
        }
        let mut shown = Vec::new();
        for g in given {
            let mut patch = g.get("data").cloned().unwrap_or_else(|| json!({}));
            normalise_concepts(&mut patch);
            if action != "remove"
                && let Some(c) = patch.get("concepts").and_then(Value::as_array)
            {
                app.ensure_concepts(c);
            }
            app.enrich_concepts(&mut patch);
            let Some(a) = app.annotations.get_mut(str_field(g, "id")) else {
                continue;
            };
            // The input-level annotation's concepts are its input's: they change there.
            let concepts = match (a.input_level, patch.as_object_mut()) {
                (true, Some(p)) => p.remove("concepts"),
                _ => None,
            };
            apply_data_patch(&mut a.data, &patch, &action);
            a.modified_at = now.clone();
            let a = a.clone();
            if let Some(concepts) = concepts
                && let Some(input) = app.input_mut(&a.input_id)
            {
                apply_data_patch(&mut input.data, &json!({"concepts": concepts}), &action);
                input.modified_at = now.clone();
            }
            shown.push(render::annotation(&a, app));
        }
        Ok(shown)
    })?;
    Ok(Reply::one("annotations", shown).changed())
}

pub(crate) fn delete_annotation(call: &Call) -> ApiResult<Reply> {
    let input_id = call.param(PathParam::InputId).to_string();
    let id = call.param(PathParam::AnnotationId).to_string();
    call.with_app_mut(|app| {
        let found = app
            .annotations
            .iter()
            .find(|a| a.id == id && a.input_id == input_id)
            .ok_or_else(|| ApiError::not_found("annotation", &id))?;
        if found.input_level {
            return Err(input_level_kept(&id));
        }
        app.annotations
            .retain(|a| !(a.id == id && a.input_id == input_id));
        Ok(())
    })?;
    Ok(Reply::ok(json!({})).changed())
}

pub(crate) fn delete_annotations(call: &Call) -> ApiResult<Reply> {
    let ids: Vec<String> = call
        .list("ids")?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .chain(call.query_all("ids"))
        .collect();
    let input_ids: Vec<String> = call
        .list("input_ids")?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .chain(call.query_all("input_ids"))
        .collect();
    if ids.is_empty() && input_ids.is_empty() {
        return Err(ApiError::bad_request("give 'ids' or 'input_ids'"));
    }
    call.with_app_mut(|app| {
        for id in &ids {
            match app.annotations.iter().find(|a| &a.id == id) {
                None => return Err(ApiError::not_found("annotation", id)),
                Some(a) if a.input_level => return Err(input_level_kept(id)),
                Some(_) => {}
            }
        }
        // By input: every annotation but the input-level ones, which go with their inputs.
        app.annotations.retain(|a| {
            !ids.contains(&a.id) && (a.input_level || !input_ids.contains(&a.input_id))
        });
        Ok(())
    })?;
    Ok(Reply::ok(json!({})).changed())
}

/// Deleting an input-level annotation by its id: refused, nothing deleted. It goes with its
/// input; its concepts are removed with PatchAnnotations or PatchInputs (`action: "remove"`).
fn input_level_kept(id: &str) -> ApiError {
    ApiError::bad_request(format!(
        "annotation '{id}' is the input-level annotation of its input: it is deleted with the \
         input; remove its concepts with PATCH instead"
    ))
}
