//! Apps, and `MyScopes` (what the calling key holds).

use serde::{Deserialize, Serialize};

use super::common::{JsonMap, Timestamp, Visibility};
use super::model::{empty_request, page_request};
use super::status::Status;
use super::workflow::Workflow;
use crate::redacted::{Redacted, redactable};
use crate::scope::Scope;

/// An application (`App`): the container of inputs, models, workflows and keys.
///
/// `default_workflow` is [`Redacted`]: blanked without `Workflows:Get`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct App {
    /// The app's id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// Its name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The default language of concept names.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub default_language: String,
    /// The id of the workflow that indexes new inputs (deprecated by Clarifai).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub default_workflow_id: String,
    /// The workflow that indexes new inputs.
    #[serde(skip_serializing_if = "Redacted::is_omitted")]
    pub default_workflow: Redacted<Option<Workflow>>,
    /// The user that owns it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub user_id: String,
    /// When it was created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// When it last changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<Timestamp>,
    /// A description.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Free-form metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<JsonMap>,
    /// Who may read it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<Visibility>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl App {
    /// An app to create, by id (`PostApps`).
    pub fn new(id: impl Into<String>) -> App {
        App {
            id: id.into(),
            ..App::default()
        }
    }

    /// Sets the name.
    pub fn with_name(mut self, name: impl Into<String>) -> App {
        self.name = name.into();
        self
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> App {
        self.description = description.into();
        self
    }

    /// An app of user `user_id`, by id (the form key requests use).
    pub fn reference(user_id: impl Into<String>, id: impl Into<String>) -> App {
        App {
            id: id.into(),
            user_id: user_id.into(),
            ..App::default()
        }
    }
}

empty_request! {
    /// `MyScopes`: no body.
    MyScopesRequest;
    /// `GetApp`: no body (the app is the key's, or in the path).
    GetAppRequest;
}

page_request! {
    /// `ListApps` query: a page of the user's apps.
    ListAppsRequest;
}

crate::models::common::list_request! {
    /// `PostApps` body: apps to create for the user in the path.
    PostAppsRequest {
        /// The apps (each with its id: the call is then safe to repeat).
        apps: App
    }
    new: "Creates these apps.";
}

/// What the calling key holds (`MultiScopeResponse`): `MyScopes`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultiScopeResponse {
    /// The outcome.
    pub status: Status,
    /// The scopes the key has (unknown scope names are kept, not refused).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<Scope>,
    /// The app the key gives access to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app: Option<App>,
    /// Endpoint-level permissions (`/clarifai.api.V2/...`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<String>,
    /// Feature flags of the user.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub user_feature_flags: String,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// One app (`SingleAppResponse`): `GetApp`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SingleAppResponse {
    /// The outcome.
    pub status: Status,
    /// The app.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app: Option<App>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// Apps (`MultiAppResponse`): `ListApps`, `PostApps`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultiAppResponse {
    /// The outcome.
    pub status: Status,
    /// The apps.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub apps: Vec<App>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

redactable! {
    App { default_workflow }
    MultiScopeResponse { app }
    SingleAppResponse { app }
    MultiAppResponse { apps }
}

super::fields::decode_fields! {
    App { id, name, default_language, default_workflow_id, default_workflow, user_id, created_at, modified_at, description, metadata, visibility }
    MultiScopeResponse { status, scopes, app, endpoints, user_feature_flags }
    SingleAppResponse { status, app }
    MultiAppResponse { status, apps }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope;
    use serde_json::json;

    #[test]
    fn my_scopes_response_decodes_scopes() {
        let r: MultiScopeResponse = serde_json::from_value(json!({
            "status": {"code": 10000, "description": "Ok"},
            "scopes": ["Predict", "Inputs_Add", "Robots:Summon"],
            "app": {"id": "main", "user_id": "me"},
            "endpoints": ["/clarifai.api.V2/PostModelOutputs"]
        }))
        .unwrap();
        assert_eq!(r.scopes[0], Scope::of::<scope::Predict>());
        assert_eq!(r.scopes[1], Scope::of::<scope::AddInputs>());
        assert!(!r.scopes[2].is_known());
        assert_eq!(r.app.as_ref().map(|a| a.id.as_str()), Some("main"));
        assert_eq!(
            serde_json::to_value(&r).unwrap()["scopes"],
            json!(["Predict", "Inputs:Add", "Robots:Summon"])
        );
    }
}
