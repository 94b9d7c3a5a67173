//! Workflows and workflow predictions.

use clarifai_typed::endpoint::PathParam;
use clarifai_typed::models::StatusCode;
use serde_json::{Value, json};

use super::predict::{OutputConfig, outputs, overall, runnable, sources};
use super::render;
use crate::builtin;
use crate::request::{Call, Reply, check_batch, str_field};
use crate::state::{App, NodeRec, WorkflowRec, random_id};
use crate::status::{ApiError, ApiResult, status_json};
use crate::time;

fn nodes_of(app: &App, w: &Value) -> ApiResult<Vec<NodeRec>> {
    let mut nodes = Vec::new();
    for (i, n) in w
        .get("nodes")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        let model_id = n.pointer("/model/id").and_then(Value::as_str).unwrap_or("");
        if app.model(model_id).is_none() && builtin::find(model_id).is_none() {
            return Err(ApiError::not_found("model", model_id));
        }
        nodes.push(NodeRec {
            id: match str_field(n, "id") {
                "" => format!("node-{}", i + 1),
                id => id.into(),
            },
            model_id: model_id.into(),
            model_version_id: n
                .pointer("/model/model_version/id")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(Into::into),
        });
    }
    Ok(nodes)
}

/// The app's workflows, and the base workflow `General` (which GetWorkflow and
/// PostWorkflowResults also answer) unless the app has its own of that id.
pub(crate) fn list_workflows(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    call.with_app(|app| {
        let mut all: Vec<Value> = app
            .workflows
            .iter()
            .map(|w| render::workflow(w, app))
            .collect();
        if !app.workflows.iter().any(|w| w.id == GENERAL) {
            all.insert(0, general_workflow());
        }
        Ok(Reply::ok(json!({"workflows": page.slice(&all)})))
    })
}

pub(crate) fn get_workflow(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::WorkflowId);
    call.with_app(|app| {
        let shown = match app.workflows.iter().find(|w| w.id == id) {
            Some(w) => render::workflow(w, app),
            None if id == GENERAL => general_workflow(),
            None => return Err(ApiError::not_found("workflow", id)),
        };
        Ok(Reply::one("workflow", shown))
    })
}

/// The id of the base workflow every app has (its `default_workflow`).
const GENERAL: &str = "General";

/// The base workflow: the general embedding and general concept models. An app's own workflow
/// of the same id takes its place.
fn general_workflow() -> Value {
    render::app(&App::new("", ""))["default_workflow"].clone()
}

fn general_nodes() -> Vec<NodeRec> {
    [
        ("general-concept", "general-image-recognition"),
        ("general-embed", "general-image-embedding"),
    ]
    .iter()
    .map(|(id, m)| NodeRec {
        id: (*id).into(),
        model_id: (*m).into(),
        model_version_id: None,
    })
    .collect()
}

pub(crate) fn post_workflows(call: &Call) -> ApiResult<Reply> {
    let given = call.list("workflows")?;
    if given.is_empty() {
        return Err(ApiError::bad_request("no workflows given"));
    }
    let now = time::now();
    let shown = call.with_app_mut(|app| {
        let mut new: Vec<WorkflowRec> = Vec::new();
        for g in given {
            let id = match str_field(g, "id") {
                "" => random_id(),
                id => id.to_string(),
            };
            if app.workflows.iter().any(|w| w.id == id) || new.iter().any(|w| w.id == id) {
                return Err(ApiError::new(
                    StatusCode::DATABASE_DUPLICATE_KEY,
                    format!("workflow id '{id}' already exists"),
                ));
            }
            new.push(WorkflowRec {
                nodes: nodes_of(app, g)?,
                id,
                created_at: now.clone(),
                modified_at: now.clone(),
            });
        }
        let shown: Vec<Value> = new.iter().map(|w| render::workflow(w, app)).collect();
        app.workflows.extend(new);
        Ok(shown)
    })?;
    Ok(Reply::one("workflows", shown).changed())
}

pub(crate) fn patch_workflows(call: &Call) -> ApiResult<Reply> {
    let given = call.list("workflows")?;
    let now = time::now();
    let shown = call.with_app_mut(|app| {
        let mut updates = Vec::new();
        for g in given {
            let id = str_field(g, "id");
            if !app.workflows.iter().any(|w| w.id == id) {
                return Err(ApiError::not_found("workflow", id));
            }
            updates.push((
                id.to_string(),
                g.get("nodes").map(|_| nodes_of(app, g)).transpose()?,
            ));
        }
        let mut shown = Vec::new();
        for (id, nodes) in updates {
            let Some(w) = app.workflows.get_mut(&id) else {
                continue;
            };
            if let Some(nodes) = nodes {
                w.nodes = nodes;
            }
            w.modified_at = now.clone();
            let w = w.clone();
            shown.push(render::workflow(&w, app));
        }
        Ok(shown)
    })?;
    Ok(Reply::one("workflows", shown).changed())
}

pub(crate) fn delete_workflow(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::WorkflowId).to_string();
    call.with_app_mut(|app| {
        let before = app.workflows.len();
        app.workflows.retain(|w| w.id != id);
        if app.workflows.len() == before {
            return Err(ApiError::not_found("workflow", &id));
        }
        Ok(())
    })?;
    Ok(Reply::ok(json!({})).changed())
}

pub(crate) fn delete_workflows(call: &Call) -> ApiResult<Reply> {
    let (ids, all) = call.delete_ids()?;
    call.with_app_mut(|app| {
        if all {
            app.workflows.clear();
            return Ok(());
        }
        if let Some(missing) = ids
            .iter()
            .find(|id| !app.workflows.iter().any(|w| &w.id == *id))
        {
            return Err(ApiError::not_found("workflow", missing));
        }
        app.workflows.retain(|w| !ids.contains(&w.id));
        Ok(())
    })?;
    Ok(Reply::ok(json!({})).changed())
}

pub(crate) async fn post_workflow_results(call: &Call) -> ApiResult<Reply> {
    let inputs = call.list("inputs")?;
    check_batch(inputs.len())?;
    let id = call.param(PathParam::WorkflowId);
    let (workflow, models) = call.with_app(|app| {
        let (shown, nodes) = match app.workflows.iter().find(|w| w.id == id) {
            Some(w) => (render::workflow(w, app), w.nodes.clone()),
            None if id == GENERAL => (general_workflow(), general_nodes()),
            None => return Err(ApiError::not_found("workflow", id)),
        };
        let models = nodes
            .iter()
            .map(|n| runnable(app, &n.model_id, n.model_version_id.as_deref()))
            .collect::<ApiResult<Vec<_>>>()?;
        Ok((shown, models))
    })?;
    let config = OutputConfig::from_request(&call.body);
    let sources = sources(call, inputs, config.sample_ms).await?;
    let now = time::now();
    let results: Vec<Value> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let st = match &s.media {
                Ok(_) => status_json(StatusCode::SUCCESS, None),
                Err((code, details)) => status_json(*code, Some(details)),
            };
            let outs: Vec<Value> = models
                .iter()
                .flat_map(|m| outputs(m, &sources[i..=i], &config))
                .collect();
            json!({
                "id": random_id(),
                "status": st,
                "created_at": now,
                "input": s.shown,
                "outputs": outs,
            })
        })
        .collect();
    Ok(Reply::ok(json!({"workflow": workflow, "results": results})).with_code(overall(&sources)))
}
