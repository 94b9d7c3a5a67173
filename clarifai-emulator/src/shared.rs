//! What the server's tasks share: the state, the configuration, rate counters, fault plans.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use tokio::sync::watch;

use crate::Mode;
use crate::fault::FaultPlan;
use crate::state::State;
use crate::store::Store;
use crate::usage::UsageLog;

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
    /// The state file's writer, when there is one.
    store: Option<Store>,
    /// Inputs still being processed in the background.
    pub(crate) pending: watch::Sender<usize>,
    /// Turns for decoding the uploaded images of added inputs in the background: half the
    /// machine's cores (at least one), so that processing a large upload never takes every
    /// core from the requests arriving meanwhile ([`crate::RunningEmulator::wait_idle`] waits
    /// for it to finish).
    pub(crate) processing: Arc<tokio::sync::Semaphore>,
    /// Model versions queued or training in the background.
    pub(crate) training: watch::Sender<usize>,
    /// Other background work still running: evaluations, dataset versions being processed.
    pub(crate) background: watch::Sender<usize>,
    pub(crate) http: reqwest::Client,
    /// What each key called, for the scope usage report.
    pub(crate) usage: Mutex<UsageLog>,
}

/// Counts one background task in [`Shared::background`] while it lives, so that
/// `Emulator::wait_idle` waits for it however the task ends.
pub(crate) struct Busy(Arc<Shared>);

impl Busy {
    /// Counts a task that has not started yet.
    pub(crate) fn start(shared: &Arc<Shared>) -> Busy {
        shared.background.send_modify(|n| *n += 1);
        Busy(shared.clone())
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.background.send_modify(|n| *n = n.saturating_sub(1));
    }
}

/// Locks a mutex, carrying on if another thread panicked while holding it.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    pub(crate) fn new(state: State, config: Config, store: Option<Store>) -> Shared {
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
            store,
            pending: watch::Sender::new(0),
            processing: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1)),
            )),
            training: watch::Sender::new(0),
            background: watch::Sender::new(0),
            http,
            usage: Mutex::new(UsageLog::default()),
        }
    }

    /// Hands the changes made since the last call to the state file's writer, without waiting;
    /// returns the number of the batch that holds them (or an earlier change still queued).
    /// Without a state file, forgets them.
    pub(crate) fn flush(&self) -> Result<u64, String> {
        let Some(store) = &self.store else {
            lock(&self.state).forget_changes();
            return Ok(0);
        };
        // Under the state lock: batches queue in the order of the changes.
        let mut state = lock(&self.state);
        let ops = state.take_changes();
        if ops.is_empty() {
            Ok(store.last_sent())
        } else {
            store.send(ops)
        }
    }

    /// Writes the changes made so far to the state file and waits until they are committed
    /// (at once without a state file).
    pub(crate) async fn persist(&self) -> Result<(), String> {
        let seq = self.flush()?;
        match &self.store {
            Some(store) => store.wait(seq).await,
            None => Ok(()),
        }
    }

    /// Writes what is queued and closes the state file. Blocks until done.
    pub(crate) fn close_store(&self) {
        if let Some(store) = &self.store {
            store.close();
        }
    }
}
