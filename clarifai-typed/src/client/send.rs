//! Sending a call: its path and body made once, the retry loop, and one attempt (the HTTP
//! exchange itself is `transport.rs`).

use super::decode::decode;
use super::path::{PathArgs, logged_path, write_path};
use super::transport::Outgoing;
use super::{Client, Error};
use crate::Key;
use crate::endpoint::{Method, Rpc};
use crate::models::{ApiRequest, query_pairs};

pub(super) async fn execute<K: Key, R: ApiRequest>(
    client: &Client<K>,
    request: &R,
    args: &PathArgs,
) -> Result<R::Response, Error> {
    let rpc = R::RPC;
    let spec = rpc.spec();
    let query = if spec.method == Method::Get {
        query_pairs(request)
    } else {
        Vec::new()
    };
    let target = path_and_query(client.shared().base_path(), &query, |path| {
        write_path(spec, args, client.shared().ids(), path)
    })?;
    let shown_path = || logged_path(spec, args, client.shared().ids());
    // Encoded once; every attempt shares the bytes.
    let body = if spec.method == Method::Get {
        None
    } else {
        // Room for a small request at once (to_vec starts at 128 bytes and grows by copying).
        let mut bytes = Vec::with_capacity(512);
        serde_json::to_writer(&mut bytes, request)
            .map_err(|e| Error::Usage(format!("{rpc}: the request could not be encoded: {e}")))?;
        (bytes != b"{}").then(|| bytes::Bytes::from(bytes))
    };
    let policy = client.shared().retry();
    let repeatable = request.repeatable();
    let started = std::time::Instant::now();
    let mut reasons: Vec<String> = Vec::new();
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        let result =
            attempt_once::<K, R>(client, spec.method, &target, &shown_path, body.clone()).await;
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

/// The call's path and query (form-encoded), after the base URL's own path if it has one (a
/// proxy's prefix): what follows the host in the request's URL. Made once per call, as a string
/// each transport joins to the base it parsed when the client was built.
fn path_and_query(
    base_path: &str,
    query: &[(String, String)],
    write_path: impl FnOnce(&mut String) -> Result<(), Error>,
) -> Result<bytes::Bytes, Error> {
    let mut target = String::with_capacity(96);
    target.push_str(base_path);
    write_path(&mut target)?;
    if !query.is_empty() {
        target.push('?');
        let start = target.len();
        form_urlencoded::Serializer::for_suffix(&mut target, start).extend_pairs(query);
    }
    Ok(bytes::Bytes::from(target))
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
    target: &bytes::Bytes,
    path: &(dyn Fn() -> String + Sync),
    body: Option<bytes::Bytes>,
) -> Result<R::Response, Error> {
    let rpc = R::RPC;
    if tracing::enabled!(tracing::Level::DEBUG) {
        tracing::debug!(rpc = rpc.name(), method = method.as_str(), path = %path(), "clarifai request");
    }
    let answer = client
        .shared()
        .transport()
        .exchange(Outgoing {
            method,
            target,
            auth: client.auth(),
            body,
        })
        .await
        .map_err(|(kind, source)| Error::Transport { rpc, kind, source })?;
    tracing::debug!(
        rpc = rpc.name(),
        http_status = answer.http_status,
        bytes = answer.body.len(),
        "clarifai response"
    );
    if let Some(location) = answer.location {
        return Err(Error::Usage(format!(
            "{rpc}: the server answered HTTP {} and redirects to {location:?}: the client does not \
             follow redirects; set the base URL to where it points (the Clarifai API is \
             {})",
            answer.http_status,
            super::DEFAULT_BASE_URL
        )));
    }
    decode::<K, R>(rpc, answer.http_status, answer.retry_after, &answer.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_is_the_base_path_the_path_and_the_query() {
        let path = |out: &mut String| {
            out.push_str("/v2/models/general%20image/outputs");
            Ok(())
        };
        assert_eq!(
            path_and_query("", &[], path).unwrap(),
            "/v2/models/general%20image/outputs"
        );
        assert_eq!(
            path_and_query("/clarifai", &[], path).unwrap(),
            "/clarifai/v2/models/general%20image/outputs"
        );
        let query = [
            ("page".to_owned(), "2".to_owned()),
            ("name".to_owned(), "a b&c".to_owned()),
        ];
        assert_eq!(
            path_and_query("", &query, path).unwrap(),
            "/v2/models/general%20image/outputs?page=2&name=a+b%26c"
        );
    }
}
