//! Retries: throttling and transient failures are tried again, with exponential backoff and
//! jitter, `Retry-After` honoured, within a bounded budget; never a repeat that could duplicate
//! data.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

/// How a client tries a call again after throttling (11005, 11003, 11004, HTTP 429) or a
/// transient failure (HTTP 5xx, a dropped connection, a timeout, a truncated body, 10030
/// TRY_AGAIN, 40030-40032, 21354-21355).
///
/// The wait before attempt `n + 1` is drawn at random between half and all of
/// `initial_backoff * 2^(n-1)` (capped at `max_backoff`), and is at least what the server's
/// `Retry-After` asks. The call gives up after `max_attempts` attempts, or when the next wait
/// would end after `max_elapsed`; the error then says how many attempts were made and why each
/// failed ([`Error::GaveUp`](super::Error::GaveUp)).
///
/// Only calls that are safe to repeat are retried: reads, predictions, searches, patches and
/// deletes, and creations whose objects all carry client-set ids (a repeat then cannot create a
/// second copy). Training a model version, or adding inputs or annotations without ids, is sent
/// once.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1: never retry).
    pub max_attempts: u32,
    /// The wait before the first retry (before jitter).
    pub initial_backoff: Duration,
    /// The longest wait between two attempts (before `Retry-After`).
    pub max_backoff: Duration,
    /// The longest a call may take, all attempts and waits together.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// 5 attempts, 200 ms doubling to at most 8 s, within 2 minutes.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(8),
            max_elapsed: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn never() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets the number of attempts in all (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the first wait and the longest wait.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Sets the time budget of one call.
    pub fn max_elapsed(mut self, budget: Duration) -> Self {
        self.max_elapsed = budget;
        self
    }

    /// The wait before attempt `attempt + 1` (`attempt` from 1), with jitter, at least
    /// `retry_after`.
    pub(crate) fn wait(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(20));
        let cap = exp.min(self.max_backoff);
        let half = cap / 2;
        let jitter = half.mul_f64(unit_random());
        let wait = half + jitter;
        match retry_after {
            Some(server) => wait.max(server),
            None => wait,
        }
    }
}

/// A number in 0..1 from the standard library's per-process random keys.
fn unit_random() -> f64 {
    let mut h = RandomState::new().build_hasher();
    h.write_u64(0x5eed);
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_are_jittered_and_honour_retry_after() {
        let p = RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_secs(1));
        for _ in 0..50 {
            let w1 = p.wait(1, None);
            assert!(
                w1 >= Duration::from_millis(50) && w1 <= Duration::from_millis(100),
                "{w1:?}"
            );
            let w3 = p.wait(3, None);
            assert!(
                w3 >= Duration::from_millis(200) && w3 <= Duration::from_millis(400),
                "{w3:?}"
            );
            assert!(p.wait(30, None) <= Duration::from_secs(1));
            assert!(p.wait(1, Some(Duration::from_secs(3))) >= Duration::from_secs(3));
        }
    }

    #[test]
    fn only_what_cannot_duplicate_is_repeatable() {
        use crate::models::ApiRequest;
        use crate::models::*;
        assert!(ApiRequest::repeatable(&ListInputsRequest::default()));
        assert!(ApiRequest::repeatable(&PostModelOutputsRequest::new([
            Input::default()
        ])));
        assert!(ApiRequest::repeatable(&PostInputsRequest::new([
            Input::default().with_id("a"),
            Input::default().with_id("b")
        ])));
        assert!(!ApiRequest::repeatable(&PostInputsRequest::new([
            Input::default().with_id("a"),
            Input::default()
        ])));
        assert!(!ApiRequest::repeatable(&PostInputsRequest::default()));
        assert!(!ApiRequest::repeatable(&PostModelVersionsRequest::default()));
        assert!(!ApiRequest::repeatable(&PostKeysRequest::default()));
        let models = PostModelsRequest {
            model: Some(Model::new("m")),
            ..Default::default()
        };
        assert!(ApiRequest::repeatable(&models));
        assert!(ApiRequest::repeatable(&DeleteInputsRequest::ids(["a"])));
    }
}
