//! The API's `Key` object (key management: PAT-only endpoints).
//!
//! Named [`ApiKey`] here so it does not clash with the [`Key`](crate::Key) trait of key types.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::app::App;
use super::common::{JsonMap, Timestamp, is_false, is_zero_u32};
use super::model::{empty_request, page_request};
use super::status::Status;
use crate::redacted::redactable;
use crate::scope::Scope;

/// The `id` of a key object, which **is the secret** (what goes after `Key ` in the
/// `Authorization` header). Its `Debug` prints `[redacted]`; the memory is wiped when dropped.
///
/// ```
/// use clarifai_typed::models::KeySecret;
/// let id = KeySecret::new("0123456789abcdef");
/// assert_eq!(format!("{id:?}"), "[redacted]");
/// assert_eq!(id.expose_secret(), "0123456789abcdef");
/// ```
#[derive(Clone)]
pub struct KeySecret(SecretString);

impl Default for KeySecret {
    fn default() -> Self {
        KeySecret::new(String::new())
    }
}

impl KeySecret {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> KeySecret {
        KeySecret(SecretString::from(secret.into()))
    }

    /// The secret itself: for an `Authorization` header or a key type's constructor only.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }

    /// Whether the secret is empty (a request creating a key leaves it out).
    pub fn is_empty(&self) -> bool {
        self.0.expose_secret().is_empty()
    }
}

impl PartialEq for KeySecret {
    fn eq(&self, other: &Self) -> bool {
        self.expose_secret() == other.expose_secret()
    }
}

impl fmt::Debug for KeySecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Serialize for KeySecret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose_secret())
    }
}

impl<'de> Deserialize<'de> for KeySecret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(KeySecret::new)
    }
}

/// A key object of the API (`Key`): an app key or a personal access token, with its scopes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ApiKey {
    /// The secret (the key object's `id`); never printed by `Debug`.
    #[serde(skip_serializing_if = "KeySecret::is_empty")]
    pub id: KeySecret,
    /// `app_specific_key` (default) or `personal_access_token`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub r#type: String,
    /// A description.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The scopes it grants.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<Scope>,
    /// Endpoint-level permissions (`/clarifai.api.V2/...`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub endpoints: Vec<String>,
    /// The app it is for (one for app keys, none for PATs); in requests `{id, user_id}`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub apps: Vec<App>,
    /// When it was created.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// When it expires (absent: never).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    /// Identity providers allowed to use it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authorized_idp_ids: Vec<String>,
    /// The organization of a PAT.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub organization_id: String,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl ApiKey {
    /// A new app key for app `app_id` of user `user_id` granting `scopes` (the form of
    /// `PostKeys`).
    pub fn for_app(
        description: impl Into<String>,
        user_id: impl Into<String>,
        app_id: impl Into<String>,
        scopes: impl IntoIterator<Item = Scope>,
    ) -> ApiKey {
        ApiKey {
            description: description.into(),
            scopes: scopes.into_iter().collect(),
            apps: vec![App::reference(user_id, app_id)],
            ..ApiKey::default()
        }
    }
}

page_request! {
    /// `ListAppKeys` query: a page of an app's keys.
    ListAppKeysRequest;
}

empty_request! {
    /// `GetKey`: no body (the key id is in the path).
    GetKeyRequest;
    /// `DeleteKey`: no body (the key id is in the path).
    DeleteKeyRequest;
}

/// `ListKeys` query: a page of the user's keys.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ListKeysRequest {
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
    /// Only keys that have not expired.
    #[serde(
        skip_serializing_if = "is_false",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub not_expired: bool,
    /// Only keys of this type.
    #[serde(
        skip_serializing_if = "String::is_empty",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub r#type: String,
}

crate::models::common::list_request! {
    /// `PostKeys` body: keys to create.
    PostKeysRequest {
        /// The keys (without ids: the server makes the secrets).
        keys: ApiKey
    }
    new: "Creates these keys.";
}

crate::models::common::patch_request! {
    /// `PatchKeys` body: changes to keys (`action` `overwrite`, the only one supported).
    PatchKeysRequest {
        /// The keys, by id, with the fields to change.
        keys: ApiKey
    }
    new: "Applies `action` to these keys.";
}

/// Keys (`MultiKeyResponse`): `PostKeys`, `ListKeys`, `PatchKeys`, `ListAppKeys`. `keys` is
/// always sent, even empty.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct MultiKeyResponse {
    /// The outcome.
    pub status: Status,
    /// The keys.
    pub keys: Vec<ApiKey>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

/// One key (`SingleKeyResponse`): `GetKey`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SingleKeyResponse {
    /// The outcome.
    pub status: Status,
    /// The key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<ApiKey>,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

redactable! {
    ApiKey {}
    MultiKeyResponse {}
    SingleKeyResponse {}
}

super::fields::decode_fields! {
    ApiKey { id, r#type = "type", description, scopes, endpoints, apps, created_at, expires_at, authorized_idp_ids, organization_id }
    MultiKeyResponse { status, keys }
    SingleKeyResponse { status, key }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope;
    use serde_json::json;

    #[test]
    fn post_keys_request_shape() {
        let req = PostKeysRequest::new([ApiKey::for_app(
            "All permissions",
            "me",
            "my-app",
            [Scope::of::<scope::All>()],
        )]);
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            json!({"keys": [{"description": "All permissions", "scopes": ["All"],
                             "apps": [{"id": "my-app", "user_id": "me"}]}]})
        );
    }

    #[test]
    fn key_debug_never_shows_the_secret() {
        let r: MultiKeyResponse = serde_json::from_value(json!({
            "status": {"code": 10000},
            "keys": [{"id": "sentinel-secret-123", "type": "app_specific_key",
                      "scopes": ["Inputs:Get"], "created_at": "2017-04-11T21:50:50.223962Z"}]
        }))
        .unwrap();
        let text = format!("{r:?}");
        assert!(!text.contains("sentinel-secret-123"), "{text}");
        assert!(text.contains("[redacted]"));
        assert_eq!(r.keys[0].id.expose_secret(), "sentinel-secret-123");
        assert_eq!(
            serde_json::to_value(&r).unwrap()["keys"][0]["id"],
            json!("sentinel-secret-123")
        );
    }
}
