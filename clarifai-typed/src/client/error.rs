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
    #[error("{rpc}: the server{} does not know this key (11009 {}): {}", at(.base_url), .status.description, unknown_key_advice(.key_from_env))]
    UnknownKey {
        /// The RPC called.
        rpc: Rpc,
        /// The status the server sent.
        status: Box<Status>,
        /// The environment variable the key was read from (`from_env`), if it was.
        key_from_env: Option<String>,
        /// The base URL of the server that refused it (empty when not known).
        base_url: String,
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
    /// The request did not get an answer (connection, timeout, TLS). The message ends with the
    /// innermost cause (`Connection refused`, `invalid peer certificate: UnknownIssuer`).
    #[error("{rpc}: {kind}: {}", root_cause(.source.as_ref()))]
    Transport {
        /// The RPC called.
        rpc: Rpc,
        /// What went wrong, in a few words.
        kind: &'static str,
        /// The underlying error (hyper's, or reqwest's when the client sends through reqwest).
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
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
    /// The real key lacks scopes the key type declares: from [`Client::confirm`](super::Client::confirm),
    /// or [`ScopeReport::into_result`](super::ScopeReport::into_result) of `verify_scopes`' report.
    #[error(transparent)]
    ScopesNotGranted(Box<super::ScopeReport>),
}

/// The server said the key lacks a scope for this call (status 11007).
///
/// [`missing`](Self::missing) says which scopes the real key must gain; the message says where.
///
/// ```
/// use clarifai_typed::client::decode_response;
/// use clarifai_typed::models::DeleteInputsRequest;
/// use clarifai_typed::{scoped_key, scope, Error, Scope};
///
/// #[scoped_key(DeleteInputs)]
/// pub struct CleanupKey;
///
/// let body = br#"{"status": {"code": 11007, "description": "API key has insufficient scopes",
///     "details": "missing scopes: Inputs:Delete; endpoint: /clarifai.api.V2/DeleteInputs"}}"#;
/// let Err(Error::InsufficientScopes(e)) = decode_response::<CleanupKey, DeleteInputsRequest>(401, body) else {
///     panic!()
/// };
/// assert_eq!(e.missing, [Scope::of::<scope::DeleteInputs>()]);
/// assert!(e.to_string().starts_with(
///     "the server refused a call to endpoint DeleteInputs (11007): the real key lacks the scope \
///      DeleteInputs (Inputs:Delete in the Clarifai portal), which key type `CleanupKey` declares"
/// ));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct InsufficientScopes {
    /// The RPC called.
    pub rpc: Rpc,
    /// The scopes the real key lacks for this call: those the server named in its `details`;
    /// when it named none, the endpoint's scopes the key type does not grant, or else its gate
    /// scopes (see [`missing_named_by_server`](Self::missing_named_by_server)).
    pub missing: Vec<Scope>,
    /// Whether [`missing`](Self::missing) is what the server named (`true`), or the client's best
    /// guess from the endpoint table (`false`).
    pub missing_named_by_server: bool,
    /// Every scope the endpoint may check (its depending scopes, gate first).
    pub needed: Vec<Scope>,
    /// The scopes the key type declares in `#[scoped_key(...)]`.
    pub declared: Vec<Scope>,
    /// Every scope the key type grants (the declared ones closed over their dependencies).
    pub granted: Vec<Scope>,
    /// The key type's name.
    pub key_type: &'static str,
    /// The status the server sent (its `details` names what the server found missing).
    pub status: Status,
}

impl InsufficientScopes {
    /// Reads a 11007 status for key type `K`.
    pub(crate) fn new<K: crate::Key>(rpc: Rpc, status: Status) -> InsufficientScopes {
        let spec = rpc.spec();
        let mut needed: Vec<Scope> = spec.gate.to_vec();
        needed.extend(
            spec.depending
                .iter()
                .filter(|s| !spec.gate.contains(s))
                .cloned(),
        );
        let named = missing_in_details(&status.details);
        let missing_named_by_server = !named.is_empty();
        let missing = if missing_named_by_server {
            named
        } else {
            let ungranted: Vec<Scope> = needed
                .iter()
                .filter(|s| !s.is_granted_by(K::SCOPES))
                .cloned()
                .collect();
            if ungranted.is_empty() {
                spec.gate.to_vec()
            } else {
                ungranted
            }
        };
        InsufficientScopes {
            rpc,
            missing,
            missing_named_by_server,
            needed,
            declared: K::DECLARED.to_vec(),
            granted: K::SCOPES.to_vec(),
            key_type: K::NAME,
            status,
        }
    }
}

/// The scopes a 11007 `details` names: `missing scopes: Inputs:Delete, Concepts:Get; endpoint:
/// ...` (the emulator's wording; Clarifai's own is not documented). Unknown names are kept.
fn missing_in_details(details: &str) -> Vec<Scope> {
    let Some(start) = details.find("missing scopes:") else {
        return Vec::new();
    };
    let rest = &details[start + "missing scopes:".len()..];
    let list = rest.split(';').next().unwrap_or_default();
    list.split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(Scope::parse)
        .collect()
}

impl fmt::Display for InsufficientScopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (declared, undeclared): (Vec<&Scope>, Vec<&Scope>) = self
            .missing
            .iter()
            .partition(|s| s.is_granted_by(&self.granted));
        let names = |s: &[&Scope]| {
            s.iter()
                .map(|s| s.portal_name())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let noun = |n: usize| if n == 1 { "the scope" } else { "the scopes" };
        write!(
            f,
            "the server refused a call to endpoint {} (11007): ",
            self.rpc
        )?;
        if !self.missing_named_by_server {
            write!(
                f,
                "the server did not say which scope is missing; likely: {}. ",
                names(&self.missing.iter().collect::<Vec<_>>())
            )?;
        }
        if !declared.is_empty() {
            write!(
                f,
                "the real key lacks {} {}, which key type `{}` declares: grant {} to the key in \
                 the Clarifai portal (or use a key that holds {})",
                noun(declared.len()),
                names(&declared),
                self.key_type,
                if declared.len() == 1 { "it" } else { "them" },
                if declared.len() == 1 { "it" } else { "them" },
            )?;
        }
        if !undeclared.is_empty() {
            if !declared.is_empty() {
                f.write_str("; ")?;
            }
            write!(
                f,
                "the real key lacks {} {}, which key type `{}` does not declare either (the \
                 server requires it for this endpoint): add {} to `#[scoped_key(...)]` and grant \
                 {} to the key in the Clarifai portal",
                noun(undeclared.len()),
                names(&undeclared),
                self.key_type,
                undeclared
                    .iter()
                    .map(|s| s.name())
                    .collect::<Vec<_>>()
                    .join(", "),
                if undeclared.len() == 1 { "it" } else { "them" },
            )?;
        }
        write!(
            f,
            "; `verify_scopes` compares the whole key with its type{}",
            if self.status.details.is_empty() {
                String::new()
            } else {
                format!(" (the server said: {})", self.status.details)
            }
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

/// The last error of a chain of sources: the one that says what happened.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

fn at(base_url: &str) -> String {
    if base_url.is_empty() {
        String::new()
    } else {
        format!(" at {base_url}")
    }
}

fn unknown_key_advice(from_env: &Option<String>) -> String {
    let whose =
        "a key made for one server (the emulator, api.clarifai.com) is unknown to the others";
    match from_env {
        Some(var) => format!(
            "the key was read from environment variable `{var}`: check that it holds a key of \
             this server ({whose})"
        ),
        None => format!(
            "check the secret the key was made from, and that it is a key of this server ({whose})"
        ),
    }
}

impl Error {
    /// Adds what only the client knows to an error read from an answer: where the key came
    /// from, and the server's base URL.
    pub(crate) fn with_context<K: crate::Key>(mut self, client: &super::Client<K>) -> Error {
        match &mut self {
            Error::UnknownKey {
                key_from_env,
                base_url,
                ..
            } => {
                *key_from_env = client.key().__secret().origin().map(str::to_owned);
                *base_url = client.base_url().to_owned();
            }
            Error::GaveUp { last, .. } => {
                let last_error = std::mem::replace(&mut **last, Error::Usage(String::new()));
                **last = last_error.with_context(client);
            }
            _ => {}
        }
        self
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
