//! One call: a request builder that serializes itself, and what runs when it is awaited.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use super::path::{PathArgs, fill_path};
use super::{Client, Error};
use crate::Key;
use crate::endpoint::PathParam;
use crate::models::ApiRequest;

/// A call to one endpoint, not yet sent: set what you need, then `.await` it.
///
/// The request body (or, for `GET`, the query) is `R`; setters specific to the endpoint are on
/// `Call<'_, K, R>` for that `R`, and [`Call::with`] reaches every field of the request.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'c, K: Key, R: ApiRequest> {
    client: &'c Client<K>,
    pub(crate) request: R,
    pub(crate) args: PathArgs,
}

impl<K: Key, R: ApiRequest> std::fmt::Debug for Call<'_, K, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("rpc", &R::RPC)
            .field("key", &K::NAME)
            .field("path_args", &self.args)
            .field("request", &self.request)
            .finish()
    }
}

impl<'c, K: Key, R: ApiRequest> Call<'c, K, R> {
    pub(crate) fn new(client: &'c Client<K>, args: PathArgs) -> Self {
        Call {
            client,
            request: R::default(),
            args,
        }
    }

    /// Sets a path parameter (the setters of optional ones, such as `.version(..)`, call this).
    pub(crate) fn path_param(mut self, param: PathParam, value: String) -> Self {
        self.args.set(param, value);
        self
    }

    /// The client this call is made with.
    pub(crate) fn client(&self) -> &'c Client<K> {
        self.client
    }

    /// Changes the request directly, for fields without a setter.
    pub fn with(mut self, f: impl FnOnce(&mut R)) -> Self {
        f(&mut self.request);
        self
    }

    /// Replaces the whole request.
    pub fn request(mut self, request: R) -> Self {
        self.request = request;
        self
    }

    /// The request as it will be sent.
    pub fn as_request(&self) -> &R {
        &self.request
    }

    /// The path this call will use (after the base URL), with its parameters filled in.
    ///
    /// # Errors
    ///
    /// [`Error::Usage`] when no path of the endpoint can be filled (a PAT-only endpoint on a
    /// client without user and app ids).
    pub fn path(&self) -> Result<String, Error> {
        fill_path(R::RPC.spec(), &self.args, self.client.shared().ids())
    }

    /// Sends the request and reads the response.
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn send(self) -> Result<R::Response, Error> {
        let Call {
            client,
            request,
            args,
        } = self;
        client.record_call(R::RPC);
        super::send::execute::<K, R>(client, &request, &args)
            .await
            .map_err(|e| e.with_context(client))
    }
}

impl<'c, K: Key, R: ApiRequest> IntoFuture for Call<'c, K, R> {
    type Output = Result<R::Response, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'c>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
