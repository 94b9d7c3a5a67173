//! The answer: the handler's body, redacted for the key, with the status and the endpoint's
//! always-present list; or an error body.

use axum::http::{HeaderValue, StatusCode as HttpStatus, header};
use axum::response::{IntoResponse, Response};
use clarifai_typed::Scope;
use clarifai_typed::endpoint::EndpointSpec;
use clarifai_typed::models::redact_json_for;
use serde_json::{Map, Value, json};

use crate::request::{Reply, list_field};
use crate::status::{self, ApiError};

pub(super) fn success(spec: &EndpointSpec, reply: Reply, held: &[Scope], req_id: &str) -> Response {
    let mut body = Value::Object(reply.body);
    // Redaction: blank every part guarded by a scope the key lacks, wherever the response type
    // can hold it (in strict mode the request never gets here without every depending scope).
    redact_json_for(spec.rpc, &mut body, held);
    let mut map = match body {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    if let Some(field) = list_field(spec.rpc) {
        map.entry(field).or_insert_with(|| json!([]));
    }
    let mut st = status::status_json(reply.code, reply.details.as_deref());
    if let Value::Object(s) = &mut st {
        s.insert("req_id".into(), json!(req_id));
    }
    map.insert("status".into(), st);
    json_response(reply.code.http_status(), &Value::Object(map), None)
}

/// The response for a failed request: `status`, plus the endpoint's always-present list.
/// An error body with an HTTP status other than the code's own (413, 414).
pub(super) fn error_with_http(e: &ApiError, http: u16, list_field: Option<&str>) -> Response {
    let mut response = error_response(e, &crate::state::random_id(), list_field);
    if let Ok(status) = HttpStatus::from_u16(http) {
        *response.status_mut() = status;
    }
    response
}

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
    json_response(e.code.http_status(), &Value::Object(map), e.retry_after)
}

pub(crate) fn json_response(http: u16, body: &Value, retry_after: Option<u64>) -> Response {
    let code = HttpStatus::from_u16(http).unwrap_or(HttpStatus::INTERNAL_SERVER_ERROR);
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
