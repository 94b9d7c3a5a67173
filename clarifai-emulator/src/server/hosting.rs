//! The hosted copies of inputs (Clarifai's "secure data hosting"): `GET
//! {hosting path}/{size}/users/{user}/apps/{app}/inputs/{image|video}/{input id}`, where the
//! hosting path is that of the emulator's hosting URL (empty by default).
//!
//! A copy is served to a key that may read the app's inputs (`Inputs:Get`), given as
//! `Authorization: Key …` or as the cookie `x-clarifai-api-key`. A request with no credential is
//! 404, as Clarifai's hosting answers; a credential that does not open the copy is 401. Session
//! tokens (`X-Clarifai-Session-Token`, cookie `x_clarifai_session_token`) are a credential of
//! Clarifai's portal that the emulator does not issue: any is 401.

use axum::http::{HeaderMap, HeaderValue, StatusCode as HttpStatus, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use clarifai_typed::Scope;

use crate::shared::{Shared, lock};
use crate::state::KeyType;

/// The sizes of a hosted image: the original and three reductions (longest side in pixels).
pub(crate) const IMAGE_SIZES: &[&str] = &["orig", "tiny", "small", "large"];
/// The sizes of a hosted video: the original, and a still of its first frame.
pub(crate) const VIDEO_SIZES: &[&str] = &["orig", "thumbnail"];

/// The longest side of each reduced size (never enlarged).
fn side(size: &str) -> Option<u32> {
    match size {
        "tiny" => Some(128),
        "small" => Some(320),
        "large" => Some(1024),
        "thumbnail" => Some(320),
        _ => None,
    }
}

/// A request for a hosted copy, read from its path.
struct Wanted<'a> {
    size: &'a str,
    user: &'a str,
    app: &'a str,
    kind: &'a str,
    input: &'a str,
}

/// The copy `path` names, if it names one under the hosting path `base`.
fn parse<'a>(base: &str, path: &'a str) -> Option<Wanted<'a>> {
    let rest = path.strip_prefix(base)?.strip_prefix('/')?;
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        [
            size,
            "users",
            user,
            "apps",
            app,
            "inputs",
            kind @ ("image" | "video"),
            input,
        ] if !input.is_empty() => Some(Wanted {
            size,
            user,
            app,
            kind,
            input,
        }),
        _ => None,
    }
}

/// The path of the hosting URL (`""` for a bare host).
fn base_path(hosting_url: &str) -> String {
    reqwest::Url::parse(hosting_url)
        .map(|u| u.path().trim_end_matches('/').to_string())
        .unwrap_or_default()
}

/// Serves the hosted copy `path` names, or `None` when the path names none.
pub(super) fn serve(shared: &Shared, headers: &HeaderMap, path: &str) -> Option<Response> {
    let base = base_path(&lock(&shared.config).hosting_url);
    let wanted = parse(&base, path)?;
    let plain = |status: HttpStatus, text: &'static str| {
        Some((status, [(header::CONTENT_TYPE, "text/plain")], text).into_response())
    };
    let cookies = cookies(headers);
    let key = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(super::auth::key_secret)
        .map(str::to_string)
        .or_else(|| cookie(&cookies, "x-clarifai-api-key"));
    let token = headers.contains_key("x-clarifai-session-token")
        || cookie(&cookies, "x_clarifai_session_token").is_some();
    let Some(secret) = key else {
        return if token {
            plain(HttpStatus::UNAUTHORIZED, "unauthorized")
        } else {
            plain(HttpStatus::NOT_FOUND, "not found")
        };
    };
    let bytes = {
        let state = lock(&shared.state);
        let allowed = state.keys.get(&secret).is_some_and(|k| {
            !k.is_expired()
                && k.user_id == wanted.user
                && (k.key_type == KeyType::PersonalAccessToken
                    || k.app_id.as_deref() == Some(wanted.app))
                && Scope::of::<clarifai_typed::scope::GetInputs>()
                    .is_granted_by(&k.effective_scopes())
        });
        if !allowed {
            return plain(HttpStatus::UNAUTHORIZED, "unauthorized");
        }
        state
            .users
            .get(wanted.user)
            .and_then(|u| u.apps.get(wanted.app))
            .and_then(|a| a.input(wanted.input))
            .filter(|i| i.media_kind() == wanted.kind)
            .and_then(|i| i.bytes_b64().map(str::to_string))
    };
    let Some(bytes) = bytes.and_then(|b| {
        base64::engine::general_purpose::STANDARD
            .decode(
                b.chars()
                    .filter(|c| !c.is_ascii_whitespace())
                    .collect::<String>(),
            )
            .ok()
    }) else {
        return plain(HttpStatus::NOT_FOUND, "not found");
    };
    let sizes = if wanted.kind == "video" {
        VIDEO_SIZES
    } else {
        IMAGE_SIZES
    };
    if !sizes.contains(&wanted.size) {
        return plain(HttpStatus::NOT_FOUND, "not found");
    }
    let bytes = match side(wanted.size) {
        None => bytes,
        Some(side) => match crate::vision::reduced_jpeg(&bytes, side) {
            Ok(b) => b,
            // A video no still can be made of (no codec), bytes that do not decode.
            Err(_) => return plain(HttpStatus::NOT_FOUND, "not found"),
        },
    };
    let mut response = bytes.clone().into_response();
    let mime = match image::guess_format(&bytes) {
        Ok(f) => f.to_mime_type(),
        Err(_) if bytes.get(4..8) == Some(b"ftyp") => "video/mp4",
        Err(_) => "application/octet-stream",
    };
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    Some(response)
}

/// The `Cookie` header's pairs.
fn cookies(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            Some((k.trim().to_string(), v.trim().to_string()))
        })
        .collect()
}

fn cookie(cookies: &[(String, String)], name: &str) -> Option<String> {
    cookies
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_name_copies_under_the_hosting_path() {
        let w = parse("", "/orig/users/u/apps/a/inputs/image/i1").unwrap();
        assert_eq!(
            (w.size, w.user, w.app, w.kind, w.input),
            ("orig", "u", "a", "image", "i1")
        );
        assert!(parse("", "/orig/users/u/apps/a/inputs/text/i1").is_none());
        assert!(parse("", "/v2/inputs").is_none());
        let base = base_path("https://s3.amazonaws.com/clarifai-api/img3/prod/");
        assert_eq!(base, "/clarifai-api/img3/prod");
        assert!(
            parse(
                &base,
                "/clarifai-api/img3/prod/tiny/users/u/apps/a/inputs/video/v"
            )
            .is_some()
        );
        assert!(parse(&base, "/tiny/users/u/apps/a/inputs/video/v").is_none());
        assert_eq!(base_path("http://127.0.0.1:8080"), "");
    }
}
