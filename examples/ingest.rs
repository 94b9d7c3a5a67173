//! Streamed ingestion with a progress bar, interrupted half-way and resumed.
//!
//! ```sh
//! cargo run --example ingest            # 20,000 inputs
//! cargo run --example ingest -- 100000  # or any count: memory stays flat
//! ```
//!
//! Inputs are made as they are needed (a stream, never a `Vec`), uploaded in batches of 128 with
//! a few in flight, and every input's outcome drives an `indicatif` bar. Half-way the upload is
//! stopped (the stream dropped, as a crash would), and the second run starts from the checkpoint
//! the first one kept (`progress().resume_from`). The input ids are the program's own
//! (`ingest-{n}`), so the batches that were in flight when it stopped are found already stored:
//! at the end every id is stored exactly once.

use std::time::Duration;

use clarifai_emulator::Emulator;
use clarifai_typed::models::{Input, JsonMap};
use clarifai_typed::{Client, Outcome, scoped_key};
use futures_util::{Stream, StreamExt, stream};
use indicatif::{ProgressBar, ProgressStyle};

/// Uploads and reads back.
#[scoped_key(AddInputs)]
pub struct IngestKey;

/// Inputs `first..total`, made one at a time as the upload asks for them.
fn inputs(first: u64, total: u64) -> impl Stream<Item = Input> + Send {
    stream::iter(first..total).map(|n| {
        let mut metadata = JsonMap::new();
        metadata.insert("n".into(), n.into());
        Input::default()
            .with_id(format!("ingest-{n}"))
            .with_metadata(metadata)
    })
}

/// Uploads from `first`, until `total` or until `stop_after` outcomes; returns the checkpoint.
async fn upload(
    client: &Client<IngestKey>,
    bar: &ProgressBar,
    first: u64,
    total: u64,
    stop_after: Option<u64>,
) -> Result<u64, clarifai_typed::Error> {
    let mut upload = client
        .add_inputs_stream(inputs(first, total))
        .starting_at(first);
    let mut seen = 0;
    while let Some(settled) = upload.next().await {
        let settled = settled?;
        if let Outcome::Failed(status) = &settled.outcome {
            bar.suspend(|| eprintln!("{}: {}", settled.id, status.details));
        }
        bar.inc(1);
        let progress = upload.progress();
        bar.set_message(format!(
            "{} failed, resume point {}",
            progress.failed, progress.resume_from
        ));
        seen += 1;
        if stop_after.is_some_and(|stop| seen >= stop) {
            break; // the stream is dropped: batches in flight are abandoned mid-way
        }
    }
    Ok(upload.progress().resume_from)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let total: u64 = match std::env::args().nth(1) {
        Some(n) => n.parse().map_err(|_| format!("not a count: {n}"))?,
        None => 20_000,
    };
    let emulator = Emulator::builder().start().await?;
    let client = emulator.client::<IngestKey>()?;
    let style = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} (eta {eta}) {msg}",
    )?;
    let bar = ProgressBar::new(total).with_style(style);
    bar.enable_steady_tick(Duration::from_millis(100));

    bar.suspend(|| println!("Uploading {total} inputs; stopping half-way."));
    let checkpoint = upload(&client, &bar, 0, total, Some(total / 2)).await?;
    let stopped_at = bar.position();
    bar.suspend(|| {
        println!("Stopped after {stopped_at} outcomes; resuming from input {checkpoint}.")
    });
    bar.set_position(checkpoint);
    let end = upload(&client, &bar, checkpoint, total, None).await?;
    bar.finish_with_message(format!("done: resume point {end}"));
    println!("Uploaded; the resume point is now {end}.");

    // Every id exactly once: count what the app holds.
    let stored = client.input_count().await?.counts.unwrap_or_default();
    let held = stored.processed + stored.to_process + stored.processing + stored.errors;
    println!("The app holds {held} inputs (expected {total}).");
    if u64::from(held) != total {
        return Err(format!("expected {total} inputs, found {held}").into());
    }
    Ok(())
}
