//! Helpers of the state-file tests: the emulator binary as a child process, a temporary folder,
//! and an image server that holds its answers until told.
#![allow(dead_code, unreachable_pub, missing_docs)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_clarifai-emulator");

/// A folder of its own under the system's temporary folder, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let dir = std::env::temp_dir().join(format!(
            "clarifai-emu-{name}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    /// The names in the folder, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(&self.0)
            .expect("read dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The emulator binary, running.
pub struct Proc {
    pub child: Child,
    pub url: String,
    /// What it printed on stderr so far (drained by a thread, so the pipe never fills).
    pub stderr: Arc<Mutex<String>>,
    _stdout: BufReader<ChildStdout>,
}

impl Proc {
    /// Starts the binary with `args` (plus `--listen 127.0.0.1:0` and `--state state`) and
    /// waits for its "listening on" line.
    pub fn start(args: &[&str], state: &Path) -> Proc {
        let mut child = Command::new(BIN)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .arg("--state")
            .arg(state)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn the emulator");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut pipe = child.stderr.take().expect("stderr");
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = pipe.read(&mut buf) {
                let text = String::from_utf8_lossy(&buf[..n]).into_owned();
                sink.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push_str(&text);
            }
        });
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("read");
        let Some(url) = line.trim().strip_prefix("clarifai-emulator listening on ") else {
            let _ = child.kill();
            let _ = child.wait();
            std::thread::sleep(Duration::from_millis(50));
            let err = stderr.lock().unwrap_or_else(|e| e.into_inner()).clone();
            panic!("the emulator did not start: {line:?} {err}");
        };
        let url = url.to_string();
        Proc {
            child,
            url,
            stderr,
            _stdout: stdout,
        }
    }

    /// SIGKILL: the process gets no chance to finish anything.
    pub fn kill_9(mut self) {
        self.child.kill().expect("kill -9");
        let _ = self.child.wait();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs the binary to its end (it is expected to fail at start); returns (success, stdout,
/// stderr).
pub fn run_to_end(args: &[&str]) -> (bool, String, String) {
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the emulator");
    // A start that wrongly succeeds would serve forever: give it a few seconds.
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while child.try_wait().expect("wait").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("output");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// An image server on a loopback port: `/img.png` answers `png`, but only once released while
/// held. Counts the requests that arrived.
#[derive(Clone)]
pub struct HeldImage {
    pub url: String,
    held: Arc<AtomicBool>,
    pub requests: Arc<AtomicUsize>,
}

impl HeldImage {
    pub async fn start(png: Vec<u8>, held: bool) -> HeldImage {
        use axum::routing::get;
        let hold = Arc::new(AtomicBool::new(held));
        let requests = Arc::new(AtomicUsize::new(0));
        let (h, r) = (hold.clone(), requests.clone());
        let app = axum::Router::new().route(
            "/img.png",
            get(move || {
                let (png, h, r) = (png.clone(), h.clone(), r.clone());
                async move {
                    r.fetch_add(1, Ordering::SeqCst);
                    while h.load(Ordering::SeqCst) {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                    }
                    ([("content-type", "image/png")], png)
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        HeldImage {
            url: format!("http://{addr}/img.png"),
            held: hold,
            requests,
        }
    }

    pub fn release(&self) {
        self.held.store(false, Ordering::SeqCst);
    }

    /// Waits (up to 10 s) until `n` requests have arrived.
    pub async fn wait_requests(&self, n: usize) {
        for _ in 0..1000 {
            if self.requests.load(Ordering::SeqCst) >= n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("the image was never requested");
    }
}
