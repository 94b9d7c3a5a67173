//! Streamed ingestion: killed half-way, resumed from its checkpoint, every id stored exactly once.
//!
//! The upload runs in a child process (this test binary again, running the ignored test
//! `child_upload`), which writes its resume point to a file as it goes. The parent, which runs
//! the emulator, kills the child (SIGKILL) once half the inputs are settled, then resumes from
//! the checkpoint and checks that the app holds every id exactly once.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clarifai_emulator::{Emulator, Fault};
use clarifai_typed::models::{Input, JsonMap};
use clarifai_typed::{Client, Key, Outcome, scoped_key};
use futures_util::{Stream, StreamExt, stream};

/// Uploads.
#[scoped_key(AddInputs)]
pub struct IngestKey;

const TOTAL: u64 = 3_000;

fn inputs(first: u64, total: u64) -> impl Stream<Item = Input> + Send {
    stream::iter(first..total).map(|n| {
        let mut metadata = JsonMap::new();
        metadata.insert("n".into(), n.into());
        Input::default()
            .with_id(format!("in-{n}"))
            .with_metadata(metadata)
    })
}

fn write_checkpoint(path: &Path, value: u64) {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, value.to_string()).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn read_checkpoint(path: &Path) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// The child's work: upload everything, keeping the checkpoint. Does nothing unless run by
/// `an_upload_killed_half_way_resumes_without_duplicates_or_gaps`.
#[tokio::test]
#[ignore = "run in a child process by an_upload_killed_half_way_resumes_without_duplicates_or_gaps"]
async fn child_upload() {
    let (Ok(url), Ok(secret), Ok(checkpoint)) = (
        std::env::var("INGEST_URL"),
        std::env::var("INGEST_KEY"),
        std::env::var("INGEST_CHECKPOINT"),
    ) else {
        return;
    };
    let checkpoint = PathBuf::from(checkpoint);
    let client = Client::builder(IngestKey::new(secret).unwrap())
        .base_url(url)
        .batch_concurrency(3)
        .build()
        .unwrap();
    let mut upload = client.add_inputs_stream(inputs(0, TOTAL));
    let mut last = 0;
    while let Some(settled) = upload.next().await {
        assert!(settled.unwrap().outcome.done().is_some());
        let resume_from = upload.progress().resume_from;
        if resume_from != last {
            write_checkpoint(&checkpoint, resume_from);
            last = resume_from;
        }
    }
}

#[test]
fn an_upload_killed_half_way_resumes_without_duplicates_or_gaps() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let emu = rt.block_on(Emulator::builder().start()).unwrap();
    // Slow every request down so that the kill lands half-way.
    emu.fail_share(1.0, 0, Fault::Delay(Duration::from_millis(40)));
    let secret = emu.create_key(IngestKey::SCOPES);
    let dir = std::env::temp_dir().join(format!("clarifai-ingest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let checkpoint = dir.join("checkpoint");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_upload", "--ignored", "--nocapture"])
        .env("INGEST_URL", emu.base_url())
        .env("INGEST_KEY", &secret)
        .env("INGEST_CHECKPOINT", &checkpoint)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let at_kill = loop {
        if let Some(c) = read_checkpoint(&checkpoint)
            && c >= TOTAL / 2
        {
            child.kill().unwrap();
            break c;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the child ended before half-way"
        );
        assert!(started.elapsed() < Duration::from_secs(60), "no progress");
        std::thread::sleep(Duration::from_millis(2));
    };
    child.wait().unwrap();
    emu.clear_faults();
    let checkpoint = read_checkpoint(&checkpoint).unwrap();
    assert!(checkpoint >= at_kill && checkpoint < TOTAL, "{checkpoint}");

    let client = emu.client::<IngestKey>().unwrap();
    let (stored_before, resumed) = rt.block_on(async {
        let before = client.input_count().await.unwrap().counts.unwrap();
        let before =
            u64::from(before.processed + before.to_process + before.processing + before.errors);
        let mut upload = client
            .add_inputs_stream(inputs(checkpoint, TOTAL))
            .starting_at(checkpoint);
        let mut indices = Vec::new();
        while let Some(settled) = upload.next().await {
            let settled = settled.unwrap();
            assert!(
                matches!(settled.outcome, Outcome::Done(_)),
                "{:?}",
                settled.outcome
            );
            assert_eq!(settled.id, format!("in-{}", settled.index));
            indices.push(settled.index);
        }
        assert_eq!(upload.progress().resume_from, TOTAL);
        (before, indices)
    });
    // The killed run had stored more than its checkpoint says (batches in flight): the resumed
    // run found them stored rather than storing them again.
    assert!(
        stored_before >= checkpoint,
        "{stored_before} < {checkpoint}"
    );
    let resumed: BTreeSet<u64> = resumed.into_iter().collect();
    assert_eq!(resumed, (checkpoint..TOTAL).collect());

    let ids: Vec<String> = rt.block_on(async {
        client
            .list_inputs()
            .page_size(1000)
            .items()
            .map(|i| i.unwrap().id)
            .collect()
            .await
    });
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(ids.len() as u64, TOTAL, "every id stored exactly once");
    assert_eq!(unique.len(), ids.len());
    let expected: BTreeSet<String> = (0..TOTAL).map(|n| format!("in-{n}")).collect();
    assert_eq!(
        unique.into_iter().cloned().collect::<BTreeSet<_>>(),
        expected
    );
    let _ = std::fs::remove_dir_all(&dir);
}
