//! Errors of a whole request, and the status object of an answer. Codes, their descriptions and
//! HTTP statuses are `clarifai_typed`'s ([`StatusCode`]): the one list the client and the
//! emulator share.

use clarifai_typed::models::StatusCode;
use serde_json::{Map, Value, json};

/// A status object (`{"code", "description", "details"?}`), without `req_id`.
pub(crate) fn status_json(code: StatusCode, details: Option<&str>) -> Value {
    let mut m = Map::new();
    m.insert("code".into(), json!(code.0));
    m.insert("description".into(), json!(code.description()));
    if let Some(d) = details.filter(|d| !d.is_empty()) {
        m.insert("details".into(), json!(d));
    }
    Value::Object(m)
}

/// A request that fails as a whole.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub(crate) code: StatusCode,
    pub(crate) details: String,
    /// Extra headers (`Retry-After`).
    pub(crate) retry_after: Option<u64>,
}

impl ApiError {
    pub(crate) fn new(code: StatusCode, details: impl Into<String>) -> ApiError {
        ApiError {
            code,
            details: details.into(),
            retry_after: None,
        }
    }

    pub(crate) fn bad_request(details: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONN_INVALID_REQUEST, details)
    }

    /// A missing resource: models and model versions 21200, workflows 22102, anything else
    /// (inputs included) 11101. Inputs are 11101 "Resource does not exist", not 30102: the
    /// grpc client's suite waits for exactly that code after deleting inputs
    /// (`common.wait_for_inputs_delete`).
    pub(crate) fn not_found(what: &str, id: &str) -> ApiError {
        let code = match what {
            "model" | "model version" => StatusCode::MODEL_DOES_NOT_EXIST,
            "workflow" => StatusCode::WORKFLOW_DOES_NOT_EXIST,
            _ => StatusCode::CONN_DOES_NOT_EXIST,
        };
        ApiError::new(code, format!("{what} '{id}' not found"))
    }
}

pub(crate) type ApiResult<T> = Result<T, ApiError>;
