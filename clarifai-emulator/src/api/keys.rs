//! Apps, MyScopes and key management (PAT-only).

use clarifai_typed::Scope;
use clarifai_typed::endpoint::PathParam;
use clarifai_typed::models::StatusCode;
use serde_json::{Value, json};

use super::render;
use crate::request::{Call, Reply, str_field};
use crate::shared::lock;
use crate::state::{KeyRec, KeyType, close_scopes, random_id};
use crate::status::{ApiError, ApiResult};
use crate::time;

pub(crate) fn my_scopes(call: &Call) -> ApiResult<Reply> {
    let scopes: Vec<String> = call
        .key
        .effective_scopes()
        .iter()
        .map(|s| s.as_str().to_string())
        .collect();
    let app = call.with_app(|app| Ok(render::app(app)))?;
    let mut body = json!({"scopes": scopes, "app": app});
    if !call.key.endpoints.is_empty() {
        body["endpoints"] = json!(call.key.endpoints);
    }
    Ok(Reply::ok(body))
}

pub(crate) fn get_app(call: &Call) -> ApiResult<Reply> {
    call.with_app(|app| Ok(Reply::ok(json!({"app": render::app(app)}))))
}

pub(crate) fn list_apps(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    let state = lock(&call.shared.state);
    let apps: Vec<Value> = state
        .users
        .get(&call.target.user_id)
        .map(|u| u.apps.values().map(render::app).collect())
        .unwrap_or_default();
    Ok(Reply::ok(json!({"apps": page.slice(&apps)})))
}

fn parse_scopes(v: &Value) -> ApiResult<Vec<Scope>> {
    let mut out = Vec::new();
    for s in v.as_array().cloned().unwrap_or_default() {
        let name = s.as_str().unwrap_or("");
        let scope = Scope::parse(name);
        if !scope.is_known() {
            return Err(ApiError::bad_request(format!("unknown scope '{name}'")));
        }
        out.push(scope);
    }
    Ok(out)
}

/// `endpoints`: fully qualified RPC names of the table (`/clarifai.api.V2/PostModelOutputs`).
fn parse_endpoints(v: &Value) -> ApiResult<Vec<String>> {
    let mut out = Vec::new();
    for e in v
        .get("endpoints")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
    {
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

fn parse_expiry(v: &Value) -> ApiResult<Option<String>> {
    match v.get("expires_at").and_then(Value::as_str) {
        None | Some("") => Ok(None),
        Some(t) => match time::parse(t) {
            Some(_) => Ok(Some(t.to_string())),
            None => Err(ApiError::bad_request(format!(
                "expires_at '{t}' is not an RFC 3339 timestamp"
            ))),
        },
    }
}

/// What a credential may hand out: a key it creates or patches holds a subset of what the
/// credential itself holds. The protos gate key management on `Keys:Add` (and `Keys:Get`), and
/// nothing stops a key from granting scopes it lacks; the emulator closes that hole, as a
/// least-privilege service must:
///
/// * **scopes**: every scope of the new key (closed over its dependencies) is granted by the
///   caller's scopes (`All` only by a caller holding `All`);
/// * **endpoints**: a caller limited to some endpoints may only make keys limited to a subset of
///   them (an unlimited key would reach more);
/// * **expiry**: a caller that expires may only make keys that expire no later than it does;
/// * **keys it may touch**: PatchKeys and DeleteKey act only on keys that are themselves within
///   the caller's reach by the rules above (so a weak key cannot revive, re-scope or delete a
///   stronger one).
///
/// A refusal is 11007 (`CONN_INSUFFICIENT_SCOPES`), naming what the caller lacks.
pub(crate) struct Grantor<'a> {
    caller: &'a KeyRec,
    held: Vec<Scope>,
}

impl<'a> Grantor<'a> {
    pub(crate) fn new(caller: &'a KeyRec) -> Grantor<'a> {
        Grantor {
            held: caller.effective_scopes(),
            caller,
        }
    }

    /// Refuses `scopes`, `endpoints` and `expires_at` that reach beyond the caller.
    pub(crate) fn check(
        &self,
        scopes: &[Scope],
        endpoints: &[String],
        expires_at: Option<&str>,
    ) -> ApiResult<()> {
        let beyond: Vec<&str> = scopes
            .iter()
            .filter(|s| !s.is_granted_by(&self.held))
            .map(Scope::as_str)
            .collect();
        if !beyond.is_empty() {
            return Err(ApiError::new(
                StatusCode::CONN_INSUFFICIENT_SCOPES,
                format!(
                    "a key cannot grant scopes it does not hold: {}",
                    beyond.join(", ")
                ),
            ));
        }
        if !self.caller.endpoints.is_empty() {
            let outside: Vec<&str> = endpoints
                .iter()
                .filter(|e| !self.caller.endpoints.contains(e))
                .map(String::as_str)
                .collect();
            if endpoints.is_empty() || !outside.is_empty() {
                return Err(ApiError::new(
                    StatusCode::CONN_INSUFFICIENT_SCOPES,
                    "a key limited to some endpoints can only grant keys limited to those \
                     endpoints (list them in 'endpoints')",
                ));
            }
        }
        if let Some(own) = self.caller.expires_at.as_deref().and_then(time::parse) {
            let later = match expires_at.map(time::parse) {
                None => true,
                Some(Some(t)) => t > own,
                Some(None) => true,
            };
            if later {
                return Err(ApiError::new(
                    StatusCode::CONN_INSUFFICIENT_SCOPES,
                    "a key that expires cannot grant a key that outlives it: set 'expires_at' no \
                     later than the calling key's",
                ));
            }
        }
        Ok(())
    }

    /// Refuses to touch `key` when it reaches beyond the caller.
    pub(crate) fn may_touch(&self, key: &KeyRec) -> ApiResult<()> {
        self.check(&key.scopes, &key.endpoints, key.expires_at.as_deref())
    }
}

pub(crate) fn post_keys(call: &Call) -> ApiResult<Reply> {
    let given = call.list("keys")?;
    if given.is_empty() {
        return Err(ApiError::bad_request("no keys given"));
    }
    let user = call.target.user_id.clone();
    let grantor = Grantor::new(&call.key);
    let mut state = lock(&call.shared.state);
    let mut new = Vec::new();
    for g in given {
        let key_type = match str_field(g, "type") {
            "" | "app_specific_key" => KeyType::AppSpecificKey,
            "personal_access_token" => KeyType::PersonalAccessToken,
            other => return Err(ApiError::bad_request(format!("unknown key type '{other}'"))),
        };
        let scopes = parse_scopes(g.get("scopes").unwrap_or(&Value::Null))?;
        if scopes.is_empty() {
            return Err(ApiError::bad_request("a key needs at least one scope"));
        }
        let app_id = match key_type {
            KeyType::PersonalAccessToken => None,
            KeyType::AppSpecificKey => {
                let apps = g
                    .get("apps")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let [app] = apps.as_slice() else {
                    return Err(ApiError::bad_request(
                        "an app-specific key needs exactly one app in 'apps'",
                    ));
                };
                let app_user = match str_field(app, "user_id") {
                    "" | "me" => user.as_str(),
                    u => u,
                };
                let app_id = str_field(app, "id");
                let exists = app_user == user
                    && state
                        .users
                        .get(&user)
                        .is_some_and(|u| u.apps.contains_key(app_id));
                if !exists {
                    return Err(ApiError::not_found("app", &format!("{app_user}/{app_id}")));
                }
                Some(app_id.to_string())
            }
        };
        let scopes = close_scopes(&scopes);
        let expires_at = parse_expiry(g)?;
        let endpoints = parse_endpoints(g)?;
        grantor.check(&scopes, &endpoints, expires_at.as_deref())?;
        new.push(KeyRec {
            id: random_id(),
            key_type,
            user_id: user.clone(),
            app_id,
            description: str_field(g, "description").into(),
            scopes,
            created_at: time::now(),
            expires_at,
            endpoints,
        });
    }
    let shown: Vec<Value> = new.iter().map(render::key).collect();
    for k in new {
        state.keys.insert(k.id.clone(), k);
    }
    Ok(Reply::one("keys", shown).changed())
}

fn user_keys<'a>(call: &Call, keys: impl Iterator<Item = &'a KeyRec>) -> Vec<&'a KeyRec> {
    let mut v: Vec<&KeyRec> = keys.filter(|k| k.user_id == call.target.user_id).collect();
    v.sort_by(|a, b| {
        a.created_at
            .cmp(&b.created_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    v
}

pub(crate) fn list_keys(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    let kind = call.query("type").map(str::to_string);
    let not_expired = call.query("not_expired") == Some("true");
    let state = lock(&call.shared.state);
    let keys: Vec<Value> = user_keys(call, state.keys.values())
        .into_iter()
        .filter(|k| kind.as_deref().is_none_or(|t| t == k.key_type.as_str()))
        .filter(|k| !not_expired || !k.is_expired())
        .map(render::key)
        .collect();
    Ok(Reply::ok(json!({"keys": page.slice(&keys)})))
}

pub(crate) fn get_key(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::KeyId);
    let state = lock(&call.shared.state);
    let key = state
        .keys
        .get(id)
        .filter(|k| k.user_id == call.target.user_id)
        .ok_or_else(|| ApiError::not_found("key", "(given id)"))?;
    Ok(Reply::ok(json!({"key": render::key(key)})))
}

pub(crate) fn patch_keys(call: &Call) -> ApiResult<Reply> {
    let given = call.list("keys")?;
    let grantor = Grantor::new(&call.key);
    let mut state = lock(&call.shared.state);
    let mut updates = Vec::new();
    let mut endpoint_updates = Vec::new();
    for g in given {
        let id = str_field(g, "id");
        let Some(current) = state
            .keys
            .get(id)
            .filter(|k| k.user_id == call.target.user_id)
        else {
            return Err(ApiError::not_found("key", "(given id)"));
        };
        grantor.may_touch(current)?;
        let scopes = match g.get("scopes") {
            Some(s) => Some(close_scopes(&parse_scopes(s)?)),
            None => None,
        };
        let expiry = if g.get("expires_at").is_some() {
            Some(parse_expiry(g)?)
        } else {
            None
        };
        let endpoints = if g.get("endpoints").is_some() {
            Some(parse_endpoints(g)?)
        } else {
            None
        };
        // The key as it would be after the patch must be within the caller's reach too.
        grantor.check(
            scopes.as_deref().unwrap_or(&current.scopes),
            endpoints.as_deref().unwrap_or(&current.endpoints),
            match &expiry {
                Some(e) => e.as_deref(),
                None => current.expires_at.as_deref(),
            },
        )?;
        if let Some(endpoints) = endpoints {
            endpoint_updates.push((id.to_string(), endpoints));
        }
        updates.push((
            id.to_string(),
            g.get("description").and_then(Value::as_str),
            scopes,
            expiry,
        ));
    }
    for (id, endpoints) in endpoint_updates {
        if let Some(k) = state.keys.get_mut(&id) {
            k.endpoints = endpoints;
        }
    }
    let mut shown = Vec::new();
    for (id, description, scopes, expiry) in updates {
        let Some(k) = state.keys.get_mut(&id) else {
            continue;
        };
        if let Some(d) = description {
            k.description = d.into();
        }
        if let Some(s) = scopes {
            k.scopes = s;
        }
        if let Some(e) = expiry {
            k.expires_at = e;
        }
        shown.push(render::key(k));
    }
    Ok(Reply::one("keys", shown).changed())
}

pub(crate) fn delete_key(call: &Call) -> ApiResult<Reply> {
    let id = call.param(PathParam::KeyId);
    let grantor = Grantor::new(&call.key);
    let mut state = lock(&call.shared.state);
    let Some(key) = state
        .keys
        .get(id)
        .filter(|k| k.user_id == call.target.user_id)
    else {
        return Err(ApiError::not_found("key", "(given id)"));
    };
    grantor.may_touch(key)?;
    state.keys.remove(id);
    Ok(Reply::ok(json!({})).changed())
}

pub(crate) fn list_app_keys(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    let app = call.app_id();
    let state = lock(&call.shared.state);
    let keys: Vec<Value> = user_keys(call, state.keys.values())
        .into_iter()
        .filter(|k| k.app_id.as_deref() == Some(app))
        .map(render::key)
        .collect();
    Ok(Reply::ok(json!({"keys": page.slice(&keys)})))
}
