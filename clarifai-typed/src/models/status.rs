//! The status object every response carries, its code, and the status-only response.

use serde::Serialize;

use super::common::{JsonMap, is_zero_u32, open_enum};

open_enum! {
    /// A status code (`status.code`): an open `u32` newtype, so codes this version does not name
    /// still decode. Decodes from a number (what the server sends) or a name
    /// (`"CONN_THROTTLED"`, as one docs page shows); encodes the number.
    ///
    /// ```
    /// use clarifai_typed::models::StatusCode;
    /// let c: StatusCode = serde_json::from_str("\"CONN_THROTTLED\"").unwrap();
    /// assert_eq!(c, StatusCode::CONN_THROTTLED);
    /// assert_eq!(serde_json::to_string(&c).unwrap(), "11005");
    /// let new: StatusCode = serde_json::from_str("12345").unwrap();
    /// assert_eq!(new.name(), None);
    /// ```
    StatusCode {
        /// Unset.
        ZERO = 0,
        /// Ok.
        SUCCESS = 10000,
        /// Some items succeeded, some failed: check each item's status.
        MIXED_STATUS = 10010,
        /// Every item failed.
        FAILURE = 10020,
        /// Try the request again.
        TRY_AGAIN = 10030,
        /// Not implemented.
        NOT_IMPLEMENTED = 10040,
        /// Resource moved (HTTP 307).
        MOVED = 10050,
        /// I'm a teapot.
        TEAPOT = 10060,
        /// Accepted for processing (HTTP 202).
        ACCEPTED = 10070,
        /// Account or plan issue.
        CONN_ACCOUNT_ISSUES = 11000,
        /// Invalid authentication token (deprecated: the server uses 11008).
        CONN_TOKEN_INVALID = 11001,
        /// Invalid credentials.
        CONN_CREDENTIALS_INVALID = 11002,
        /// Hourly request limit exceeded.
        CONN_EXCEED_HOURLY_LIMIT = 11003,
        /// Monthly request limit exceeded.
        CONN_EXCEED_MONTHLY_LIMIT = 11004,
        /// Making too many requests (HTTP 429).
        CONN_THROTTLED = 11005,
        /// Account limits exceeded.
        CONN_EXCEEDS_LIMITS = 11006,
        /// The key lacks a scope the endpoint needs.
        CONN_INSUFFICIENT_SCOPES = 11007,
        /// Invalid API key or invalid key/application pair (HTTP 401).
        CONN_KEY_INVALID = 11008,
        /// API key not found (HTTP 401).
        CONN_KEY_NOT_FOUND = 11009,
        /// Bad request format.
        CONN_BAD_REQUEST_FORMAT = 11100,
        /// Resource does not exist (bad path).
        CONN_DOES_NOT_EXIST = 11101,
        /// Invalid request.
        CONN_INVALID_REQUEST = 11102,
        /// Method not allowed.
        CONN_METHOD_NOT_ALLOWED = 11103,
        /// No GDPR consent.
        CONN_NO_GDPR_CONSENT = 11104,
        /// Invalid range of a resource.
        CONN_INVALID_RANGE = 11105,
        /// Authentication method disabled.
        CONN_AUTH_METHOD_DISABLED = 11200,
        /// Model trained and ready.
        MODEL_TRAINED = 21100,
        /// Model training.
        MODEL_TRAINING = 21101,
        /// Model not yet trained.
        MODEL_UNTRAINED = 21102,
        /// Model queued for training.
        MODEL_QUEUED_FOR_TRAINING = 21103,
        /// Model uploading.
        MODEL_UPLOADING = 21104,
        /// Model upload failed.
        MODEL_UPLOADING_FAILED = 21105,
        /// Model training failed.
        MODEL_TRAINING_FAILED = 21106,
        /// No training data.
        MODEL_TRAINING_NO_DATA = 21110,
        /// No positive examples.
        MODEL_TRAINING_NO_POSITIVES = 21111,
        /// Model modification succeeded.
        MODEL_MODIFY_SUCCESS = 21150,
        /// Model modification pending.
        MODEL_MODIFY_PENDING = 21151,
        /// Model modification failed.
        MODEL_MODIFY_FAILED = 21152,
        /// Model does not exist.
        MODEL_DOES_NOT_EXIST = 21200,
        /// Model permission denied.
        MODEL_PERMISSION_DENIED = 21201,
        /// Invalid argument to a model.
        MODEL_INVALID_ARGUMENT = 21202,
        /// Invalid model request.
        MODEL_INVALID_REQUEST = 21203,
        /// Model evaluated.
        MODEL_EVALUATED = 21300,
        /// Model evaluating.
        MODEL_EVALUATING = 21301,
        /// Model not evaluated.
        MODEL_NOT_EVALUATED = 21302,
        /// Model queued for evaluation.
        MODEL_QUEUED_FOR_EVALUATION = 21303,
        /// Model evaluation failed.
        MODEL_EVALUATION_FAILED = 21310,
        /// Prediction failed.
        MODEL_PREDICTION_FAILED = 21313,
        /// Not enough labelled inputs to evaluate the model.
        MODEL_EVALUATION_NEED_LABELS = 21315,
        /// Model busy: retry.
        MODEL_BUSY_PLEASE_RETRY = 21354,
        /// Model loading.
        MODEL_LOADING = 21355,
        /// No input matched the workflow.
        WORKFLOW_NO_MATCHING_INPUT = 22001,
        /// The workflow needs a trained model.
        WORKFLOW_REQUIRE_TRAINED_MODEL = 22002,
        /// Duplicate workflow.
        WORKFLOW_DUPLICATE = 22100,
        /// Workflow does not exist.
        WORKFLOW_DOES_NOT_EXIST = 22102,
        /// Workflow permission denied.
        WORKFLOW_PERMISSION_DENIED = 22103,
        /// Invalid argument to a workflow.
        WORKFLOW_INVALID_ARGUMENT = 22104,
        /// Invalid workflow request.
        WORKFLOW_INVALID_REQUEST = 22999,
        /// Concept modification succeeded.
        CONCEPT_MODIFY_SUCCESS = 23150,
        /// Concept modification pending.
        CONCEPT_MODIFY_PENDING = 23151,
        /// Concept modification failed.
        CONCEPT_MODIFY_FAILED = 23152,
        /// Annotation succeeded.
        ANNOTATION_SUCCESS = 24150,
        /// Annotation pending.
        ANNOTATION_PENDING = 24151,
        /// Annotation failed.
        ANNOTATION_FAILED = 24152,
        /// Invalid annotation argument.
        ANNOTATION_INVALID_ARGUMENT = 24155,
        /// Annotation permission denied.
        ANNOTATION_PERMISSION_DENIED = 24156,
        /// Input processed (download complete).
        INPUT_SUCCESS = 30000,
        /// Input pending (download pending).
        INPUT_PENDING = 30001,
        /// Input failed (download failed: check the URL or bytes).
        INPUT_FAILED = 30002,
        /// Input in progress.
        INPUT_IN_PROGRESS = 30003,
        /// Input status update failed.
        INPUT_STATUS_UPDATE_FAILED = 30004,
        /// Input delete failed.
        INPUT_DELETE_FAILED = 30005,
        /// Duplicate input URL.
        INPUT_DUPLICATE = 30100,
        /// Unsupported input format.
        INPUT_UNSUPPORTED_FORMAT = 30101,
        /// Input does not exist.
        INPUT_DOES_NOT_EXIST = 30102,
        /// Input permission denied.
        INPUT_PERMISSION_DENIED = 30103,
        /// Invalid input argument.
        INPUT_INVALID_ARGUMENT = 30104,
        /// Input over the size limit.
        INPUT_OVER_LIMIT = 30105,
        /// Invalid input URL.
        INPUT_INVALID_URL = 30106,
        /// Input modification succeeded.
        INPUT_MODIFY_SUCCESS = 30200,
        /// Input modification pending.
        INPUT_MODIFY_PENDING = 30201,
        /// Input modification failed.
        INPUT_MODIFY_FAILED = 30203,
        /// Input storage host failed.
        INPUT_STORAGE_HOST_FAILED = 30210,
        /// Every input's bytes were invalid.
        ALL_INPUT_INVALID_BYTES = 30300,
        /// Input connection failed.
        INPUT_CONNECTION_FAILED = 39996,
        /// Request disabled for maintenance.
        REQUEST_DISABLED_FOR_MAINTENANCE = 39997,
        /// Input writes disabled for maintenance (deprecated).
        INPUT_WRITES_DISABLED_FOR_MAINTENANCE = 39998,
        /// Invalid input request.
        INPUT_INVALID_REQUEST = 39999,
        /// Invalid predict request.
        PREDICT_INVALID_REQUEST = 40001,
        /// Invalid search request.
        SEARCH_INVALID_REQUEST = 40002,
        /// Invalid concepts request.
        CONCEPTS_INVALID_REQUEST = 40003,
        /// Invalid stats request.
        STATS_INVALID_REQUEST = 40004,
        /// Object has a duplicate id.
        DATABASE_DUPLICATE_KEY = 40010,
        /// Database constraint violated.
        DATABASE_CONSTRAINT_VIOLATED = 40017,
        /// Server too busy.
        RPC_REQUEST_QUEUE_FULL = 40030,
        /// Server unavailable.
        RPC_SERVER_UNAVAILABLE = 40031,
        /// Request timed out.
        RPC_REQUEST_TIMEOUT = 40032,
        /// Request larger than allowed.
        RPC_MAX_MESSAGE_SIZE_EXCEEDED = 40033,
        /// External connection error.
        EXTERNAL_CONNECTION_ERROR = 40034,
        /// Request canceled.
        RPC_CANCELED = 40035,
        /// Unknown method.
        RPC_UNKNOWN_METHOD = 40036,
        /// Request canceled by the user.
        REQUEST_CANCELED_BY_USER = 40037,
        /// Invalid query syntax.
        QUERY_INVALID_SYNTAX = 40050,
        /// Search internal failure.
        SEARCH_INTERNAL_FAILURE = 43001,
        /// Search projection failure.
        SEARCH_PROJECTION_FAILURE = 43002,
        /// Search prediction failure.
        SEARCH_PREDICTION_FAILURE = 43003,
        /// Search by an input not fully indexed.
        SEARCH_BY_NOT_FULLY_INDEXED_INPUT = 43004,
        /// Saved search modification failed.
        SAVED_SEARCH_MODIFY_FAILED = 43005,
        /// Search counts unavailable.
        SEARCH_COUNTS_UNAVAILABLE = 43006,
        /// Dataset version pending (made, not yet processed).
        DATASET_VERSION_PENDING = 64005,
        /// Dataset version being processed.
        DATASET_VERSION_IN_PROGRESS = 64010,
        /// Dataset version ready.
        DATASET_VERSION_READY = 64015,
        /// Dataset version processing failed.
        DATASET_VERSION_FAILURE = 64020,
        /// Dataset version failed unexpectedly.
        DATASET_VERSION_UNEXPECTED_ERROR = 64025,
        /// Dataset version conflicts with another.
        DATASET_VERSION_CONFLICT = 64030,
        /// Input added to a dataset.
        DATASET_INPUT_SUCCESS = 64100,
        /// Input already in the dataset.
        DATASET_INPUT_DUPLICATE = 64101,
        /// Internal server issue.
        INTERNAL_SERVER_ISSUE = 98004,
        /// Connection error, uncategorized.
        CONN_UNCATEGORIZED = 99001,
        /// Model error, uncategorized.
        MODEL_UNCATEGORIZED = 99002,
        /// Input error, uncategorized.
        INPUT_UNCATEGORIZED = 99003,
        /// Annotation error, uncategorized.
        ANNOTATION_UNCATEGORIZED = 99004,
        /// Billing error, uncategorized.
        BILLING_UNCATEGORIZED = 99005,
        /// Internal error.
        INTERNAL_UNCATEGORIZED = 99009,
        /// Bad request (deprecated).
        BAD_REQUEST = 90400,
        /// Server error (deprecated).
        SERVER_ERROR = 90500,
    }
    aliases {
        /// Alias of [`StatusCode::INPUT_SUCCESS`].
        INPUT_DOWNLOAD_SUCCESS = INPUT_SUCCESS,
        /// Alias of [`StatusCode::INPUT_PENDING`].
        INPUT_DOWNLOAD_PENDING = INPUT_PENDING,
        /// Alias of [`StatusCode::INPUT_FAILED`].
        INPUT_DOWNLOAD_FAILED = INPUT_FAILED,
        /// Alias of [`StatusCode::INPUT_IN_PROGRESS`].
        INPUT_DOWNLOAD_IN_PROGRESS = INPUT_IN_PROGRESS,
    }
}

impl StatusCode {
    /// Whether the code is [`StatusCode::SUCCESS`].
    pub const fn is_success(self) -> bool {
        self.0 == 10000
    }
}

/// The status of a response or of one item in it (`clarifai.api.status.Status`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Status {
    /// The code.
    pub code: StatusCode,
    /// Short text (`"Ok"`, `"API key not found"`). Do not match on it: it changes.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Longer, user-presentable detail (`"invalid key(None)"`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub details: String,
    /// Private stack trace (not for public use).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stack_trace: Vec<String>,
    /// Progress of a long-running job.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub percent_completed: u32,
    /// Seconds remaining, when pending.
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub time_remaining: u32,
    /// The request id (32 hex characters).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub req_id: String,
    /// Private details.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub internal_details: String,
    /// Technical notes.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub developer_notes: String,
    /// The HTTP status code of the response (newer servers).
    #[serde(skip_serializing_if = "is_zero_u32")]
    pub http_status_code: u32,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// What a status code reports, as the client's errors group it: see [`StatusCode::kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatusKind {
    /// Success (10000), or an item-level success.
    Success,
    /// Some items of a batch failed (10010).
    Mixed,
    /// Every item of a batch failed (10020).
    Failure,
    /// The key lacks a scope (11007).
    MissingScopes,
    /// The key is malformed, expired, or not this app's (11001, 11002, 11008).
    InvalidKey,
    /// The server does not know the key (11009).
    UnknownKey,
    /// Too many requests (11003-11005).
    Throttled,
    /// A resource does not exist (11101, 21200, 22102, 30102).
    NotFound,
    /// The request is invalid (11100, 11102, 11105, 21202, 21203, 22104, 22999, 24155, 30104,
    /// 30106, 39999, 40001-40004, 40010, 40050).
    BadRequest,
    /// The server asks for another try later (10030, 40030-40032, 21354, 21355).
    TryAgain,
    /// Anything else.
    Other,
}

impl StatusCode {
    /// How the client's errors group the code: the one place where codes are sorted.
    pub fn kind(self) -> StatusKind {
        use StatusCode as C;
        match self {
            C::SUCCESS => StatusKind::Success,
            C::MIXED_STATUS => StatusKind::Mixed,
            C::FAILURE => StatusKind::Failure,
            C::CONN_INSUFFICIENT_SCOPES => StatusKind::MissingScopes,
            C::CONN_TOKEN_INVALID | C::CONN_CREDENTIALS_INVALID | C::CONN_KEY_INVALID => {
                StatusKind::InvalidKey
            }
            C::CONN_KEY_NOT_FOUND => StatusKind::UnknownKey,
            C::CONN_EXCEED_HOURLY_LIMIT | C::CONN_EXCEED_MONTHLY_LIMIT | C::CONN_THROTTLED => {
                StatusKind::Throttled
            }
            C::CONN_DOES_NOT_EXIST
            | C::MODEL_DOES_NOT_EXIST
            | C::WORKFLOW_DOES_NOT_EXIST
            | C::INPUT_DOES_NOT_EXIST => StatusKind::NotFound,
            C::CONN_BAD_REQUEST_FORMAT
            | C::CONN_INVALID_REQUEST
            | C::CONN_INVALID_RANGE
            | C::MODEL_INVALID_ARGUMENT
            | C::MODEL_INVALID_REQUEST
            | C::WORKFLOW_INVALID_ARGUMENT
            | C::WORKFLOW_INVALID_REQUEST
            | C::ANNOTATION_INVALID_ARGUMENT
            | C::INPUT_INVALID_ARGUMENT
            | C::INPUT_INVALID_URL
            | C::INPUT_INVALID_REQUEST
            | C::PREDICT_INVALID_REQUEST
            | C::SEARCH_INVALID_REQUEST
            | C::CONCEPTS_INVALID_REQUEST
            | C::STATS_INVALID_REQUEST
            | C::DATABASE_DUPLICATE_KEY
            | C::QUERY_INVALID_SYNTAX => StatusKind::BadRequest,
            C::TRY_AGAIN
            | C::RPC_REQUEST_QUEUE_FULL
            | C::RPC_SERVER_UNAVAILABLE
            | C::RPC_REQUEST_TIMEOUT
            | C::MODEL_BUSY_PLEASE_RETRY
            | C::MODEL_LOADING => StatusKind::TryAgain,
            _ => StatusKind::Other,
        }
    }

    /// The `description` the API sends with the code, where the emulator needs one ("" for the
    /// others). Texts seen in real answers where there are some (10000 "Ok", 11009 "API key not
    /// found", 21200 "Model does not exist", ...).
    pub fn description(self) -> &'static str {
        use StatusCode as C;
        match self {
            C::SUCCESS => "Ok",
            C::MIXED_STATUS => "Mixed Success",
            C::FAILURE => "Failure",
            C::CONN_THROTTLED => "Making too many requests",
            C::CONN_INSUFFICIENT_SCOPES => "API key has insufficient scopes",
            C::CONN_KEY_INVALID => "Invalid API key or Invalid API key/application pair",
            C::CONN_KEY_NOT_FOUND => "API key not found",
            C::CONN_BAD_REQUEST_FORMAT => "Bad request format",
            C::CONN_DOES_NOT_EXIST => "Resource does not exist",
            C::CONN_INVALID_REQUEST => "Invalid request",
            C::CONN_METHOD_NOT_ALLOWED => "Method not allowed",
            C::MODEL_TRAINED => "Model is trained and ready",
            C::MODEL_TRAINING => "Model is currently training",
            C::MODEL_UNTRAINED => "Model not yet trained",
            C::MODEL_QUEUED_FOR_TRAINING => "Model is currently in queue for training",
            C::MODEL_TRAINING_NO_DATA => "Model training had no data",
            C::MODEL_TRAINING_FAILED => "Model training failed",
            C::MODEL_DOES_NOT_EXIST => "Model does not exist",
            C::MODEL_INVALID_ARGUMENT => "Model invalid argument",
            C::MODEL_EVALUATED => "Model is evaluated",
            C::MODEL_EVALUATING => "Model is evaluating",
            C::MODEL_NOT_EVALUATED => "Model not evaluated",
            C::MODEL_QUEUED_FOR_EVALUATION => "Model is queued for evaluation.",
            C::MODEL_EVALUATION_NEED_LABELS => "Not enough labelled inputs to evaluate the model",
            C::WORKFLOW_DOES_NOT_EXIST => "Workflow does not exist",
            C::WORKFLOW_INVALID_ARGUMENT => "Workflow invalid argument",
            C::ANNOTATION_SUCCESS => "Annotation success",
            C::INPUT_SUCCESS => "Download complete",
            C::INPUT_PENDING => "Download pending",
            C::INPUT_FAILED => "Download failed; check URL",
            C::INPUT_IN_PROGRESS => "Download in progress",
            C::INPUT_DUPLICATE => "Input is a duplicate",
            C::INPUT_UNSUPPORTED_FORMAT => "Input has an unsupported format",
            C::INPUT_DOES_NOT_EXIST => "Input does not exist",
            C::INPUT_INVALID_ARGUMENT => "Input invalid argument",
            C::INPUT_INVALID_URL => "Invalid URL",
            C::INPUT_INVALID_REQUEST => "Invalid request",
            C::CONCEPTS_INVALID_REQUEST => "Invalid request",
            C::DATABASE_DUPLICATE_KEY => "Object has a duplicate ID",
            C::RPC_SERVER_UNAVAILABLE => "Server unavailable",
            C::RPC_UNKNOWN_METHOD => "Unknown method",
            C::SEARCH_PREDICTION_FAILURE => "Search prediction failure",
            C::SEARCH_BY_NOT_FULLY_INDEXED_INPUT => "Input is not fully indexed yet",
            C::DATASET_VERSION_PENDING => "Dataset version pending",
            C::DATASET_VERSION_IN_PROGRESS => "Dataset version in progress",
            C::DATASET_VERSION_READY => "Dataset version ready",
            C::DATASET_VERSION_FAILURE => "Dataset version failure",
            C::INTERNAL_UNCATEGORIZED => "Internal error",
            _ => "",
        }
    }

    /// The HTTP status the API sends with the code as a response's top-level status.
    ///
    /// Confirmed by captured responses: 10000 → 200, 10010 → 207, 11005 → 429, 11008/11009 →
    /// 401, 10020 for a predict whose inputs all failed → 400 (payload 087). Chosen where the
    /// documentation is silent: **11007 → 401** (same family as 11008/11009), "does not exist"
    /// codes → 404, 40031 → 503, 99009 → 500, 11103 → 405, 40036 → 501, other codes (invalid
    /// arguments) → 400. The client reads the body's code, never this.
    pub fn http_status(self) -> u16 {
        use StatusCode as C;
        match self {
            C::SUCCESS => 200,
            C::MIXED_STATUS => 207,
            C::CONN_THROTTLED => 429,
            C::CONN_INSUFFICIENT_SCOPES | C::CONN_KEY_INVALID | C::CONN_KEY_NOT_FOUND => 401,
            C::CONN_METHOD_NOT_ALLOWED => 405,
            C::RPC_SERVER_UNAVAILABLE => 503,
            C::RPC_UNKNOWN_METHOD => 501,
            C::INTERNAL_UNCATEGORIZED => 500,
            code if code.kind() == StatusKind::NotFound => 404,
            _ => 400,
        }
    }
}

impl Status {
    /// A status with a code and a description.
    pub fn new(code: StatusCode, description: impl Into<String>) -> Status {
        Status {
            code,
            description: description.into(),
            ..Status::default()
        }
    }

    /// `10000 "Ok"`.
    pub fn success() -> Status {
        Status::new(StatusCode::SUCCESS, "Ok")
    }

    /// Sets `details`.
    pub fn with_details(mut self, details: impl Into<String>) -> Status {
        self.details = details.into();
        self
    }

    /// Sets `req_id`.
    pub fn with_req_id(mut self, req_id: impl Into<String>) -> Status {
        self.req_id = req_id.into();
        self
    }
}

/// A response that is only a status (`BaseResponse`): deletes, and every error body's common part.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct BaseResponse {
    /// The outcome.
    pub status: Status,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl BaseResponse {
    /// A response with this status.
    pub fn new(status: Status) -> BaseResponse {
        BaseResponse {
            status,
            ..BaseResponse::default()
        }
    }
}

crate::redacted::redactable! { BaseResponse {} }

super::fields::decode_fields! {
    Status { code, description, details, stack_trace, percent_completed, time_remaining, req_id, internal_details, developer_notes, http_status_code }
    BaseResponse { status }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn status_serializes_only_what_is_set() {
        let s = Status::new(StatusCode::CONN_KEY_NOT_FOUND, "API key not found")
            .with_details("invalid key(None)")
            .with_req_id("1f43314a008044d9919097a30b1f134e");
        assert_eq!(
            serde_json::to_value(&s).unwrap(),
            json!({
                "code": 11009,
                "description": "API key not found",
                "details": "invalid key(None)",
                "req_id": "1f43314a008044d9919097a30b1f134e"
            })
        );
        let back: Status = serde_json::from_value(json!({"code": "MIXED_STATUS", "x": 1})).unwrap();
        assert_eq!(back.code, StatusCode::MIXED_STATUS);
        assert_eq!(back.extra["x"], json!(1));
        assert_eq!(
            StatusCode::from_name("INPUT_DOWNLOAD_FAILED"),
            Some(StatusCode::INPUT_FAILED)
        );
        assert_eq!(format!("{:?}", StatusCode(10000)), "SUCCESS(10000)");
        assert_eq!(StatusCode::CONN_INSUFFICIENT_SCOPES.0, 11007);
        assert_eq!(StatusCode::INTERNAL_UNCATEGORIZED.0, 99009);
    }
}
