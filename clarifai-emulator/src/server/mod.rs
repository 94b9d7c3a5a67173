//! The HTTP side: routing from the endpoint table, then, per request, authentication and target
//! resolution ([`auth`]), the rate limit and scope checks ([`checks`]), the handler
//! ([`crate::api::dispatch`]), and the answer ([`respond`]).
//!
//! Every route comes from [`ENDPOINTS`]: each short and full path of each endpoint, with its
//! method. The router (matchit) prefers static segments, so `/v2/inputs/status` wins over
//! `/v2/inputs/{input_id}` whatever the order of insertion.

mod auth;
mod checks;
mod hosting;
mod respond;

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method as HttpMethod};
use axum::response::Response;
use axum::routing::{MethodFilter, MethodRouter};
use clarifai_typed::endpoint::{ENDPOINTS, EndpointSpec, Method, PathParam};
use clarifai_typed::models::StatusCode;
use clarifai_typed::{Rpc, Scope};
use serde_json::{Map, Value};

use crate::Mode;
use crate::api;
use crate::request::{Call, Reply, list_field};
use crate::shared::{Shared, lock};
use crate::state::KeyRec;
use crate::state::random_id;
use crate::status::{ApiError, ApiResult};
use crate::usage::Ended;

pub(crate) use hosting::{IMAGE_SIZES, VIDEO_SIZES};
pub(crate) use respond::error_response;

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
            .map(|p| (p, Form::Short))
            .chain(spec.full_paths.iter().map(|p| (p, Form::Full)));
        for (template, form) in forms {
            let rpc = spec.rpc;
            let names: Vec<PathParam> = template.params().collect();
            let handler = move |State(shared): State<Arc<Shared>>,
                                headers: HeaderMap,
                                path: Result<Path<Vec<String>>, PathRejection>,
                                RawQuery(query): RawQuery,
                                body: Result<Bytes, BytesRejection>| async move {
                let body = match body {
                    Ok(body) => body,
                    Err(rejection) => return refused_body(&rejection, rpc),
                };
                // Path parameters that do not decode are left out: the handler then reports the
                // resource as not found.
                let values = path.map(|p| p.0).unwrap_or_default();
                let params = names.iter().copied().zip(values).collect();
                handle(shared, rpc, form, headers, params, query, body).await
            };
            let filter = match spec.method {
                Method::Get => MethodFilter::GET,
                Method::Post => MethodFilter::POST,
                Method::Patch => MethodFilter::PATCH,
                Method::Delete => MethodFilter::DELETE,
            };
            let path = template.text;
            let entry = by_path.remove(path).unwrap_or_default();
            by_path.insert(path, entry.on(filter, handler));
        }
    }
    let mut router = Router::new();
    for (path, method_router) in by_path {
        router = router.route(
            path,
            method_router.fallback(
                |State(shared): State<Arc<Shared>>,
                 method: HttpMethod,
                 uri: axum::http::Uri,
                 headers: HeaderMap| async move {
                    if let Err(e) = auth::authenticate(&shared, &headers, names_me(uri.path())) {
                        return error_response(&e, &random_id(), None);
                    }
                    error_response(
                        &ApiError::new(
                            StatusCode::CONN_METHOD_NOT_ALLOWED,
                            format!("method {method} is not allowed on this path"),
                        ),
                        &random_id(),
                        None,
                    )
                },
            ),
        );
    }
    router
        .route(USAGE_PATH, axum::routing::get(usage_endpoint))
        // Image uploads are large: allow 128 MiB bodies (the documented batch byte size), not
        // axum's default 2 MiB.
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn(limit_request))
        .fallback(
            |State(shared): State<Arc<Shared>>,
             method: HttpMethod,
             uri: axum::http::Uri,
             headers: HeaderMap| async move {
                if (method == HttpMethod::GET || method == HttpMethod::HEAD)
                    && let Some(copy) = hosting::serve(&shared, &headers, uri.path())
                {
                    return copy;
                }
                // The key is checked first: whether a path exists is told only to a valid key,
                // and a bad key is answered the same on every path.
                if let Err(e) = auth::authenticate(&shared, &headers, names_me(uri.path())) {
                    return error_response(&e, &random_id(), None);
                }
                error_response(
                    &ApiError::new(
                        StatusCode::CONN_DOES_NOT_EXIST,
                        format!("no endpoint at {method} {}", uri.path()),
                    ),
                    &random_id(),
                    None,
                )
            },
        )
        .with_state(shared)
}

/// The emulator-only endpoint of the scope usage report (not part of Clarifai's API).
pub(crate) const USAGE_PATH: &str = "/emulator/usage";

/// `GET /emulator/usage`: the scope usage report as JSON, or as text with `?format=text`.
async fn usage_endpoint(State(shared): State<Arc<Shared>>, RawQuery(query): RawQuery) -> Response {
    let report = lock(&shared.usage).report();
    if query
        .as_deref()
        .is_some_and(|q| q.split('&').any(|p| p == "format=text"))
    {
        let mut response = axum::response::IntoResponse::into_response(report.to_string());
        response.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        response
    } else {
        respond::json_response(200, &report.to_json(), None)
    }
}

/// Whether a path names the user `me` (`/v2/users/me/...`).
fn names_me(path: &str) -> bool {
    path.starts_with("/v2/users/me/")
}

/// CORS, so that a web page (Clarifai's JavaScript client) can call the emulator: an `OPTIONS`
/// request (a preflight) is answered 204 before anything else, allowing every method and the
/// headers asked for; every answer allows the calling origin (`*` without an `Origin`), with
/// credentials (the hosted copies accept a key cookie), and exposes `Retry-After`.
pub(crate) async fn cors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let origin = req.headers().get(header::ORIGIN).cloned();
    let preflight = req.method() == HttpMethod::OPTIONS;
    let asked_headers = req
        .headers()
        .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
        .cloned();
    let mut response = if preflight {
        axum::http::StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(req).await
    };
    let h = response.headers_mut();
    match origin {
        Some(origin) => {
            h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            h.insert(
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HeaderValue::from_static("true"),
            );
            h.append(header::VARY, HeaderValue::from_static("Origin"));
        }
        None => {
            h.insert(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            );
        }
    }
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("Retry-After"),
    );
    if preflight {
        let methods = HeaderValue::from_static("GET, POST, PUT, PATCH, DELETE, OPTIONS");
        h.insert(header::ALLOW, methods.clone());
        h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, methods);
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            asked_headers.unwrap_or(HeaderValue::from_static(
                "Authorization, Content-Type, X-Clarifai-Session-Token, X-Clarifai-Request-ID-Prefix",
            )),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
    }
    response
}

/// The largest request body: 128 MiB, Clarifai's documented batch size in bytes. A larger one is
/// refused with 40033 (`RPC_MAX_MESSAGE_SIZE_EXCEEDED`) / HTTP 413.
const MAX_BODY: usize = 128 * 1024 * 1024;

/// The longest path and query: 8 KiB. A longer one is refused with 11100 / HTTP 414 (paths over
/// 64 KiB are refused by the HTTP layer itself, with an empty 414, before the emulator sees them).
const MAX_URI: usize = 8 * 1024;

/// The answer to a body that could not be read (too large, or cut off), Clarifai-shaped.
fn refused_body(rejection: &BytesRejection, rpc: Rpc) -> Response {
    let too_large = rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE;
    let (http, error) = if too_large {
        (
            413,
            ApiError::new(
                StatusCode::RPC_MAX_MESSAGE_SIZE_EXCEEDED,
                format!("the request body is larger than {MAX_BODY} bytes"),
            ),
        )
    } else {
        (
            400,
            ApiError::new(
                StatusCode::CONN_BAD_REQUEST_FORMAT,
                "the request body could not be read",
            ),
        )
    };
    respond::error_with_http(&error, http, list_field(rpc))
}

/// Refuses, Clarifai-shaped and before routing, a path and query longer than [`MAX_URI`] and a
/// body whose declared length is over [`MAX_BODY`] (without reading it; a body that turns out
/// longer than it said, or that declares no length, is cut off while being read).
async fn limit_request(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let len = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if len > MAX_URI {
        let error = ApiError::new(
            StatusCode::CONN_BAD_REQUEST_FORMAT,
            format!("the path and query are {len} bytes, more than the {MAX_URI} allowed"),
        );
        return respond::error_with_http(&error, 414, None);
    }
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        let error = ApiError::new(
            StatusCode::RPC_MAX_MESSAGE_SIZE_EXCEEDED,
            format!("the request body is larger than {MAX_BODY} bytes"),
        );
        return respond::error_with_http(&error, 413, None);
    }
    next.run(req).await
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

async fn handle(
    shared: Arc<Shared>,
    rpc: Rpc,
    form: Form,
    headers: HeaderMap,
    params: Vec<(PathParam, String)>,
    query: Option<String>,
    body: Bytes,
) -> Response {
    let req_id = random_id();
    let spec = rpc.spec();
    let outcome = async {
        let me = params
            .iter()
            .any(|(p, v)| *p == PathParam::UserId && v == "me");
        let key = auth::authenticate(&shared, &headers, me)?;
        let held = key.effective_scopes();
        let mode = lock(&shared.config).mode;
        let mut result = serve(&shared, rpc, form, &key, &held, mode, params, query, body).await;
        record_usage(&shared, spec, &key, &held, mode, &mut result);
        result.map(|reply| (reply, held))
    }
    .await;
    match outcome {
        Ok((reply, held)) => respond::success(spec, reply, &held, &req_id),
        Err(e) => error_response(&e, &req_id, list_field(rpc)),
    }
}

/// An authenticated request: its target, the checks, the handler.
#[allow(clippy::too_many_arguments)]
async fn serve(
    shared: &Arc<Shared>,
    rpc: Rpc,
    form: Form,
    key: &KeyRec,
    held: &[Scope],
    mode: Mode,
    params: Vec<(PathParam, String)>,
    query: Option<String>,
    body: Bytes,
) -> ApiResult<Reply> {
    let spec = rpc.spec();
    let target = auth::resolve_target(shared, spec, form, key, &params)?;
    checks::rate(shared, key)?;
    checks::scopes(spec, held, mode)?;
    checks::endpoint(spec, key)?;
    let body = parse_body(&body)?;
    crate::wire::check(rpc, &body)?;
    let query = parse_query(query.as_deref())?;
    let mut call = Call {
        rpc,
        target,
        params,
        query,
        body,
        key: key.clone(),
        shared: shared.clone(),
    };
    let reply = api::dispatch(&mut call).await;
    save(shared, reply.as_ref().is_ok_and(|r| r.changed)).await?;
    reply
}

/// Adds the call to the scope usage log, with its answer before redaction.
fn record_usage(
    shared: &Shared,
    spec: &EndpointSpec,
    key: &KeyRec,
    held: &[Scope],
    mode: Mode,
    result: &mut ApiResult<Reply>,
) {
    match result {
        Ok(reply) => {
            let body = Value::Object(std::mem::take(&mut reply.body));
            lock(&shared.usage).record(key, held, spec, mode, Ended::Answered(&body));
            if let Value::Object(map) = body {
                reply.body = map;
            }
        }
        Err(e) => {
            let ended = if e.code == StatusCode::CONN_INSUFFICIENT_SCOPES {
                Ended::Refused
            } else {
                Ended::Failed
            };
            lock(&shared.usage).record(key, held, spec, mode, ended);
        }
    }
}

/// Hands the request's changes (and any left by others) to the state file. A request that
/// changed something is answered once they are committed, or with 99009 / HTTP 500 when they
/// could not be: its client must not believe they are saved. Other requests do not wait.
async fn save(shared: &Shared, changed: bool) -> ApiResult<()> {
    let saved = if changed {
        shared.persist().await
    } else {
        shared.flush().map(|_| ())
    };
    match saved {
        Err(e) if changed => Err(ApiError::new(
            StatusCode::INTERNAL_UNCATEGORIZED,
            format!("the change was made in memory but not saved: the state file {e}"),
        )),
        _ => Ok(()),
    }
}

/// How deeply a request body may nest objects and arrays (the body itself is level 1). Deeper
/// bodies are 11102 / 400 and change nothing, so that whatever is stored can be read back and
/// shown (serde_json stops at 128 levels; a stored entity and an answer wrap what the body
/// held in a few more). Protobuf's parsers default to a limit of 100 as well.
pub(crate) const MAX_NESTING: usize = 100;

fn parse_body(body: &[u8]) -> ApiResult<Value> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Object(Map::new()));
    }
    let too_deep = || {
        ApiError::bad_request(format!(
            "the request body nests objects and arrays more than {MAX_NESTING} levels deep"
        ))
    };
    match serde_json::from_slice::<Value>(body) {
        Ok(v) if nesting(&v) > MAX_NESTING => Err(too_deep()),
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err(ApiError::new(
            StatusCode::CONN_BAD_REQUEST_FORMAT,
            "the request body must be a JSON object",
        )),
        // serde_json's own limit (128): well-formed, but deeper than allowed.
        Err(e) if e.to_string().starts_with("recursion limit exceeded") => Err(too_deep()),
        Err(e) => Err(ApiError::new(
            StatusCode::CONN_BAD_REQUEST_FORMAT,
            format!("failed to parse the JSON body: {e}"),
        )),
    }
}

/// The nesting depth of objects and arrays in `v` (a scalar is 0, `{}` is 1).
fn nesting(v: &Value) -> usize {
    let children: Box<dyn Iterator<Item = &Value>> = match v {
        Value::Object(m) => Box::new(m.values()),
        Value::Array(a) => Box::new(a.iter()),
        _ => return 0,
    };
    1 + children.map(nesting).max().unwrap_or(0)
}

fn parse_query(query: Option<&str>) -> ApiResult<Vec<(String, String)>> {
    match query {
        None | Some("") => Ok(Vec::new()),
        Some(q) => serde_urlencoded::from_str(q)
            .map_err(|e| ApiError::bad_request(format!("bad query string: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(levels: usize) -> String {
        let mut body = "{\"a\":".to_string();
        body.push_str(&"[".repeat(levels - 1));
        body.push_str(&"]".repeat(levels - 1));
        body.push('}');
        body
    }

    #[test]
    fn bodies_deeper_than_the_limit_are_invalid_requests() {
        assert!(parse_body(nested(MAX_NESTING).as_bytes()).is_ok());
        for levels in [MAX_NESTING + 1, 128, 129, 10_000] {
            let e = parse_body(nested(levels).as_bytes()).expect_err("too deep");
            assert_eq!(e.code, StatusCode::CONN_INVALID_REQUEST, "{levels}");
            assert!(e.details.contains("levels deep"), "{}", e.details);
        }
        let e = parse_body(b"{\"a\": [}").expect_err("bad JSON");
        assert_eq!(e.code, StatusCode::CONN_BAD_REQUEST_FORMAT);
    }
}
