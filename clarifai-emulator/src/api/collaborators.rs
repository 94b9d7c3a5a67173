//! Collaborators of an app: ListCollaborators, PostCollaborators, DeleteCollaborators.
//!
//! The emulator keeps the list (who, with which scopes and endpoints) and answers it with the
//! app's owner. Emulator's choices, where Clarifai documents nothing: any user id is accepted
//! (the emulator has no sign-up, and keeps no e-mail addresses, so `user_emails` never match); a
//! user is a collaborator of an app at most once, and never of their own app; a key may grant a
//! collaborator only scopes and endpoints it holds itself, as for keys it makes (11007
//! otherwise). A collaboration gives no access to the emulator's API: keys belong to one user.

use clarifai_typed::Scope;
use clarifai_typed::models::StatusCode;
use serde_json::{Value, json};

use super::keys::Grantor;
use crate::request::{Call, Reply, str_field};
use crate::state::{App, CollaboratorRec, close_scopes, random_id};
use crate::status::{ApiError, ApiResult};
use crate::time;

/// A collaborator as the API shows it.
fn render(c: &CollaboratorRec, app: &App) -> Value {
    let mut v = json!({
        "id": c.id,
        "user": {"id": c.user_id},
        "app": {"id": app.id, "user_id": app.user_id},
        "scopes": c.scopes,
        "created_at": c.created_at,
        "modified_at": c.modified_at,
    });
    if !c.endpoints.is_empty() {
        v["endpoints"] = json!(c.endpoints);
    }
    v
}

/// ListCollaborators: the app's collaborators, oldest first, and its owner.
pub(crate) fn list(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    call.with_app(|app| {
        let all: Vec<Value> = app
            .records
            .collaborators
            .iter()
            .map(|c| render(c, app))
            .collect();
        Ok(Reply::ok(json!({
            "collaborators": page.slice(&all),
            "app_owner": {"id": app.user_id},
        })))
    })
}

/// The known scopes of `v` (a list of scope names), or an error naming an unknown one.
fn scopes(v: Option<&Value>) -> ApiResult<Vec<Scope>> {
    let mut out = Vec::new();
    for s in v.and_then(Value::as_array).into_iter().flatten() {
        let name = s.as_str().unwrap_or("");
        let scope = Scope::parse(name);
        if !scope.is_known() {
            return Err(ApiError::bad_request(format!("unknown scope '{name}'")));
        }
        out.push(scope);
    }
    Ok(out)
}

/// The endpoints of `v` (`/clarifai.api.V2/...` names of the table's RPCs).
fn endpoints(v: Option<&Value>) -> ApiResult<Vec<String>> {
    let mut out = Vec::new();
    for e in v.and_then(Value::as_array).into_iter().flatten() {
        let name = e.as_str().unwrap_or("");
        let known = name
            .strip_prefix("/clarifai.api.V2/")
            .and_then(clarifai_typed::Rpc::from_name)
            .is_some();
        if !known {
            return Err(ApiError::bad_request(format!("unknown endpoint '{name}'")));
        }
        out.push(name.to_string());
    }
    Ok(out)
}

/// PostCollaborators: each `{user: {id}, scopes, endpoints?}`.
pub(crate) fn add(call: &Call) -> ApiResult<Reply> {
    let given = call.list("collaborators")?;
    if given.is_empty() {
        return Err(ApiError::bad_request("no collaborators given"));
    }
    let grantor = Grantor::new(&call.key);
    let now = time::now();
    let mut new: Vec<CollaboratorRec> = Vec::new();
    for g in given {
        let user_id = g.get("user").map_or("", |u| str_field(u, "id"));
        if user_id.is_empty() {
            return Err(ApiError::bad_request(
                "a collaborator names its user: 'user': {'id': ...}",
            ));
        }
        let scopes = close_scopes(&scopes(g.get("scopes"))?);
        if scopes.is_empty() {
            return Err(ApiError::bad_request(
                "a collaborator needs at least one scope",
            ));
        }
        let endpoints = endpoints(g.get("endpoints"))?;
        grantor.check(&scopes, &endpoints, None)?;
        if new.iter().any(|c| c.user_id == user_id) {
            return Err(duplicate(user_id));
        }
        new.push(CollaboratorRec {
            id: match str_field(g, "id") {
                "" => random_id(),
                id => id.to_string(),
            },
            user_id: user_id.to_string(),
            scopes,
            endpoints,
            created_at: now.clone(),
            modified_at: now.clone(),
        });
    }
    let shown = call.with_app_mut(|app| {
        for c in &new {
            if c.user_id == app.user_id {
                return Err(ApiError::bad_request(format!(
                    "user '{}' owns the app and cannot collaborate on it",
                    c.user_id
                )));
            }
            if app
                .records
                .collaborators
                .iter()
                .any(|k| k.user_id == c.user_id || k.id == c.id)
            {
                return Err(duplicate(&c.user_id));
            }
        }
        let shown: Vec<Value> = new.iter().map(|c| render(c, app)).collect();
        app.records.collaborators.extend(new);
        Ok(shown)
    })?;
    Ok(Reply::one("collaborators", shown).changed())
}

fn duplicate(user_id: &str) -> ApiError {
    ApiError::new(
        StatusCode::DATABASE_DUPLICATE_KEY,
        format!("user '{user_id}' already collaborates on the app"),
    )
}

/// DeleteCollaborators: by collaboration id or user id (`collaborator_ids`), or by e-mail
/// (`user_emails`). Every one must match, or nothing is removed (11101).
pub(crate) fn delete(call: &Call) -> ApiResult<Reply> {
    let ids: Vec<String> = call
        .list("collaborator_ids")?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    let emails: Vec<String> = call
        .list("user_emails")?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    if ids.is_empty() && emails.is_empty() {
        return Err(ApiError::bad_request(
            "give 'collaborator_ids' or 'user_emails'",
        ));
    }
    call.with_app_mut(|app| {
        let list = &mut app.records.collaborators;
        if let Some(missing) = ids
            .iter()
            .find(|id| !list.iter().any(|c| c.id == **id || c.user_id == **id))
        {
            return Err(ApiError::not_found("collaborator", missing));
        }
        if let Some(email) = emails.first() {
            return Err(ApiError::not_found("collaborator with e-mail", email));
        }
        list.retain(|c| !ids.iter().any(|id| *id == c.id || *id == c.user_id));
        Ok(())
    })?;
    Ok(Reply::ok(json!({})).changed())
}
