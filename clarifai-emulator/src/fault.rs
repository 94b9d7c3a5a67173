//! Fault injection: an axum middleware in front of every route that can make requests fail the
//! way a real network and a busy server do.

use clarifai_typed::models::StatusCode;
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::Notify;

use crate::server::error_response;
use crate::shared::{Shared, lock};
use crate::state::random_id;
use crate::status::ApiError;

/// A failure the emulator can inject (see
/// [`RunningEmulator::fail_next`](crate::RunningEmulator::fail_next)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// HTTP 429 with status 11005 (`CONN_THROTTLED`) and `Retry-After: 1`.
    Throttle,
    /// HTTP 503 with status 40031 (`RPC_SERVER_UNAVAILABLE`).
    Unavailable,
    /// HTTP 500 with status 99009 (`INTERNAL_UNCATEGORIZED`).
    Internal,
    /// Waits this long, then handles the request normally.
    Delay(Duration),
    /// Handles the request, then sends only the first half of the JSON body (a well-framed HTTP
    /// response whose body does not parse).
    TruncatedBody,
    /// Closes the connection without sending any response.
    DropConnection,
}

/// Which requests fail.
#[derive(Debug, Default)]
pub(crate) struct FaultPlan {
    /// One fault for each of the next requests.
    next: VecDeque<Fault>,
    /// A share of all requests, drawn from a seeded generator.
    share: Option<Share>,
}

#[derive(Debug)]
struct Share {
    probability: f64,
    /// The faults drawn from, with equal chance.
    faults: Vec<Fault>,
    rng: u64,
}

impl FaultPlan {
    pub(crate) fn push_next(&mut self, n: usize, fault: Fault) {
        self.next.extend(std::iter::repeat_n(fault, n));
    }

    pub(crate) fn set_share(&mut self, probability: f64, seed: u64, faults: Vec<Fault>) {
        self.share = (!faults.is_empty()).then(|| Share {
            probability: probability.clamp(0.0, 1.0),
            faults,
            rng: seed,
        });
    }

    pub(crate) fn clear(&mut self) {
        self.next.clear();
        self.share = None;
    }

    /// The fault for the request arriving now, if any.
    fn draw(&mut self) -> Option<Fault> {
        if let Some(f) = self.next.pop_front() {
            return Some(f);
        }
        let share = self.share.as_mut()?;
        let x = splitmix64(&mut share.rng);
        let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
        if unit >= share.probability {
            return None;
        }
        let pick = splitmix64(&mut share.rng) as usize % share.faults.len();
        share.faults.get(pick).cloned()
    }
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Put into every request by the connection loop: notifying it closes the connection.
#[derive(Debug, Clone)]
pub(crate) struct ConnKill(pub(crate) Arc<Notify>);

/// The middleware.
pub(crate) async fn inject(
    State(shared): State<Arc<Shared>>,
    req: Request,
    next: Next,
) -> Response {
    let fault = lock(&shared.faults).draw();
    let injected = |code: StatusCode| {
        let mut e = ApiError::new(code, "injected by the emulator's fault injection");
        if code == StatusCode::CONN_THROTTLED {
            e.retry_after = Some(1);
        }
        error_response(&e, &random_id(), None)
    };
    match fault {
        None => next.run(req).await,
        Some(Fault::Throttle) => injected(StatusCode::CONN_THROTTLED),
        Some(Fault::Unavailable) => injected(StatusCode::RPC_SERVER_UNAVAILABLE),
        Some(Fault::Internal) => injected(StatusCode::INTERNAL_UNCATEGORIZED),
        Some(Fault::Delay(d)) => {
            tokio::time::sleep(d).await;
            next.run(req).await
        }
        Some(Fault::TruncatedBody) => {
            let resp = next.run(req).await;
            let (mut parts, body) = resp.into_parts();
            let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
            let cut = bytes.slice(..bytes.len() / 2);
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(cut))
        }
        Some(Fault::DropConnection) => match req.extensions().get::<ConnKill>() {
            Some(kill) => {
                kill.0.notify_one();
                std::future::pending::<Response>().await
            }
            None => injected(StatusCode::INTERNAL_UNCATEGORIZED),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_deterministic() {
        let draws = |seed| {
            let mut p = FaultPlan::default();
            p.set_share(0.3, seed, vec![Fault::Throttle]);
            (0..200).map(|_| p.draw().is_some()).collect::<Vec<_>>()
        };
        assert_eq!(draws(7), draws(7));
        let n = draws(7).iter().filter(|x| **x).count();
        assert!((30..90).contains(&n), "{n}");
        let mut p = FaultPlan::default();
        p.push_next(2, Fault::Unavailable);
        assert_eq!(p.draw(), Some(Fault::Unavailable));
        assert_eq!(p.draw(), Some(Fault::Unavailable));
        assert_eq!(p.draw(), None);
    }
}
