//! The endpoints' behaviour: one function per RPC, on `serde_json::Value` bodies.

mod annotations;
mod concepts;
mod images;
mod inputs;
mod keys;
mod models;
mod predict;
mod render;
mod search;
mod workflows;

use std::collections::HashMap;
use std::sync::Arc;

use clarifai_typed::Rpc;
use serde_json::{Map, Value};

use crate::routes::Target;
use crate::shared::{Shared, lock};
use crate::state::{App, KeyRec};
use crate::status::{self, ApiError, ApiResult};

/// One authorised request.
#[derive(Debug)]
pub(crate) struct Call {
    pub(crate) rpc: Rpc,
    pub(crate) target: Target,
    pub(crate) params: HashMap<String, String>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: Value,
    pub(crate) key: KeyRec,
    pub(crate) shared: Arc<Shared>,
}

/// A successful (or partly successful) answer.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) code: u32,
    pub(crate) details: Option<String>,
    pub(crate) body: Map<String, Value>,
    /// The state changed: save it.
    pub(crate) changed: bool,
}

impl Reply {
    pub(crate) fn ok(body: Value) -> Reply {
        Reply {
            code: status::SUCCESS,
            details: None,
            body: match body {
                Value::Object(m) => m,
                _ => Map::new(),
            },
            changed: false,
        }
    }

    pub(crate) fn changed(mut self) -> Reply {
        self.changed = true;
        self
    }

    pub(crate) fn with_code(mut self, code: u32) -> Reply {
        self.code = code;
        self
    }
}

/// The field of the endpoint's response that is present even when empty (`cl_show_if_empty`).
pub(crate) fn list_field(rpc: Rpc) -> Option<&'static str> {
    Some(match rpc {
        Rpc::PostModelOutputs => "outputs",
        Rpc::PostInputs | Rpc::ListInputs | Rpc::PatchInputs | Rpc::ListModelInputs => "inputs",
        Rpc::PostSearches | Rpc::PostInputsSearches | Rpc::PostAnnotationsSearches => "hits",
        Rpc::PostKeys | Rpc::ListKeys | Rpc::PatchKeys | Rpc::ListAppKeys => "keys",
        Rpc::ListModels | Rpc::PatchModels => "models",
        Rpc::ListConcepts | Rpc::PostConcepts | Rpc::PatchConcepts | Rpc::PostConceptsSearches => {
            "concepts"
        }
        Rpc::ListWorkflows | Rpc::PostWorkflows | Rpc::PatchWorkflows => "workflows",
        Rpc::ListAnnotations | Rpc::PostAnnotations | Rpc::PatchAnnotations => "annotations",
        Rpc::ListApps => "apps",
        Rpc::ListModelVersions => "model_versions",
        Rpc::PostWorkflowResults => "results",
        Rpc::ListModelTypes => "model_types",
        Rpc::GetConceptCounts => "concept_counts",
        Rpc::MyScopes => "scopes",
        _ => return None,
    })
}

/// Runs the RPC.
pub(crate) async fn dispatch(call: &Call) -> ApiResult<Reply> {
    match call.rpc {
        Rpc::PostModelOutputs => predict::post_model_outputs(call).await,
        Rpc::PostWorkflowResults => workflows::post_workflow_results(call).await,
        Rpc::PostInputs => inputs::post_inputs(call),
        Rpc::ListInputs => inputs::list_inputs(call),
        Rpc::GetInput => inputs::get_input(call),
        Rpc::PatchInputs => inputs::patch_inputs(call),
        Rpc::DeleteInput => inputs::delete_input(call),
        Rpc::DeleteInputs => inputs::delete_inputs(call),
        Rpc::GetInputCount => inputs::input_count(call),
        Rpc::PostSearches | Rpc::PostInputsSearches | Rpc::PostAnnotationsSearches => {
            search::search(call).await
        }
        Rpc::ListModels => models::list_models(call),
        Rpc::GetModel | Rpc::GetModelOutputInfo => models::get_model(call),
        Rpc::PostModels => models::post_models(call),
        Rpc::PatchModels => models::patch_models(call),
        Rpc::DeleteModel => models::delete_model(call),
        Rpc::DeleteModels => models::delete_models(call),
        Rpc::ListModelTypes => models::list_model_types(call),
        Rpc::ListModelInputs => models::list_model_inputs(call),
        Rpc::PostModelVersions => models::post_model_versions(call).await,
        Rpc::ListModelVersions => models::list_model_versions(call),
        Rpc::GetModelVersion => models::get_model_version(call),
        Rpc::DeleteModelVersion => models::delete_model_version(call),
        Rpc::ListConcepts => concepts::list_concepts(call),
        Rpc::GetConcept => concepts::get_concept(call),
        Rpc::PostConcepts => concepts::post_concepts(call),
        Rpc::PatchConcepts => concepts::patch_concepts(call),
        Rpc::PostConceptsSearches => concepts::search_concepts(call),
        Rpc::GetConceptCounts => concepts::concept_counts(call),
        Rpc::ListWorkflows => workflows::list_workflows(call),
        Rpc::GetWorkflow => workflows::get_workflow(call),
        Rpc::PostWorkflows => workflows::post_workflows(call),
        Rpc::PatchWorkflows => workflows::patch_workflows(call),
        Rpc::DeleteWorkflow => workflows::delete_workflow(call),
        Rpc::DeleteWorkflows => workflows::delete_workflows(call),
        Rpc::ListAnnotations => annotations::list_annotations(call),
        Rpc::GetAnnotation => annotations::get_annotation(call),
        Rpc::PostAnnotations => annotations::post_annotations(call),
        Rpc::PatchAnnotations => annotations::patch_annotations(call),
        Rpc::DeleteAnnotation => annotations::delete_annotation(call),
        Rpc::DeleteAnnotations => annotations::delete_annotations(call),
        Rpc::MyScopes => keys::my_scopes(call),
        Rpc::GetApp => keys::get_app(call),
        Rpc::ListApps => keys::list_apps(call),
        Rpc::PostKeys => keys::post_keys(call),
        Rpc::ListKeys => keys::list_keys(call),
        Rpc::GetKey => keys::get_key(call),
        Rpc::PatchKeys => keys::patch_keys(call),
        Rpc::DeleteKey => keys::delete_key(call),
        Rpc::ListAppKeys => keys::list_app_keys(call),
        other => Err(ApiError::new(
            status::RPC_UNKNOWN_METHOD,
            format!("{other} is in the endpoint table but the emulator does not implement it"),
        )),
    }
}

/// The most inputs one request may carry.
pub(crate) const MAX_BATCH: usize = 128;
/// `per_page` when none is given.
pub(crate) const DEFAULT_PER_PAGE: usize = 128;
/// The largest `per_page`; larger values are clamped.
pub(crate) const MAX_PER_PAGE: usize = 1000;

/// A page request: `page` from 1.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Page {
    pub(crate) page: usize,
    pub(crate) per_page: usize,
}

impl Page {
    pub(crate) fn slice<'a, T>(&self, items: &'a [T]) -> &'a [T] {
        let start = (self.page - 1).saturating_mul(self.per_page);
        if start >= items.len() {
            return &[];
        }
        let end = start.saturating_add(self.per_page).min(items.len());
        &items[start..end]
    }
}

impl Call {
    pub(crate) fn param(&self, name: &str) -> &str {
        self.params.get(name).map_or("", String::as_str)
    }

    pub(crate) fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeated query parameter (`ids=a&ids=b`).
    pub(crate) fn query_all(&self, name: &str) -> Vec<String> {
        self.query
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(',').map(str::to_string))
            .filter(|v| !v.is_empty())
            .collect()
    }

    pub(crate) fn app_id(&self) -> &str {
        self.target.app_id.as_deref().unwrap_or("")
    }

    /// Runs `f` on the target app, under the state lock.
    pub(crate) fn with_app<R>(&self, f: impl FnOnce(&App) -> ApiResult<R>) -> ApiResult<R> {
        if self.target.public {
            return f(&App::new(&self.target.user_id, self.app_id()));
        }
        let state = lock(&self.shared.state);
        let app = state
            .users
            .get(&self.target.user_id)
            .and_then(|u| u.apps.get(self.app_id()))
            .ok_or_else(|| ApiError::not_found("app", self.app_id()))?;
        f(app)
    }

    /// Runs `f` on the target app, mutably, under the state lock.
    pub(crate) fn with_app_mut<R>(&self, f: impl FnOnce(&mut App) -> ApiResult<R>) -> ApiResult<R> {
        if self.target.public {
            return Err(ApiError::bad_request("the public app is read-only"));
        }
        let mut state = lock(&self.shared.state);
        let app = state
            .users
            .get_mut(&self.target.user_id)
            .and_then(|u| u.apps.get_mut(self.app_id()))
            .ok_or_else(|| ApiError::not_found("app", self.app_id()))?;
        let out = f(app)?;
        app.modified_at = crate::time::now();
        Ok(out)
    }

    /// `page`/`per_page` from the body's `pagination` or the query string.
    pub(crate) fn page(&self) -> ApiResult<Page> {
        let from_body = |field: &str| -> ApiResult<Option<usize>> {
            match self.body.get("pagination").and_then(|p| p.get(field)) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => number(v).map(Some).ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "pagination.{field} must be a non-negative integer"
                    ))
                }),
            }
        };
        let from_query = |field: &str| -> ApiResult<Option<usize>> {
            match self.query(field) {
                None => Ok(None),
                Some(v) => v.parse::<usize>().map(Some).map_err(|_| {
                    ApiError::bad_request(format!("{field} must be a non-negative integer"))
                }),
            }
        };
        let page = from_body("page")?
            .or(from_query("page")?)
            .unwrap_or(1)
            .max(1);
        let per_page = from_body("per_page")?
            .or(from_query("per_page")?)
            .unwrap_or(DEFAULT_PER_PAGE)
            .clamp(1, MAX_PER_PAGE);
        Ok(Page { page, per_page })
    }

    /// A list field of the body (`inputs`), or an empty list.
    pub(crate) fn list(&self, field: &str) -> ApiResult<Vec<Value>> {
        match self.body.get(field) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(a)) => Ok(a.clone()),
            Some(_) => Err(ApiError::bad_request(format!("'{field}' must be a list"))),
        }
    }

    /// The `ids` of a batch delete (body or query) and its `delete_all` flag.
    pub(crate) fn delete_ids(&self) -> ApiResult<(Vec<String>, bool)> {
        let mut ids: Vec<String> = self
            .list("ids")?
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        ids.extend(self.query_all("ids"));
        let all = self
            .body
            .get("delete_all")
            .and_then(Value::as_bool)
            .unwrap_or(false)
            || self.query("delete_all") == Some("true");
        if ids.is_empty() && !all {
            return Err(ApiError::bad_request("give 'ids' or 'delete_all': true"));
        }
        Ok((ids, all))
    }

    /// The `action` of a patch: `merge` (default), `overwrite` or `remove`.
    pub(crate) fn action(&self) -> ApiResult<&str> {
        match self
            .body
            .get("action")
            .and_then(Value::as_str)
            .unwrap_or("merge")
        {
            a @ ("merge" | "overwrite" | "remove") => Ok(a),
            other => Err(ApiError::bad_request(format!(
                "unknown action '{other}' (expected merge, overwrite or remove)"
            ))),
        }
    }
}

/// A JSON number or numeric string as a `usize`.
pub(crate) fn number(v: &Value) -> Option<usize> {
    match v {
        Value::Number(n) => n.as_u64().and_then(|n| usize::try_from(n).ok()),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// The string field `field` of `v`, or `""`.
pub(crate) fn str_field<'a>(v: &'a Value, field: &str) -> &'a str {
    v.get(field).and_then(Value::as_str).unwrap_or("")
}

/// Checks the 128-input batch limit.
pub(crate) fn check_batch(n: usize) -> ApiResult<()> {
    if n > MAX_BATCH {
        return Err(ApiError::new(
            status::INPUT_INVALID_REQUEST,
            format!("batch of {n} inputs exceeds the limit of {MAX_BATCH}"),
        ));
    }
    if n == 0 {
        return Err(ApiError::bad_request("no inputs given"));
    }
    Ok(())
}
