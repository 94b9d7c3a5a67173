//! Throughput and latency of the in-process emulator on loopback (issue 3 part 5), as ratios
//! against the floor of the HTTP stack on this machine: a minimal hyper server answering an empty
//! `200`, measured in the same run with the same client.
//!
//! Cases: that floor, GetInput (`GET /v2/inputs/{id}`) and a predict on a 16x16 PNG
//! (`POST /v2/models/color-recognition/outputs`, one base64 image, ten colours answered). Each
//! runs with 1 and 8 concurrent keep-alive connections from a raw hyper client (hyper-util
//! legacy, HTTP/1.1) on a current-thread runtime; the servers run on their own two-worker
//! runtime in the same process. The matrix is repeated in rounds (the case order rotating) so
//! that noise from a shared machine spreads over every case.
//!
//! Run: `cargo bench -p clarifai-benches --bench emulator` (optional arguments: seconds per
//! case per round, default 1; `get` or `predict` to run that case only, with the floor).

#![allow(clippy::unwrap_used)] // a bench: a failed unwrap is a failed run

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use bytes::Bytes;
use clarifai_benches::{
    HyperClient, Stats, client_runtime, hyper_client, hyper_round_trip, print_machine, ratio,
    server_runtime, start_fixed_server, striped_png, us,
};
use clarifai_emulator::Emulator;
use clarifai_typed::{Scope, scope};
use http_body_util::Full;
use hyper::Request;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE};

const ROUNDS: usize = 3;
const WARMUP: Duration = Duration::from_millis(200);
const CONNS: [usize; 2] = [1, 8];
const INPUT_ID: &str = "bench-input";

type MakeRequest = Arc<dyn Fn() -> Request<Full<Bytes>> + Send + Sync>;

struct Case {
    name: &'static str,
    make: MakeRequest,
}

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    requests: usize,
    elapsed: Duration,
    body_len: usize,
}

fn main() {
    let mut per_case = Duration::from_secs(1);
    let mut only: Option<String> = None;
    for arg in std::env::args().skip(1).filter(|a| !a.starts_with("--")) {
        match arg.parse::<f64>() {
            Ok(secs) if secs > 0.0 => per_case = Duration::from_secs_f64(secs),
            _ => only = Some(arg),
        }
    }
    print_machine();
    let server_rt = server_runtime(2);
    let (emu, floor) = server_rt.block_on(async {
        let emu = Emulator::builder().start().await.unwrap();
        let floor = start_fixed_server(Bytes::new(), false).await;
        (emu, floor)
    });
    let secret = emu.create_key(&[Scope::of::<scope::All>()]);
    let auth = format!("Key {secret}");
    let base = emu.base_url();
    let png_b64 = base64::engine::general_purpose::STANDARD.encode(striped_png());

    let client_rt = client_runtime();
    client_rt.block_on(async {
        // One processed input for GetInput.
        let add = serde_json::json!({
            "inputs": [{"id": INPUT_ID, "data": {"image": {"base64": png_b64}}}]
        });
        let req = Request::post(format!("{base}/v2/inputs"))
            .header(AUTHORIZATION, &auth)
            .header(CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from(serde_json::to_vec(&add).unwrap())))
            .unwrap();
        hyper_round_trip(&hyper_client(), req).await;
        emu.wait_idle().await;
    });

    let predict_body = Bytes::from(
        serde_json::to_vec(&serde_json::json!({
            "inputs": [{"data": {"image": {"base64": png_b64}}}]
        }))
        .unwrap(),
    );
    let floor_uri: hyper::Uri = format!("http://{floor}/").parse().unwrap();
    let get_uri: hyper::Uri = format!("{base}/v2/inputs/{INPUT_ID}").parse().unwrap();
    let predict_uri: hyper::Uri = format!("{base}/v2/models/color-recognition/outputs")
        .parse()
        .unwrap();
    let auth_get = auth.clone();
    let auth_predict = auth.clone();
    let cases = [
        Case {
            name: "floor: minimal hyper, empty 200",
            make: Arc::new(move || {
                Request::get(floor_uri.clone())
                    .body(Full::new(Bytes::new()))
                    .unwrap()
            }),
        },
        Case {
            name: "GetInput",
            make: Arc::new(move || {
                Request::get(get_uri.clone())
                    .header(AUTHORIZATION, &auth_get)
                    .body(Full::new(Bytes::new()))
                    .unwrap()
            }),
        },
        Case {
            name: "predict 16x16 PNG",
            make: Arc::new(move || {
                Request::post(predict_uri.clone())
                    .header(AUTHORIZATION, &auth_predict)
                    .header(CONTENT_TYPE, "application/json")
                    .body(Full::new(predict_body.clone()))
                    .unwrap()
            }),
        },
    ];

    // `get` or `predict` keeps that case (and the floor, which every ratio needs).
    let cases: Vec<Case> = cases
        .into_iter()
        .enumerate()
        .filter(|(i, c)| {
            *i == 0
                || only
                    .as_deref()
                    .is_none_or(|o| c.name.to_lowercase().contains(o))
        })
        .map(|(_, c)| c)
        .collect();
    println!(
        "emulator bench: {ROUNDS} rounds x {} cases x {:?} per case (+{WARMUP:?} warm-up), connections {CONNS:?}",
        cases.len() * CONNS.len(),
        per_case
    );
    let mut tallies: Vec<Vec<Tally>> = CONNS
        .iter()
        .map(|_| cases.iter().map(|_| Tally::default()).collect())
        .collect();
    client_rt.block_on(async {
        for round in 0..ROUNDS {
            for (ci, &conns) in CONNS.iter().enumerate() {
                for k in 0..cases.len() {
                    let i = (k + round) % cases.len();
                    let client = hyper_client();
                    load(&client, &cases[i].make, conns, WARMUP).await;
                    let (lat, elapsed, body_len) =
                        load(&client, &cases[i].make, conns, per_case).await;
                    let t = &mut tallies[ci][i];
                    t.requests += lat.len();
                    t.latencies.extend(lat);
                    t.elapsed += elapsed;
                    t.body_len = body_len;
                }
            }
        }
    });
    drop(emu);

    println!();
    println!(
        "{:<34} {:>5} {:>9} {:>9} {:>9} {:>6} | {:>11} {:>9} {:>9}",
        "case", "conns", "req/s", "p50", "p99", "resp B", "req/s÷floor", "p50÷floor", "p99÷floor"
    );
    for (ci, &conns) in CONNS.iter().enumerate() {
        let stats: Vec<(Stats, f64, usize)> = tallies[ci]
            .iter_mut()
            .map(|t| {
                let rps = t.requests as f64 / t.elapsed.as_secs_f64();
                (Stats::of(&mut t.latencies), rps, t.body_len)
            })
            .collect();
        let (floor, floor_rps, _) = stats[0];
        for (case, (s, rps, body_len)) in cases.iter().zip(&stats) {
            println!(
                "{:<34} {:>5} {:>9.0} {:>9} {:>9} {:>6} | {:>11.3} {:>9.2} {:>9.2}",
                case.name,
                conns,
                rps,
                us(s.p50),
                us(s.p99),
                body_len,
                rps / floor_rps,
                ratio(s.p50, floor.p50),
                ratio(s.p99, floor.p99),
            );
        }
    }
    println!();
    println!(
        "req/s÷floor: the share of the floor's throughput the case reaches (1 = as fast as an empty 200); p50÷floor, p99÷floor: latency multiples of the floor's at the same concurrency."
    );
}

/// Runs `conns` request loops for `duration`; returns every latency, the time taken, and the
/// body length of the last answer.
async fn load(
    client: &HyperClient,
    make: &MakeRequest,
    conns: usize,
    duration: Duration,
) -> (Vec<Duration>, Duration, usize) {
    let start = Instant::now();
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..conns {
        let client = client.clone();
        let make = make.clone();
        set.spawn(async move {
            let mut lat = Vec::with_capacity(16_384);
            let mut len = 0;
            while start.elapsed() < duration {
                let t0 = Instant::now();
                let body = hyper_round_trip(&client, make()).await;
                lat.push(t0.elapsed());
                len = body.len();
            }
            (lat, len)
        });
    }
    let mut all = Vec::new();
    let mut len = 0;
    while let Some(done) = set.join_next().await {
        let (lat, l) = done.unwrap();
        all.extend(lat);
        len = l;
    }
    (all, start.elapsed(), len)
}
