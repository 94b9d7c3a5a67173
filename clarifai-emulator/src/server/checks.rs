//! What a valid key may do: the per-key rate limit, gate and depending scopes, endpoint
//! permissions.

use clarifai_typed::endpoint::EndpointSpec;
use clarifai_typed::models::StatusCode;
use clarifai_typed::{Rpc, Scope};

use crate::Mode;
use crate::shared::{Shared, lock};
use crate::state::KeyRec;
use crate::status::{ApiError, ApiResult};

pub(super) fn rate(shared: &Shared, key: &KeyRec) -> ApiResult<()> {
    let Some(limit) = lock(&shared.config).rate else {
        return Ok(());
    };
    let now = std::time::Instant::now();
    let mut rates = lock(&shared.rate);
    let entry = rates.entry(key.id.clone()).or_insert((now, 0));
    if now.duration_since(entry.0) >= std::time::Duration::from_secs(1) {
        *entry = (now, 0);
    }
    entry.1 += 1;
    if entry.1 > limit {
        let mut e = ApiError::new(
            StatusCode::CONN_THROTTLED,
            format!("exceeded limit of {limit} requests per second"),
        );
        e.retry_after = Some(1);
        return Err(e);
    }
    Ok(())
}

pub(super) fn scopes(spec: &EndpointSpec, held: &[Scope], mode: Mode) -> ApiResult<()> {
    let missing: Vec<&Scope> = match mode {
        Mode::Redact => spec.missing_gate(held).collect(),
        Mode::Strict => spec.missing_depending(held).collect(),
    };
    if missing.is_empty() {
        return Ok(());
    }
    let names: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
    Err(ApiError::new(
        StatusCode::CONN_INSUFFICIENT_SCOPES,
        format!(
            "missing scopes: {}; endpoint: {}",
            names.join(", "),
            spec.grpc_name()
        ),
    ))
}

/// Endpoint-level permissions: a key that lists endpoints may call only those.
pub(super) fn endpoint(spec: &EndpointSpec, key: &KeyRec) -> ApiResult<()> {
    let name = spec.grpc_name();
    // MyScopes needs no permission: any valid key may ask what it holds.
    if key.endpoints.is_empty() || key.endpoints.contains(&name) || spec.rpc == Rpc::MyScopes {
        return Ok(());
    }
    Err(ApiError::new(
        StatusCode::CONN_INSUFFICIENT_SCOPES,
        format!("missing endpoints: {name}; endpoint: {name}"),
    ))
}
