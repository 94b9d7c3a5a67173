//! Streamed ingestion keeps the client's memory bounded (issue 11, part 3).
//!
//! The emulator runs in a child process (this binary again, with `--serve`), so that only the
//! client's memory is measured. The client (this process, a current-thread runtime) uploads
//! tiny inputs (an id and one metadata number) through `Client::add_inputs_stream`, made one at
//! a time by the stream, and reads every outcome. Peak resident memory is the kernel's high-water
//! mark (`VmHWM` of `/proc/self/status`), read:
//!
//! * after setting up (runtime, client, one `my_scopes` call): the **baseline**;
//! * after uploading 10,000 inputs;
//! * after uploading N more (the argument; 1,000,000 is the documented figure).
//!
//! Each row reports count, time, inputs per second, the peak, and the peak as a ratio to the
//! baseline measured in the same run. The emulator's own peak is printed for scale.
//!
//! `cargo bench -p clarifai-benches --bench ingest_memory [-- N]` (N defaults to 1,000,000).

#![allow(clippy::unwrap_used)] // a benchmark: a failed unwrap is a failed run

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clarifai_benches::print_machine;
use clarifai_typed::models::{Input, JsonMap};
use clarifai_typed::{Client, Key, RetryPolicy, scoped_key};
use futures_util::{StreamExt, stream};

/// Uploads.
#[scoped_key(AddInputs)]
pub struct UploadKey;

/// A line of `/proc/<pid>/status`, in KiB.
fn status_kib(pid: &str, field: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// The child: an emulator with one key, until stdin closes.
fn serve() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let emu = clarifai_emulator::Emulator::builder()
            .start()
            .await
            .unwrap();
        let secret = emu.create_key(UploadKey::SCOPES);
        println!("{} {secret}", emu.base_url());
        std::io::stdout().flush().unwrap();
        // Wait for the parent to close stdin (or die).
        tokio::task::spawn_blocking(|| {
            let mut line = String::new();
            while std::io::stdin().read_line(&mut line).unwrap_or(0) > 0 {
                line.clear();
            }
        })
        .await
        .unwrap();
        drop(emu);
    });
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--serve") {
        serve();
        return;
    }
    let n: u64 = args
        .iter()
        .find_map(|a| a.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    print_machine();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .arg("--serve")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let (url, secret) = line.trim().split_once(' ').unwrap();
    let server_pid = child.id().to_string();

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = Client::builder(UploadKey::new(secret).unwrap())
        .base_url(url)
        .retry(RetryPolicy::default())
        .build()
        .unwrap();
    rt.block_on(client.my_scopes().send()).unwrap();
    let baseline = status_kib("self", "VmHWM:");
    println!(
        "client baseline (runtime, client, one call): peak RSS {}",
        mib(baseline)
    );
    println!(
        "{:>10} {:>9} {:>10} {:>12} {:>14}",
        "inputs", "time", "inputs/s", "client peak", "peak÷baseline"
    );
    let mut first = 0u64;
    for count in [10_000, n] {
        let started = Instant::now();
        let (done, failed) = rt.block_on(async {
            let inputs = stream::iter(first..first + count).map(|i| {
                let mut metadata = JsonMap::new();
                metadata.insert("n".into(), i.into());
                Input::default()
                    .with_id(format!("m{i}"))
                    .with_metadata(metadata)
            });
            let mut upload = client.add_inputs_stream(inputs);
            let (mut done, mut failed) = (0u64, 0u64);
            while let Some(settled) = upload.next().await {
                match settled.unwrap().outcome.done() {
                    Some(_) => done += 1,
                    None => failed += 1,
                }
            }
            (done, failed)
        });
        let elapsed = started.elapsed();
        assert_eq!((done, failed), (count, 0), "every input stored");
        let peak = status_kib("self", "VmHWM:");
        println!(
            "{:>10} {:>8.1}s {:>10.0} {:>12} {:>13.2}x",
            count,
            elapsed.as_secs_f64(),
            count as f64 / elapsed.as_secs_f64().max(1e-9),
            mib(peak),
            peak as f64 / baseline.max(1) as f64
        );
        first += count;
    }
    println!(
        "emulator process (for scale, holds all {} inputs): peak RSS {}",
        first,
        mib(status_kib(&server_pid, "VmHWM:"))
    );
    drop(child.stdin.take());
    let _ = child.wait_timeout_or_kill(Duration::from_secs(10));
}

trait WaitOrKill {
    fn wait_timeout_or_kill(&mut self, timeout: Duration) -> std::io::Result<()>;
}

impl WaitOrKill for std::process::Child {
    fn wait_timeout_or_kill(&mut self, timeout: Duration) -> std::io::Result<()> {
        let started = Instant::now();
        while started.elapsed() < timeout {
            if self.try_wait()?.is_some() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.kill()
    }
}
