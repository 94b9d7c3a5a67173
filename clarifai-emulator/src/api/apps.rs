//! PostApps: a personal access token creates apps for its own user.
//!
//! Auth (from the protos, enforced before this runs): PAT only (an app key is 11008), gate
//! `Apps:Add`, and the path's user must be the token's (or `me`): a PAT never creates apps for
//! another user, nor in the public `clarifai` user. A new app is reachable at once by the PAT
//! that made it (a PAT reaches every app of its user) with the PAT's own scopes: creating an app
//! grants no scope. Emulator's choices: an app id is 1 to 128 letters, digits, `-` or `_`, and new
//! for the user (40010 otherwise); `name` defaults to the id; one request creates at most
//! [`MAX_APPS_PER_REQUEST`] apps.

use serde_json::Value;

use super::render;
use crate::request::{Call, Reply, str_field};
use crate::shared::lock;
use crate::status::{ApiError, ApiResult};
use clarifai_typed::models::StatusCode;

/// The most apps one PostApps creates: the work of a request stays bounded.
pub(crate) const MAX_APPS_PER_REQUEST: usize = 128;

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// PostApps: `apps[]` with `id`, and `name`, `description`, `default_language`.
pub(crate) fn add_apps(call: &Call) -> ApiResult<Reply> {
    let given = call.list("apps")?;
    if given.is_empty() {
        return Err(ApiError::bad_request("no apps given"));
    }
    if given.len() > MAX_APPS_PER_REQUEST {
        return Err(ApiError::bad_request(format!(
            "{} apps in one request; the limit is {MAX_APPS_PER_REQUEST}",
            given.len()
        )));
    }
    let user_id = call.target.user_id.clone();
    let mut new: Vec<(String, Option<String>, String)> = Vec::with_capacity(given.len());
    for g in given {
        let id = str_field(g, "id");
        if !valid_id(id) {
            return Err(ApiError::bad_request(
                "an app id is 1 to 128 letters, digits, '-' or '_'",
            ));
        }
        if new.iter().any(|(a, _, _)| a == id) {
            return Err(duplicate(id));
        }
        let name = g
            .get("name")
            .and_then(Value::as_str)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        new.push((
            id.to_string(),
            name,
            str_field(g, "description").to_string(),
        ));
    }
    let mut state = lock(&call.shared.state);
    if let Some(taken) = new.iter().find(|(id, _, _)| {
        state
            .users
            .get(&user_id)
            .is_some_and(|u| u.apps.contains_key(id))
    }) {
        return Err(duplicate(&taken.0));
    }
    let mut shown = Vec::with_capacity(new.len());
    for (id, name, description) in new {
        // A new app (and the user, if new) is recorded as changed: its row is written.
        state.ensure_app(&user_id, &id);
        let Some(app) = state
            .users
            .get_mut(&user_id)
            .and_then(|u| u.apps.get_mut(&id))
        else {
            continue;
        };
        if let Some(name) = name {
            app.name = name;
        }
        app.description = description;
        shown.push(render::app(app));
    }
    Ok(Reply::one("apps", shown).changed())
}

fn duplicate(id: &str) -> ApiError {
    ApiError::new(
        StatusCode::DATABASE_DUPLICATE_KEY,
        format!("app id '{id}' already exists"),
    )
}
