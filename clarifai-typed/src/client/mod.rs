//! The typed client: one method per endpoint, each gated at compile time by the key type.
//!
//! ```no_run
//! use clarifai_typed::{Client, scoped_key};
//! use clarifai_typed::models::Input;
//!
//! #[scoped_key(Predict, AddInputs)]
//! pub struct AppKey;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new(AppKey::from_env("CLARIFAI_API_KEY")?)?;
//! let response = client
//!     .predict("general-image-recognition")
//!     .input(Input::from_url("https://samples.clarifai.com/metro-north.jpg"))
//!     .await?;
//! for output in &response.outputs {
//!     match output.concepts() {
//!         clarifai_typed::Redacted::Visible(concepts) => {
//!             for c in concepts {
//!                 println!("{} {:.2}", c.name, c.value_or_default());
//!             }
//!         }
//!         clarifai_typed::Redacted::Withheld { scope } => println!("withheld: needs {scope}"),
//!     }
//! }
//! // client.delete_inputs() does not compile: AppKey lacks `Inputs:Delete`.
//! # Ok(()) }
//! ```
//!
//! # Transport
//!
//! Requests go over hyper-util's pooled HTTP/1.1 client, with rustls and the Mozilla roots
//! (webpki-roots): the stack reqwest runs on, without reqwest's own layers, which cost as much as
//! decoding an answer. When the environment names a proxy for the base URL (`HTTPS_PROXY`,
//! `HTTP_PROXY`, `ALL_PROXY`, less `NO_PROXY`), requests go through reqwest, which speaks to
//! proxies; [`ClientBuilder::http_client`] sends through a reqwest client of your own. Redirects
//! are not followed (the API sends none; reqwest would follow a 301 with a GET, dropping the
//! body): a call that draws one ends with [`Error::Usage`] saying where it points, to set the
//! base URL there. A reqwest client of your own follows them as you set it to.

mod batch;
#[cfg(feature = "blocking")]
pub mod blocking;
mod call;
mod decode;
mod error;
mod methods;
mod paginate;
mod path;
mod retry;
mod send;
mod setters;
mod transport;
mod usage;

use std::any::TypeId;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::key::{ApiSecret, Internal};
use crate::scope::Scope;
use crate::{Key, PatKey};

pub use batch::{BatchStream, MAX_BATCH, Outcome, Progress, Settled};
pub use call::Call;
pub use decode::decode_response;
pub use error::{Error, InsufficientScopes, ItemOutcome, PartialFailure};
pub use methods::Client;
pub use paginate::{DEFAULT_PAGE_SIZE, Items, MAX_PAGE_SIZE, Pages};
pub(crate) use path::PathArgs;
pub use retry::RetryPolicy;
pub use usage::CallLog;

/// The default base URL of the API.
pub const DEFAULT_BASE_URL: &str = "https://api.clarifai.com";
/// The environment variable that overrides the base URL when the builder does not set one.
pub const BASE_URL_VAR: &str = "CLARIFAI_API_BASE";

pub(crate) struct Shared {
    transport: transport::Transport,
    base_url: String,
    /// The base URL's own path (a proxy's prefix), without a trailing `/`; often empty.
    base_path: String,
    ids: Option<UserApp>,
    retry: RetryPolicy,
    batch_concurrency: usize,
}

/// The user and app ids that full paths (`/v2/users/{user_id}/apps/{app_id}/...`) name; without
/// an app, only user-level paths (`/v2/users/{user_id}/...`) can be filled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UserApp {
    pub(crate) user_id: String,
    pub(crate) app_id: Option<String>,
}

impl Shared {
    pub(crate) fn transport(&self) -> &transport::Transport {
        &self.transport
    }
    pub(crate) fn base_path(&self) -> &str {
        &self.base_path
    }
    pub(crate) fn ids(&self) -> Option<&UserApp> {
        self.ids.as_ref()
    }
    pub(crate) fn retry(&self) -> &RetryPolicy {
        &self.retry
    }
    pub(crate) fn batch_concurrency(&self) -> usize {
        self.batch_concurrency
    }
}

/// Builds a [`Client`].
pub struct ClientBuilder<K: Key> {
    key: K,
    base_url: Option<String>,
    ids: Option<UserApp>,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    user_agent: String,
    http: Option<reqwest::Client>,
    retry: RetryPolicy,
    batch_concurrency: usize,
}

impl<K: Key> fmt::Debug for ClientBuilder<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("key", &self.key)
            .field("base_url", &self.base_url)
            .field("ids", &self.ids)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl<K: Key> ClientBuilder<K> {
    /// The API's base URL (default: `CLARIFAI_API_BASE`, else `https://api.clarifai.com`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Address one app by user and app id: requests use full paths
    /// (`/v2/users/{user_id}/apps/{app_id}/...`). A PAT needs this, or [`user`](Self::user).
    pub fn user_app(mut self, user_id: impl Into<String>, app_id: impl Into<String>) -> Self {
        self.ids = Some(UserApp {
            user_id: user_id.into(),
            app_id: Some(app_id.into()),
        });
        self
    }

    /// Address a user, no app: requests use user-level paths (`/v2/users/{user_id}/...`), the
    /// only ones user-level endpoints (keys, apps) have, and the user-level bindings of some
    /// app-level endpoints: `list_models` then lists the models of every app of the user (with an
    /// app key, of its app). Endpoints that need an app answer [`Error::Usage`] on such a client.
    /// `user_id` may be `me`, the key's own user.
    pub fn user(mut self, user_id: impl Into<String>) -> Self {
        self.ids = Some(UserApp {
            user_id: user_id.into(),
            app_id: None,
        });
        self
    }

    /// The time one request may take, from connecting to the end of the body (default 60 s);
    /// `None` for no limit.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// The time connecting may take (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header (default `clarifai-typed/<version>`).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// How calls are tried again after throttling and transient failures (default:
    /// [`RetryPolicy::default`]; [`RetryPolicy::never`] to send each call once).
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How many batches of a batched call are in flight at once (default 4; at least 1).
    pub fn batch_concurrency(mut self, batches: usize) -> Self {
        self.batch_concurrency = batches.max(1);
        self
    }

    /// Send through this reqwest client (its pool and settings: proxies, TLS roots, HTTP/2)
    /// instead of the built-in transport; the timeouts and user agent of this builder are then
    /// not applied. The built-in transport is hyper with rustls and the Mozilla roots, and it
    /// sends through reqwest by itself when the environment names a proxy for the base URL
    /// (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, less `NO_PROXY`). A reqwest client costs a few
    /// microseconds a call more than the built-in transport.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Makes the client.
    ///
    /// # Errors
    ///
    /// [`Error::Usage`] when the base URL is not an `http(s)` URL, when a PAT client has no user
    /// id, or when the HTTP client cannot be made.
    pub fn build(self) -> Result<Client<K>, Error> {
        let base = match self.base_url {
            Some(url) => url,
            None => std::env::var(BASE_URL_VAR).unwrap_or_else(|_| DEFAULT_BASE_URL.to_owned()),
        };
        let base = base.trim_end_matches('/').to_owned();
        let parsed = match reqwest::Url::parse(&base) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => url,
            _ => {
                return Err(Error::Usage(format!(
                    "the base URL {base:?} is not an http(s) URL such as {DEFAULT_BASE_URL}"
                )));
            }
        };
        if TypeId::of::<K>() == TypeId::of::<PatKey>() && self.ids.is_none() {
            return Err(Error::Usage(
                "a personal access token is not tied to an app: give the user and app ids with \
                 `.user_app(user_id, app_id)` (or the user id alone with `.user(user_id)`, for \
                 user-level endpoints)"
                    .to_owned(),
            ));
        }
        let transport = match self.http {
            Some(http) => transport::Transport::reqwest(http, &parsed),
            None => transport::Transport::new(
                &parsed,
                transport::Settings {
                    timeout: self.timeout,
                    connect_timeout: self.connect_timeout,
                    user_agent: self.user_agent,
                },
            )
            .map_err(|e| Error::Usage(format!("could not make the HTTP client: {e}")))?,
        };
        let auth = auth_header(self.key.__secret())?;
        let shared = Arc::new(Shared {
            transport,
            base_path: parsed.path().trim_end_matches('/').to_owned(),
            base_url: base,
            ids: self.ids,
            retry: self.retry,
            batch_concurrency: self.batch_concurrency,
        });
        Ok(Client::from_parts(shared, self.key, auth))
    }
}

fn auth_header(secret: &ApiSecret) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(&format!("Key {}", secret.expose()))
        .map_err(|_| Error::Usage("the key cannot be sent in a header".to_owned()))?;
    value.set_sensitive(true);
    Ok(value)
}

/// What [`Client::verify_scopes`] found: the key type's scopes against the real key's.
///
/// ```
/// use clarifai_typed::{scope, Scope, ScopeReport};
/// let declared = [Scope::of::<scope::Predict>(), Scope::of::<scope::GetApps>()];
/// let granted = [Scope::of::<scope::GetApps>(), Scope::of::<scope::Search>()];
/// let report = ScopeReport::compare("AppKey", &declared, &granted);
/// assert!(!report.is_granted());
/// assert_eq!(report.missing, [Scope::of::<scope::Predict>()]);
/// assert_eq!(report.undeclared, [Scope::of::<scope::Search>()]);
/// assert_eq!(
///     report.to_string(),
///     "the real key lacks scopes that key type `AppKey` declares: Predict (Predict in the \
///      Clarifai portal); calls needing them will be refused: grant them to the key in the \
///      Clarifai portal, or remove them from `#[scoped_key(...)]`; the real key also holds \
///      [Search], which key type `AppKey` does not declare (least privilege: remove them from \
///      the key, or declare them if the code needs them)"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScopeReport {
    /// The key type.
    pub key_type: &'static str,
    /// Scopes the key type holds that the real key lacks: calls needing them will be refused.
    pub missing: Vec<Scope>,
    /// Scopes the real key holds that the key type does not: least privilege says drop them from
    /// the key in the portal, or declare them if the code needs them.
    pub undeclared: Vec<Scope>,
}

impl ScopeReport {
    /// Compares a key type's scopes with those the server says the key holds. `Apps:Get` is
    /// never reported missing: every key holds it, whether or not the server lists it.
    pub fn compare(key_type: &'static str, declared: &[Scope], granted: &[Scope]) -> ScopeReport {
        let get_apps = Scope::of::<crate::scope::GetApps>();
        let missing = declared
            .iter()
            .filter(|s| !s.is_all() && **s != get_apps && !s.is_granted_by(granted))
            .cloned()
            .collect();
        let declares_all = declared.iter().any(Scope::is_all);
        let undeclared = if declares_all {
            Vec::new()
        } else {
            granted
                .iter()
                .filter(|s| !declared.contains(s))
                .cloned()
                .collect()
        };
        ScopeReport {
            key_type,
            missing,
            undeclared,
        }
    }

    /// Whether the real key holds every scope the key type declares (nothing is `missing`).
    pub fn is_granted(&self) -> bool {
        self.missing.is_empty()
    }

    /// Whether the real key holds exactly the key type's scopes: nothing missing, nothing
    /// undeclared (least privilege).
    pub fn is_exact(&self) -> bool {
        self.missing.is_empty() && self.undeclared.is_empty()
    }

    /// The report as an error when the real key lacks a declared scope, for `?`:
    /// `client.verify_scopes().await?.into_result()?`.
    ///
    /// # Errors
    ///
    /// [`Error::ScopesNotGranted`] when [`missing`](Self::missing) is not empty.
    pub fn into_result(self) -> Result<ScopeReport, Error> {
        if self.is_granted() {
            Ok(self)
        } else {
            Err(Error::ScopesNotGranted(Box::new(self)))
        }
    }
}

impl fmt::Display for ScopeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.missing.is_empty() {
            write!(
                f,
                "the real key holds every scope key type `{}` declares",
                self.key_type
            )?;
        } else {
            let missing: Vec<String> = self.missing.iter().map(Scope::portal_name).collect();
            write!(
                f,
                "the real key lacks scopes that key type `{}` declares: {}; calls needing them \
                 will be refused: grant them to the key in the Clarifai portal, or remove them \
                 from `#[scoped_key(...)]`",
                self.key_type,
                missing.join(", ")
            )?;
        }
        if !self.undeclared.is_empty() {
            write!(
                f,
                "; the real key also holds [{}], which key type `{}` does not declare (least \
                 privilege: remove them from the key, or declare them if the code needs them)",
                scope_list(&self.undeclared),
                self.key_type
            )?;
        }
        Ok(())
    }
}

/// Scopes as a person reads them: Rust names, comma-separated.
pub(crate) fn scope_list(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(Scope::name)
        .collect::<Vec<_>>()
        .join(", ")
}

impl std::error::Error for ScopeReport {}

/// A key whose scopes are not known until the server is asked: read at run time (a config file,
/// a CLI flag). It can only call `my_scopes`; [`Client::confirm`] turns its client into a typed
/// one once the server confirms the scopes.
#[derive(Clone)]
pub struct UnverifiedKey {
    secret: ApiSecret,
}

impl UnverifiedKey {
    /// Makes the key from its secret.
    ///
    /// # Errors
    ///
    /// As the constructors of `#[scoped_key]` types.
    pub fn new(secret: impl Into<String>) -> Result<UnverifiedKey, crate::KeyError> {
        ApiSecret::new(secret).map(|secret| UnverifiedKey { secret })
    }

    /// Reads the key's secret from the environment variable `var`.
    ///
    /// # Errors
    ///
    /// As the constructors of `#[scoped_key]` types.
    pub fn from_env(var: &str) -> Result<UnverifiedKey, crate::KeyError> {
        ApiSecret::from_env(var).map(|secret| UnverifiedKey { secret })
    }
}

impl fmt::Debug for UnverifiedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::key::debug_key(f, "UnverifiedKey", &[])
    }
}

impl Key for UnverifiedKey {
    const SCOPES: &'static [Scope] = &[];
    const DECLARED: &'static [Scope] = &[];
    const NAME: &'static str = "UnverifiedKey";

    fn __secret(&self) -> &ApiSecret {
        &self.secret
    }

    fn __from_secret(secret: ApiSecret, _: Internal) -> Self {
        UnverifiedKey { secret }
    }
}
