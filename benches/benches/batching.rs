//! Auto-batching against one request per input (issue 5, part 8).
//!
//! In one run, against the same in-process emulator (release build): 10,000 small inputs uploaded
//! through `Client::add_inputs_batched` (batches of 128, 4 in flight) against 10,000 single-input
//! `add_inputs` requests sent one after another. Reports both times, inputs per second, and the
//! ratio single ÷ batched (the target is at least 10). The emulator's background processing of
//! each input runs as in any test; each way gets a fresh emulator so neither pays for the other's
//! stored inputs. The time is until every input was acknowledged (what the caller waits for);
//! "until processed" adds the wait for the emulator's background processing of the last ones.
//!
//! Two network models, in the same run: plain loopback (a round trip costs ~0.1 ms, so there is
//! little for batching to save), and loopback plus 2 ms of latency per request (the emulator's
//! `Fault::Delay` on every request), a modest stand-in for a real network's round trip to the
//! API, which is what batching saves.
//!
//! `cargo bench -p clarifai-benches --bench batching [-- N]` (N inputs, default 10000).

#![allow(clippy::unwrap_used)] // a benchmark: a failed unwrap is a failed run

use std::time::{Duration, Instant};

use clarifai_benches::{print_machine, server_runtime};
use clarifai_emulator::{Emulator, Fault};
use clarifai_typed::models::Input;
use clarifai_typed::{Client, Key, RetryPolicy, scoped_key};

/// Uploads.
#[scoped_key(AddInputs)]
pub struct UploadKey;

fn tiny_png(i: u32) -> Vec<u8> {
    let rgb = [(i % 251) as u8, (i / 251 % 251) as u8, 7];
    clarifai_emulator::samples::png(2, 2, |_, _| rgb)
}

fn main() {
    let n: u32 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(10_000);
    print_machine();
    let server = server_runtime(2);
    let client_rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let inputs: Vec<Input> = (0..n)
        .map(|i| Input::from_bytes(tiny_png(i)).with_id(format!("i{i}")))
        .collect();

    // (until every input was acknowledged, until every input was also processed)
    let run = |batched: bool, latency: Duration| -> (Duration, Duration) {
        let emu = server.block_on(Emulator::builder().start()).unwrap();
        if !latency.is_zero() {
            emu.fail_share(1.0, 0, Fault::Delay(latency));
        }
        let key = UploadKey::new(emu.create_key(UploadKey::SCOPES)).unwrap();
        let client = Client::builder(key)
            .base_url(emu.base_url())
            .retry(RetryPolicy::never())
            .build()
            .unwrap();
        let inputs = inputs.clone();
        let start = Instant::now();
        let elapsed = client_rt.block_on(async {
            if batched {
                let outcomes = client.add_inputs_batched(inputs).await.unwrap();
                assert!(outcomes.iter().all(|o| o.done().is_some()));
            } else {
                for input in inputs {
                    client.add_inputs().input(input).await.unwrap();
                }
            }
            start.elapsed()
        });
        server.block_on(emu.wait_idle());
        let processed = start.elapsed();
        drop(emu);
        (elapsed, processed)
    };

    let per_s = |d: Duration| f64::from(n) / d.as_secs_f64();
    println!();
    println!("{n} inputs, one run, same machine, fresh emulator per way");
    println!(
        "{:<12} {:<28} {:>10} {:>14} {:>16}",
        "network", "way", "time", "inputs/s", "until processed"
    );
    for (label, latency) in [
        ("loopback", Duration::ZERO),
        ("+2 ms/req", Duration::from_millis(2)),
    ] {
        let single = run(false, latency);
        let batched = run(true, latency);
        let batched_again = run(true, latency);
        let best = batched.0.min(batched_again.0);
        for (way, d) in [
            ("single requests, sequential", single),
            ("add_inputs_batched (1st)", batched),
            ("add_inputs_batched (2nd)", batched_again),
        ] {
            println!(
                "{label:<12} {way:<28} {:>9.2}s {:>14.0} {:>15.2}s",
                d.0.as_secs_f64(),
                per_s(d.0),
                d.1.as_secs_f64()
            );
        }
        println!(
            "{label:<12} single ÷ batched (best): {:.1}x  (target: at least 10x)",
            single.0.as_secs_f64() / best.as_secs_f64()
        );
    }
}
