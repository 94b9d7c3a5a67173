//! Getting an image's pixels: base64 bytes or a URL fetched over HTTP.

use clarifai_typed::models::StatusCode;
use std::net::IpAddr;
use std::sync::Arc;

use base64::Engine;
use serde_json::Value;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::shared::{Shared, lock};
use crate::vision::{self, Features};

/// The largest image the emulator downloads or decodes.
const MAX_BYTES: usize = 20 * 1024 * 1024;

/// A per-input failure: a status code and details.
pub(crate) type InputFailure = (StatusCode, String);

/// An image read: its features and its bytes, or why it could not be read.
pub(crate) type Analysed = Result<(Features, Vec<u8>), InputFailure>;

/// Whether `data` holds an image (bytes or URL).
pub(crate) fn has_image(data: &Value) -> bool {
    data.get("image").is_some_and(|i| {
        i.get("base64")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
            || i.get("url")
                .and_then(Value::as_str)
                .is_some_and(|s| !s.is_empty())
    })
}

/// How many images are downloaded and decoded at once for one request.
const PARALLEL: usize = 8;

/// The features of each `data` that holds an image (`None` where it has none), computed
/// [`PARALLEL`] at a time, in order.
pub(crate) async fn features_of_many(
    shared: &Arc<Shared>,
    datas: &[Value],
) -> Vec<Option<Result<Features, InputFailure>>> {
    analysed_of_many(shared, datas, Work::Answer)
        .await
        .into_iter()
        .map(|r| r.map(|r| r.map(|(f, _)| f)))
        .collect()
}

/// Whom images are read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Work {
    /// A request waiting for its answer (a predict): uploaded images in up to [`PARALLEL`]
    /// shares at once.
    Answer,
    /// The background processing of added inputs: uploaded images in one share per batch, each
    /// share waiting for its turn (`Shared::processing`), so that processing a large upload
    /// never takes every core from the requests arriving meanwhile.
    Background,
}

/// As [`features_of_many`], with each image's bytes.
///
/// Uploaded images (base64) are decoded on the blocking pool in shares of the batch (one
/// hand-over each, not one per image: a batch of 128 small images costs a few), as `work`
/// says. Images given by URL are downloaded [`PARALLEL`] at a time, each then read as one
/// image.
pub(crate) async fn analysed_of_many(
    shared: &Arc<Shared>,
    datas: &[Value],
    work: Work,
) -> Vec<Option<Analysed>> {
    // One image (a single predict, the common case) is read on this task: no task to spawn.
    if datas.iter().filter(|d| has_image(d)).count() == 1 {
        let mut out = Vec::with_capacity(datas.len());
        for data in datas {
            out.push(match has_image(data) {
                true => Some(analysed_of(shared, data).await),
                false => None,
            });
        }
        return out;
    }
    let mut out: Vec<Option<Analysed>> = vec![None; datas.len()];
    let mut uploaded: Vec<(usize, String)> = Vec::new();
    let permits = Arc::new(Semaphore::new(PARALLEL));
    let mut set = JoinSet::new();
    for (i, data) in datas.iter().enumerate() {
        if !has_image(data) {
            continue;
        }
        if let Some(b64) = uploaded_base64(data) {
            uploaded.push((i, b64.to_owned()));
            continue;
        }
        let (shared, permits, data) = (shared.clone(), permits.clone(), data.clone());
        set.spawn(async move {
            let _permit = permits.acquire_owned().await.ok();
            vec![(i, analysed_of(&shared, &data).await)]
        });
    }
    let shares = match work {
        Work::Answer => PARALLEL,
        Work::Background => 1,
    };
    let share = uploaded.len().div_ceil(shares).max(1);
    while !uploaded.is_empty() {
        let rest = uploaded.split_off(uploaded.len().saturating_sub(share));
        let turn = match work {
            Work::Answer => None,
            Work::Background => shared.processing.clone().acquire_owned().await.ok(),
        };
        set.spawn_blocking(move || {
            let _turn = turn;
            rest.into_iter()
                .map(|(i, b64)| (i, decode_base64(&b64).and_then(analyse_bytes)))
                .collect::<Vec<_>>()
        });
    }
    while let Some(joined) = set.join_next().await {
        if let Ok(results) = joined {
            for (i, result) in results {
                out[i] = Some(result);
            }
        }
    }
    for (i, data) in datas.iter().enumerate() {
        if has_image(data) && out[i].is_none() {
            out[i] = Some(Err((
                StatusCode::INPUT_FAILED,
                "image analysis failed".into(),
            )));
        }
    }
    out
}

/// The base64 of an uploaded image, when `data` has one.
fn uploaded_base64(data: &Value) -> Option<&str> {
    data.get("image")?
        .get("base64")?
        .as_str()
        .filter(|s| !s.is_empty())
}

/// The bytes of an uploaded image: standard base64 with or without padding, or URL-safe; white
/// space ignored.
fn decode_base64(b64: &str) -> Result<Vec<u8>, InputFailure> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE};
    let cleaned: std::borrow::Cow<'_, str> = match b64.bytes().any(|b| b.is_ascii_whitespace()) {
        true => b64.chars().filter(|c| !c.is_ascii_whitespace()).collect(),
        false => b64.into(),
    };
    STANDARD
        .decode(cleaned.as_bytes())
        .or_else(|_| STANDARD_NO_PAD.decode(cleaned.as_bytes()))
        .or_else(|_| URL_SAFE.decode(cleaned.as_bytes()))
        .map_err(|e| {
            (
                StatusCode::INPUT_FAILED,
                format!("Failure decoding base64 image bytes: {e}"),
            )
        })
}

/// An image's features from its bytes, on the calling thread (any size up to the pixel limit;
/// a small image is read with one decoder).
fn analyse_bytes(bytes: Vec<u8>) -> Analysed {
    vision::analyse_if_small(&bytes)
        .unwrap_or_else(|| vision::analyse(&bytes))
        .map(|f| (f, bytes))
        .map_err(|e| decoding_failed(&e))
}

fn decoding_failed(e: &str) -> InputFailure {
    (
        StatusCode::INPUT_FAILED,
        format!("Failure decoding image: {e}"),
    )
}

/// Reads the image of `data` and computes its features.
pub(crate) async fn features_of(shared: &Shared, data: &Value) -> Result<Features, InputFailure> {
    analysed_of(shared, data).await.map(|(f, _)| f)
}

/// Reads the image of `data` and computes its features; with the bytes.
async fn analysed_of(shared: &Shared, data: &Value) -> Analysed {
    let bytes = image_bytes(shared, data).await?;
    // A small image is decoded here, on the runtime: that takes less time than the hand-over to
    // the blocking pool. Anything larger (by the header's dimensions, which a few bytes can
    // declare) goes to the blocking pool, so no runtime thread is held by a long decode.
    match vision::analyse_if_small(&bytes) {
        Some(analysed) => analysed
            .map(|f| (f, bytes))
            .map_err(|e| decoding_failed(&e)),
        None => tokio::task::spawn_blocking(move || analyse_bytes(bytes))
            .await
            .map_err(|e| {
                (
                    StatusCode::INPUT_FAILED,
                    format!("image analysis failed: {e}"),
                )
            })?,
    }
}

/// Reads the video of `data` (given as `{"image": <data.video>}`) and samples its frames.
pub(crate) async fn frames_of(
    shared: &Shared,
    data: &Value,
    sample_ms: u64,
) -> Result<Vec<vision::Frame>, InputFailure> {
    let bytes = image_bytes(shared, data).await?;
    tokio::task::spawn_blocking(move || vision::analyse_video(&bytes, sample_ms))
        .await
        .map_err(|e| {
            (
                StatusCode::INPUT_FAILED,
                format!("video analysis failed: {e}"),
            )
        })?
        .map_err(|e| {
            (
                StatusCode::INPUT_FAILED,
                format!("Failure decoding video: {e}"),
            )
        })
}

/// A video's `data` read as an image (`{"image": <data.video>}`), when the input has a video and
/// no image.
pub(crate) fn video_as_image(data: &Value) -> Option<Value> {
    if has_image(data) {
        return None;
    }
    let video = data.get("video")?;
    let given = |f: &str| {
        video
            .get(f)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty())
    };
    (given("url") || given("base64")).then(|| serde_json::json!({"image": video}))
}

/// The bytes of the image of `data` (uploaded, or downloaded from its URL).
pub(crate) async fn image_bytes(shared: &Shared, data: &Value) -> Result<Vec<u8>, InputFailure> {
    if let Some(b64) = uploaded_base64(data) {
        return decode_base64(b64);
    }
    let image = data.get("image");
    let Some(url) = image
        .and_then(|i| i.get("url"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    else {
        return Err((
            StatusCode::INPUT_INVALID_ARGUMENT,
            "the input has no image (give data.image.url or data.image.base64)".into(),
        ));
    };
    fetch(shared, url).await
}

async fn fetch(shared: &Shared, url: &str) -> Result<Vec<u8>, InputFailure> {
    let failed = |details: String| (StatusCode::INPUT_FAILED, details);
    let parsed =
        reqwest::Url::parse(url).map_err(|e| failed(format!("Invalid URL: {e}: {url}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(failed(format!("Unsupported URL scheme: {url}")));
    }
    let allow_remote = lock(&shared.config).allow_remote_urls;
    if !allow_remote && !is_loopback(&parsed) {
        return Err(failed(format!(
            "the emulator fetches images only from loopback hosts (start it with remote URLs allowed to fetch others): {url}"
        )));
    }
    let mut resp = shared
        .http
        .get(parsed)
        .send()
        .await
        .map_err(|e| failed(format!("Failed to download {url}: {}", short_error(&e))))?;
    let code = resp.status();
    if !code.is_success() {
        let kind = if code.is_client_error() {
            "Client"
        } else {
            "Server"
        };
        return Err(failed(format!(
            "{} {kind} Error: {} for url: {url}",
            code.as_u16(),
            code.canonical_reason().unwrap_or("Error")
        )));
    }
    let too_large = || failed(format!("image larger than {MAX_BYTES} bytes: {url}"));
    if resp.content_length().is_some_and(|n| n > MAX_BYTES as u64) {
        return Err(too_large());
    }
    // Read a chunk at a time, and stop as soon as the body is too large (a server may send no
    // length, or a wrong one).
    let mut bytes = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| failed(format!("Failed to download {url}: {}", short_error(&e))))?
    {
        if bytes.len() + chunk.len() > MAX_BYTES {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

fn short_error(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "connection failed".into()
    } else {
        e.to_string()
    }
}

/// Whether `url` names a loopback host (`localhost`, 127.0.0.0/8, `::1`).
pub(crate) fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}
