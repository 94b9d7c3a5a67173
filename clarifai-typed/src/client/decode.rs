//! Reading an answer: the body decides (its `status.code`), the HTTP status is a hint; errors by
//! status code; per-item outcomes of a partly failed batch; secrets kept out of excerpts.

use std::time::Duration;

use super::Error;
use super::error::{InsufficientScopes, ItemOutcome, PartialFailure};
use crate::Key;
use crate::endpoint::{Method, Rpc};
use crate::models::{
    ApiRequest, ApiResponse, BaseResponse, ResolveRedactions, Status, StatusCode, StatusKind,
};

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
    match from_json::<R::Response>(bytes) {
        Ok(mut response) => {
            // A read that lists items answers MIXED_STATUS when some of them failed (an input
            // whose download failed): the items carry their own status, so that is an answer.
            let read = rpc.spec().method == Method::Get;
            match response.status().code {
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
                    Err(partial(rpc, response.status().clone(), value))
                }
                // A batch whose items all failed alike carries their status at the top (today's
                // API: 30002 for a predict whose one input could not be downloaded): a batch
                // outcome too.
                code if !read => {
                    let value: serde_json::Value =
                        serde_json::from_slice(bytes).unwrap_or_default();
                    if all_items_failed_with(rpc, &value, code) {
                        Err(partial(rpc, response.status().clone(), value))
                    } else {
                        Err(status_error::<K>(
                            rpc,
                            http_status,
                            retry_after,
                            response.status().clone(),
                        ))
                    }
                }
                _ => Err(status_error::<K>(
                    rpc,
                    http_status,
                    retry_after,
                    response.status().clone(),
                )),
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

/// Decodes JSON, checking the UTF-8 once for the whole body: `from_slice` checks it again for
/// every string, which costs a tenth of the decoding. A body that is not UTF-8 goes through
/// `from_slice`, for its error.
fn from_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> serde_json::Result<T> {
    match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(bytes),
    }
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

fn decode_error(rpc: Rpc, http_status: u16, reason: &str, bytes: &[u8]) -> Error {
    let text = String::from_utf8_lossy(bytes);
    let excerpt: String = if rpc.spec().answer_holds_secrets {
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
    let status_box = Box::new(status);
    match status_box.code.kind() {
        StatusKind::MissingScopes => {
            Error::InsufficientScopes(Box::new(InsufficientScopes::new::<K>(rpc, *status_box)))
        }
        StatusKind::InvalidKey => Error::InvalidKey {
            rpc,
            status: status_box,
        },
        StatusKind::UnknownKey => Error::UnknownKey {
            rpc,
            status: status_box,
            key_from_env: None,
            base_url: String::new(),
        },
        StatusKind::Throttled => Error::Throttled {
            rpc,
            retry_after,
            status: status_box,
        },
        StatusKind::NotFound => Error::NotFound {
            rpc,
            status: status_box,
        },
        StatusKind::BadRequest => Error::BadRequest {
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

/// Whether the answer lists items (in the endpoint's list field), every one with status `code`.
fn all_items_failed_with(rpc: Rpc, response: &serde_json::Value, code: StatusCode) -> bool {
    let items = rpc
        .spec()
        .list_field
        .and_then(|field| response.get(field))
        .and_then(|v| v.as_array());
    items.is_some_and(|items| {
        !items.is_empty()
            && items.iter().all(|item| {
                item.pointer("/status/code").and_then(|c| c.as_u64()) == Some(u64::from(code.0))
            })
    })
}

fn partial(rpc: Rpc, status: Status, mut response: serde_json::Value) -> Error {
    let spec = rpc.spec();
    if spec.answer_holds_secrets {
        scrub_key_ids(&mut response);
    }
    let list = spec
        .list_field
        .and_then(|field| response.get(field))
        .and_then(|v| v.as_array());
    let items = list
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(index, item)| {
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
            ItemOutcome { index, id, status }
        })
        .collect();
    Error::Partial(Box::new(PartialFailure {
        rpc,
        status,
        items,
        response,
    }))
}
