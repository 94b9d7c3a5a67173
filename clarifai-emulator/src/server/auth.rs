//! Who is asking, and for which app: the `Authorization` header, and the target of a path.

use axum::http::{HeaderMap, header};
use clarifai_typed::Rpc;
use clarifai_typed::endpoint::{Auth, EndpointSpec, PathParam};
use clarifai_typed::models::StatusCode;

use super::Form;
use crate::builtin::{PUBLIC_APP, PUBLIC_USER};
use crate::request::Target;
use crate::shared::{Shared, lock};
use crate::state::{KeyRec, KeyType};
use crate::status::{ApiError, ApiResult};

/// The secret of an `Authorization` header value `Key <secret>`. The scheme is matched
/// case-insensitively, as HTTP's authentication schemes are (RFC 9110 §11.1): `key …` and
/// `KEY …` are `Key …`.
pub(crate) fn key_secret(value: &str) -> Option<&str> {
    let (scheme, rest) = value.trim().split_once(|c: char| c.is_ascii_whitespace())?;
    let secret = rest.trim();
    (scheme.eq_ignore_ascii_case("key") && well_formed(secret)).then_some(secret)
}

/// Reads `Authorization: Key <secret>` and finds the key. An unknown secret is 11009, except
/// on a path naming the user `me` (which only a key can resolve): there it is 11008, the
/// key/user pair being invalid, as Clarifai answers (its grpc suite's `test_invalid_api_key`).
pub(super) fn authenticate(shared: &Shared, headers: &HeaderMap, me: bool) -> ApiResult<KeyRec> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err(ApiError::new(
            StatusCode::CONN_KEY_INVALID,
            "Missing Authorization header; send 'Authorization: Key <your key>'.",
        ));
    };
    let secret = value
        .to_str()
        .ok()
        .and_then(key_secret)
        .ok_or_else(|| ApiError::new(StatusCode::CONN_KEY_INVALID, "Invalid format of key."))?;
    let state = lock(&shared.state);
    let key = state.keys.get(secret).cloned().ok_or_else(|| {
        if me {
            ApiError::new(
                StatusCode::CONN_KEY_INVALID,
                "the key does not resolve user 'me' (unknown key; the key is not echoed)",
            )
        } else {
            ApiError::new(
                StatusCode::CONN_KEY_NOT_FOUND,
                "invalid key(not found; the key is not echoed)",
            )
        }
    })?;
    if key.is_expired() {
        return Err(ApiError::new(
            StatusCode::CONN_KEY_INVALID,
            "API key has expired.",
        ));
    }
    Ok(key)
}

/// A secret the emulator accepts in a header: the client's rule, [`clarifai_typed::check_secret`]
/// (1 to 128 printable ASCII characters without spaces), written once.
pub(crate) fn well_formed(secret: &str) -> bool {
    clarifai_typed::check_secret(secret).is_ok()
}

/// Whether a PAT may call `rpc` on the public app `clarifai/main`: only reads of its models and
/// workflows, and predictions with them (Clarifai's grpc suite runs the public workflow
/// `General` with a PAT). Every RPC is listed, so a new one is decided here, not allowed by
/// default.
fn public_rpc(rpc: Rpc) -> bool {
    match rpc {
        Rpc::PostModelOutputs
        | Rpc::GetModel
        | Rpc::GetModelOutputInfo
        | Rpc::ListModels
        | Rpc::ListModelVersions
        | Rpc::GetModelVersion
        | Rpc::PostWorkflowResults
        | Rpc::ListWorkflows
        | Rpc::GetWorkflow
        | Rpc::PostModelsSearches => true,
        Rpc::PostInputs
        | Rpc::ListInputs
        | Rpc::GetInput
        | Rpc::PatchInputs
        | Rpc::DeleteInput
        | Rpc::DeleteInputs
        | Rpc::GetInputCount
        | Rpc::PostSearches
        | Rpc::PostInputsSearches
        | Rpc::PostAnnotationsSearches
        | Rpc::PostModels
        | Rpc::PatchModels
        | Rpc::DeleteModel
        | Rpc::DeleteModels
        | Rpc::ListModelTypes
        | Rpc::ListModelInputs
        | Rpc::PostModelVersions
        | Rpc::DeleteModelVersion
        | Rpc::ListConcepts
        | Rpc::GetConcept
        | Rpc::PostConcepts
        | Rpc::PatchConcepts
        | Rpc::PostConceptsSearches
        | Rpc::GetConceptCounts
        | Rpc::PostWorkflows
        | Rpc::PatchWorkflows
        | Rpc::DeleteWorkflow
        | Rpc::DeleteWorkflows
        | Rpc::ListAnnotations
        | Rpc::GetAnnotation
        | Rpc::PostAnnotations
        | Rpc::PatchAnnotations
        | Rpc::DeleteAnnotation
        | Rpc::DeleteAnnotations
        | Rpc::MyScopes
        | Rpc::GetApp
        | Rpc::ListApps
        | Rpc::PostKeys
        | Rpc::ListKeys
        | Rpc::GetKey
        | Rpc::PatchKeys
        | Rpc::DeleteKey
        | Rpc::ListAppKeys
        | Rpc::PostModelFeedback
        | Rpc::PostSearchFeedback
        | Rpc::PostModelVersionMetrics
        | Rpc::GetModelVersionMetrics
        | Rpc::PostSearchesByID
        | Rpc::GetSearch
        | Rpc::ListSearches
        | Rpc::DeleteSearch
        | Rpc::ListCollaborators
        | Rpc::PostCollaborators
        | Rpc::DeleteCollaborators
        | Rpc::PostDatasets
        | Rpc::ListDatasets
        | Rpc::GetDataset
        | Rpc::DeleteDatasets
        | Rpc::PostDatasetInputs
        | Rpc::ListDatasetInputs
        | Rpc::PostDatasetVersions
        | Rpc::ListDatasetVersions
        | Rpc::GetDatasetVersion
        | Rpc::DeleteDatasetVersions
        | Rpc::PostApps
        | Rpc::ListConceptLanguages
        | Rpc::GetConceptLanguage
        | Rpc::PostConceptLanguages
        | Rpc::PatchConceptLanguages => false,
    }
}

pub(super) fn resolve_target(
    shared: &Shared,
    spec: &EndpointSpec,
    form: Form,
    key: &KeyRec,
    params: &[(PathParam, String)],
) -> ApiResult<Target> {
    let invalid = |details: String| ApiError::new(StatusCode::CONN_KEY_INVALID, details);
    let is_pat = key.key_type == KeyType::PersonalAccessToken;
    if spec.auth == Auth::PatOnly && !is_pat {
        return Err(invalid(format!(
            "{} accepts only a personal access token; app-specific keys cannot call it",
            spec.grpc_name()
        )));
    }
    // User-level endpoints: no app in the path.
    let app_level = match form {
        Form::Short => spec.auth == Auth::Key,
        Form::Full => params.iter().any(|(p, _)| *p == PathParam::AppId),
    };
    let target = match form {
        Form::Short if !app_level => Target {
            user_id: key.user_id.clone(),
            app_id: None,
            public: false,
        },
        Form::Short => {
            if is_pat {
                return Err(invalid(
                    "Must provide app external ID in API authorizer".into(),
                ));
            }
            Target {
                user_id: key.user_id.clone(),
                app_id: key.app_id.clone(),
                public: false,
            }
        }
        Form::Full => {
            let param = |name: PathParam| {
                params
                    .iter()
                    .find(|(p, _)| *p == name)
                    .map(|(_, v)| v.as_str())
            };
            let user = param(PathParam::UserId).unwrap_or("");
            let user = if user == "me" && key.user_id != "me" {
                key.user_id.as_str()
            } else {
                user
            };
            // A user-level binding of an app-level RPC (`/v2/users/{user_id}/models`) names no
            // app: an app key reaches its own app through it, a PAT every app of the user.
            let user_level_binding = spec.auth == Auth::Key && !app_level;
            let app = match param(PathParam::AppId) {
                Some(app) => Some(app.to_owned()),
                None if user_level_binding && !is_pat => key.app_id.clone(),
                None => None,
            };
            let public_app = app.as_deref() == Some(PUBLIC_APP) || (user_level_binding && is_pat);
            if is_pat && key.user_id != PUBLIC_USER && user == PUBLIC_USER && public_app {
                if !public_rpc(spec.rpc) {
                    return Err(invalid(format!(
                        "the public app {PUBLIC_USER}/{PUBLIC_APP} is read-only: {} is not allowed",
                        spec.grpc_name()
                    )));
                }
                return Ok(Target {
                    user_id: PUBLIC_USER.into(),
                    app_id: app,
                    public: true,
                });
            }
            if user != key.user_id {
                return Err(invalid(format!("the key has no access to user '{user}'")));
            }
            if !is_pat && app != key.app_id {
                return Err(invalid(format!(
                    "the key belongs to app '{}/{}', not to '{user}/{}'",
                    key.user_id,
                    key.app_id.as_deref().unwrap_or(""),
                    app.as_deref().unwrap_or("")
                )));
            }
            Target {
                user_id: user.into(),
                app_id: app,
                public: false,
            }
        }
    };
    if let Some(app) = &target.app_id {
        let state = lock(&shared.state);
        let exists = state
            .users
            .get(&target.user_id)
            .is_some_and(|u| u.apps.contains_key(app));
        if !exists {
            return Err(ApiError::new(
                StatusCode::CONN_DOES_NOT_EXIST,
                format!("app '{}/{app}' not found", target.user_id),
            ));
        }
    }
    Ok(target)
}
