//! What a handler gets and gives: the authorised request ([`Call`]), the answer ([`Reply`]), and
//! the helpers every handler shares (pages, lists, batch limits). Below the handlers: they call
//! into this module, never the other way.

use std::sync::Arc;

use clarifai_typed::client::{DEFAULT_PAGE_SIZE, MAX_BATCH, MAX_PAGE_SIZE};
use clarifai_typed::endpoint::PathParam;
use clarifai_typed::models::StatusCode;
use clarifai_typed::{Rpc, Scope};
use serde_json::{Map, Value};

use crate::shared::{Shared, lock};
use crate::state::{App, KeyRec};
use crate::status::{ApiError, ApiResult};

/// Where a request goes, once authorised.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) user_id: String,
    /// `None` for user-level endpoints (key management, listing apps).
    pub(crate) app_id: Option<String>,
    /// The public app holding the built-in models (`clarifai/main`), read-only.
    pub(crate) public: bool,
}

/// One authorised request.
#[derive(Debug)]
pub(crate) struct Call {
    pub(crate) rpc: Rpc,
    pub(crate) target: Target,
    /// The path parameters, by name.
    pub(crate) params: Vec<(PathParam, String)>,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: Value,
    pub(crate) key: KeyRec,
    pub(crate) shared: Arc<Shared>,
}

/// A successful (or partly successful) answer.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) code: StatusCode,
    pub(crate) details: Option<String>,
    pub(crate) body: Map<String, Value>,
    /// The state changed: save it.
    pub(crate) changed: bool,
}

impl Reply {
    pub(crate) fn ok(body: Value) -> Reply {
        Reply {
            code: StatusCode::SUCCESS,
            details: None,
            body: match body {
                Value::Object(m) => m,
                _ => Map::new(),
            },
            changed: false,
        }
    }

    /// An answer of one field (`{"inputs": [...]}`), its value moved in (`json!` would copy
    /// every value it is given).
    pub(crate) fn one(field: &str, value: impl Into<Value>) -> Reply {
        let mut body = Map::new();
        body.insert(field.to_owned(), value.into());
        Reply {
            code: StatusCode::SUCCESS,
            details: None,
            body,
            changed: false,
        }
    }

    pub(crate) fn changed(mut self) -> Reply {
        self.changed = true;
        self
    }

    pub(crate) fn with_code(mut self, code: StatusCode) -> Reply {
        self.code = code;
        self
    }
}

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
    /// Refuses a request that would read a resource guarded by `scope` the key lacks: the answer
    /// of a request may depend on guarded data only if the key may read it. The refusal (11007)
    /// does not depend on whether the data exists, so "no such id" and "not allowed" look alike.
    pub(crate) fn require_read(&self, scope: Scope, what: &str) -> ApiResult<()> {
        if scope.is_granted_by(&self.key.effective_scopes()) {
            return Ok(());
        }
        Err(ApiError::new(
            StatusCode::CONN_INSUFFICIENT_SCOPES,
            format!(
                "missing scopes: {}; {what} reads data that scope guards",
                scope.as_str()
            ),
        ))
    }

    /// The value of path parameter `param`, if the path has it.
    pub(crate) fn optional_param(&self, param: PathParam) -> Option<&str> {
        self.params
            .iter()
            .find(|(p, _)| *p == param)
            .map(|(_, v)| v.as_str())
    }

    /// The value of path parameter `param` (`""` when the path has none).
    pub(crate) fn param(&self, param: PathParam) -> &str {
        self.params
            .iter()
            .find(|(p, _)| *p == param)
            .map_or("", |(_, v)| v.as_str())
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
        app.touch();
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
            .unwrap_or(DEFAULT_PAGE_SIZE as usize)
            .clamp(1, MAX_PAGE_SIZE as usize);
        Ok(Page { page, per_page })
    }

    /// A list field of the body (`inputs`), or an empty list.
    pub(crate) fn list(&self, field: &str) -> ApiResult<&[Value]> {
        match self.body.get(field) {
            None | Some(Value::Null) => Ok(&[]),
            Some(Value::Array(a)) => Ok(a),
            Some(_) => Err(ApiError::bad_request(format!("'{field}' must be a list"))),
        }
    }

    /// A list field of the body, moved out of it (for a handler that stores what it was sent).
    pub(crate) fn take_list(&mut self, field: &str) -> ApiResult<Vec<Value>> {
        match self.body.get_mut(field).map(Value::take) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(a)) => Ok(a),
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
            StatusCode::INPUT_INVALID_REQUEST,
            format!("batch of {n} inputs exceeds the limit of {MAX_BATCH}"),
        ));
    }
    if n == 0 {
        return Err(ApiError::bad_request("no inputs given"));
    }
    Ok(())
}

/// The field of `rpc`'s response that is present even when empty (`cl_show_if_empty`).
pub(crate) fn list_field(rpc: Rpc) -> Option<&'static str> {
    rpc.spec().list_field
}
