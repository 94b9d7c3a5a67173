//! Batching: more inputs than one request may carry (128), split into batches sent with bounded
//! concurrency, with one outcome per input in the caller's order.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use futures_util::stream::{self, StreamExt};

use super::{Client, Error};
use crate::models::{Input, MultiOutputResponse, Output, Status, StatusCode};
use crate::{Grants, Key, scope};

/// The most inputs one request may carry (Clarifai's documented limit).
pub const MAX_BATCH: usize = 128;

impl<K: Key> Client<K> {
    /// Uploads any number of inputs: batches of at most 128, sent with bounded concurrency
    /// ([`ClientBuilder::batch_concurrency`](super::ClientBuilder::batch_concurrency)), each
    /// input stored exactly once even when requests are retried.
    ///
    /// Inputs without an id get a random one first, so that every upload is safe to repeat. When
    /// a batch fails in a way that leaves its fate unknown (a dropped connection, a truncated
    /// answer, retries exhausted, or a duplicate-id refusal after such a failure), the client asks
    /// which of its inputs exist and sends only the others again. An input whose id already
    /// existed before the call counts as stored.
    ///
    /// Returns one outcome per input, in the order given: the stored input, or the status that
    /// refused it.
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
        inputs: impl IntoIterator<Item = Input>,
    ) -> Result<Vec<Outcome<Input>>, Error>
    where
        K: Grants<scope::AddInputs> + Grants<scope::GetInputs>,
    {
        let inputs: Vec<Input> = inputs.into_iter().map(with_client_id).collect();
        let total = inputs.len();
        let chunks: Vec<Vec<(usize, Input)>> = chunked(inputs.into_iter().enumerate().collect());
        let results: Vec<ChunkOutcomes<Input>> = stream::iter(chunks)
            .map(|chunk| self.upload_chunk(chunk))
            .buffer_unordered(self.shared().batch_concurrency())
            .collect()
            .await;
        assemble(total, results)
    }

    async fn upload_chunk(&self, chunk: Vec<(usize, Input)>) -> ChunkOutcomes<Input>
    where
        K: Grants<scope::AddInputs> + Grants<scope::GetInputs>,
    {
        let mut done: Vec<(usize, Outcome<Input>)> = Vec::with_capacity(chunk.len());
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
                    for (index, input) in pending.drain(..) {
                        let stored = response
                            .inputs
                            .iter()
                            .find(|i| i.id == input.id)
                            .cloned()
                            .unwrap_or(input);
                        done.push((index, Outcome::Done(stored)));
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

    /// Predicts with model `model_id` on any number of inputs: batches of at most 128, sent with
    /// bounded concurrency, each retried as the client's [`RetryPolicy`](super::RetryPolicy)
    /// says. Returns one outcome per input, in the order given: its output, or the status that
    /// failed it (a per-input status from the server, or the batch's last error).
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
        inputs: impl IntoIterator<Item = Input>,
    ) -> Result<Vec<Outcome<Output>>, Error>
    where
        K: Grants<scope::Predict>,
    {
        let inputs: Vec<(usize, Input)> = inputs.into_iter().enumerate().collect();
        let total = inputs.len();
        let results: Vec<_> = stream::iter(chunked(inputs))
            .map(|chunk| self.predict_chunk(model_id, chunk))
            .buffer_unordered(self.shared().batch_concurrency())
            .collect()
            .await;
        assemble(total, results)
    }

    async fn predict_chunk(
        &self,
        model_id: &str,
        chunk: Vec<(usize, Input)>,
    ) -> ChunkOutcomes<Output>
    where
        K: Grants<scope::Predict>,
    {
        let indices: Vec<usize> = chunk.iter().map(|(i, _)| *i).collect();
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

fn chunked(items: Vec<(usize, Input)>) -> Vec<Vec<(usize, Input)>> {
    let mut chunks = Vec::with_capacity(items.len().div_ceil(MAX_BATCH));
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        chunks.push(items.by_ref().take(MAX_BATCH).collect());
    }
    chunks
}

fn assemble<T>(total: usize, results: Vec<ChunkOutcomes<T>>) -> Result<Vec<Outcome<T>>, Error> {
    let mut slots: Vec<Option<Outcome<T>>> = (0..total).map(|_| None).collect();
    for chunk in results {
        for (index, outcome) in chunk? {
            if let Some(slot) = slots.get_mut(index) {
                *slot = Some(outcome);
            }
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
type ChunkOutcomes<T> = Result<Vec<(usize, Outcome<T>)>, Error>;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_hold_at_most_128_and_keep_order() {
        let items: Vec<(usize, Input)> = (0..300).map(|i| (i, Input::default())).collect();
        let chunks = chunked(items);
        assert_eq!(
            chunks.iter().map(Vec::len).collect::<Vec<_>>(),
            [128, 128, 44]
        );
        assert_eq!(chunks[2][0].0, 256);
        let ids: std::collections::HashSet<String> = (0..1000)
            .map(|_| with_client_id(Input::default()).id)
            .collect();
        assert_eq!(ids.len(), 1000);
        assert_eq!(with_client_id(Input::default().with_id("mine")).id, "mine");
    }
}
