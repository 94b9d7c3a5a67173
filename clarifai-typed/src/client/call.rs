//! One call: a request builder that serializes itself, and what runs when it is awaited.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};

use super::error::{InsufficientScopes, ItemOutcome, PartialFailure};
use super::{Client, Error, UserApp};
use crate::Key;
use crate::endpoint::{EndpointSpec, Method, Rpc};
use crate::models::{
    ApiRequest, ApiResponse, BaseResponse, ResolveRedactions, Status, StatusCode, query_pairs,
};

/// A call to one endpoint, not yet sent: set what you need, then `.await` it.
///
/// The request body (or, for `GET`, the query) is `R`; setters specific to the endpoint are on
/// `Call<'_, K, R>` for that `R`, and [`Call::with`] reaches every field of the request.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'c, K: Key, R: ApiRequest> {
    client: &'c Client<K>,
    pub(crate) request: R,
    pub(crate) params: Vec<(&'static str, String)>,
}

impl<K: Key, R: ApiRequest> std::fmt::Debug for Call<'_, K, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("rpc", &R::RPC)
            .field("key", &K::NAME)
            .field("params", &LoggedParams(&self.params))
            .field("request", &self.request)
            .finish()
    }
}

impl<'c, K: Key, R: ApiRequest> Call<'c, K, R> {
    pub(crate) fn new(client: &'c Client<K>, params: Vec<(&'static str, String)>) -> Self {
        Call {
            client,
            request: R::default(),
            params,
        }
    }

    /// The client this call is made with.
    pub(crate) fn client(&self) -> &'c Client<K> {
        self.client
    }

    /// Changes the request directly, for fields without a setter.
    pub fn with(mut self, f: impl FnOnce(&mut R)) -> Self {
        f(&mut self.request);
        self
    }

    /// Replaces the whole request.
    pub fn request(mut self, request: R) -> Self {
        self.request = request;
        self
    }

    /// The request as it will be sent.
    pub fn as_request(&self) -> &R {
        &self.request
    }

    /// The path this call will use (after the base URL), with its parameters filled in.
    ///
    /// # Errors
    ///
    /// [`Error::Usage`] when no path of the endpoint can be filled (a PAT-only endpoint on a
    /// client without user and app ids).
    pub fn path(&self) -> Result<String, Error> {
        fill_path(R::RPC.spec(), &self.params, self.client.shared().ids())
    }

    /// Sends the request and reads the response.
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn send(self) -> Result<R::Response, Error> {
        let Call {
            client,
            request,
            params,
        } = self;
        execute::<K, R>(client, &request, &params).await
    }
}

impl<'c, K: Key, R: ApiRequest> IntoFuture for Call<'c, K, R> {
    type Output = Result<R::Response, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'c>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Chooses the endpoint's path and fills it: full paths when the client has user and app ids,
/// else short paths; among those, the one whose parameters are all given and that uses the most.
pub(crate) fn fill_path(
    spec: &EndpointSpec,
    params: &[(&'static str, String)],
    ids: Option<&UserApp>,
) -> Result<String, Error> {
    let candidates = if ids.is_some() {
        spec.full_paths
    } else {
        spec.short_paths
    };
    let lookup = |name: &str| -> Option<&str> {
        match (name, ids) {
            ("user_id", Some(ids)) => Some(&ids.user_id),
            ("app_id", Some(ids)) => Some(&ids.app_id),
            _ => params
                .iter()
                .find(|(n, v)| *n == name && !v.is_empty())
                .map(|(_, v)| v.as_str()),
        }
    };
    let mut best: Option<(usize, String)> = None;
    'candidates: for template in candidates {
        let mut out = String::with_capacity(template.len() + 32);
        let mut used = 0;
        let mut rest = *template;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let Some(len) = rest[start..].find('}') else {
                continue 'candidates;
            };
            let name = &rest[start + 1..start + len];
            let Some(value) = lookup(name) else {
                continue 'candidates;
            };
            percent_encode_segment(value, &mut out);
            used += 1;
            rest = &rest[start + len + 1..];
        }
        out.push_str(rest);
        if best.as_ref().is_none_or(|(n, _)| used > *n) {
            best = Some((used, out));
        }
    }
    best.map(|(_, path)| path).ok_or_else(|| {
        Error::Usage(if ids.is_none() && spec.short_paths.is_empty() {
            format!(
                "{} has only user-level paths: build the client with `.user_app(user_id, app_id)`",
                spec.rpc
            )
        } else {
            format!(
                "{}: a path parameter is missing or empty ({:?})",
                spec.rpc,
                LoggedParams(params)
            )
        })
    })
}

fn percent_encode_segment(value: &str, out: &mut String) {
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

async fn execute<K: Key, R: ApiRequest>(
    client: &Client<K>,
    request: &R,
    params: &[(&'static str, String)],
) -> Result<R::Response, Error> {
    let rpc = R::RPC;
    let spec = rpc.spec();
    let path = fill_path(spec, params, client.shared().ids())?;
    let url = format!("{}{path}", client.shared().base_url());
    let shown_path = logged_path(spec, params, client.shared().ids());
    let query = if spec.method == Method::Get {
        query_pairs(request)
    } else {
        Vec::new()
    };
    // Encoded once; every attempt shares the bytes.
    let body = if spec.method == Method::Get {
        None
    } else {
        let bytes = serde_json::to_vec(request)
            .map_err(|e| Error::Usage(format!("{rpc}: the request could not be encoded: {e}")))?;
        (bytes != b"{}").then(|| bytes::Bytes::from(bytes))
    };
    let policy = client.shared().retry();
    let repeatable = super::retry::repeatable(request);
    let started = std::time::Instant::now();
    let mut reasons: Vec<String> = Vec::new();
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let result =
            attempt_once::<K, R>(client, spec.method, &url, &shown_path, &query, body.clone())
                .await;
        let error = match result {
            Ok(response) => return Ok(response),
            Err(e) => e,
        };
        let retry_after = match &error {
            Error::Throttled { retry_after, .. } => *retry_after,
            _ => None,
        };
        let wait = policy.wait(attempt, retry_after);
        let out_of_budget =
            attempt >= policy.max_attempts || started.elapsed() + wait > policy.max_elapsed;
        if !error.is_transient() || !repeatable {
            return Err(if attempt == 1 {
                error
            } else {
                gave_up(rpc, attempt, reasons, error)
            });
        }
        if out_of_budget {
            return Err(if attempt == 1 {
                error
            } else {
                gave_up(rpc, attempt, reasons, error)
            });
        }
        reasons.push(error.short_reason());
        tracing::debug!(rpc = rpc.name(), attempt, wait_ms = wait.as_millis() as u64, reason = %reasons.last().map_or("", String::as_str), "clarifai retry");
        tokio::time::sleep(wait).await;
    }
}

fn gave_up(rpc: Rpc, attempts: u32, mut reasons: Vec<String>, last: Error) -> Error {
    if reasons.len() < attempts as usize {
        reasons.push(last.short_reason());
    }
    Error::GaveUp {
        rpc,
        attempts,
        reasons,
        last: Box::new(last),
    }
}

async fn attempt_once<K: Key, R: ApiRequest>(
    client: &Client<K>,
    method: Method,
    url: &str,
    path: &str,
    query: &[(String, String)],
    body: Option<bytes::Bytes>,
) -> Result<R::Response, Error> {
    let rpc = R::RPC;
    let http = client.shared().http();
    let mut builder = match method {
        Method::Get => http.get(url).query(query),
        Method::Post => http.post(url),
        Method::Patch => http.patch(url),
        _ => http.delete(url),
    };
    if let Some(body) = body {
        builder = builder.header(CONTENT_TYPE, "application/json").body(body);
    }
    tracing::debug!(rpc = rpc.name(), method = method.as_str(), path = %path, "clarifai request");
    let response = builder
        .header(AUTHORIZATION, client.auth().clone())
        .send()
        .await
        .map_err(|source| transport(rpc, source))?;
    let http_status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs);
    let bytes = response
        .bytes()
        .await
        .map_err(|source| transport(rpc, source))?;
    tracing::debug!(
        rpc = rpc.name(),
        http_status,
        bytes = bytes.len(),
        "clarifai response"
    );
    decode::<K, R>(rpc, http_status, retry_after, &bytes)
}

fn transport(rpc: Rpc, source: reqwest::Error) -> Error {
    let kind = if source.is_timeout() {
        "timed out"
    } else if source.is_connect() {
        "could not connect"
    } else if source.is_body() || source.is_decode() {
        "the connection broke while reading the answer"
    } else {
        "the request failed"
    };
    // The URL holds no secret, but drop it anyway: errors are logged.
    Error::Transport {
        rpc,
        kind,
        source: source.without_url(),
    }
}

/// Reads a response body of `R`'s endpoint as the client does: always the body, branching on
/// `status.code` (the HTTP status is a hint), withheld parts resolved from `K`'s scopes. Public
/// for tests and fuzzing of the decoder; calls do this for you.
///
/// # Errors
///
/// Any [`Error`] a call can end with, but transport ones.
pub fn decode_response<K: Key, R: ApiRequest>(
    http_status: u16,
    body: &[u8],
) -> Result<R::Response, Error> {
    decode::<K, R>(R::RPC, http_status, None, body)
}

/// Reads a response body: always the body, branching on `status.code`; the HTTP status is a hint.
pub(crate) fn decode<K: Key, R: ApiRequest>(
    rpc: Rpc,
    http_status: u16,
    retry_after: Option<Duration>,
    bytes: &[u8],
) -> Result<R::Response, Error> {
    match serde_json::from_slice::<R::Response>(bytes) {
        Ok(mut response) => {
            let status = response.status().clone();
            // A read that lists items answers MIXED_STATUS when some of them failed (an input
            // whose download failed): the items carry their own status, so that is an answer.
            let read = rpc.spec().method == Method::Get;
            match status.code {
                StatusCode::SUCCESS => {
                    response.resolve_redactions(rpc, K::SCOPES);
                    Ok(response)
                }
                StatusCode::MIXED_STATUS if read => {
                    response.resolve_redactions(rpc, K::SCOPES);
                    Ok(response)
                }
                StatusCode::ZERO => Err(decode_error(
                    rpc,
                    http_status,
                    "the answer has no status",
                    bytes,
                )),
                StatusCode::MIXED_STATUS | StatusCode::FAILURE => {
                    let value = serde_json::from_slice(bytes).unwrap_or_default();
                    Err(partial(rpc, status, value))
                }
                _ => Err(status_error::<K>(rpc, http_status, retry_after, status)),
            }
        }
        Err(e) => {
            // A body of another shape may still carry a status (an error body of a proxy).
            match serde_json::from_slice::<BaseResponse>(bytes) {
                Ok(base)
                    if base.status.code != StatusCode::ZERO
                        && base.status.code != StatusCode::SUCCESS =>
                {
                    Err(status_error::<K>(
                        rpc,
                        http_status,
                        retry_after,
                        base.status,
                    ))
                }
                _ => {
                    let mut error = decode_error(rpc, http_status, &e.to_string(), bytes);
                    if let Error::Decode { truncated, .. } = &mut error {
                        *truncated = e.is_eof();
                    }
                    Err(error)
                }
            }
        }
    }
}

/// Path parameters whose values are secrets: the id of an API key *is* the key.
const SECRET_PARAMS: &[&str] = &["key_id"];

/// Path parameters as shown in `Debug`, errors and logs: secret ones hidden.
pub(crate) struct LoggedParams<'a>(pub(crate) &'a [(&'static str, String)]);

impl std::fmt::Debug for LoggedParams<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, value)| {
                let shown: &dyn std::fmt::Debug = if SECRET_PARAMS.contains(name) {
                    &"[redacted]"
                } else {
                    value
                };
                (name, format!("{shown:?}"))
            }))
            .finish()
    }
}

/// The path as logged: secret parameters replaced by `[redacted]`.
fn logged_path(
    spec: &EndpointSpec,
    params: &[(&'static str, String)],
    ids: Option<&UserApp>,
) -> String {
    let shown: Vec<(&'static str, String)> = params
        .iter()
        .map(|(n, v)| {
            (
                *n,
                if SECRET_PARAMS.contains(n) {
                    "redacted".to_owned()
                } else {
                    v.clone()
                },
            )
        })
        .collect();
    fill_path(spec, &shown, ids).unwrap_or_default()
}

/// Replaces the id of every key object (`keys[].id`, `key.id`) with `[redacted]`: an API key's
/// id is its secret.
fn scrub_key_ids(response: &mut serde_json::Value) {
    let redact = |key: &mut serde_json::Value| {
        if let Some(id) = key.get_mut("id") {
            *id = serde_json::Value::String("[redacted]".to_owned());
        }
    };
    if let Some(keys) = response.get_mut("keys").and_then(|k| k.as_array_mut()) {
        keys.iter_mut().for_each(redact);
    }
    if let Some(key) = response.get_mut("key") {
        redact(key);
    }
}

/// Responses that carry key secrets (the API's `Key.id`): their bodies are never quoted.
fn body_holds_secrets(rpc: Rpc) -> bool {
    matches!(
        rpc.name(),
        "PostKeys" | "ListKeys" | "GetKey" | "PatchKeys" | "ListAppKeys" | "DeleteKey"
    )
}

fn decode_error(rpc: Rpc, http_status: u16, reason: &str, bytes: &[u8]) -> Error {
    let text = String::from_utf8_lossy(bytes);
    let excerpt: String = if body_holds_secrets(rpc) {
        "[not shown: this endpoint's answers hold key secrets]".to_owned()
    } else {
        text.chars().take(200).collect()
    };
    Error::Decode {
        rpc,
        http_status,
        reason: reason.to_owned(),
        excerpt,
        truncated: false,
    }
}

pub(crate) fn status_error<K: Key>(
    rpc: Rpc,
    http_status: u16,
    retry_after: Option<Duration>,
    status: Status,
) -> Error {
    let code = status.code;
    let status_box = Box::new(status);
    match code.0 {
        11007 => {
            let spec = rpc.spec();
            let mut needed: Vec<_> = spec.gate.to_vec();
            needed.extend(
                spec.depending
                    .iter()
                    .filter(|s| !spec.gate.contains(s))
                    .cloned(),
            );
            Error::InsufficientScopes(Box::new(InsufficientScopes {
                rpc,
                needed,
                declared: K::DECLARED.to_vec(),
                key_type: K::NAME,
                status: *status_box,
            }))
        }
        11001 | 11002 | 11008 => Error::InvalidKey {
            rpc,
            status: status_box,
        },
        11009 => Error::UnknownKey {
            rpc,
            status: status_box,
        },
        11003..=11005 => Error::Throttled {
            rpc,
            retry_after,
            status: status_box,
        },
        11101 | 21200 | 22102 | 30102 => Error::NotFound {
            rpc,
            status: status_box,
        },
        11100
        | 11102
        | 11105
        | 21202
        | 21203
        | 22104
        | 22999
        | 24155
        | 30104
        | 30106
        | 39999
        | 40001..=40004
        | 40050 => Error::BadRequest {
            rpc,
            status: status_box,
        },
        _ if http_status == 404 => Error::NotFound {
            rpc,
            status: status_box,
        },
        _ if http_status == 400 => Error::BadRequest {
            rpc,
            status: status_box,
        },
        _ if http_status == 429 => Error::Throttled {
            rpc,
            retry_after,
            status: status_box,
        },
        _ => Error::Api {
            rpc,
            http_status,
            status: status_box,
        },
    }
}

fn partial(rpc: Rpc, status: Status, mut response: serde_json::Value) -> Error {
    if body_holds_secrets(rpc) {
        scrub_key_ids(&mut response);
    }
    let mut items = Vec::new();
    for field in [
        "outputs",
        "inputs",
        "results",
        "annotations",
        "models",
        "concepts",
        "workflows",
        "keys",
    ] {
        let Some(list) = response.get(field).and_then(|v| v.as_array()) else {
            continue;
        };
        if list.is_empty() {
            continue;
        }
        for (index, item) in list.iter().enumerate() {
            let id = item
                .get("input")
                .and_then(|i| i.get("id"))
                .or_else(|| item.get("id"))
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_owned();
            let status = item
                .get("status")
                .and_then(|s| serde_json::from_value::<Status>(s.clone()).ok())
                .unwrap_or_default();
            items.push(ItemOutcome { index, id, status });
        }
        break;
    }
    Error::Partial(Box::new(PartialFailure {
        rpc,
        status,
        items,
        response,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_come_from_the_table() {
        let spec = Rpc::PostModelOutputs.spec();
        let model = vec![("model_id", "general image".to_owned())];
        assert_eq!(
            fill_path(spec, &model, None).unwrap(),
            "/v2/models/general%20image/outputs"
        );
        let versioned = vec![
            ("model_id", "m".to_owned()),
            ("version_id", "v1".to_owned()),
        ];
        assert_eq!(
            fill_path(spec, &versioned, None).unwrap(),
            "/v2/models/m/versions/v1/outputs"
        );
        let ids = UserApp {
            user_id: "me".into(),
            app_id: "main".into(),
        };
        assert_eq!(
            fill_path(spec, &model, Some(&ids)).unwrap(),
            "/v2/users/me/apps/main/models/general%20image/outputs"
        );
        let err = fill_path(Rpc::ListKeys.spec(), &[], None).unwrap_err();
        assert!(err.to_string().contains("user_app"), "{err}");
        assert_eq!(
            fill_path(Rpc::ListKeys.spec(), &[], Some(&ids)).unwrap(),
            "/v2/users/me/keys"
        );
        let empty = vec![("input_id", String::new())];
        assert!(fill_path(Rpc::GetInput.spec(), &empty, None).is_err());
    }
}
