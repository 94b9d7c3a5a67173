//! The client without async, for scripts and command-line tools (feature `blocking`).
//!
//! A [`BlockingClient`] is the async [`crate::Client`] plus a Tokio runtime of its own: one
//! worker thread, started when the client is made and shared by its clones (and by the clients
//! [`narrow`](BlockingClient::narrow) makes). Every call runs on that runtime, so the connection
//! pool is only ever used from it; the calling thread blocks until the answer is read. (It is not
//! named `Client`, so that compiler messages about the async client's methods keep calling it
//! `Client`.)
//!
//! The async client's endpoint methods are reached through `Deref`: they build a [`Call`] as
//! usual, and [`BlockingClient::send`] sends it. [`BlockingClient::call`] does both in one
//! closure, and [`BlockingClient::items`] and [`BlockingClient::pages`] turn a list call into an
//! iterator over every item or page ([`Call::items`], [`Call::pages`]).
//!
//! Make one with [`BlockingClient::new`], or with the async client's builder and
//! [`build_blocking`](ClientBuilder::build_blocking) for other settings:
//! `clarifai_typed::Client::builder(key).base_url(url).build_blocking()?`. The feature is off by
//! default: `clarifai-typed = { version = "0.1", features = ["blocking"] }` (until the crate is on
//! crates.io, the same `features` on a path or git dependency: see the README's "Add it to your
//! project"). It needs no `tokio` line of your own.
//!
//! ```no_run
//! use clarifai_typed::blocking::BlockingClient;
//! use clarifai_typed::models::Input;
//! use clarifai_typed::scoped_key;
//!
//! #[scoped_key(Predict, AddInputs, GetInputs)]
//! pub struct AppKey;
//!
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let client = BlockingClient::new(AppKey::from_env("CLARIFAI_API_KEY")?)?;
//!     let url = "https://samples.clarifai.com/metro-north.jpg";
//!
//!     // Build the call with the async client's methods, then send it ...
//!     let call = client.predict("general-image-recognition").input(Input::from_url(url));
//!     let response = client.send(call)?;
//!     println!("{} outputs", response.outputs.len());
//!     // ... or both in one closure.
//!     client.call(|c| c.add_inputs().input(Input::from_url(url).with_id("metro")))?;
//!
//!     // Every input of the app, 500 a request.
//!     for input in client.items(client.list_inputs().page_size(500)) {
//!         println!("{}", input?.id);
//!     }
//!     Ok(())
//! }
//! ```
//!
//! # Not in async code
//!
//! Blocking a thread of an async runtime stalls every task of that runtime, so the blocking
//! methods refuse to run on a thread inside a Tokio runtime context (an async task or
//! `block_on` future, and also a `spawn_blocking` closure or a thread that entered a runtime's
//! handle): they return [`Error::Usage`] instead. In async code, use [`crate::Client`] and
//! `.await` its calls.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::iter::FusedIterator;
use std::ops::Deref;
use std::pin::Pin;
use std::sync::Arc;

use futures_core::Stream;

use super::{Call, ClientBuilder, Error, Items as ItemStream, Pages as PageStream, ScopeReport};
use super::{Shared, UnverifiedKey};
use crate::models::{ApiRequest, ListResponse, Paged};
use crate::{Key, NarrowFrom};

/// A Clarifai API client whose methods block: the async [`crate::Client`] and a runtime of its
/// own. See [the module](self).
///
/// Cheap to clone: clones share the connection pool and the runtime, which stops when the last
/// of them is dropped.
pub struct BlockingClient<K: Key> {
    inner: crate::Client<K>,
    runtime: Arc<Runtime>,
}

/// The runtime of a blocking client: shut down in the background when dropped, which never
/// blocks (nor panics inside an async context, as dropping a Tokio runtime there would).
struct Runtime(Option<tokio::runtime::Runtime>);

impl Drop for Runtime {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

impl Runtime {
    fn start() -> Result<Runtime, Error> {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("clarifai-blocking")
            .enable_all()
            .build()
            .map(|runtime| Runtime(Some(runtime)))
            .map_err(|e| {
                Error::Usage(format!(
                    "could not start the blocking client's runtime: {e}"
                ))
            })
    }

    /// Runs `future` to its end on this runtime, blocking the calling thread; refused inside an
    /// async context.
    fn block_on<F: Future>(&self, future: F) -> Result<F::Output, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::Usage(
                "a blocking clarifai_typed client was called inside a Tokio runtime (from async \
                 code, or a thread that entered a runtime such as a `spawn_blocking` closure), \
                 where blocking would stall the runtime: use the async `clarifai_typed::Client` \
                 there and `.await` its calls"
                    .to_owned(),
            ));
        }
        match &self.0 {
            Some(runtime) => Ok(runtime.block_on(future)),
            None => Err(Error::Usage(
                "the blocking client's runtime has shut down".to_owned(),
            )),
        }
    }
}

impl<K: Key> Clone for BlockingClient<K> {
    fn clone(&self) -> Self {
        BlockingClient {
            inner: self.inner.clone(),
            runtime: Arc::clone(&self.runtime),
        }
    }
}

impl<K: Key> fmt::Debug for BlockingClient<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BlockingClient").field(&self.inner).finish()
    }
}

/// The async client's methods, to build [`Call`]s for [`BlockingClient::send`],
/// [`BlockingClient::items`] and [`BlockingClient::pages`]. Calls built here must be sent by this
/// blocking client: awaiting them elsewhere would use its connection pool from another runtime.
impl<K: Key> Deref for BlockingClient<K> {
    type Target = crate::Client<K>;

    fn deref(&self) -> &crate::Client<K> {
        &self.inner
    }
}

impl<K: Key> ClientBuilder<K> {
    /// Makes a blocking client (feature `blocking`): the client [`build`](ClientBuilder::build)
    /// makes, with a runtime of its own. With [`http_client`](ClientBuilder::http_client), give
    /// an HTTP client no other runtime uses.
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build`]; [`Error::Usage`] when the runtime cannot be started.
    pub fn build_blocking(self) -> Result<BlockingClient<K>, Error> {
        let runtime = Runtime::start()?;
        let inner = self.build()?;
        Ok(BlockingClient {
            inner,
            runtime: Arc::new(runtime),
        })
    }
}

impl<K: Key> BlockingClient<K> {
    /// A blocking client with the default settings (as [`crate::Client::new`]).
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build_blocking`].
    pub fn new(key: K) -> Result<BlockingClient<K>, Error> {
        crate::Client::builder(key).build_blocking()
    }

    /// A blocking client made by `builder`, the same as `builder.build_blocking()`:
    /// `BlockingClient::from_builder(clarifai_typed::Client::builder(key).base_url(url))`.
    ///
    /// # Errors
    ///
    /// As [`ClientBuilder::build_blocking`].
    pub fn from_builder(builder: ClientBuilder<K>) -> Result<BlockingClient<K>, Error> {
        builder.build_blocking()
    }

    /// The async client this one runs, to build calls (the same as through `Deref`).
    pub fn as_async(&self) -> &crate::Client<K> {
        &self.inner
    }

    /// Sends `call`, made with this client's methods, and waits for the answer.
    ///
    /// # Errors
    ///
    /// Any error of the call; [`Error::Usage`] inside an async context, or when `call` was made
    /// by another client (whose connection pool belongs to another runtime).
    pub fn send<K2: Key, R: ApiRequest>(
        &self,
        call: Call<'_, K2, R>,
    ) -> Result<R::Response, Error> {
        self.check_same(call.client().shared())?;
        self.runtime.block_on(call.into_future())?
    }

    /// Builds a call with the async client and sends it:
    /// `client.call(|c| c.predict("general-image-recognition").input(input))`. Anything the
    /// closure returns that can be awaited for a `Result<T, Error>` works, such as
    /// `|c| c.verify_scopes()`.
    ///
    /// # Errors
    ///
    /// Any error of the call; [`Error::Usage`] inside an async context.
    pub fn call<'a, F, C, T>(&'a self, f: F) -> Result<T, Error>
    where
        F: FnOnce(&'a crate::Client<K>) -> C,
        C: IntoFuture<Output = Result<T, Error>>,
    {
        self.runtime.block_on(f(&self.inner).into_future())?
    }

    /// Runs any future on this client's runtime and waits for its output: for async APIs of the
    /// crate that are not a single call. Use it only with futures of this client.
    ///
    /// # Errors
    ///
    /// [`Error::Usage`] inside an async context.
    pub fn block_on<F: IntoFuture>(&self, future: F) -> Result<F::Output, Error> {
        self.runtime.block_on(future.into_future())
    }

    /// Every item of a list call (made with this client's methods), fetched a page at a time as
    /// the iterator is read: [`Call::items`], blocking. An error is yielded, and ends the
    /// iteration.
    ///
    /// ```no_run
    /// # use clarifai_typed::scoped_key;
    /// # #[scoped_key(GetModels)]
    /// # pub struct ModelsKey;
    /// # fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// use clarifai_typed::blocking::BlockingClient;
    ///
    /// let client = BlockingClient::new(ModelsKey::from_env("CLARIFAI_API_KEY")?)?;
    /// let models: Vec<_> = client.items(client.list_models()).collect::<Result<_, _>>()?;
    /// # Ok(()) }
    /// ```
    pub fn items<'a, K2: Key, R>(&'a self, call: Call<'a, K2, R>) -> Iter<'a, ItemStream<'a, K2, R>>
    where
        R: ApiRequest + Paged,
        R::Response: ListResponse,
    {
        let error = self.check_same(call.client().shared()).err();
        Iter {
            stream: call.items(),
            runtime: &self.runtime,
            error,
            done: false,
        }
    }

    /// Every page of a list call (made with this client's methods): [`Call::pages`], blocking.
    /// An error is yielded, and ends the iteration.
    pub fn pages<'a, K2: Key, R>(&'a self, call: Call<'a, K2, R>) -> Iter<'a, PageStream<'a, K2, R>>
    where
        R: ApiRequest + Paged,
        R::Response: ListResponse,
    {
        let error = self.check_same(call.client().shared()).err();
        Iter {
            stream: call.pages(),
            runtime: &self.runtime,
            error,
            done: false,
        }
    }

    /// [`crate::Client::verify_scopes`], blocking.
    ///
    /// # Errors
    ///
    /// As [`crate::Client::verify_scopes`]; [`Error::Usage`] inside an async context.
    pub fn verify_scopes(&self) -> Result<ScopeReport, Error> {
        self.runtime.block_on(self.inner.verify_scopes())?
    }

    /// The same client for a key type with fewer scopes, sharing the connection pool and the
    /// runtime ([`crate::Client::narrow`]).
    pub fn narrow<T: NarrowFrom<K>>(&self) -> BlockingClient<T> {
        BlockingClient {
            inner: self.inner.narrow(),
            runtime: Arc::clone(&self.runtime),
        }
    }

    fn check_same(&self, shared: &Shared) -> Result<(), Error> {
        if std::ptr::eq(shared, self.inner.shared()) {
            Ok(())
        } else {
            Err(Error::Usage(
                "this call was made by another client: send calls with the blocking client whose \
                 methods made them (its connection pool belongs to its runtime)"
                    .to_owned(),
            ))
        }
    }
}

impl BlockingClient<UnverifiedKey> {
    /// [`crate::Client::confirm`], blocking: this client for key type `T`, once the server
    /// confirms that the key holds every scope of `T`. The new client shares the runtime.
    ///
    /// # Errors
    ///
    /// As [`crate::Client::confirm`]; [`Error::Usage`] inside an async context.
    pub fn confirm<T: Key>(&self) -> Result<BlockingClient<T>, Error> {
        let inner = self.runtime.block_on(self.inner.confirm::<T>())??;
        Ok(BlockingClient {
            inner,
            runtime: Arc::clone(&self.runtime),
        })
    }
}

/// A blocking iterator over a stream of results (the items or pages of a list call), driven on
/// the blocking client's runtime: made by [`BlockingClient::items`] and
/// [`BlockingClient::pages`].
#[must_use = "iterators do nothing unless read"]
pub struct Iter<'a, S> {
    stream: S,
    runtime: &'a Runtime,
    /// An error to yield before anything else (a call of another client).
    error: Option<Error>,
    done: bool,
}

impl<S: fmt::Debug> fmt::Debug for Iter<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iter")
            .field("stream", &self.stream)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<S> Iter<'_, S> {
    /// The stream read (its [`requests`](super::Items::requests), for one).
    pub fn stream(&self) -> &S {
        &self.stream
    }
}

impl<T, S> Iterator for Iter<'_, S>
where
    S: Stream<Item = Result<T, Error>> + Unpin,
{
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Result<T, Error>> {
        if self.done {
            return None;
        }
        if let Some(error) = self.error.take() {
            self.done = true;
            return Some(Err(error));
        }
        let stream = &mut self.stream;
        let next = self.runtime.block_on(std::future::poll_fn(|cx| {
            Pin::new(&mut *stream).poll_next(cx)
        }));
        match next {
            Ok(Some(Ok(item))) => Some(Ok(item)),
            Ok(Some(Err(e))) | Err(e) => {
                self.done = true;
                Some(Err(e))
            }
            Ok(None) => {
                self.done = true;
                None
            }
        }
    }
}

impl<T, S> FusedIterator for Iter<'_, S> where S: Stream<Item = Result<T, Error>> + Unpin {}
