//! Routing from the endpoint table, authentication, scope enforcement and redaction.
//!
//! Every route comes from [`ENDPOINTS`]: each short and full path of each endpoint, with its method.
//! The router (matchit) prefers static segments, so `/v2/inputs/status` wins over
//! `/v2/inputs/{input_id}` whatever the order of insertion.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, Method as HttpMethod, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter};
use clarifai_typed::endpoint::{Auth, ENDPOINTS, EndpointSpec, Method};
use clarifai_typed::{Rpc, Scope};
use serde_json::{Map, Value, json};

use crate::Mode;
use crate::api::{self, Call, Reply};
use crate::builtin::{PUBLIC_APP, PUBLIC_USER};
use crate::redact::remove_path;
use crate::shared::{Shared, lock};
use crate::state::{KeyRec, KeyType, random_id};
use crate::status::{self, ApiError, ApiResult};

/// Which path form a route is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// `/v2/...`
    Short,
    /// `/v2/users/{user_id}/...`
    Full,
}

/// Builds the router: one route per path of every endpoint of the table.
pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let mut by_path: BTreeMap<&'static str, MethodRouter<Arc<Shared>>> = BTreeMap::new();
    for spec in ENDPOINTS {
        let forms = spec
            .short_paths
            .iter()
            .map(|p| (*p, Form::Short))
            .chain(spec.full_paths.iter().map(|p| (*p, Form::Full)));
        for (path, form) in forms {
            let rpc = spec.rpc;
            let handler = move |State(shared): State<Arc<Shared>>,
                                headers: HeaderMap,
                                path: Result<Path<HashMap<String, String>>, PathRejection>,
                                RawQuery(query): RawQuery,
                                body: Bytes| async move {
                // Path parameters that do not decode are left out: the handler then reports the
                // resource as not found.
                let params = path.map(|p| p.0).unwrap_or_default();
                handle(shared, rpc, form, headers, params, query, body).await
            };
            let filter = match spec.method {
                Method::Get => MethodFilter::GET,
                Method::Post => MethodFilter::POST,
                Method::Patch => MethodFilter::PATCH,
                _ => MethodFilter::DELETE,
            };
            let entry = by_path.remove(path).unwrap_or_default();
            by_path.insert(path, entry.on(filter, handler));
        }
    }
    let mut router = Router::new();
    for (path, method_router) in by_path {
        router = router.route(
            path,
            method_router.fallback(|method: HttpMethod| async move {
                error_response(
                    &ApiError::new(
                        status::CONN_METHOD_NOT_ALLOWED,
                        format!("method {method} is not allowed on this path"),
                    ),
                    &random_id(),
                    None,
                )
            }),
        );
    }
    router
        // Image uploads are large: allow 128 MiB bodies (the documented batch byte size), not
        // axum's default 2 MiB.
        .layer(axum::extract::DefaultBodyLimit::max(128 * 1024 * 1024))
        .fallback(|method: HttpMethod, uri: axum::http::Uri| async move {
            error_response(
                &ApiError::new(
                    status::CONN_DOES_NOT_EXIST,
                    format!("no endpoint at {method} {}", uri.path()),
                ),
                &random_id(),
                None,
            )
        })
        .with_state(shared)
}

/// Drops the trailing `/` of a request's path (`/v2/models/` is `/v2/models`), before routing.
pub(crate) fn strip_trailing_slash<B>(req: &mut axum::http::Request<B>) {
    let path = req.uri().path();
    if path.len() <= 1 || !path.ends_with('/') {
        return;
    }
    let trimmed = match path.trim_end_matches('/') {
        "" => "/",
        t => t,
    };
    let path_and_query = match req.uri().query() {
        Some(q) => format!("{trimmed}?{q}"),
        None => trimmed.to_string(),
    };
    let mut parts = req.uri().clone().into_parts();
    let Ok(pq) = path_and_query.parse() else {
        return;
    };
    parts.path_and_query = Some(pq);
    if let Ok(uri) = axum::http::Uri::from_parts(parts) {
        *req.uri_mut() = uri;
    }
}

/// Where a request goes, once authorised.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub(crate) user_id: String,
    /// `None` for user-level endpoints (key management, listing apps).
    pub(crate) app_id: Option<String>,
    /// The public app holding the built-in models (`clarifai/main`), read-only.
    pub(crate) public: bool,
}

async fn handle(
    shared: Arc<Shared>,
    rpc: Rpc,
    form: Form,
    headers: HeaderMap,
    params: HashMap<String, String>,
    query: Option<String>,
    body: Bytes,
) -> Response {
    let req_id = random_id();
    let spec = rpc.spec();
    let outcome = async {
        let key = authenticate(&shared, &headers)?;
        let target = resolve_target(&shared, spec, form, &key, &params)?;
        check_rate(&shared, &key)?;
        let held = key.effective_scopes();
        let mode = lock(&shared.config).mode;
        check_scopes(spec, &held, mode)?;
        check_endpoint(spec, &key)?;
        let body = parse_body(&body)?;
        let query = parse_query(query.as_deref())?;
        let call = Call {
            rpc,
            target,
            params,
            query,
            body,
            key,
            shared: shared.clone(),
        };
        let reply = api::dispatch(&call).await?;
        Ok::<_, ApiError>((reply, held))
    }
    .await;
    match outcome {
        Ok((reply, held)) => {
            if reply.changed {
                shared.save();
            }
            success_response(spec, reply, &held, &req_id)
        }
        Err(e) => error_response(&e, &req_id, api::list_field(rpc)),
    }
}

/// Reads `Authorization: Key <secret>` and finds the key.
fn authenticate(shared: &Shared, headers: &HeaderMap) -> ApiResult<KeyRec> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(ApiError::new(
            status::CONN_KEY_INVALID,
            "Missing Authorization header; send 'Authorization: Key <your key>'.",
        ));
    };
    let secret = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Key "))
        .map(str::trim)
        .filter(|s| well_formed(s))
        .ok_or_else(|| ApiError::new(status::CONN_KEY_INVALID, "Invalid format of key."))?;
    let state = lock(&shared.state);
    let key = state.keys.get(secret).cloned().ok_or_else(|| {
        ApiError::new(
            status::CONN_KEY_NOT_FOUND,
            "invalid key(not found; the key is not echoed)",
        )
    })?;
    if key.is_expired() {
        return Err(ApiError::new(
            status::CONN_KEY_INVALID,
            "API key has expired.",
        ));
    }
    Ok(key)
}

/// A secret the emulator accepts in a header: 1 to 128 ASCII letters, digits, `-` or `_`.
pub(crate) fn well_formed(secret: &str) -> bool {
    !secret.is_empty()
        && secret.len() <= 128
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Read-only RPCs a PAT may call on the public app `clarifai/main`.
fn public_rpc(rpc: Rpc) -> bool {
    matches!(
        rpc,
        Rpc::PostModelOutputs
            | Rpc::GetModel
            | Rpc::GetModelOutputInfo
            | Rpc::ListModels
            | Rpc::ListModelVersions
            | Rpc::GetModelVersion
    )
}

fn resolve_target(
    shared: &Shared,
    spec: &EndpointSpec,
    form: Form,
    key: &KeyRec,
    params: &HashMap<String, String>,
) -> ApiResult<Target> {
    let invalid = |details: String| ApiError::new(status::CONN_KEY_INVALID, details);
    let is_pat = key.key_type == KeyType::PersonalAccessToken;
    if spec.auth == Auth::PatOnly && !is_pat {
        return Err(invalid(format!(
            "{} accepts only a personal access token; app-specific keys cannot call it",
            spec.grpc_name()
        )));
    }
    // User-level endpoints: no app in the path.
    let app_level = match form {
        Form::Short => spec.auth == Auth::Key,
        Form::Full => params.contains_key("app_id"),
    };
    let target = match form {
        Form::Short if !app_level => Target {
            user_id: key.user_id.clone(),
            app_id: None,
            public: false,
        },
        Form::Short => {
            if is_pat {
                return Err(invalid(
                    "Must provide app external ID in API authorizer".into(),
                ));
            }
            Target {
                user_id: key.user_id.clone(),
                app_id: key.app_id.clone(),
                public: false,
            }
        }
        Form::Full => {
            let user = params.get("user_id").map_or("", String::as_str);
            let user = if user == "me" && key.user_id != "me" {
                key.user_id.as_str()
            } else {
                user
            };
            let app = params.get("app_id").cloned();
            if is_pat
                && key.user_id != PUBLIC_USER
                && user == PUBLIC_USER
                && app.as_deref() == Some(PUBLIC_APP)
            {
                if !public_rpc(spec.rpc) {
                    return Err(invalid(format!(
                        "the public app {PUBLIC_USER}/{PUBLIC_APP} is read-only: {} is not allowed",
                        spec.grpc_name()
                    )));
                }
                return Ok(Target {
                    user_id: PUBLIC_USER.into(),
                    app_id: app,
                    public: true,
                });
            }
            if user != key.user_id {
                return Err(invalid(format!("the key has no access to user '{user}'")));
            }
            if !is_pat && app != key.app_id {
                return Err(invalid(format!(
                    "the key belongs to app '{}/{}', not to '{user}/{}'",
                    key.user_id,
                    key.app_id.as_deref().unwrap_or(""),
                    app.as_deref().unwrap_or("")
                )));
            }
            Target {
                user_id: user.into(),
                app_id: app,
                public: false,
            }
        }
    };
    if let Some(app) = &target.app_id {
        let state = lock(&shared.state);
        let exists = state
            .users
            .get(&target.user_id)
            .is_some_and(|u| u.apps.contains_key(app));
        if !exists {
            return Err(ApiError::new(
                status::CONN_DOES_NOT_EXIST,
                format!("app '{}/{app}' not found", target.user_id),
            ));
        }
    }
    Ok(target)
}

fn check_rate(shared: &Shared, key: &KeyRec) -> ApiResult<()> {
    let Some(limit) = lock(&shared.config).rate else {
        return Ok(());
    };
    let now = std::time::Instant::now();
    let mut rates = lock(&shared.rate);
    let entry = rates.entry(key.id.clone()).or_insert((now, 0));
    if now.duration_since(entry.0) >= std::time::Duration::from_secs(1) {
        *entry = (now, 0);
    }
    entry.1 += 1;
    if entry.1 > limit {
        let mut e = ApiError::new(
            status::CONN_THROTTLED,
            format!("exceeded limit of {limit} requests per second"),
        );
        e.retry_after = Some(1);
        return Err(e);
    }
    Ok(())
}

fn check_scopes(spec: &EndpointSpec, held: &[Scope], mode: Mode) -> ApiResult<()> {
    let missing: Vec<&Scope> = match mode {
        Mode::Redact => spec.missing_gate(held).collect(),
        Mode::Strict => spec.missing_depending(held).collect(),
    };
    if missing.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
    Err(ApiError::new(
        status::CONN_INSUFFICIENT_SCOPES,
        format!(
            "missing scopes: {}; endpoint: {}",
            names.join(", "),
            spec.grpc_name()
        ),
    ))
}

/// Endpoint-level permissions: a key that lists endpoints may call only those.
fn check_endpoint(spec: &EndpointSpec, key: &KeyRec) -> ApiResult<()> {
    let name = spec.grpc_name();
    // MyScopes needs no permission: any valid key may ask what it holds.
    if key.endpoints.is_empty() || key.endpoints.contains(&name) || spec.rpc == Rpc::MyScopes {
        return Ok(());
    }
    Err(ApiError::new(
        status::CONN_INSUFFICIENT_SCOPES,
        format!("missing endpoints: {name}; endpoint: {name}"),
    ))
}

fn parse_body(body: &[u8]) -> ApiResult<Value> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(ApiError::new(
            status::CONN_BAD_REQUEST_FORMAT,
            "the request body must be a JSON object",
        )),
        Err(e) => Err(ApiError::new(
            status::CONN_BAD_REQUEST_FORMAT,
            format!("failed to parse the JSON body: {e}"),
        )),
    }
}

fn parse_query(query: Option<&str>) -> ApiResult<Vec<(String, String)>> {
    match query {
        None | Some("") => Ok(Vec::new()),
        Some(q) => serde_urlencoded::from_str(q)
            .map_err(|e| ApiError::bad_request(format!("bad query string: {e}"))),
    }
}

fn success_response(spec: &EndpointSpec, reply: Reply, held: &[Scope], req_id: &str) -> Response {
    let mut body = Value::Object(reply.body);
    // Redaction: blank every part guarded by a scope the key lacks (in strict mode the request
    // never gets here without every depending scope).
    for guard in spec.guards {
        if !guard.scope.is_granted_by(held) {
            remove_path(&mut body, guard.path);
        }
    }
    let mut map = match body {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    if let Some(field) = api::list_field(spec.rpc) {
        map.entry(field).or_insert_with(|| json!([]));
    }
    let mut st = status::status_json(reply.code, reply.details.as_deref());
    if let Value::Object(s) = &mut st {
        s.insert("req_id".into(), json!(req_id));
    }
    map.insert("status".into(), st);
    json_response(status::http_status(reply.code), &Value::Object(map), None)
}

/// The response for a failed request: `status`, plus the endpoint's always-present list.
pub(crate) fn error_response(e: &ApiError, req_id: &str, list_field: Option<&str>) -> Response {
    let mut st = status::status_json(e.code, Some(&e.details));
    if let Value::Object(s) = &mut st {
        s.insert("req_id".into(), json!(req_id));
    }
    let mut map = Map::new();
    map.insert("status".into(), st);
    if let Some(f) = list_field {
        map.insert(f.into(), json!([]));
    }
    json_response(
        status::http_status(e.code),
        &Value::Object(map),
        e.retry_after,
    )
}

pub(crate) fn json_response(http: u16, body: &Value, retry_after: Option<u64>) -> Response {
    let code = StatusCode::from_u16(http).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let text = serde_json::to_string(body).unwrap_or_else(|_| "{}".into());
    let mut resp = (code, text).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(secs) = retry_after {
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(secs));
    }
    resp
}
