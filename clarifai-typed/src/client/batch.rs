//! Batching: more inputs than one request may carry (128), split into batches sent with bounded
//! concurrency, with one outcome per input. Streamed ([`Client::add_inputs_stream`],
//! [`Client::predict_stream`]): inputs are read from a `Stream` as batches are sent, and outcomes
//! come out as batches complete, so memory stays bounded whatever the count. Collected
//! ([`Client::add_inputs_batched`], [`Client::predict_batched`]): the same, gathered into a `Vec`
//! in the caller's order.

use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::stream::{self, StreamExt};

use super::{Client, Error};
use crate::models::{Input, MultiOutputResponse, Output, Status, StatusCode};
use crate::{Grants, Key, scope};

/// The most inputs one request may carry (Clarifai's documented limit).
pub const MAX_BATCH: usize = 128;

impl<K: Key> Client<K> {
    /// Uploads a stream of inputs, any number, with bounded memory: batches of at most 128 are
    /// read from `inputs` as they are sent, at most
    /// [`batch_concurrency`](super::ClientBuilder::batch_concurrency) batches in flight, each
    /// input stored exactly once even when requests are retried. Yields one [`Settled`] per
    /// input as its batch completes (batches may complete out of order; `index` says which
    /// input it is), which is the progress of the upload; [`BatchStream::progress`] counts them.
    ///
    /// Inputs without an id get a random one first, so that every upload is safe to repeat. Give
    /// them ids of your own (`Input::with_id`) to make a run **resumable**: keep
    /// [`Progress::resume_from`] somewhere as the stream runs; after an interruption, start
    /// again with the inputs from that position on and [`BatchStream::starting_at`] that
    /// position. Inputs of batches that were in flight when the run stopped are found already
    /// stored (the server refuses their ids as duplicates; the client then asks which exist,
    /// and sends only the others), so nothing is stored twice and nothing is skipped.
    ///
    /// When a batch fails in a way that leaves its fate unknown (a dropped connection, a
    /// truncated answer, retries exhausted, or a duplicate-id refusal), the client asks which of
    /// its inputs exist and sends only the others again. An input whose id already existed
    /// before the call counts as stored.
    ///
    /// ```no_run
    /// use clarifai_typed::models::Input;
    /// use clarifai_typed::{Client, Outcome, scoped_key};
    /// use futures_util::{StreamExt, stream};
    ///
    /// #[scoped_key(AddInputs)]
    /// pub struct UploadKey;
    ///
    /// # async fn run(done_before: u64) -> Result<(), clarifai_typed::Error> {
    /// let client = Client::new(UploadKey::from_env("CLARIFAI_API_KEY").unwrap())?;
    /// // A million inputs, made as they are needed (an iterator works through `stream::iter`).
    /// let inputs = stream::iter(done_before..1_000_000)
    ///     .map(|i| Input::from_url(format!("https://example.com/{i}.jpg")).with_id(format!("photo-{i}")));
    /// let mut upload = client.add_inputs_stream(inputs).starting_at(done_before);
    /// while let Some(settled) = upload.next().await {
    ///     let settled = settled?; // an error no retry can mend ends the stream
    ///     if let Outcome::Failed(status) = &settled.outcome {
    ///         eprintln!("input {} ({}): {}", settled.index, settled.id, status.details);
    ///     }
    ///     // Save this to resume after an interruption:
    ///     let _resume_from = upload.progress().resume_from;
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// The stream yields an error, and ends, only for what no retry can mend: the key is
    /// refused (11007, 11008, 11009) or the request is malformed as a whole.
    pub fn add_inputs_stream<'c, S>(&'c self, inputs: S) -> BatchStream<'c, Input>
    where
        S: Stream<Item = Input> + Send + 'c,
        K: Grants<scope::AddInputs> + Grants<scope::GetInputs>,
    {
        BatchStream::new(
            inputs.map(with_client_id),
            move |chunk| Box::pin(self.upload_chunk(chunk)),
            self.shared().batch_concurrency(),
        )
    }

    /// Predicts with model `model_id` on a stream of inputs, any number, with bounded memory:
    /// batches of at most 128 are read as they are sent, at most
    /// [`batch_concurrency`](super::ClientBuilder::batch_concurrency) in flight, each retried as
    /// the client's [`RetryPolicy`](super::RetryPolicy) says. Yields one [`Settled`] per input
    /// (its output, or the status that failed it) as its batch completes.
    ///
    /// ```no_run
    /// use clarifai_typed::models::Input;
    /// use clarifai_typed::{Client, scoped_key};
    /// use futures_util::{StreamExt, stream};
    ///
    /// #[scoped_key(Predict)]
    /// pub struct PredictKey;
    ///
    /// # async fn run(urls: Vec<String>) -> Result<(), clarifai_typed::Error> {
    /// let client = Client::new(PredictKey::from_env("CLARIFAI_API_KEY").unwrap())?;
    /// let inputs = stream::iter(urls).map(Input::from_url);
    /// let mut outputs = client.predict_stream("general-image-recognition", inputs);
    /// while let Some(settled) = outputs.next().await {
    ///     let settled = settled?;
    ///     println!("input {}: {}", settled.index, if settled.outcome.done().is_some() { "ok" } else { "failed" });
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// The stream yields an error, and ends, when the key is refused or the model does not exist.
    pub fn predict_stream<'c, S>(
        &'c self,
        model_id: impl Into<String>,
        inputs: S,
    ) -> BatchStream<'c, Output>
    where
        S: Stream<Item = Input> + Send + 'c,
        K: Grants<scope::Predict>,
    {
        let model_id: std::sync::Arc<str> = model_id.into().into();
        BatchStream::new(
            inputs,
            move |chunk| {
                let model_id = model_id.clone();
                Box::pin(async move { self.predict_chunk(&model_id, chunk).await })
            },
            self.shared().batch_concurrency(),
        )
    }

    /// Uploads any number of inputs and gathers one outcome per input, in the order given: the
    /// stored input, or the status that refused it. [`add_inputs_stream`](Self::add_inputs_stream)
    /// does the work (see there for ids, retries and resuming); this keeps every outcome in
    /// memory, so for very many inputs use the stream.
    ///
    /// ```no_run
    /// use clarifai_typed::models::Input;
    /// use clarifai_typed::{Client, Outcome, scoped_key};
    ///
    /// #[scoped_key(AddInputs)]
    /// pub struct UploadKey;
    ///
    /// # async fn run(pngs: Vec<Vec<u8>>) -> Result<(), clarifai_typed::Error> {
    /// let client = Client::new(UploadKey::from_env("CLARIFAI_API_KEY").unwrap())?;
    /// let inputs = pngs.into_iter().enumerate().map(|(i, png)| Input::from_bytes(png).with_id(format!("photo-{i}")));
    /// let outcomes = client.add_inputs_batched(inputs).await?; // 10,000 inputs: 79 requests
    /// for (i, outcome) in outcomes.iter().enumerate() {
    ///     if let Outcome::Failed(status) = outcome {
    ///         eprintln!("photo-{i}: {} {}", status.code.0, status.details);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// Only errors that no retry can mend: the key is refused (11007, 11008, 11009) or the
    /// request is malformed as a whole.
    pub async fn add_inputs_batched(
        &self,
        inputs: impl IntoIterator<Item = Input, IntoIter: Send>,
    ) -> Result<Vec<Outcome<Input>>, Error>
    where
        K: Grants<scope::AddInputs> + Grants<scope::GetInputs>,
    {
        gather(self.add_inputs_stream(stream::iter(inputs))).await
    }

    async fn upload_chunk(&self, chunk: Vec<(u64, Input)>) -> ChunkOutcomes<Input>
    where
        K: Grants<scope::AddInputs> + Grants<scope::GetInputs>,
    {
        let mut done: Vec<(u64, Outcome<Input>)> = Vec::with_capacity(chunk.len());
        let mut pending = chunk;
        let rounds = self.shared().retry().max_attempts.max(1) + 1;
        let mut last_reason = String::new();
        for _ in 0..rounds {
            if pending.is_empty() {
                break;
            }
            let sent: Vec<Input> = pending.iter().map(|(_, i)| i.clone()).collect();
            match self.add_inputs().inputs(sent).await {
                Ok(response) => {
                    // Each sent input is answered by the stored one with its id, moved out of
                    // the answer: at the same place when the answer keeps the order sent (as
                    // the API does), else found by id.
                    let mut stored: Vec<Option<Input>> =
                        response.inputs.into_iter().map(Some).collect();
                    let mut by_id: Option<HashMap<String, usize>> = None;
                    for (at, (index, input)) in pending.drain(..).enumerate() {
                        let same_place = stored
                            .get(at)
                            .and_then(Option::as_ref)
                            .is_some_and(|s| s.id == input.id);
                        let place = match same_place {
                            true => Some(at),
                            false => by_id
                                .get_or_insert_with(|| positions_by_id(&stored))
                                .get(&input.id)
                                .copied(),
                        };
                        let answer = place.and_then(|p| stored.get_mut(p)).and_then(Option::take);
                        done.push((index, Outcome::Done(answer.unwrap_or(input))));
                    }
                }
                Err(Error::Partial(p)) => {
                    // Per-input statuses: keep the successes, fail the refused ones.
                    let by_id: Vec<(String, Status)> = p
                        .items
                        .iter()
                        .map(|i| (i.id.clone(), i.status.clone()))
                        .collect();
                    for (index, input) in pending.drain(..) {
                        match by_id.iter().find(|(id, _)| *id == input.id) {
                            Some((_, status)) if !is_stored(status) => {
                                done.push((index, Outcome::Failed(status.clone())))
                            }
                            _ => done.push((index, Outcome::Done(input))),
                        }
                    }
                }
                Err(e) if is_fatal(&e) => return Err(e),
                Err(e) => {
                    // The batch may or may not have been stored: ask, then resend what is missing.
                    last_reason = e.to_string();
                    let checks: Vec<_> = stream::iter(pending.drain(..))
                        .map(|(index, input)| async move {
                            let found = self.get_input(input.id.clone()).await;
                            (index, input, found)
                        })
                        .buffer_unordered(8)
                        .collect()
                        .await;
                    let mut still = Vec::new();
                    for (index, input, found) in checks {
                        match found {
                            Ok(found) => {
                                done.push((index, Outcome::Done(found.input.unwrap_or(input))))
                            }
                            Err(e) if is_fatal(&e) => return Err(e),
                            Err(_) => still.push((index, input)),
                        }
                    }
                    pending = still;
                }
            }
        }
        for (index, _) in pending {
            done.push((index, Outcome::Failed(failure_status(&last_reason))));
        }
        Ok(done)
    }

    /// Predicts with model `model_id` on any number of inputs and gathers one outcome per
    /// input, in the order given: its output, or the status that failed it (a per-input status
    /// from the server, or the batch's last error). [`predict_stream`](Self::predict_stream) does
    /// the work; this keeps every output in memory, so for very many inputs use the stream.
    ///
    /// ```no_run
    /// use clarifai_typed::models::Input;
    /// use clarifai_typed::{Client, scoped_key};
    ///
    /// #[scoped_key(Predict)]
    /// pub struct PredictKey;
    ///
    /// # async fn run(urls: Vec<String>) -> Result<(), clarifai_typed::Error> {
    /// let client = Client::new(PredictKey::from_env("CLARIFAI_API_KEY").unwrap())?;
    /// let outcomes = client.predict_batched("general-image-recognition", urls.into_iter().map(Input::from_url)).await?;
    /// let predicted = outcomes.iter().filter(|o| o.done().is_some()).count();
    /// println!("{predicted} of {} predicted", outcomes.len());
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    ///
    /// Only errors that no retry can mend: the key is refused, or the model does not exist.
    pub async fn predict_batched(
        &self,
        model_id: &str,
        inputs: impl IntoIterator<Item = Input, IntoIter: Send>,
    ) -> Result<Vec<Outcome<Output>>, Error>
    where
        K: Grants<scope::Predict>,
    {
        gather(self.predict_stream(model_id, stream::iter(inputs))).await
    }

    async fn predict_chunk(&self, model_id: &str, chunk: Vec<(u64, Input)>) -> ChunkOutcomes<Output>
    where
        K: Grants<scope::Predict>,
    {
        let indices: Vec<u64> = chunk.iter().map(|(i, _)| *i).collect();
        let sent = chunk.into_iter().map(|(_, input)| input);
        let outputs = match self.predict(model_id).inputs(sent).await {
            Ok(response) => response.outputs,
            Err(Error::Partial(p)) => {
                serde_json::from_value::<MultiOutputResponse>(p.response.clone())
                    .map(|r| r.outputs)
                    .unwrap_or_default()
            }
            Err(e) if is_fatal(&e) || matches!(e, Error::NotFound { .. }) => return Err(e),
            Err(e) => {
                let status = failure_status(&e.to_string());
                return Ok(indices
                    .into_iter()
                    .map(|i| (i, Outcome::Failed(status.clone())))
                    .collect());
            }
        };
        let mut outputs = outputs.into_iter();
        Ok(indices
            .into_iter()
            .map(|index| match outputs.next() {
                Some(output) => match &output.status {
                    Some(s) if s.code != StatusCode::SUCCESS && s.code != StatusCode::ZERO => {
                        (index, Outcome::Failed(s.clone()))
                    }
                    _ => (index, Outcome::Done(output)),
                },
                None => (
                    index,
                    Outcome::Failed(failure_status("the server sent fewer outputs than inputs")),
                ),
            })
            .collect())
    }
}

/// Gathers a batch stream into one outcome per input, in input order.
async fn gather<'c, T: Send + 'c>(
    mut stream: BatchStream<'c, T>,
) -> Result<Vec<Outcome<T>>, Error> {
    let mut slots: Vec<Option<Outcome<T>>> = Vec::new();
    while let Some(settled) = stream.next().await {
        let settled = settled?;
        let index = usize::try_from(settled.index).unwrap_or(usize::MAX);
        if slots.len() <= index {
            slots.resize_with(index.saturating_add(1), || None);
        }
        if let Some(slot) = slots.get_mut(index) {
            *slot = Some(settled.outcome);
        }
    }
    Ok(slots
        .into_iter()
        .map(|s| {
            s.unwrap_or_else(|| {
                Outcome::Failed(failure_status("no outcome was recorded for this input"))
            })
        })
        .collect())
}

/// Errors that retrying or resending cannot mend.
fn is_fatal(e: &Error) -> bool {
    match e {
        Error::InsufficientScopes(_)
        | Error::InvalidKey { .. }
        | Error::UnknownKey { .. }
        | Error::Usage(_) => true,
        Error::BadRequest { status, .. } => status.code != StatusCode::DATABASE_DUPLICATE_KEY,
        _ => false,
    }
}

fn is_stored(status: &Status) -> bool {
    matches!(
        status.code,
        StatusCode::SUCCESS
            | StatusCode::INPUT_SUCCESS
            | StatusCode::INPUT_PENDING
            | StatusCode::ZERO
    )
}

fn failure_status(reason: &str) -> Status {
    Status {
        code: StatusCode::FAILURE,
        description: "Failure".to_owned(),
        details: reason.to_owned(),
        ..Status::default()
    }
}

/// What happened to one item of a batched call.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Outcome<T> {
    /// The item was stored, or predicted on.
    Done(T),
    /// The item failed: the server's per-item status, or the batch's last error as a
    /// `FAILURE` (10020) status whose `details` say why.
    Failed(Status),
}

impl<T> Outcome<T> {
    /// The value, if the item succeeded.
    pub fn done(&self) -> Option<&T> {
        match self {
            Outcome::Done(v) => Some(v),
            Outcome::Failed(_) => None,
        }
    }

    /// The status, if the item failed.
    pub fn failed(&self) -> Option<&Status> {
        match self {
            Outcome::Done(_) => None,
            Outcome::Failed(s) => Some(s),
        }
    }

    /// The outcome as a `Result`.
    pub fn into_result(self) -> Result<T, Box<Status>> {
        match self {
            Outcome::Done(v) => Ok(v),
            Outcome::Failed(s) => Err(Box::new(s)),
        }
    }
}

/// The outcomes of one batch, by position in the caller's list.
type ChunkOutcomes<T> = Result<Vec<(u64, Outcome<T>)>, Error>;

type ChunkFuture<'c, T> = Pin<Box<dyn std::future::Future<Output = ChunkOutcomes<T>> + Send + 'c>>;

/// What sends one batch (the inputs with their positions) and reads its outcomes.
type SendBatch<'c, T> = Box<dyn Fn(Vec<(u64, Input)>) -> ChunkFuture<'c, T> + Send + Sync + 'c>;

/// A batch in flight, whose outcomes come back with the inputs' ids.
type IdentifiedFuture<'c, T> = Pin<
    Box<
        dyn std::future::Future<Output = Result<Vec<(u64, String, Outcome<T>)>, Error>> + Send + 'c,
    >,
>;

/// One input of a batched call, settled: its position in the stream of inputs, its id, and what
/// happened to it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Settled<T> {
    /// The input's position among the inputs given (from [`BatchStream::starting_at`], 0 by
    /// default).
    pub index: u64,
    /// The input's id (set by the caller, or by the client for uploads; empty for a prediction
    /// on an input without one).
    pub id: String,
    /// The stored input or the output, or the status that failed it.
    pub outcome: Outcome<T>,
}

/// How far a [`BatchStream`] has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Progress {
    /// Inputs read from the source so far (sent, or about to be).
    pub read: u64,
    /// Inputs whose outcome the stream has yielded.
    pub settled: u64,
    /// Of those, the ones that failed.
    pub failed: u64,
    /// The position before which every input's outcome has been yielded: where a run that
    /// stops now resumes ([`BatchStream::starting_at`]). Inputs past it may be settled too
    /// (batches complete out of order); resuming sends them again, and the duplicate-id check
    /// finds them stored.
    pub resume_from: u64,
}

/// The stream of a batched call ([`Client::add_inputs_stream`], [`Client::predict_stream`]):
/// `Result<Settled<T>, Error>`, one item per input as its batch completes; an error ends it.
/// Memory stays bounded: at most `batch_concurrency` batches of 128 are in flight or waiting
/// to be read.
#[must_use = "streams do nothing unless polled"]
pub struct BatchStream<'c, T> {
    source: Option<Pin<Box<dyn Stream<Item = Input> + Send + 'c>>>,
    send: SendBatch<'c, T>,
    in_flight: futures_util::stream::FuturesUnordered<IdentifiedFuture<'c, T>>,
    concurrency: usize,
    /// The next input's position.
    next_index: u64,
    /// The batch being filled from the source.
    filling: Vec<(u64, Input)>,
    /// Outcomes ready to be yielded, batch by batch.
    ready: VecDeque<Settled<T>>,
    /// The batches in `ready`, in order: (first index, one past the last, items left to yield).
    ready_batches: VecDeque<(u64, u64, usize)>,
    /// Yielded batches past `progress.resume_from`: first index -> one past the last.
    done_ahead: BTreeMap<u64, u64>,
    progress: Progress,
    finished: bool,
}

impl<T> fmt::Debug for BatchStream<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchStream")
            .field("progress", &self.progress)
            .field("in_flight", &self.in_flight.len())
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

// No field is pinned structurally: the source and the batches in flight are boxed.
impl<T> Unpin for BatchStream<'_, T> {}

impl<'c, T: Send + 'c> BatchStream<'c, T> {
    fn new<S>(
        source: S,
        send: impl Fn(Vec<(u64, Input)>) -> ChunkFuture<'c, T> + Send + Sync + 'c,
        concurrency: usize,
    ) -> Self
    where
        S: Stream<Item = Input> + Send + 'c,
    {
        BatchStream {
            source: Some(Box::pin(source)),
            send: Box::new(send),
            in_flight: futures_util::stream::FuturesUnordered::new(),
            concurrency: concurrency.max(1),
            next_index: 0,
            filling: Vec::with_capacity(MAX_BATCH),
            ready: VecDeque::new(),
            ready_batches: VecDeque::new(),
            done_ahead: BTreeMap::new(),
            progress: Progress::default(),
            finished: false,
        }
    }

    /// Sends a batch, keeping its inputs' ids to go with the outcomes.
    fn launch(&mut self, batch: Vec<(u64, Input)>) {
        let first = batch.first().map_or(0, |(index, _)| *index);
        let ids: Vec<String> = batch.iter().map(|(_, input)| input.id.clone()).collect();
        let sent = (self.send)(batch);
        self.in_flight.push(Box::pin(async move {
            let outcomes = sent.await?;
            Ok(outcomes
                .into_iter()
                .map(|(index, outcome)| {
                    let id = usize::try_from(index - first)
                        .ok()
                        .and_then(|i| ids.get(i))
                        .cloned()
                        .unwrap_or_default();
                    (index, id, outcome)
                })
                .collect())
        }));
    }
}

impl<T> BatchStream<'_, T> {
    /// Numbers the inputs from `first` instead of 0: for a resumed run whose source starts at
    /// input `first` of the whole (the [`Progress::resume_from`] of the interrupted run), so that
    /// indices and progress count in the whole run. Call it before polling the stream.
    pub fn starting_at(mut self, first: u64) -> Self {
        if self.progress.read == 0 {
            self.next_index = first;
            self.progress.resume_from = first;
        }
        self
    }

    /// How far the stream has come.
    pub fn progress(&self) -> Progress {
        self.progress
    }

    /// Marks one yielded item of the front batch; moves `resume_from` past every finished run
    /// of batches.
    fn yielded_one(&mut self, failed: bool) {
        self.progress.settled += 1;
        if failed {
            self.progress.failed += 1;
        }
        let Some(front) = self.ready_batches.front_mut() else {
            return;
        };
        front.2 = front.2.saturating_sub(1);
        if front.2 > 0 {
            return;
        }
        let (start, end, _) = *front;
        self.ready_batches.pop_front();
        self.done_ahead.insert(start, end);
        while let Some(end) = self.done_ahead.remove(&self.progress.resume_from) {
            self.progress.resume_from = end;
        }
    }
}

impl<'c, T: Send + 'c> Stream for BatchStream<'c, T> {
    type Item = Result<Settled<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.ready.pop_front() {
                this.yielded_one(item.outcome.failed().is_some());
                return Poll::Ready(Some(Ok(item)));
            }
            if this.finished {
                return Poll::Ready(None);
            }
            // Fill batches from the source while there is room in flight.
            while this.in_flight.len() < this.concurrency {
                let Some(source) = this.source.as_mut() else {
                    break;
                };
                match source.as_mut().poll_next(cx) {
                    Poll::Ready(Some(input)) => {
                        this.filling.push((this.next_index, input));
                        this.next_index += 1;
                        this.progress.read += 1;
                        if this.filling.len() == MAX_BATCH {
                            let batch =
                                std::mem::replace(&mut this.filling, Vec::with_capacity(MAX_BATCH));
                            this.launch(batch);
                        }
                    }
                    Poll::Ready(None) => {
                        this.source = None;
                        if !this.filling.is_empty() {
                            let batch = std::mem::take(&mut this.filling);
                            this.launch(batch);
                        }
                    }
                    Poll::Pending => {
                        // A slow source: send what there is rather than wait with nothing in
                        // flight.
                        if this.in_flight.is_empty() && !this.filling.is_empty() {
                            let batch =
                                std::mem::replace(&mut this.filling, Vec::with_capacity(MAX_BATCH));
                            this.launch(batch);
                        }
                        break;
                    }
                }
            }
            if this.in_flight.is_empty() {
                if this.source.is_none() {
                    this.finished = true;
                    continue;
                }
                return Poll::Pending;
            }
            match Pin::new(&mut this.in_flight).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => continue,
                Poll::Ready(Some(Err(e))) => {
                    this.finished = true;
                    this.source = None;
                    this.in_flight = futures_util::stream::FuturesUnordered::new();
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(Some(Ok(mut outcomes))) => {
                    outcomes.sort_by_key(|(index, _, _)| *index);
                    let (Some(first), Some(last)) = (outcomes.first(), outcomes.last()) else {
                        continue;
                    };
                    let (start, end) = (first.0, last.0 + 1);
                    this.ready_batches.push_back((start, end, outcomes.len()));
                    this.ready
                        .extend(outcomes.into_iter().map(|(index, id, outcome)| Settled {
                            index,
                            id,
                            outcome,
                        }));
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let ready = self.ready.len();
        if self.finished {
            (ready, Some(ready))
        } else {
            (ready, None)
        }
    }
}

/// Gives an input without an id a random one (32 hex digits), so that its upload is safe to
/// repeat.
fn with_client_id(input: Input) -> Input {
    if !input.id.is_empty() {
        return input;
    }
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut a = RandomState::new().build_hasher();
    a.write_u64(n);
    let mut b = RandomState::new().build_hasher();
    b.write_u64(!n);
    input.with_id(format!("{:016x}{:016x}", a.finish(), b.finish()))
}

/// The place of each id among `stored` (the first, for an id answered twice).
fn positions_by_id(stored: &[Option<Input>]) -> HashMap<String, usize> {
    let mut places = HashMap::with_capacity(stored.len());
    for (at, input) in stored.iter().enumerate() {
        if let Some(input) = input {
            places.entry(input.id.clone()).or_insert(at);
        }
    }
    places
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs a future that never waits on anything outside itself.
    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        let mut f = std::pin::pin!(f);
        let mut cx = Context::from_waker(std::task::Waker::noop());
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
        }
    }

    #[test]
    fn client_ids_are_random_and_kept_when_given() {
        let ids: std::collections::HashSet<String> = (0..1000)
            .map(|_| with_client_id(Input::default()).id)
            .collect();
        assert_eq!(ids.len(), 1000);
        assert_eq!(with_client_id(Input::default().with_id("mine")).id, "mine");
    }

    #[test]
    fn batches_hold_at_most_128_and_resume_from_follows_finished_prefixes() {
        let sizes = std::sync::Mutex::new(Vec::new());
        let source = stream::iter((0..300).map(|i| Input::default().with_id(format!("i{i}"))));
        let mut s = BatchStream::new(
            source,
            |chunk: Vec<(u64, Input)>| -> ChunkFuture<'_, u64> {
                sizes.lock().unwrap().push(chunk.len());
                Box::pin(async move {
                    Ok(chunk
                        .into_iter()
                        .map(|(i, _)| (i, Outcome::Done(i)))
                        .collect())
                })
            },
            2,
        )
        .starting_at(1000);
        let items: Vec<Settled<u64>> = block_on(async {
            let mut out = Vec::new();
            while let Some(item) = s.next().await {
                out.push(item.unwrap());
            }
            out
        });
        assert_eq!(*sizes.lock().unwrap(), [128, 128, 44]);
        assert_eq!(items.len(), 300);
        assert!(items.iter().all(|i| i.outcome == Outcome::Done(i.index)));
        let p = s.progress();
        assert_eq!(
            (p.read, p.settled, p.failed, p.resume_from),
            (300, 300, 0, 1300)
        );
    }
}
