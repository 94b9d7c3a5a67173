//! Errors a caller can act on. None of them ever holds the key's secret.

use std::fmt;
use std::time::Duration;

use crate::endpoint::Rpc;
use crate::models::{Status, StatusCode};
use crate::scope::Scope;

/// Why a call failed.
///
/// Every response body is parsed and the error is chosen by its `status.code`; the HTTP status is
/// only a hint. Large variants are boxed, so the type stays small.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server rejected the call for a missing scope (status 11007).
    #[error(transparent)]
    InsufficientScopes(Box<InsufficientScopes>),
    /// The key is malformed, expired, or not valid for this app (status 11008).
    #[error("{rpc}: the key was refused (11008 {}){}: check that it is the key of this app, or use a PAT with user and app ids", .status.description, detail(&.status.details))]
    InvalidKey {
        /// The RPC called.
        rpc: Rpc,
        /// The status the server sent.
        status: Box<Status>,
    },
    /// The server does not know the key (status 11009).
    #[error("{rpc}: the server does not know this key (11009 {}): check `CLARIFAI_API_KEY` and the base URL", .status.description)]
    UnknownKey {
        /// The RPC called.
        rpc: Rpc,
        /// The status the server sent.
        status: Box<Status>,
    },
    /// Too many requests (status 11005, 11003 or 11004; HTTP 429).
    #[error("{rpc}: throttled ({} {}){}: slow down{}", .status.code.0, .status.description, detail(&.status.details), retry(.retry_after))]
    Throttled {
        /// The RPC called.
        rpc: Rpc,
        /// How long the server asked to wait (`Retry-After`), if it said.
        retry_after: Option<Duration>,
        /// The status the server sent.
        status: Box<Status>,
    },
    /// The resource does not exist (21200, 30102, 22102, 11101 ..., or HTTP 404).
    #[error("{rpc}: not found ({} {}){}", .status.code.0, .status.description, detail(&.status.details))]
    NotFound {
        /// The RPC called.
        rpc: Rpc,
        /// The status the server sent.
        status: Box<Status>,
    },
    /// The server found the request invalid (11100, 11102, 400xx, 39999 ..., or HTTP 400).
    #[error("{rpc}: bad request ({} {}){}", .status.code.0, .status.description, detail(&.status.details))]
    BadRequest {
        /// The RPC called.
        rpc: Rpc,
        /// The status the server sent.
        status: Box<Status>,
    },
    /// Some or all items of a batch failed (10010 MIXED_STATUS, 10020 FAILURE, or every item's
    /// own status when all failed alike): the outcome of each item is kept.
    #[error(transparent)]
    Partial(Box<PartialFailure>),
    /// Any other status the server sent.
    #[error("{rpc}: the server answered {} {}{} (HTTP {http_status})", .status.code.0, .status.description, detail(&.status.details))]
    Api {
        /// The RPC called.
        rpc: Rpc,
        /// The HTTP status.
        http_status: u16,
        /// The status the server sent.
        status: Box<Status>,
    },
    /// The request did not get an answer (connection, timeout, TLS).
    #[error("{rpc}: {kind}: {source}")]
    Transport {
        /// The RPC called.
        rpc: Rpc,
        /// What went wrong, in a few words.
        kind: &'static str,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The answer could not be read as the API's JSON (an HTML error page, a truncated body).
    #[error(
        "{rpc}: could not read the answer (HTTP {http_status}): {reason}; body begins: {excerpt:?}"
    )]
    Decode {
        /// The RPC called.
        rpc: Rpc,
        /// The HTTP status.
        http_status: u16,
        /// What the decoder said.
        reason: String,
        /// The first bytes of the body (at most 200 characters), for the log.
        excerpt: String,
        /// Whether the body ended in the middle of the JSON (a connection cut short): worth
        /// another try.
        truncated: bool,
    },
    /// A call was tried again after throttling or transient failures, until its retry budget
    /// ran out ([`RetryPolicy`](super::RetryPolicy)).
    #[error("{rpc}: gave up after {attempts} attempts ({}); last error: {last}", .reasons.join("; "))]
    GaveUp {
        /// The RPC called.
        rpc: Rpc,
        /// The attempts made, the first included.
        attempts: u32,
        /// Why each attempt failed, in order.
        reasons: Vec<String>,
        /// The last attempt's error.
        #[source]
        last: Box<Error>,
    },
    /// The call could not be made as asked (a path parameter missing, a PAT client without user
    /// id, a base URL that does not parse).
    #[error("{0}")]
    Usage(String),
    /// `verify_scopes` found scopes the key type declares but the real key lacks.
    #[error(transparent)]
    ScopesNotGranted(Box<super::ScopeReport>),
}

/// The server said the key lacks a scope for this call (status 11007).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct InsufficientScopes {
    /// The RPC called.
    pub rpc: Rpc,
    /// Every scope the endpoint needs (its depending scopes, gate first).
    pub needed: Vec<Scope>,
    /// The scopes the key type declares in `#[scoped_key(...)]`.
    pub declared: Vec<Scope>,
    /// The key type's name.
    pub key_type: &'static str,
    /// The status the server sent (its `details` names what the server found missing).
    pub status: Status,
}

impl fmt::Display for InsufficientScopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |s: &[Scope]| s.iter().map(Scope::as_str).collect::<Vec<_>>().join(", ");
        write!(
            f,
            "{}: the server refused the key for missing scopes (11007){}; the endpoint needs [{}]; \
             key type `{}` declares [{}]: the real key holds fewer scopes than its type says \
             (check it in the Clarifai portal, or call `verify_scopes`)",
            self.rpc,
            detail(&self.status.details),
            list(&self.needed),
            self.key_type,
            list(&self.declared),
        )
    }
}

impl std::error::Error for InsufficientScopes {}

/// A batch in which some or all items failed.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PartialFailure {
    /// The RPC called.
    pub rpc: Rpc,
    /// The top-level status: 10010 MIXED_STATUS, 10020 FAILURE, or the items' own status when
    /// they all failed alike (30002 for a predict whose inputs could not be downloaded).
    pub status: Status,
    /// The outcome of each item, in the order sent.
    pub items: Vec<ItemOutcome>,
    /// The whole response, as JSON, for the successful items' data.
    pub response: serde_json::Value,
}

impl fmt::Display for PartialFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let failed = self.items.iter().filter(|i| !i.is_success()).count();
        write!(
            f,
            "{}: {failed} of {} items failed ({} {})",
            self.rpc,
            self.items.len(),
            self.status.code.0,
            self.status.description
        )?;
        if let Some(first) = self.items.iter().find(|i| !i.is_success()) {
            write!(
                f,
                "; first: item {} ({}) {} {}{}",
                first.index,
                first.id,
                first.status.code.0,
                first.status.description,
                detail(&first.status.details)
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for PartialFailure {}

/// The outcome of one item of a batch.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ItemOutcome {
    /// Its position in the batch.
    pub index: usize,
    /// Its id (the input's, or the output's), when the server sent one.
    pub id: String,
    /// Its status.
    pub status: Status,
}

impl ItemOutcome {
    /// Whether the item succeeded (10000, or an input's 30000/30001 download states).
    pub fn is_success(&self) -> bool {
        matches!(
            self.status.code,
            StatusCode::SUCCESS
                | StatusCode::INPUT_SUCCESS
                | StatusCode::INPUT_PENDING
                | StatusCode::ZERO
        )
    }
}

fn detail(details: &str) -> String {
    if details.is_empty() {
        String::new()
    } else {
        format!(": {details}")
    }
}

fn retry(after: &Option<Duration>) -> String {
    match after {
        Some(d) => format!(" (the server asks to wait {} s)", d.as_secs_f32()),
        None => String::new(),
    }
}

impl Error {
    /// The status the server sent, if it answered with one.
    pub fn status(&self) -> Option<&Status> {
        match self {
            Error::InsufficientScopes(e) => Some(&e.status),
            Error::InvalidKey { status, .. }
            | Error::UnknownKey { status, .. }
            | Error::Throttled { status, .. }
            | Error::NotFound { status, .. }
            | Error::BadRequest { status, .. }
            | Error::Api { status, .. } => Some(status),
            Error::Partial(p) => Some(&p.status),
            _ => None,
        }
    }

    /// Whether trying again later may succeed (throttled, transient server or transport trouble).
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Throttled { .. } | Error::Transport { .. } => true,
            Error::Api {
                http_status,
                status,
                ..
            } => *http_status >= 500 || status.code.kind() == crate::models::StatusKind::TryAgain,
            Error::Decode {
                http_status,
                truncated,
                ..
            } => *truncated || *http_status >= 500,
            _ => false,
        }
    }

    /// A few words on what went wrong, for the list of reasons of [`Error::GaveUp`].
    pub(crate) fn short_reason(&self) -> String {
        match self {
            Error::Throttled { status, .. } => format!("throttled ({})", status.code.0),
            Error::Transport { kind, .. } => (*kind).to_owned(),
            Error::Api {
                http_status,
                status,
                ..
            } => format!("HTTP {http_status} ({})", status.code.0),
            Error::Decode {
                http_status,
                truncated: true,
                ..
            } => format!("truncated body (HTTP {http_status})"),
            Error::Decode { http_status, .. } => format!("unreadable body (HTTP {http_status})"),
            other => other.to_string(),
        }
    }
}
