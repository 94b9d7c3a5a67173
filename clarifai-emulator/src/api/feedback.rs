//! Feedback (PostModelFeedback, PostSearchFeedback): validated and acknowledged. Nothing is
//! kept: the real service feeds feedback into its own training, which an emulator has no use
//! for, and no endpoint reads it back.
//!
//! What is checked (the emulator's choice; the RPCs are in the 2.6.2 client's protos only, and
//! their server-side checks are not documented): an `input` with a `feedback_info` naming its
//! `event_type` and the end user's `end_user_id` and `session_id`; for a model, that the model
//! (and the version, when the path names one) exists and that every concept of the input, and of
//! its regions, names an `id` or a `name`; for a search, the `search_id` and the chosen input's
//! `id`.

use clarifai_typed::endpoint::PathParam;
use serde_json::{Value, json};

use crate::builtin;
use crate::request::{Call, Reply, str_field};
use crate::status::{ApiError, ApiResult};

/// The request's `input` and its `feedback_info`, with the fields every feedback names.
fn feedback_input(call: &Call) -> ApiResult<(&Value, &Value)> {
    let input = call
        .body
        .get("input")
        .filter(|i| i.is_object())
        .ok_or_else(|| ApiError::bad_request("feedback needs an 'input'"))?;
    let info = input
        .get("feedback_info")
        .filter(|i| i.is_object())
        .ok_or_else(|| ApiError::bad_request("feedback needs 'input.feedback_info'"))?;
    for field in ["event_type", "end_user_id", "session_id"] {
        let given = match info.get(field) {
            Some(Value::String(s)) => !s.is_empty(),
            // `event_type` is an enum: its number is as good as its name.
            Some(Value::Number(_)) => field == "event_type",
            _ => false,
        };
        if !given {
            return Err(ApiError::bad_request(format!(
                "feedback needs 'input.feedback_info.{field}'"
            )));
        }
    }
    Ok((input, info))
}

/// Every concept of `data` (and of its regions' data) names an `id` or a `name`.
fn check_concepts(data: &Value, at: &str) -> ApiResult<()> {
    for (i, c) in data
        .get("concepts")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if str_field(c, "id").is_empty() && str_field(c, "name").is_empty() {
            return Err(ApiError::bad_request(format!(
                "{at}.concepts[{i}] names neither an id nor a name"
            )));
        }
    }
    for (i, r) in data
        .get("regions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if let Some(d) = r.get("data") {
            check_concepts(d, &format!("{at}.regions[{i}].data"))?;
            if let Some(face) = d.get("face") {
                for part in [
                    "identity",
                    "age_appearance",
                    "gender_appearance",
                    "multicultural_appearance",
                ] {
                    if let Some(p) = face.get(part) {
                        check_concepts(p, &format!("{at}.regions[{i}].data.face.{part}"))?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// PostModelFeedback: an input as it really is, for model `model_id` (a model of the app or a
/// built-in one; the version, when the path names one, must be one of the model's).
pub(crate) fn model_feedback(call: &Call) -> ApiResult<Reply> {
    let (input, _) = feedback_input(call)?;
    if let Some(data) = input.get("data") {
        check_concepts(data, "input.data")?;
    }
    let model_id = call.param(PathParam::ModelId);
    let version = call.optional_param(PathParam::VersionId);
    let check_builtin = || -> ApiResult<()> {
        let b = builtin::find(model_id).ok_or_else(|| ApiError::not_found("model", model_id))?;
        match version {
            Some(v) if b.version(v).is_none() => Err(ApiError::not_found("model version", v)),
            _ => Ok(()),
        }
    };
    if call.target.public {
        check_builtin()?;
    } else {
        call.with_app(|app| match app.model(model_id) {
            Some(m) => match version {
                Some(v) if !m.versions.iter().any(|x| x.id == v) => {
                    Err(ApiError::not_found("model version", v))
                }
                _ => Ok(()),
            },
            None => check_builtin(),
        })?;
    }
    Ok(Reply::ok(json!({})))
}

/// PostSearchFeedback: which input (by id) of search `search_id` the end user chose.
pub(crate) fn search_feedback(call: &Call) -> ApiResult<Reply> {
    let (input, info) = feedback_input(call)?;
    if str_field(info, "search_id").is_empty() {
        return Err(ApiError::bad_request(
            "search feedback needs 'input.feedback_info.search_id'",
        ));
    }
    if str_field(input, "id").is_empty() {
        return Err(ApiError::bad_request(
            "search feedback needs the chosen input's 'input.id'",
        ));
    }
    Ok(Reply::ok(json!({})))
}
