//! Status codes, their descriptions and HTTP statuses: the one place where the emulator's choices
//! for codes the documentation leaves open are made.

use serde_json::{Map, Value, json};

/// `SUCCESS`
pub(crate) const SUCCESS: u32 = 10000;
/// `MIXED_STATUS`: some items succeeded, some failed.
pub(crate) const MIXED_STATUS: u32 = 10010;
/// `FAILURE`: every item failed.
pub(crate) const FAILURE: u32 = 10020;
/// `CONN_THROTTLED`
pub(crate) const CONN_THROTTLED: u32 = 11005;
/// `CONN_INSUFFICIENT_SCOPES`
pub(crate) const CONN_INSUFFICIENT_SCOPES: u32 = 11007;
/// `CONN_KEY_INVALID`
pub(crate) const CONN_KEY_INVALID: u32 = 11008;
/// `CONN_KEY_NOT_FOUND`
pub(crate) const CONN_KEY_NOT_FOUND: u32 = 11009;
/// `CONN_BAD_REQUEST_FORMAT`
pub(crate) const CONN_BAD_REQUEST_FORMAT: u32 = 11100;
/// `CONN_DOES_NOT_EXIST`
pub(crate) const CONN_DOES_NOT_EXIST: u32 = 11101;
/// `CONN_INVALID_REQUEST`
pub(crate) const CONN_INVALID_REQUEST: u32 = 11102;
/// `CONN_METHOD_NOT_ALLOWED`
pub(crate) const CONN_METHOD_NOT_ALLOWED: u32 = 11103;
/// `MODEL_TRAINED`
pub(crate) const MODEL_TRAINED: u32 = 21100;
/// `MODEL_UNTRAINED`
pub(crate) const MODEL_UNTRAINED: u32 = 21102;
/// `MODEL_TRAINING_NO_DATA`
pub(crate) const MODEL_TRAINING_NO_DATA: u32 = 21110;
/// `MODEL_DOES_NOT_EXIST`
pub(crate) const MODEL_DOES_NOT_EXIST: u32 = 21200;
/// `MODEL_INVALID_ARGUMENT`
pub(crate) const MODEL_INVALID_ARGUMENT: u32 = 21202;
/// `WORKFLOW_DOES_NOT_EXIST`
pub(crate) const WORKFLOW_DOES_NOT_EXIST: u32 = 22102;
/// `ANNOTATION_SUCCESS`
pub(crate) const ANNOTATION_SUCCESS: u32 = 24150;
/// `INPUT_SUCCESS` (download complete)
pub(crate) const INPUT_SUCCESS: u32 = 30000;
/// `INPUT_PENDING` (download pending)
pub(crate) const INPUT_PENDING: u32 = 30001;
/// `INPUT_FAILED` (download failed)
pub(crate) const INPUT_FAILED: u32 = 30002;
/// `INPUT_DOES_NOT_EXIST`
pub(crate) const INPUT_DOES_NOT_EXIST: u32 = 30102;
/// `INPUT_INVALID_ARGUMENT`
pub(crate) const INPUT_INVALID_ARGUMENT: u32 = 30104;
/// `INPUT_INVALID_REQUEST`: used for the 128-input batch limit.
pub(crate) const INPUT_INVALID_REQUEST: u32 = 39999;
/// `DATABASE_DUPLICATE_KEY`
pub(crate) const DATABASE_DUPLICATE_KEY: u32 = 40010;
/// `RPC_SERVER_UNAVAILABLE`: injected 503s.
pub(crate) const RPC_SERVER_UNAVAILABLE: u32 = 40031;
/// `RPC_UNKNOWN_METHOD`
pub(crate) const RPC_UNKNOWN_METHOD: u32 = 40036;
/// `SEARCH_PREDICTION_FAILURE`
pub(crate) const SEARCH_PREDICTION_FAILURE: u32 = 43003;
/// `SEARCH_BY_NOT_FULLY_INDEXED_INPUT`
pub(crate) const SEARCH_BY_NOT_FULLY_INDEXED_INPUT: u32 = 43004;
/// `INTERNAL_UNCATEGORIZED`: injected 500s.
pub(crate) const INTERNAL_UNCATEGORIZED: u32 = 99009;

/// The description the emulator prints for a code.
pub(crate) fn description(code: u32) -> &'static str {
    match code {
        SUCCESS => "Ok",
        MIXED_STATUS => "Mixed Success",
        FAILURE => "Failure",
        CONN_THROTTLED => "Making too many requests",
        CONN_INSUFFICIENT_SCOPES => "API key has insufficient scopes",
        CONN_KEY_INVALID => "Invalid API key or Invalid API key/application pair",
        CONN_KEY_NOT_FOUND => "API key not found",
        CONN_BAD_REQUEST_FORMAT => "Bad request format",
        CONN_DOES_NOT_EXIST => "Resource does not exist",
        CONN_INVALID_REQUEST => "Invalid request",
        CONN_METHOD_NOT_ALLOWED => "Method not allowed",
        MODEL_TRAINING_NO_DATA => "Model training had no data",
        RPC_UNKNOWN_METHOD => "Unknown method",
        SEARCH_BY_NOT_FULLY_INDEXED_INPUT => "Input is not fully indexed yet",
        MODEL_TRAINED => "Model is trained and ready",
        MODEL_UNTRAINED => "Model not yet trained",
        MODEL_DOES_NOT_EXIST => "Model does not exist",
        MODEL_INVALID_ARGUMENT => "Model invalid argument",
        WORKFLOW_DOES_NOT_EXIST => "Workflow does not exist",
        ANNOTATION_SUCCESS => "Annotation success",
        INPUT_SUCCESS => "Download complete",
        INPUT_PENDING => "Download pending",
        INPUT_FAILED => "Download failed; check URL",
        INPUT_DOES_NOT_EXIST => "Input does not exist",
        INPUT_INVALID_ARGUMENT => "Input invalid argument",
        INPUT_INVALID_REQUEST => "Invalid request",
        DATABASE_DUPLICATE_KEY => "Object has a duplicate ID",
        RPC_SERVER_UNAVAILABLE => "Server unavailable",
        SEARCH_PREDICTION_FAILURE => "Search prediction failure",
        INTERNAL_UNCATEGORIZED => "Internal error",
        _ => "",
    }
}

/// The HTTP status sent with a top-level status code.
///
/// Confirmed by captured responses: 10000 → 200, 10010 → 207, 11005 → 429, 11008/11009 → 401,
/// 10020 for a predict whose inputs all failed → 400 (payload 087). Chosen here, where the
/// documentation is silent: **11007 → 401** (same family as 11008/11009), 11100/11102/39999/40010
/// and other invalid-argument codes → 400, "does not exist" codes → 404, 40031 → 503,
/// 99009 → 500, 11103 → 405.
pub(crate) fn http_status(code: u32) -> u16 {
    match code {
        SUCCESS => 200,
        MIXED_STATUS => 207,
        FAILURE => 400,
        CONN_THROTTLED => 429,
        CONN_INSUFFICIENT_SCOPES | CONN_KEY_INVALID | CONN_KEY_NOT_FOUND => 401,
        CONN_DOES_NOT_EXIST
        | MODEL_DOES_NOT_EXIST
        | WORKFLOW_DOES_NOT_EXIST
        | INPUT_DOES_NOT_EXIST => 404,
        RPC_SERVER_UNAVAILABLE => 503,
        CONN_METHOD_NOT_ALLOWED => 405,
        RPC_UNKNOWN_METHOD => 501,
        INTERNAL_UNCATEGORIZED => 500,
        _ => 400,
    }
}

/// A status object (`{"code", "description", "details"?}`), without `req_id`.
pub(crate) fn status_json(code: u32, details: Option<&str>) -> Value {
    let mut m = Map::new();
    m.insert("code".into(), json!(code));
    m.insert("description".into(), json!(description(code)));
    if let Some(d) = details.filter(|d| !d.is_empty()) {
        m.insert("details".into(), json!(d));
    }
    Value::Object(m)
}

/// A request that fails as a whole.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub(crate) code: u32,
    pub(crate) details: String,
    /// Extra headers (`Retry-After`).
    pub(crate) retry_after: Option<u64>,
}

impl ApiError {
    pub(crate) fn new(code: u32, details: impl Into<String>) -> ApiError {
        ApiError {
            code,
            details: details.into(),
            retry_after: None,
        }
    }

    pub(crate) fn bad_request(details: impl Into<String>) -> ApiError {
        ApiError::new(CONN_INVALID_REQUEST, details)
    }

    pub(crate) fn not_found(what: &str, id: &str) -> ApiError {
        let code = match what {
            "model" | "model version" => MODEL_DOES_NOT_EXIST,
            "workflow" => WORKFLOW_DOES_NOT_EXIST,
            "input" => INPUT_DOES_NOT_EXIST,
            _ => CONN_DOES_NOT_EXIST,
        };
        ApiError::new(code, format!("{what} '{id}' not found"))
    }
}

pub(crate) type ApiResult<T> = Result<T, ApiError>;
