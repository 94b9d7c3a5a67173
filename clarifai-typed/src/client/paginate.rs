//! Streams over every page, or every item, of a list endpoint.
//!
//! The API sends no total count and no next-page token, so a stream asks for pages 1, 2, 3 ...
//! and stops after the first *short* page: one holding fewer items than the page size. Each page
//! is a fresh request (the call's request with `page` and `per_page` set), sent as awaiting the
//! call would send it (retries included).

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_core::stream::FusedStream;

use super::path::PathArgs;
use super::{Call, Client, Error};
use crate::Key;
use crate::models::{ApiRequest, ListResponse, Paged};

/// The page size of [`Call::pages`] and [`Call::items`] when the request sets none: the API's
/// default.
pub const DEFAULT_PAGE_SIZE: u32 = 128;

/// The largest page size the API serves; [`Call::page_size`] clamps to it.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// `per_page` as the server reads it: 0 is the default (128), and sizes are clamped to
/// `1..=1000`.
fn effective_page_size(per_page: u32) -> u32 {
    if per_page == 0 {
        DEFAULT_PAGE_SIZE
    } else {
        per_page.min(MAX_PAGE_SIZE)
    }
}

type PageFuture<'c, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'c>>;

impl<'c, K: Key, R: ApiRequest + Paged> Call<'c, K, R> {
    /// Asks for page `page` (from 1) of `per_page` items (at most 1000).
    pub fn page(mut self, page: u32, per_page: u32) -> Self {
        self.request.set_page(page, per_page);
        self
    }

    /// Sets the page size (`per_page`) of the request, keeping its page: the size of every page
    /// of [`pages`](Call::pages) and [`items`](Call::items). 0 means the API's default,
    /// [`DEFAULT_PAGE_SIZE`] (128); sizes above [`MAX_PAGE_SIZE`] (1000) are clamped to it, as
    /// the server would.
    pub fn page_size(mut self, per_page: u32) -> Self {
        let (page, _) = self.request.page();
        self.request.set_page(page, effective_page_size(per_page));
        self
    }
}

impl<'c, K: Key, R> Call<'c, K, R>
where
    R: ApiRequest + Paged,
    R::Response: ListResponse,
{
    /// Every page of the list, one request each, from the request's page (page 1 when it sets
    /// none) until the first page holding fewer items than the page size; that last page is
    /// yielded too (it may be empty, when the number of items is a multiple of the page size).
    ///
    /// The page size is the request's `per_page` ([`page_size`](Call::page_size)), 128 when it
    /// sets none. An error is yielded, and ends the stream.
    pub fn pages(self) -> Pages<'c, K, R> {
        let (page, per_page) = self.request.page();
        Pages {
            client: self.client(),
            args: self.args,
            request: self.request,
            page: page.max(1),
            per_page: effective_page_size(per_page),
            pending: None,
            sent: 0,
            done: false,
        }
    }

    /// Every item of the list (inputs, models, search hits ...), in the order the server lists
    /// them, fetched a page at a time as the stream is read; see [`pages`](Call::pages) for
    /// which pages are asked for. An error is yielded, and ends the stream.
    ///
    /// ```no_run
    /// use clarifai_typed::{Client, scoped_key};
    /// use futures_util::StreamExt;
    ///
    /// #[scoped_key(GetInputs)]
    /// pub struct ReadKey;
    ///
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = Client::new(ReadKey::from_env("CLARIFAI_API_KEY")?)?;
    /// let mut inputs = client.list_inputs().page_size(500).items();
    /// while let Some(input) = inputs.next().await {
    ///     let input = input?;
    ///     println!("{}", input.id);
    /// }
    /// println!("{} requests", inputs.requests());
    /// # Ok(()) }
    /// ```
    pub fn items(self) -> Items<'c, K, R> {
        Items {
            pages: self.pages(),
            buffer: Vec::new().into_iter(),
        }
    }
}

/// The stream of [`Call::pages`]: `Result<R::Response, Error>`, one request per page.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<'c, K: Key, R: ApiRequest> {
    client: &'c Client<K>,
    args: PathArgs,
    request: R,
    /// The page the next request asks for.
    page: u32,
    per_page: u32,
    pending: Option<PageFuture<'c, R::Response>>,
    /// Requests made so far.
    sent: u32,
    done: bool,
}

// No field is pinned structurally: the request in flight is boxed.
impl<K: Key, R: ApiRequest> Unpin for Pages<'_, K, R> {}

// Path parameters are left out: some are secrets (a key's id).
impl<K: Key, R: ApiRequest> fmt::Debug for Pages<'_, K, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("rpc", &R::RPC)
            .field("key", &K::NAME)
            .field("next_page", &self.page)
            .field("page_size", &self.per_page)
            .field("requests", &self.sent)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

impl<K: Key, R: ApiRequest> Pages<'_, K, R> {
    /// The page size: how many items each request asks for.
    pub fn page_size(&self) -> u32 {
        self.per_page
    }

    /// How many page requests the stream has made so far (a request retried after a transient
    /// failure counts once).
    pub fn requests(&self) -> u32 {
        self.sent
    }
}

impl<K: Key, R> Stream for Pages<'_, K, R>
where
    R: ApiRequest + Paged,
    R::Response: ListResponse,
{
    type Item = Result<R::Response, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        let pending = match &mut this.pending {
            Some(pending) => pending,
            None => {
                let mut request = this.request.clone();
                request.set_page(this.page, this.per_page);
                let call = Call::new(this.client, this.args.clone()).request(request);
                this.sent = this.sent.saturating_add(1);
                this.pending.insert(Box::pin(call.into_future()))
            }
        };
        let result = match pending.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(result) => result,
        };
        this.pending = None;
        match &result {
            Ok(page) => {
                let short = page.len() < this.per_page as usize;
                match this.page.checked_add(1) {
                    Some(next) if !short => this.page = next,
                    _ => this.done = true,
                }
            }
            Err(_) => this.done = true,
        }
        Poll::Ready(Some(result))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.done { (0, Some(0)) } else { (0, None) }
    }
}

impl<K: Key, R> FusedStream for Pages<'_, K, R>
where
    R: ApiRequest + Paged,
    R::Response: ListResponse,
{
    fn is_terminated(&self) -> bool {
        self.done
    }
}

/// The stream of [`Call::items`]: `Result<Item, Error>`, fetching a page when the last one is
/// used up.
#[must_use = "streams do nothing unless polled"]
pub struct Items<'c, K: Key, R: ApiRequest>
where
    R::Response: ListResponse,
{
    pages: Pages<'c, K, R>,
    buffer: std::vec::IntoIter<<R::Response as ListResponse>::Item>,
}

// No field is pinned structurally.
impl<K: Key, R: ApiRequest> Unpin for Items<'_, K, R> where R::Response: ListResponse {}

impl<K: Key, R: ApiRequest> fmt::Debug for Items<'_, K, R>
where
    R::Response: ListResponse,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl<K: Key, R: ApiRequest> Items<'_, K, R>
where
    R::Response: ListResponse,
{
    /// The page size: how many items each request asks for.
    pub fn page_size(&self) -> u32 {
        self.pages.page_size()
    }

    /// How many page requests the stream has made so far.
    pub fn requests(&self) -> u32 {
        self.pages.requests()
    }
}

impl<K: Key, R> Stream for Items<'_, K, R>
where
    R: ApiRequest + Paged,
    R::Response: ListResponse,
{
    type Item = Result<<R::Response as ListResponse>::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => this.buffer = page.into_items().into_iter(),
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let buffered = self.buffer.len();
        if self.pages.done {
            (buffered, Some(buffered))
        } else {
            (buffered, None)
        }
    }
}

impl<K: Key, R> FusedStream for Items<'_, K, R>
where
    R: ApiRequest + Paged,
    R::Response: ListResponse,
{
    fn is_terminated(&self) -> bool {
        self.pages.done && self.buffer.as_slice().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_sizes_are_read_as_the_server_reads_them() {
        assert_eq!(effective_page_size(0), 128);
        assert_eq!(effective_page_size(1), 1);
        assert_eq!(effective_page_size(1000), 1000);
        assert_eq!(effective_page_size(5000), 1000);
    }
}
