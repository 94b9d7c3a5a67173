//! What a client called: per-RPC counts, and what they say about the key type's scopes.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::Key;
use crate::endpoint::Rpc;
use crate::scope::{self, Scope};

/// How many calls a client (and its clones) made to each endpoint.
pub(crate) struct CallCounts(Box<[AtomicU64]>);

impl CallCounts {
    pub(crate) fn new() -> CallCounts {
        CallCounts(Rpc::ALL.iter().map(|_| AtomicU64::new(0)).collect())
    }

    pub(crate) fn record(&self, rpc: Rpc) {
        if let Some(count) = self.0.get(rpc.index()) {
            count.fetch_add(1, Ordering::Relaxed);
        }
    }

    pub(crate) fn log<K: Key>(&self) -> CallLog {
        let calls = Rpc::ALL
            .iter()
            .zip(self.0.iter())
            .map(|(rpc, n)| (*rpc, n.load(Ordering::Relaxed)))
            .filter(|(_, n)| *n > 0)
            .collect();
        CallLog {
            key_type: K::NAME,
            declared: K::DECLARED.to_vec(),
            granted: K::SCOPES.to_vec(),
            calls,
        }
    }
}

/// The endpoints a [`Client`](super::Client) called (it and its clones; a
/// [narrowed](super::Client::narrow) client keeps a log of its own), and what that says about
/// its key type: [`Client::calls`](super::Client::calls).
///
/// A call counts once however often it was retried, whether or not it succeeded. The scopes a
/// call *may use* are its endpoint's gate scopes and the depending scopes that guard parts of
/// its answer ([`EndpointSpec::guards`](crate::endpoint::EndpointSpec::guards)): the client
/// cannot tell whether the server would have sent those parts, so it counts them, and
/// [`unused`](CallLog::unused) never names a scope the calls could have used. (The emulator's
/// usage report sees the answers and is exact.)
///
/// ```no_run
/// # use clarifai_typed::{Client, scoped_key};
/// # #[scoped_key(Predict, DeleteInputs)] pub struct AppKey;
/// # async fn run(client: Client<AppKey>) -> Result<(), clarifai_typed::Error> {
/// client.predict("general-image-recognition").await?;
/// let log = client.calls();
/// // In a test: fail when the key type is wider than the calls made through it.
/// assert!(log.unused().is_empty(), "{log}");
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallLog {
    /// The key type.
    pub key_type: &'static str,
    /// The scopes the key type declares.
    pub declared: Vec<Scope>,
    /// The scopes the key type grants (its declaration, closed).
    pub granted: Vec<Scope>,
    /// Each endpoint called, with how many calls, in table order.
    pub calls: Vec<(Rpc, u64)>,
}

impl CallLog {
    /// The scopes the calls may use: each called endpoint's gate scopes and guarding scopes, in
    /// catalogue order.
    pub fn may_use(&self) -> Vec<Scope> {
        let mut used: Vec<Scope> = Vec::new();
        for (rpc, _) in &self.calls {
            let spec = rpc.spec();
            for s in spec.gate.iter().chain(spec.guards().iter().map(|(s, _)| s)) {
                if !used.contains(s) {
                    used.push(s.clone());
                }
            }
        }
        Scope::catalogue().filter(|s| used.contains(s)).collect()
    }

    /// The smallest `#[scoped_key(...)]` list that covers the calls
    /// ([`scope::minimal_declaration`] of [`may_use`](Self::may_use)).
    pub fn minimal_declaration(&self) -> Vec<Scope> {
        scope::minimal_declaration(&self.may_use())
    }

    /// The scopes the key type grants that no call could have used, nor the minimal declaration
    /// brings: what the key type could drop. Empty for a key type declared with `All` only when
    /// every scope was used, so an `All` key type is reported as `[All]` otherwise.
    pub fn unused(&self) -> Vec<Scope> {
        let needed = scope::closure(&self.minimal_declaration());
        if self.granted.iter().any(Scope::is_all) {
            return if needed.iter().any(Scope::is_all) {
                Vec::new()
            } else {
                vec![Scope::of::<scope::All>()]
            };
        }
        self.granted
            .iter()
            .filter(|s| !needed.contains(s))
            .cloned()
            .collect()
    }

    /// The declaration that covers the calls, as Rust source, for key type `type_name`.
    pub fn declaration(&self, type_name: &str) -> String {
        scope::declaration(type_name, &self.minimal_declaration())
    }
}

impl fmt::Display for CallLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let calls: Vec<String> = self
            .calls
            .iter()
            .map(|(rpc, n)| format!("{rpc} x{n}"))
            .collect();
        write!(
            f,
            "key type `{}` declares [{}]; its client called {}; those calls need at most \
             #[scoped_key({})]",
            self.key_type,
            super::scope_list(&self.declared),
            if calls.is_empty() {
                "no endpoint".to_owned()
            } else {
                format!("endpoints {}", calls.join(", "))
            },
            super::scope_list(&self.minimal_declaration()),
        )?;
        let unused = self.unused();
        if !unused.is_empty() {
            write!(
                f,
                "; unused: [{}] (drop them from the key type, and from the real key)",
                super::scope_list(&unused)
            )?;
        }
        Ok(())
    }
}
