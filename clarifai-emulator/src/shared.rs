//! What the server's tasks share: the state, the configuration, rate counters, fault plans.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::Mode;
use crate::fault::FaultPlan;
use crate::state::State;

/// Settings that may change while the server runs.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub(crate) mode: Mode,
    /// Requests per second allowed per key.
    pub(crate) rate: Option<u32>,
    /// Whether image URLs outside the loopback range may be fetched.
    pub(crate) allow_remote_urls: bool,
    pub(crate) fetch_timeout: Duration,
    /// Where the hosted copies of inputs are (`hosted.prefix`): the emulator's own base URL
    /// unless set; it serves them under this URL's path.
    pub(crate) hosting_url: String,
}

/// The server's shared data.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) state: Mutex<State>,
    pub(crate) config: Mutex<Config>,
    pub(crate) rate: Mutex<HashMap<String, (Instant, u32)>>,
    pub(crate) faults: Mutex<FaultPlan>,
    pub(crate) state_file: Option<PathBuf>,
    save_lock: Mutex<()>,
    /// Inputs still being processed in the background.
    pub(crate) pending: watch::Sender<usize>,
    /// Model versions queued or training in the background.
    pub(crate) training: watch::Sender<usize>,
    pub(crate) http: reqwest::Client,
}

/// Locks a mutex, carrying on if another thread panicked while holding it.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    pub(crate) fn new(state: State, config: Config, state_file: Option<PathBuf>) -> Shared {
        // Every hop of a redirect is held to the same rule as the first URL: loopback only,
        // unless remote URLs are allowed; at most 5 hops.
        let allow_remote = config.allow_remote_urls;
        let redirects = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 5 {
                attempt.error("too many redirects")
            } else if !allow_remote && !crate::api::is_loopback(attempt.url()) {
                attempt.error("a redirect left the loopback host")
            } else {
                attempt.follow()
            }
        });
        let http = reqwest::Client::builder()
            .timeout(config.fetch_timeout)
            .redirect(redirects)
            .build()
            .unwrap_or_default();
        Shared {
            state: Mutex::new(state),
            config: Mutex::new(config),
            rate: Mutex::new(HashMap::new()),
            faults: Mutex::new(FaultPlan::default()),
            state_file,
            save_lock: Mutex::new(()),
            pending: watch::Sender::new(0),
            training: watch::Sender::new(0),
            http,
        }
    }

    /// Writes the state file, if there is one (to a temporary file, then renamed). Errors are
    /// reported on stderr: a failed save must not fail the request that caused it.
    pub(crate) fn save(&self) {
        let Some(path) = &self.state_file else {
            return;
        };
        let _guard = lock(&self.save_lock);
        let text = {
            let state = lock(&self.state);
            serde_json::to_string_pretty(&*state)
        };
        let result = text.map_err(std::io::Error::other).and_then(|text| {
            let tmp = path.with_extension("tmp");
            std::fs::write(&tmp, text)?;
            std::fs::rename(&tmp, path)
        });
        if let Err(e) = result {
            eprintln!("clarifai-emulator: could not save {}: {e}", path.display());
        }
    }
}
