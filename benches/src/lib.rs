//! Helpers shared by the benches of this package (`benches/emulator.rs`,
//! `benches/client_overhead.rs`): the test image, a minimal hyper server (the floor of the HTTP
//! stack), a raw hyper client, latency statistics and table formatting.
//!
//! Nothing here writes to disk; every server listens on `127.0.0.1:0`.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::client::legacy::Client as LegacyClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;

/// A raw hyper 1 client (hyper-util legacy, HTTP/1.1, keep-alive pool).
pub type HyperClient = LegacyClient<HttpConnector, Full<Bytes>>;

/// The sixteen W3C colours of the test image's columns (the emulator keeps the ten largest
/// shares, so a predict answers ten colours).
const STRIPES: [[u8; 3]; 16] = [
    [255, 0, 0],     // red
    [0, 255, 0],     // lime
    [0, 0, 255],     // blue
    [255, 255, 0],   // yellow
    [0, 255, 255],   // cyan
    [255, 0, 255],   // magenta
    [0, 0, 0],       // black
    [255, 255, 255], // white
    [128, 128, 128], // gray
    [255, 165, 0],   // orange
    [128, 0, 128],   // purple
    [0, 128, 0],     // green
    [128, 0, 0],     // maroon
    [0, 0, 128],     // navy
    [128, 128, 0],   // olive
    [0, 128, 128],   // teal
];

/// A 16x16 PNG of sixteen one-pixel columns of distinct W3C colours (a few hundred bytes).
pub fn striped_png() -> Vec<u8> {
    clarifai_emulator::samples::png(16, 16, |x, _| STRIPES[x as usize])
}

/// A multi-thread tokio runtime with `workers` worker threads, for servers.
pub fn server_runtime(workers: usize) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .thread_name("bench-server")
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// A current-thread tokio runtime, for the load generator / client side.
pub fn client_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Starts (on the current runtime) a minimal hyper HTTP/1.1 server that reads each request's
/// body and answers `200` with `body` (and `content-type: application/json` when `json`).
/// Serves until the runtime is dropped.
pub async fn start_fixed_server(body: Bytes, json: bool) -> SocketAddr {
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local address");
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            let body = body.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req: Request<Incoming>| {
                    let body = body.clone();
                    async move {
                        // Read the request body, as a real server would.
                        let _ = req.into_body().collect().await;
                        let mut resp = Response::new(Full::new(body));
                        if json {
                            resp.headers_mut().insert(
                                hyper::header::CONTENT_TYPE,
                                hyper::header::HeaderValue::from_static("application/json"),
                            );
                        }
                        Ok::<_, Infallible>(resp)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    addr
}

/// A raw hyper client: HTTP/1.1 with keep-alive, `TCP_NODELAY` (as reqwest sets it).
pub fn hyper_client() -> HyperClient {
    let mut connector = HttpConnector::new();
    connector.set_nodelay(true);
    LegacyClient::builder(TokioExecutor::new())
        .pool_idle_timeout(Duration::from_secs(90))
        .build(connector)
}

/// Sends one request with a raw hyper client and reads the whole body; panics on a non-200
/// answer (a bench measuring errors measures nothing).
pub async fn hyper_round_trip(client: &HyperClient, req: Request<Full<Bytes>>) -> Bytes {
    let resp = client.request(req).await.expect("request");
    let status = resp.status();
    let body = resp
        .into_body()
        .collect()
        .await
        .expect("response body")
        .to_bytes();
    assert!(
        status == hyper::StatusCode::OK,
        "HTTP {status}: {}",
        String::from_utf8_lossy(&body)
    );
    body
}

/// Latency statistics of a sample.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    /// Number of samples.
    pub n: usize,
    /// Median.
    pub p50: Duration,
    /// 99th percentile (nearest rank).
    pub p99: Duration,
    /// Mean.
    pub mean: Duration,
}

impl Stats {
    /// Statistics of `samples` (sorted in place).
    pub fn of(samples: &mut [Duration]) -> Stats {
        assert!(!samples.is_empty(), "no samples");
        samples.sort_unstable();
        let total: Duration = samples.iter().sum();
        Stats {
            n: samples.len(),
            p50: percentile(samples, 50.0),
            p99: percentile(samples, 99.0),
            mean: total / samples.len() as u32,
        }
    }
}

/// The `p`th percentile (nearest rank) of sorted `samples`.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The median of some ratios.
pub fn median_f64(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// `a / b` of two durations.
pub fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64()
}

/// A duration in microseconds with one decimal, e.g. `123.4µs`.
pub fn us(d: Duration) -> String {
    format!("{:.1}µs", d.as_secs_f64() * 1e6)
}

/// Prints the compiler, the CPU count and the load average: what a reader needs to weigh the
/// figures.
pub fn print_machine() {
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    println!(
        "machine: {cpus} CPU(s) available, load average {} (shared machine: compare ratios, not times)",
        load.join(" ")
    );
}
