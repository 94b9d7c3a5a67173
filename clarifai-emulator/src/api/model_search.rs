//! The user-level binding of ListModels (`/v2/users/{user_id}/models`): the models of every app
//! of the user.
//!
//! Models are shown as ListModels shows them (`render::model` and `render::builtin_model`, in
//! full), so that a model listed here reads like the same model in an app's list.

use serde_json::{Value, json};

use super::render;
use crate::builtin::BUILTINS;
use crate::request::{Call, Reply};
use crate::shared::lock;
use crate::status::{ApiError, ApiResult};

/// ListModels at `/v2/users/{user_id}/models` with a personal access token: the models of every
/// app of the user, app by app (apps in id order). The public models are not the user's: they
/// are listed only for the public user (`/v2/users/clarifai/models`). An app key on this path
/// reaches its own app, and is answered by the app-level ListModels.
pub(crate) fn list_user_models(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    if call.target.public {
        let all: Vec<Value> = BUILTINS
            .iter()
            .map(|b| render::builtin_model(b, true))
            .collect();
        return Ok(Reply::ok(json!({"models": page.slice(&all)})));
    }
    let state = lock(&call.shared.state);
    let user = state
        .users
        .get(&call.target.user_id)
        .ok_or_else(|| ApiError::not_found("user", &call.target.user_id))?;
    let all: Vec<Value> = user
        .apps
        .values()
        .flat_map(|app| app.models.iter().map(|m| render::model(m, app, None, true)))
        .collect();
    Ok(Reply::ok(json!({"models": page.slice(&all)})))
}
