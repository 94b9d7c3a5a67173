//! Finding models: PostModelsSearches (by name and type, over the app's models and the public
//! ones), and the user-level binding of ListModels (`/v2/users/{user_id}/models`: the models of
//! every app of the user).
//!
//! Models are shown as ListModels shows them (`render::model` and `render::builtin_model`,
//! without `output_info.data`, as Clarifai's payloads 049 and 061 show a search and a list), so
//! that a model found by a search reads like the same model in a list.

use serde_json::{Value, json};

use super::concepts::wildcard;
use super::render;
use crate::builtin::BUILTINS;
use crate::request::{Call, Reply, str_field};
use crate::shared::lock;
use crate::status::{ApiError, ApiResult};

/// What a `model_query` asks for.
struct ModelQuery<'a> {
    /// A name pattern (`*` any run of characters), compared case-insensitively to the name.
    name: &'a str,
    /// `output_info.type` (`concept`, `color`, `embed` ...), the older clients' `type`.
    output_type: &'a str,
    /// `model_type_id`, today's protos' field.
    model_type: &'a str,
}

impl<'a> ModelQuery<'a> {
    fn from_body(body: &'a Value) -> ModelQuery<'a> {
        let q = body.get("model_query").unwrap_or(&Value::Null);
        ModelQuery {
            name: match str_field(q, "name") {
                "" => "*",
                n => n,
            },
            output_type: str_field(q, "type"),
            model_type: str_field(q, "model_type_id"),
        }
    }

    /// Whether a model, as rendered, matches.
    fn matches(&self, model: &Value) -> bool {
        let field = |pointer: &str| model.pointer(pointer).and_then(Value::as_str);
        wildcard(self.name, field("/name").unwrap_or(""))
            && (self.output_type.is_empty()
                || field("/output_info/type")
                    .is_some_and(|t| t.eq_ignore_ascii_case(self.output_type)))
            && (self.model_type.is_empty() || field("/model_type_id") == Some(self.model_type))
    }
}

/// PostModelsSearches: the app's models, then the public (built-in) ones, that match
/// `model_query`; in the public app `clarifai/main`, the public ones. An empty list when none
/// does.
pub(crate) fn search_models(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    let query = ModelQuery::from_body(&call.body);
    let builtins = BUILTINS
        .iter()
        .map(|b| render::builtin_model(b, false, b.id(), b.version_id()));
    let found: Vec<Value> = if call.target.public {
        builtins.filter(|m| query.matches(m)).collect()
    } else {
        call.with_app(|app| {
            Ok(app
                .models
                .iter()
                .map(|m| render::model(m, app, None, false))
                .chain(builtins)
                .filter(|m| query.matches(m))
                .collect())
        })?
    };
    Ok(Reply::ok(json!({"models": page.slice(&found)})))
}

/// ListModels at `/v2/users/{user_id}/models` with a personal access token: the models of every
/// app of the user, app by app (apps in id order). The public models are not the user's: they
/// are listed only for the public user (`/v2/users/clarifai/models`). An app key on this path
/// reaches its own app, and is answered by the app-level ListModels.
pub(crate) fn list_user_models(call: &Call) -> ApiResult<Reply> {
    let page = call.page()?;
    if call.target.public {
        let all: Vec<Value> = BUILTINS
            .iter()
            .map(|b| render::builtin_model(b, false, b.id(), b.version_id()))
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
        .flat_map(|app| {
            app.models
                .iter()
                .map(|m| render::model(m, app, None, false))
        })
        .collect();
    Ok(Reply::ok(json!({"models": page.slice(&all)})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_match_name_patterns_and_types() {
        let model = json!({"name": "General-v1.3", "output_info": {"type": "concept"}, "model_type_id": "visual-classifier"});
        let body = |q: Value| json!({"model_query": q});
        let matches = |q: Value| ModelQuery::from_body(&body(q)).matches(&model);
        assert!(matches(json!({"name": "general*"})));
        assert!(matches(json!({"name": "*GENERAL*", "type": "concept"})));
        assert!(matches(json!({})));
        assert!(matches(json!({"model_type_id": "visual-classifier"})));
        assert!(!matches(json!({"name": "general*", "type": "embed"})));
        assert!(!matches(json!({"name": "color"})));
        assert!(!matches(json!({"model_type_id": "visual-embedder"})));
    }
}
