//! Collaborators: other users invited to work on an app, each with the scopes they get there.

use serde::{Deserialize, Serialize};

use super::app::App;
use super::common::{JsonMap, Timestamp, is_false, is_zero_u32};
use super::status::Status;
use crate::redacted::redactable;
use crate::scope::Scope;

/// A user (`User`): the owner of an app, or a collaborator on it. Only what identifies them is
/// modelled.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct User {
    /// The user's id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// First name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub first_name: String,
    /// Last name.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub last_name: String,
    /// When the user signed up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// Fields this version does not model (`primary_email`, `company_name` ...), kept for round
    /// trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl User {
    /// A user by id.
    pub fn new(id: impl Into<String>) -> User {
        User {
            id: id.into(),
            ..User::default()
        }
    }
}

/// A collaborator on an app (`Collaborator`): a user, and the scopes and endpoints they may use
/// in the app (intersected with those of the key they call with).
///
/// ```
/// use clarifai_typed::models::Collaborator;
/// use clarifai_typed::{Scope, scope};
/// let c = Collaborator::new("alice", [Scope::of::<scope::GetInputs>()]);
/// assert_eq!(
///     serde_json::to_value(&c).unwrap(),
///     serde_json::json!({"user": {"id": "alice"}, "scopes": ["Inputs:Get"]})
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Collaborator {
    /// The collaboration's id.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// The app.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app: Option<App>,
    /// The collaborating user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    /// The scopes they get in the app (unknown scope names are kept, not refused).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<Scope>,
    /// The endpoints they may call (`/clarifai.api.V2/...`), when limited.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<String>,
    /// When they were invited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// When the collaboration last changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified_at: Option<Timestamp>,
    /// When the collaboration ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<Timestamp>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Collaborator {
    /// Invites user `user_id` with `scopes`.
    pub fn new(
        user_id: impl Into<String>,
        scopes: impl IntoIterator<Item = Scope>,
    ) -> Collaborator {
        Collaborator {
            user: Some(User::new(user_id)),
            scopes: scopes.into_iter().collect(),
            ..Collaborator::default()
        }
    }
}

/// `ListCollaborators` query: a page of the app's collaborators.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ListCollaboratorsRequest {
    /// Also list collaborators whose collaboration ended.
    #[serde(
        skip_serializing_if = "is_false",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub list_all_collaborators: bool,
    /// The page, from 1.
    #[serde(
        skip_serializing_if = "is_zero_u32",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub page: u32,
    /// Items per page.
    #[serde(
        skip_serializing_if = "is_zero_u32",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub per_page: u32,
}

crate::models::common::list_request! {
    /// `PostCollaborators` body: users to invite.
    PostCollaboratorsRequest {
        /// The collaborators (a user id and scopes each).
        collaborators: Collaborator
    }
    new: "Invites these collaborators.";
}

/// `DeleteCollaborators` body: collaborations to end, by collaborator or user id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DeleteCollaboratorsRequest {
    /// Collaboration ids, or ids of collaborating users.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub collaborator_ids: Vec<String>,
    /// E-mail addresses of collaborating users.
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub user_emails: Vec<String>,
}

impl DeleteCollaboratorsRequest {
    /// Ends these collaborations (collaboration or user ids).
    pub fn ids(ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
        DeleteCollaboratorsRequest {
            collaborator_ids: ids.into_iter().map(Into::into).collect(),
            user_emails: Vec::new(),
        }
    }
}

/// Collaborators (`MultiCollaboratorsResponse`): `ListCollaborators`, `PostCollaborators`.
/// `collaborators` is always sent, even empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultiCollaboratorsResponse {
    /// The outcome.
    pub status: Status,
    /// The collaborators.
    pub collaborators: Vec<Collaborator>,
    /// The owner of the app.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_owner: Option<User>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

redactable! {
    Collaborator { app }
    MultiCollaboratorsResponse { collaborators }
}

super::fields::decode_fields! {
    User { id, first_name, last_name, created_at }
    Collaborator { id, app, user, scopes, endpoints, created_at, modified_at, deleted_at }
    MultiCollaboratorsResponse { status, collaborators, app_owner }
}
