//! A local Clarifai API server for tests and development: it speaks the REST API's JSON, enforces
//! keys and scopes like the real service, and answers predictions computed from the pixels.
//!
//! Everything about endpoints comes from `clarifai_typed`'s endpoint table
//! ([`ENDPOINTS`](clarifai_typed::endpoint::ENDPOINTS)): the routes (short and full paths), the gate
//! scopes (a key without them gets 11007), the depending scopes (see [`Mode`]) and the response
//! parts each depending scope guards (blanked in a *redacted response*).
//!
//! ```no_run
//! # async fn demo() -> Result<(), clarifai_emulator::EmulatorError> {
//! use clarifai_emulator::{Emulator, Mode};
//! use clarifai_typed::{Scope, scope};
//!
//! let emu = Emulator::builder().mode(Mode::Redact).user("me").app("main").start().await?;
//! let secret = emu.create_key(&[Scope::of::<scope::Predict>()]);
//! println!("{} with key {secret}", emu.base_url());
//! # Ok(()) }
//! ```
//!
//! # Built-in models
//!
//! Every app (and the public app `clarifai/main`, reachable with a PAT) has four built-in models,
//! all computed from the pixels of PNG and JPEG images (deterministic: the same image gives the
//! same output):
//!
//! | Model ids | Output |
//! |---|---|
//! | `color-recognition`, `eeed0b6733a644cea07cf4c60f87ebb7` | `data.colors`: dominant colours, each the mean of the pixels nearest to one of the 140 W3C colours (`raw_hex`, `w3c {hex, name}`, `value` = share of the image) |
//! | `general-image-embedding`, `bbb5f41425b8468d9b7a554ff10f8581` | `data.embeddings[{vector, num_dimensions}]`: 128 dimensions (colour histogram, 4×4 grid of mean colours, 4×4 grid of edge strength), L2-normalised |
//! | `general-image-recognition`, `aaa03c23b3724a16a56b629203edc62c` | `data.concepts`: colour words (`red`, `blue`, ...), `bright`/`dark`, `colorful`/`monochrome`, `smooth`/`textured`, values in 0..1 |
//! | `general-image-detection` (version `1580bb1932594c93b7e2e04456af7c6f`) | `data.regions[{id, region_info.bounding_box {top_row, left_col, bottom_row, right_col}, data.concepts, value}]`: one region per colour word covering at least 5% of the image, its box the bounding box of those pixels (fractions of the image), its value the share of the box they fill |
//!
//! Custom models (PostModels with `output_info.data.concepts`) are trained by PostModelVersions
//! on the app's processed inputs labelled with those concepts (labels from `data.concepts` of
//! inputs and from annotations): one centroid of embeddings per concept; predictions score each
//! concept by cosine similarity (0..1). Workflows run their nodes' models; every app also has the
//! base workflow `General` (embedding and general concepts).
//!
//! Searches (PostSearches with `query.ands`, PostInputsSearches and PostAnnotationsSearches with
//! `searches[].query.{filters,ranks}`) filter by concept (a label, or a general-model prediction of
//! at least 0.5), metadata (subset match), input id and geo location (`data.geo`: a `geo_point`
//! with a `geo_limit`, by great-circle distance, or a `geo_box`), and rank by embedding cosine
//! similarity to an image or an input of the app. Only processed inputs (30000) are searched.
//!
//! # Behaviour where Clarifai's documentation is silent
//!
//! These are the emulator's choices; each is made in one place in the code.
//!
//! * **Authentication.** `Authorization: Key <secret>`. A missing header, another scheme
//!   (`Bearer`) or a malformed secret (anything but 1–128 ASCII letters, digits, `-`, `_`) is
//!   11008 with HTTP 401 (`details` "Invalid format of key." or "Missing Authorization header…").
//!   An unknown secret is 11009 / 401; the secret is never echoed. An expired key (`expires_at` in
//!   the past) is 11008 / 401, details "API key has expired.".
//! * **Key ↔ path.** An app key reaches its own app through short paths, or full paths naming its
//!   user (or `me`) and app; any other app is 11008. A PAT reaches its user's apps through full
//!   paths; on an app-level short path it gets 11008 "Must provide app external ID in API
//!   authorizer". PAT-only endpoints answer app keys with 11008. A PAT may also read and predict
//!   with the built-in models of the public app `clarifai/main`. A full path naming an app that
//!   does not exist is 11101 / 404.
//! * **Endpoint permissions.** A key created with `endpoints` (`/clarifai.api.V2/...`) may call
//!   only those RPCs (and MyScopes); others are 11007 naming the endpoint.
//! * **Scopes.** Keys are stored with their scopes closed over Clarifai's dependencies (as the
//!   portal does), and every **app key** also holds `Apps:Get` (the portal grants it; the client's
//!   key types always include it). PATs hold exactly their scopes (`All` grants everything).
//!   A missing gate scope is 11007 with **HTTP 401**, `details`
//!   `"missing scopes: Inputs:Delete; endpoint: /clarifai.api.V2/DeleteInputs"`. MyScopes returns
//!   `["All"]` literally for an `All` key.
//! * **Batch limit.** More than 128 inputs in PostInputs, PostModelOutputs or PostWorkflowResults
//!   is 39999 (`INPUT_INVALID_REQUEST`) / 400, details "batch of 129 inputs exceeds the limit of
//!   128".
//! * **Trailing slash.** A `/` at the end of a path is ignored: `PATCH /v2/models/` is
//!   `PATCH /v2/models` (Clarifai's docs publish such paths, e.g. "Delete all models", and its old
//!   clients send them).
//! * **Pages.** `page` (from 1) and `per_page` query parameters on GET lists; `pagination` in POST
//!   bodies (query parameters are accepted there too). `per_page` defaults to 128 and is clamped
//!   to 1..=1000; `page` 0 means 1.
//! * **Deleting all models**: a bare `DELETE /v2/models` (no `ids`, no `delete_all`) deletes every
//!   custom model of the app, as Clarifai's "Delete all models" example (no body) expects; the
//!   other batch deletes need `ids` or `delete_all` (11102 otherwise).
//! * **Inputs** are answered 30001 "Download pending" and processed by a background task right
//!   after (30000, or 30002 with details when the URL cannot be fetched or the bytes do not
//!   decode). [`RunningEmulator::wait_idle`] waits for it. A duplicate input id (in the app or the
//!   batch) fails the request with 40010 / 400.
//! * **Predictions.** One failed input among several: 10010 `MIXED_STATUS` / HTTP 207, with
//!   per-output statuses; all failed: 10020 `FAILURE` / HTTP 400 (as payload 087).
//! * **Videos** (`data.video.url` or `.base64` in PostModelOutputs and PostWorkflowResults): the
//!   emulator decodes no video codec. A video whose bytes are a PNG or JPEG still is read as one
//!   frame, and its output is `data.frames[{frame_info {index 0, time 0}, data}]` (the shape of
//!   Clarifai's video predictions); any other video is a per-input failure (30002).
//! * **Image URLs** are fetched with a timeout (10 s by default), and only from loopback hosts
//!   unless [`EmulatorBuilder::allow_remote_urls`] is set: a remote URL is a per-input 30002.
//! * **Not found**: models and model versions 21200, workflows 22102, inputs 30102, other things
//!   (concepts, annotations, keys, apps) 11101; all with HTTP 404. Bad JSON is 11100 / 400; other
//!   invalid requests 11102 / 400; an unknown path 11101 / 404; a wrong method 11103 / 405.
//! * **Rate limit** (optional, per key, a fixed one-second window): 11005 / 429, details
//!   "exceeded limit of N requests per second", `Retry-After: 1`.
//! * **Training** (PostModelVersions) waits for inputs still being processed (up to 30 s), then
//!   trains at once: the new version answers 21100 (trained), or 21110 (no data) when no processed
//!   input is labelled with the model's concepts. Predicting with a model that has no trained
//!   version is 21102 / 400. A new model (PostModels) has one untrained version (21102).
//! * **Redaction** removes the guarded field (it is absent from the JSON, not an empty list).
//! * **Responses** always carry `status` with `code`, `description`, `req_id` (32 hex digits) and,
//!   on errors, `details`; error bodies also carry the endpoint's always-present list (`"models":
//!   []`, as in Clarifai's own 11009 body). ListInputs answers 10010 / 207 when the page holds a
//!   failed input (as the legacy client expects). Image bytes (`image.base64`) are not sent
//!   back; a processed input shows `image.image_info {width, height, format}` instead.
//! * **Key management** (PostKeys, PatchKeys) refuses unknown scope names with 11102 / 400; an
//!   app-specific key needs exactly one app of the calling user. Key ids are the secrets (as in
//!   Clarifai's `Key.id`), so ListKeys shows them; error details never repeat a secret.
//! * **No escalation through key management.** The protos gate PostKeys and PatchKeys on
//!   `Keys:Add` and say nothing of what the new key may hold; the emulator lets a credential
//!   make or change only keys within its own reach: their scopes (closed over dependencies)
//!   granted by its own (`All` only by `All`), their endpoints a subset of its own when it is
//!   limited to some, their expiry no later than its own when it expires. It patches or deletes
//!   only keys within that reach too (a weak key cannot revive or re-scope a stronger one).
//!   Otherwise 11007, naming what the caller lacks; nothing is stored.
//! * **Redaction** covers a guarded resource wherever the response type can hold it (concepts
//!   under video frames, detected regions, the model echoed in an output, an annotation search
//!   hit; a workflow node's model), derived from the types of `clarifai_typed::models`.
//!   **Counts**: a model version's `active_concept_count` stays (it is the version's metadata,
//!   read with `Models:Get`, and says how many concepts, never which); a search whose answer
//!   would depend on guarded data needs that data's scope (see the next item), so hit counts
//!   reveal nothing guarded. A key with `Search` but not `Inputs:Get` does learn how many inputs
//!   match a metadata, geo or image query and their scores, not which inputs: the hits are
//!   redacted to their scores.
//! * **Reading through another endpoint.** The protos list `cl_depending_scopes` as a minimum.
//!   An input named only by id in PostModelOutputs or PostWorkflowResults, a search naming
//!   inputs by id, needs `Inputs:Get`; a search by concepts `Concepts:Get`; a filtered
//!   annotation search `Annotations:Get`. Without it the request is 11007 before anything is
//!   looked up, so a key cannot tell a missing id from a forbidden one.
//! * **Bad input.** Request bodies are decoded into typed requests (proto3 JSON rules): a
//!   wrongly typed field is 11102 / 400 naming the field (never repeating its value), and
//!   nothing is stored. A request that fails stores none of its items. Any list in a request
//!   holds at most 1000 items; a body over 128 MiB is 40033 / HTTP 413, a path and query over
//!   8 KiB 11100 / HTTP 414, as JSON (paths over 64 KiB are refused by the HTTP layer itself
//!   with an empty 414).
//! * **Images** are read up to 20 MiB, from loopback URLs only (every redirect hop too, at most
//!   5 hops) unless remote URLs are allowed; their header's dimensions are checked before any
//!   decoding, and an image over 25 megapixels is a per-input 30002. PNG, JPEG, GIF (its first
//!   frame), BMP and TIFF decode.
//! * **User-level bindings.** `GET /v2/users/{user_id}/models` and `.../datasets` (no app in the
//!   path): with a PAT, the models (datasets) of every app of the user, and the public models only
//!   at `/v2/users/clarifai/models`; with an app key, those of its own app.
//! * **Model search** (PostModelsSearches): `model_query.name` with `*` wildcards, compared
//!   case-insensitively to the model's name, `type` to `output_info.type`, `model_type_id` to the
//!   model type; the app's models, then the public ones (in `clarifai/main`, the public ones); an
//!   empty list when nothing matches.
//! * **Feedback** (PostModelFeedback, PostSearchFeedback, RPCs of the 2.6.2 client's protos) is
//!   validated (an `input` with `feedback_info.{event_type, end_user_id, session_id}`; the model
//!   and version exist; a search feedback's `search_id` and input id) and acknowledged; nothing is
//!   kept.
//! * **Evaluation.** PostModelVersionMetrics answers a trained version with `metrics.status` 21303
//!   (queued) and evaluates it in the background, on the app's inputs labelled with its concepts:
//!   21300 with `metrics.summary`, or 21315 when there are none. GetModelVersionMetrics shows where
//!   it is (21302 before any evaluation).
//! * **Saved searches.** PostSearches with `searches[].save: true` stores those searches under
//!   their ids instead of running them (it needs `SavedSearch:Add`; the answer holds no hits).
//!   PostSearchesByID runs one on the app's inputs as they are now (those added by its `as_of`,
//!   when it has one), with the scopes of the key that runs it.
//! * **Collaborators** are a list per app (user, scopes, endpoints); a key grants a collaborator
//!   only what it holds; a collaboration gives no access to the emulator's API.
//! * **Datasets** hold inputs of their app; a version is a snapshot of them, answered 64005
//!   (pending) and made ready (64015, with its counts) by a background task.
//! * **PostApps** creates apps for the PAT's own user, reachable at once by the user's PATs.
//! * **Concept languages**: a concept's name in its own language, and names added in others.
//! * **State file**: written at start and after every change (to a temporary file, then renamed).
//! * **Fault injection**: see [`Fault`].

mod api;
mod builtin;
mod fault;
mod request;
pub mod samples;
mod server;
mod shared;
mod state;
mod status;
mod time;
mod vision;
mod w3c;
mod wire;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use clarifai_typed::Scope;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;

pub use fault::Fault;

use fault::ConnKill;
use shared::{Config, Shared, lock};
use state::{App, KeyRec, KeyType, State, User, close_scopes, random_id};

/// What the emulator does when a key lacks a depending scope that is not a gate scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Succeed, with the response parts that scope guards removed (the documented behaviour).
    #[default]
    Redact,
    /// Reject with 11007, naming every missing depending scope (what today's protos imply).
    Strict,
}

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Mode, String> {
        match s {
            "redact" => Ok(Mode::Redact),
            "strict" => Ok(Mode::Strict),
            other => Err(format!(
                "unknown mode '{other}' (expected redact or strict)"
            )),
        }
    }
}

/// What can go wrong starting the emulator.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmulatorError {
    /// Binding or serving failed.
    #[error("network error: {0}")]
    Io(#[from] std::io::Error),
    /// The state file exists but is not a state the emulator wrote.
    #[error("cannot read the state file {path}: {message}")]
    StateFile {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A key given to the builder is unusable.
    #[error("invalid key: {0}")]
    InvalidKey(String),
}

/// Entry point: [`Emulator::builder`].
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// A builder with the defaults: redact mode, no rate limit, user `me`, app `main`, listening
    /// on `127.0.0.1:0` (a free port).
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            mode: Mode::Redact,
            rate: None,
            user: "me".into(),
            app: "main".into(),
            keys: Vec::new(),
            pats: Vec::new(),
            state_file: None,
            allow_remote_urls: false,
            fetch_timeout: Duration::from_secs(10),
        }
    }
}

/// Configures and starts an emulator.
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    listen: SocketAddr,
    mode: Mode,
    rate: Option<u32>,
    user: String,
    app: String,
    keys: Vec<(String, Vec<Scope>)>,
    pats: Vec<String>,
    state_file: Option<PathBuf>,
    allow_remote_urls: bool,
    fetch_timeout: Duration,
}

impl EmulatorBuilder {
    /// The address to listen on (default `127.0.0.1:0`).
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    /// Redact (default) or strict.
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Allows each key this many requests per second; more get 11005 / HTTP 429.
    pub fn rate(mut self, per_second: u32) -> Self {
        self.rate = Some(per_second);
        self
    }

    /// The default user's id (default `me`).
    pub fn user(mut self, id: impl Into<String>) -> Self {
        self.user = id.into();
        self
    }

    /// The default app's id (default `main`).
    pub fn app(mut self, id: impl Into<String>) -> Self {
        self.app = id.into();
        self
    }

    /// Adds an app key for the default app with a given secret.
    pub fn key(mut self, secret: impl Into<String>, scopes: &[Scope]) -> Self {
        self.keys.push((secret.into(), scopes.to_vec()));
        self
    }

    /// Adds a personal access token (all scopes) for the default user with a given secret.
    pub fn pat(mut self, secret: impl Into<String>) -> Self {
        self.pats.push(secret.into());
        self
    }

    /// Loads the state from `path` at start (when it exists) and saves it there after every
    /// change.
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    /// Lets the emulator fetch image URLs from hosts outside the loopback range (off by default:
    /// such URLs fail as a per-input 30002).
    pub fn allow_remote_urls(mut self, allow: bool) -> Self {
        self.allow_remote_urls = allow;
        self
    }

    /// How long an image download may take (default 10 s).
    pub fn fetch_timeout(mut self, timeout: Duration) -> Self {
        self.fetch_timeout = timeout;
        self
    }

    /// Binds the address and starts serving in the background (on the current tokio runtime).
    pub async fn start(self) -> Result<RunningEmulator, EmulatorError> {
        let mut state = match &self.state_file {
            Some(path) if path.exists() => {
                let text = std::fs::read_to_string(path)?;
                serde_json::from_str::<State>(&text).map_err(|e| EmulatorError::StateFile {
                    path: path.clone(),
                    message: e.to_string(),
                })?
            }
            _ => State::default(),
        };
        ensure_app(&mut state, &self.user, &self.app);
        for (secret, scopes) in &self.keys {
            check_secret(secret)?;
            let key = new_key(
                secret,
                KeyType::AppSpecificKey,
                &self.user,
                Some(&self.app),
                scopes,
            );
            state.keys.insert(secret.clone(), key);
        }
        for secret in &self.pats {
            check_secret(secret)?;
            let all = [Scope::of::<clarifai_typed::scope::All>()];
            let key = new_key(secret, KeyType::PersonalAccessToken, &self.user, None, &all);
            state.keys.insert(secret.clone(), key);
        }
        let config = Config {
            mode: self.mode,
            rate: self.rate,
            allow_remote_urls: self.allow_remote_urls,
            fetch_timeout: self.fetch_timeout,
        };
        let shared = Arc::new(Shared::new(state, config, self.state_file.clone()));
        shared.save();
        let listener = TcpListener::bind(self.listen).await?;
        let addr = listener.local_addr()?;
        let router = server::router(shared.clone()).layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            fault::inject,
        ));
        let (stop, stop_rx) = watch::channel(false);
        let task = tokio::spawn(serve(listener, router, stop_rx));
        Ok(RunningEmulator {
            addr,
            user: self.user,
            app: self.app,
            shared,
            stop,
            task: Some(task),
        })
    }
}

fn check_secret(secret: &str) -> Result<(), EmulatorError> {
    if server::well_formed(secret) {
        Ok(())
    } else {
        Err(EmulatorError::InvalidKey(
            "a secret must be 1 to 128 ASCII letters, digits, '-' or '_'".into(),
        ))
    }
}

fn ensure_app(state: &mut State, user: &str, app: &str) {
    let u = state.users.entry(user.to_string()).or_insert_with(|| User {
        id: user.into(),
        created_at: time::now(),
        apps: Default::default(),
    });
    u.apps
        .entry(app.to_string())
        .or_insert_with(|| App::new(user, app));
}

fn new_key(
    secret: &str,
    key_type: KeyType,
    user: &str,
    app: Option<&str>,
    scopes: &[Scope],
) -> KeyRec {
    KeyRec {
        id: secret.into(),
        key_type,
        user_id: user.into(),
        app_id: app.map(Into::into),
        description: String::new(),
        scopes: close_scopes(scopes),
        created_at: time::now(),
        expires_at: None,
        endpoints: Vec::new(),
    }
}

async fn serve(listener: TcpListener, router: axum::Router, mut stop: watch::Receiver<bool>) {
    loop {
        let accepted = tokio::select! {
            _ = stop.changed() => return,
            a = listener.accept() => a,
        };
        let Ok((stream, _)) = accepted else {
            // Out of file descriptors and the like: wait a little and go on.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let router = router.clone();
        let mut stop = stop.clone();
        tokio::spawn(async move {
            let kill = Arc::new(Notify::new());
            let conn_kill = kill.clone();
            let service = hyper::service::service_fn(
                move |mut req: hyper::Request<hyper::body::Incoming>| {
                    server::strip_trailing_slash(&mut req);
                    req.extensions_mut().insert(ConnKill(conn_kill.clone()));
                    tower::ServiceExt::oneshot(router.clone(), req)
                },
            );
            let conn = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .serve_connection(TokioIo::new(stream), service);
            tokio::select! {
                _ = conn => {}
                _ = kill.notified() => {}
                _ = stop.changed() => {}
            }
        });
    }
}

/// A running emulator. Dropping it stops the server.
#[derive(Debug)]
pub struct RunningEmulator {
    addr: SocketAddr,
    user: String,
    app: String,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl RunningEmulator {
    /// `http://127.0.0.1:PORT`, the base URL for a client (paths start with `/v2`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The default user's id.
    pub fn user_id(&self) -> &str {
        &self.user
    }

    /// The default app's id.
    pub fn app_id(&self) -> &str {
        &self.app
    }

    /// Creates an app key for the default app with `scopes` (closed over their dependencies, plus
    /// `Apps:Get`) and returns its secret: 32 random lowercase hex digits.
    pub fn create_key(&self, scopes: &[Scope]) -> String {
        self.create_key_for(&self.app.clone(), scopes)
    }

    /// Creates an app key for the default user's app `app` (created if missing).
    pub fn create_key_for(&self, app: &str, scopes: &[Scope]) -> String {
        let secret = random_id();
        {
            let mut state = lock(&self.shared.state);
            ensure_app(&mut state, &self.user, app);
            let key = new_key(
                &secret,
                KeyType::AppSpecificKey,
                &self.user,
                Some(app),
                scopes,
            );
            state.keys.insert(secret.clone(), key);
        }
        self.shared.save();
        secret
    }

    /// A client of key type `K` for this emulator, in one call: makes a key holding exactly `K`'s
    /// scopes (an app key for the default app; for [`PatKey`](clarifai_typed::PatKey), a personal
    /// access token with every scope, and a client addressing the default user and app).
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
    /// use clarifai_typed::scoped_key;
    ///
    /// #[scoped_key(Predict, AddInputs)]
    /// pub struct AppKey;
    ///
    /// let emu = clarifai_emulator::Emulator::builder().start().await?;
    /// let client = emu.client::<AppKey>()?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`](clarifai_typed::ClientBuilder::build).
    pub fn client<K: clarifai_typed::Key>(
        &self,
    ) -> Result<clarifai_typed::Client<K>, clarifai_typed::Error> {
        let pat = std::any::TypeId::of::<K>() == std::any::TypeId::of::<clarifai_typed::PatKey>();
        let secret = if pat {
            self.create_pat()
        } else {
            self.create_key(K::SCOPES)
        };
        let key =
            K::from_secret(secret).map_err(|e| clarifai_typed::Error::Usage(e.to_string()))?;
        let builder = clarifai_typed::Client::builder(key).base_url(self.base_url());
        if pat {
            builder
                .user_app(self.user.clone(), self.app.clone())
                .build()
        } else {
            builder.build()
        }
    }

    /// Creates a personal access token for the default user with every scope.
    pub fn create_pat(&self) -> String {
        self.create_pat_with(&[Scope::of::<clarifai_typed::scope::All>()])
    }

    /// Creates a personal access token for the default user holding exactly `scopes` (closed
    /// over their dependencies).
    pub fn create_pat_with(&self, scopes: &[Scope]) -> String {
        let secret = random_id();
        {
            let mut state = lock(&self.shared.state);
            let key = new_key(
                &secret,
                KeyType::PersonalAccessToken,
                &self.user,
                None,
                scopes,
            );
            state.keys.insert(secret.clone(), key);
        }
        self.shared.save();
        secret
    }

    /// Sets an expiry time (RFC 3339) on a key; `None` removes it. Returns whether the key exists.
    pub fn set_key_expiry(&self, secret: &str, expires_at: Option<&str>) -> bool {
        let found = {
            let mut state = lock(&self.shared.state);
            match state.keys.get_mut(secret) {
                Some(k) => {
                    k.expires_at = expires_at.map(Into::into);
                    true
                }
                None => false,
            }
        };
        self.shared.save();
        found
    }

    /// Creates an app for the default user (no-op if it exists).
    pub fn create_app(&self, app: &str) {
        ensure_app(&mut lock(&self.shared.state), &self.user, app);
        self.shared.save();
    }

    /// Switches between redact and strict mode.
    pub fn set_mode(&self, mode: Mode) {
        lock(&self.shared.config).mode = mode;
    }

    /// Sets (or with `None` removes) the per-key rate limit, in requests per second.
    pub fn set_rate(&self, per_second: Option<u32>) {
        lock(&self.shared.config).rate = per_second;
        lock(&self.shared.rate).clear();
    }

    /// Makes each of the next `n` requests fail with `fault` (queued after faults already
    /// queued).
    pub fn fail_next(&self, n: usize, fault: Fault) {
        lock(&self.shared.faults).push_next(n, fault);
    }

    /// Makes a share `probability` (0..1) of requests fail with `fault`, drawn from a generator
    /// seeded with `seed`: the same seed and request sequence fail the same requests.
    pub fn fail_share(&self, probability: f64, seed: u64, fault: Fault) {
        lock(&self.shared.faults).set_share(probability, seed, vec![fault]);
    }

    /// Makes a share `probability` (0..1) of requests fail, each with one of `faults` drawn with
    /// equal chance, from a generator seeded with `seed` (reproducible like
    /// [`fail_share`](Self::fail_share)).
    pub fn fail_share_mixed(&self, probability: f64, seed: u64, faults: &[Fault]) {
        lock(&self.shared.faults).set_share(probability, seed, faults.to_vec());
    }

    /// Removes every planned fault.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Waits until every input added so far has been processed (30000 or 30002).
    pub async fn wait_idle(&self) {
        let mut rx = self.shared.pending.subscribe();
        let _ = rx.wait_for(|n| *n == 0).await;
    }

    /// Stops the server and waits for the accept loop to end.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}
