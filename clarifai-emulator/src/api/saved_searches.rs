//! Saved searches: PostSearches with `searches[].save: true` stores each such search under its
//! id instead of running it (the answer holds the saved searches and no hits, as Clarifai's own
//! client tests expect); PostSearchesByID runs one again on the app's inputs as they are now (or
//! as they were at its `as_of`), with the key that asks; GetSearch, ListSearches and DeleteSearch
//! read and remove them.
//!
//! A saved query in the legacy form (`ands`) runs as PostSearches does, any other
//! (`filters`, `ranks`) as PostInputsSearches does. Saving needs `SavedSearch:Add` (the protos
//! list only PostSearches' scopes; saving without it would let a key without `SavedSearch:Add`
//! add saved searches).

use clarifai_typed::endpoint::PathParam;
use clarifai_typed::models::StatusCode;
use clarifai_typed::{Rpc, Scope};
use serde_json::{Value, json};

use super::search;
use crate::request::{Call, Reply, str_field};
use crate::state::SavedSearchRec;
use crate::status::{ApiError, ApiResult};
use crate::time;

/// Whether a PostSearches body saves searches rather than running one.
pub(crate) fn saves(call: &Call) -> bool {
    call.body
        .get("searches")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().any(|s| s.get("save") == Some(&Value::Bool(true))))
}

/// A saved search as the API shows it (the proto's `Search`).
fn render(s: &SavedSearchRec) -> Value {
    let mut v = json!({
        "id": s.id,
        "query": s.query,
        "created_at": s.created_at,
        "modified_at": s.modified_at,
    });
    if !s.name.is_empty() {
        v["name"] = json!(s.name);
    }
    if let Some(t) = &s.as_of {
        v["as_of"] = json!(t);
    }
    v
}

/// A saved search's id: what a path segment can carry, and not a literal route's word.
fn check_id(id: &str) -> ApiResult<()> {
    if id.is_empty() {
        return Err(ApiError::bad_request(
            "a saved search needs an 'id' (searches[].id)",
        ));
    }
    if id == "feedback" {
        return Err(ApiError::bad_request(
            "'feedback' cannot be a saved search's id: /searches/feedback is search feedback",
        ));
    }
    if id.len() > 128 || id.contains('/') {
        return Err(ApiError::bad_request(
            "a saved search's id is at most 128 characters, without '/'",
        ));
    }
    Ok(())
}

/// PostSearches with `searches[].save`: stores the searches marked `save` (each needs an id not
/// yet taken and a `query`; `as_of` an RFC 3339 time).
pub(crate) fn save(call: &Call) -> ApiResult<Reply> {
    let add = Scope::of::<clarifai_typed::scope::AddSavedSearch>();
    if !add.is_granted_by(&call.key.effective_scopes()) {
        return Err(ApiError::new(
            StatusCode::CONN_INSUFFICIENT_SCOPES,
            format!(
                "missing scopes: {}; saving a search (searches[].save) needs it",
                add.as_str()
            ),
        ));
    }
    let given = call.list("searches")?;
    let now = time::now();
    let mut new: Vec<SavedSearchRec> = Vec::new();
    for s in given
        .iter()
        .filter(|s| s.get("save") == Some(&Value::Bool(true)))
    {
        let id = str_field(s, "id");
        check_id(id)?;
        let query = s
            .get("query")
            .filter(|q| q.is_object())
            .cloned()
            .ok_or_else(|| ApiError::bad_request(format!("saved search '{id}' has no 'query'")))?;
        let as_of = match s.get("as_of") {
            None | Some(Value::Null) => None,
            Some(Value::String(t)) if time::parse(t).is_some() => Some(t.clone()),
            Some(_) => {
                return Err(ApiError::bad_request(format!(
                    "saved search '{id}': 'as_of' must be an RFC 3339 time"
                )));
            }
        };
        if new.iter().any(|n| n.id == id) {
            return Err(duplicate(id));
        }
        new.push(SavedSearchRec {
            id: id.to_string(),
            name: str_field(s, "name").to_string(),
            query,
            as_of,
            created_at: now.clone(),
            modified_at: now.clone(),
        });
    }
    let shown: Vec<Value> = new.iter().map(render).collect();
    let first = new.first().map(|s| s.id.clone()).unwrap_or_default();
    call.with_app_mut(|app| {
        let saved = &mut app.records.searches;
        if let Some(taken) = new.iter().find(|n| saved.iter().any(|s| s.id == n.id)) {
            return Err(duplicate(&taken.id));
        }
        saved.extend(new);
        Ok(())
    })?;
    Ok(Reply::ok(json!({"id": first, "hits": [], "searches": shown})).changed())
}

fn duplicate(id: &str) -> ApiError {
    ApiError::new(
        StatusCode::DATABASE_DUPLICATE_KEY,
        format!("a saved search with id '{id}' already exists"),
    )
}

/// The saved search named in the path.
fn saved(call: &Call) -> ApiResult<SavedSearchRec> {
    let id = call.param(PathParam::SearchId);
    call.with_app(|app| {
        app.records
            .searches
            .iter()
            .find(|s| s.id == id)
            .cloned()
            .ok_or_else(|| ApiError::not_found("saved search", id))
    })
}

/// PostSearchesByID: the saved search, run now (a page of it: `pagination` in the body).
pub(crate) async fn run(call: &Call) -> ApiResult<Reply> {
    let s = saved(call)?;
    let (rpc, body) = if s.query.get("ands").is_some() {
        (Rpc::PostSearches, json!({"query": s.query}))
    } else {
        (
            Rpc::PostInputsSearches,
            json!({"searches": [{"query": s.query}]}),
        )
    };
    let as_of = s.as_of.as_deref().and_then(time::parse);
    let mut reply = search::search_with(call, rpc, &body, as_of).await?;
    reply.body.insert("id".into(), json!(s.id));
    Ok(reply)
}

/// GetSearch.
pub(crate) fn get(call: &Call) -> ApiResult<Reply> {
    let s = saved(call)?;
    Ok(Reply::ok(json!({"search": render(&s)})))
}

/// ListSearches: oldest first.
pub(crate) fn list(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    call.with_app(|app| {
        let all: Vec<Value> = app.records.searches.iter().map(render).collect();
        Ok(Reply::ok(json!({"searches": page.slice(&all)})))
    })
}

/// DeleteSearch.
pub(crate) fn delete(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::SearchId).to_string();
    call.with_app_mut(|app| {
        let before = app.records.searches.len();
        app.records.searches.retain(|s| s.id != id);
        if app.records.searches.len() == before {
            return Err(ApiError::not_found("saved search", &id));
        }
        Ok(())
    })?;
    Ok(Reply::ok(json!({})).changed())
}
