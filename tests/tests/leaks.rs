//! No path leaks a key's secret: a sentinel secret is used as the key through every public path,
//! and every text the library (and the emulator) produces on the way is searched for it.
//!
//! The sentinel is [`SENTINEL`]; a text leaks when it holds the sentinel or any 12 consecutive
//! characters of it (so a cut or re-encoded copy is caught too). Every check is recorded with a
//! label saying where the text came from; at the end of each test, every leak is listed with its
//! label and the text around it, and the test fails.
//!
//! # Covered
//!
//! * **Keys**: `Debug` (`{:?}` and `{:#?}`) of `#[scoped_key]` types (`All`, one scope, several
//!   scopes), [`PatKey`], [`UnverifiedKey`], a narrowed key, `Client::key()`. (Key types have no
//!   `Display`.)
//! * **`KeyError`**: `{}` / `{:?}` of the secret with a newline, a trailing newline, a space, a
//!   tab, a NUL, a non-ASCII character, empty; for scoped keys, `PatKey` and `UnverifiedKey`;
//!   and, in a child process (the environment cannot be changed in-process without `unsafe`),
//!   `from_env` with a bad value (newline, space, not UTF-8), and the panic of `unwrap()` on them.
//! * **Clients and builders**: `{:?}` / `{:#?}` of `ClientBuilder` and `Client` for scoped keys,
//!   a PAT (with user and app ids), an `UnverifiedKey`, a narrowed and a confirmed client.
//! * **Requests**: `Debug` of `Call` (predict, list inputs, get input, add keys, patch keys) and
//!   of the request models (`PostModelOutputsRequest`, `PostKeysRequest`, `PatchKeysRequest`),
//!   and `Call::path()`.
//! * **Errors, every variant the client produces**, driven against the in-process emulator and
//!   small local TCP servers: `InsufficientScopes` (11007: a key holding fewer scopes than its
//!   type; strict mode), `InvalidKey` (11008: an expired key, a key for another app, a secret the
//!   server finds malformed, a PAT on a short path), `UnknownKey` (11009), `Throttled` (11005
//!   injected, and the real rate limit with `Retry-After`), `NotFound`, `BadRequest` (batch too
//!   big), `Partial` (mixed batch 10010, all failed 10020), `Api` (503 and 500 injected),
//!   `Transport` (a closed port, a connection dropped by fault injection, a timeout, a body cut
//!   by the peer), `Decode` (an HTML page, a body truncated by fault injection, an empty body),
//!   `Usage` (an empty path parameter, a bad base URL, a PAT client without ids),
//!   `ScopesNotGranted` (`verify_scopes`, `confirm`), `GaveUp` (three failed attempts: 503, 500,
//!   a dropped connection). Clients are built with `RetryPolicy::never()` so that each scenario
//!   gets its own variant (a transient error then still comes wrapped in a one-attempt `GaveUp`,
//!   whose `last` is checked to be the intended variant). For each: `{}`, `{:?}`, `{:#?}`, every
//!   `source()` in the chain (`{}` and `{:?}`), and the panic messages of `unwrap()` and
//!   `expect()` on the `Result` (caught with `catch_unwind`, read by a panic hook).
//!   `ScopeReport` (`{}`, `{:?}`).
//! * **Responses**: `Debug` of successful responses, among them `MultiKeyResponse` and
//!   `SingleKeyResponse`, whose key objects (`ApiKey`) have the sentinel as their `id`
//!   (`KeySecret`), and `ApiKey` / `KeySecret` made by hand.
//! * **The blocking client and paging** (`BlockingClient`, `Pages`, `Items`, the blocking page and
//!   item iterators): `Debug`, and the results and errors (`NotFound`, `Usage` inside an async
//!   context, `Decode`, `Api` of a page) they give, against the emulator.
//! * **Tracing**: everything logged at `TRACE` for every target (`clarifai_typed`, `reqwest` via
//!   `log`, `hyper_util`, ...) during the real calls of each test, captured by a
//!   `tracing-subscriber` writer into a buffer (checked to be non-empty and to hold the client's
//!   own events).
//! * **The emulator's answers**: status line, headers and body of its error answers for requests
//!   carrying the sentinel as the key (unknown, malformed, `Bearer`, expired, lacking a scope, an
//!   app key on a PAT-only endpoint, rate limited) or as a key id (`GetKey`, `DeleteKey`,
//!   `PatchKeys` of an unknown id, `PostKeys` with a bad scope), read raw over TCP.
//!
//! Key ids are secrets too (the API's `Key.id` is what goes into the `Authorization` header), so
//! `a_key_id_is_never_shown` runs the key-management paths with the sentinel as a key id.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{Debug, Display};
use std::io::Write as _;
use std::net::SocketAddr;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use clarifai_emulator::{Emulator, Fault, Mode};
use clarifai_typed::client::RetryPolicy;
use clarifai_typed::models::{
    ApiKey, Input, KeySecret, PatchAction, PatchKeysRequest, PostKeysRequest,
    PostModelOutputsRequest,
};
use clarifai_typed::{Client, Error, Key, PatKey, Scope, UnverifiedKey, scope, scoped_key};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::util::SubscriberInitExt;

/// The secret used as the key (and as a key id) everywhere.
pub const SENTINEL: &str = "sentinelSECRET0123456789abcdefXYZ";

/// Every scope.
#[scoped_key(All)]
pub struct FullKey;

/// Predicting only.
#[scoped_key(Predict)]
pub struct PredictOnly;

/// Predict and add inputs.
#[scoped_key(Predict, AddInputs)]
pub struct TaggerKey;

/// Predict, add inputs, read concepts, search.
#[scoped_key(Predict, AddInputs, GetConcepts, Search)]
pub struct Claims;

// ---------------------------------------------------------------------------------------------
// Finding the sentinel.

/// Where in `text` the sentinel (or 12 consecutive characters of it) starts.
fn leak_in(text: &str) -> Option<usize> {
    let chars: Vec<char> = SENTINEL.chars().collect();
    let lower = text.to_lowercase();
    chars
        .windows(12)
        .map(|w| w.iter().collect::<String>())
        .find_map(|w| text.find(&w).or_else(|| lower.find(&w.to_lowercase())))
}

/// Collects what was checked and what leaked.
#[derive(Default)]
struct Probe {
    checks: usize,
    leaks: Vec<String>,
    variants: BTreeSet<String>,
}

impl Probe {
    fn text(&mut self, label: impl Display, text: &str) {
        self.checks += 1;
        if let Some(at) = leak_in(text) {
            let start = text.floor_char_boundary(at.saturating_sub(160));
            let end = text.ceil_char_boundary((at + 200).min(text.len()));
            self.leaks.push(format!(
                "LEAK in {label} (at byte {at} of {}):\n    ...{}...",
                text.len(),
                &text[start..end]
            ));
        }
    }

    fn debug<T: Debug + ?Sized>(&mut self, label: impl Display, value: &T) {
        self.text(format!("{label} {{:?}}"), &format!("{value:?}"));
        self.text(format!("{label} {{:#?}}"), &format!("{value:#?}"));
    }

    fn both<T: Debug + Display + ?Sized>(&mut self, label: impl Display, value: &T) {
        self.text(format!("{label} {{}}"), &value.to_string());
        self.debug(label, value);
    }

    /// `{}`, `{:?}`, `{:#?}` and the `source()` chain of an error.
    fn error<E: std::error::Error + ?Sized>(&mut self, label: impl Display, err: &E) {
        let label = label.to_string();
        self.both(&label, err);
        let mut source = err.source();
        let mut depth = 0;
        while let Some(s) = source {
            depth += 1;
            self.both(format!("{label} source #{depth}"), s);
            source = s.source();
        }
    }

    /// Everything about a call's result; for an error, also the panics of `unwrap` and `expect`.
    /// Returns the error variant's name ("Ok" for a success).
    fn outcome<T: Debug>(&mut self, label: &str, result: &Result<T, Error>) -> String {
        match result {
            Ok(value) => {
                self.debug(format!("{label}: Ok response"), value);
                "Ok".to_owned()
            }
            Err(err) => {
                let variant: String = format!("{err:?}")
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect();
                self.error(format!("{label}: Error::{variant}"), err);
                self.debug(format!("{label}: Error::{variant} status()"), &err.status());
                let unwrap = panic_text(|| {
                    let _ = result.as_ref().unwrap();
                });
                self.text(
                    format!("{label}: panic of unwrap() on Error::{variant}"),
                    &unwrap,
                );
                let expect = panic_text(|| {
                    let _ = result.as_ref().expect("the call failed");
                });
                self.text(
                    format!("{label}: panic of expect() on Error::{variant}"),
                    &expect,
                );
                self.variants.insert(variant.clone());
                // A call that gave up (even after one attempt) wraps the error of its last one.
                if let Error::GaveUp { last, .. } = err {
                    let inner: String = format!("{last:?}")
                        .chars()
                        .take_while(char::is_ascii_alphanumeric)
                        .collect();
                    self.variants.insert(inner.clone());
                    return format!("{variant}/{inner}");
                }
                variant
            }
        }
    }

    /// As `outcome`, and the variant must be `want`.
    fn expect<T: Debug>(&mut self, label: &str, want: &str, result: &Result<T, Error>) {
        let got = self.outcome(label, result);
        assert!(
            got == want
                || got.starts_with(&format!("{want}/"))
                || got.ends_with(&format!("/{want}")),
            "{label}: the scenario did not produce the variant it exists for ({want}, got {got}): {result:?}"
        );
    }

    /// Fails, listing every leak, if any was found.
    fn finish(self, what: &str) {
        println!(
            "{what}: {} texts checked, error variants seen: {:?}",
            self.checks, self.variants
        );
        assert!(
            self.leaks.is_empty(),
            "\n\n{what}: the sentinel secret {SENTINEL:?} leaked {} time(s):\n\n{}\n",
            self.leaks.len(),
            self.leaks.join("\n\n")
        );
    }
}

/// Runs `f`, which must panic, and returns what a panic hook saw plus the payload.
fn panic_text(f: impl FnOnce()) -> String {
    static HOOK: Mutex<()> = Mutex::new(());
    let _one_at_a_time = HOOK.lock().unwrap_or_else(|e| e.into_inner());
    let seen = Arc::new(Mutex::new(String::new()));
    let into = Arc::clone(&seen);
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if let Ok(mut s) = into.lock() {
            s.push_str(&info.to_string());
        }
    }));
    let result = std::panic::catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    let payload = match result {
        Ok(()) => panic!("expected a panic"),
        Err(p) => p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default(),
    };
    let hook = seen.lock().unwrap().clone();
    assert!(!hook.is_empty(), "the panic hook saw nothing");
    format!("{hook}\n{payload}")
}

// ---------------------------------------------------------------------------------------------
// Capturing tracing output.

/// A `MakeWriter` appending to a shared buffer.
#[derive(Clone, Default)]
struct Traces(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Traces {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Traces {
    type Writer = Traces;
    fn make_writer(&'a self) -> Traces {
        self.clone()
    }
}

impl Traces {
    /// Captures every event and span of every target at TRACE on this thread (the tests run on
    /// a current-thread runtime, so the client's, hyper's and the emulator's tasks are on it);
    /// `log` records (reqwest) are bridged into tracing.
    fn capture() -> (Traces, impl Sized) {
        let traces = Traces::default();
        let guard = tracing_subscriber::fmt()
            .with_max_level(tracing_subscriber::filter::LevelFilter::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .with_writer(traces.clone())
            .set_default();
        (traces, guard)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// Checks the capture: it must have seen the client's own events and some of the HTTP
    /// stack's; prints how many lines each target wrote.
    fn check(&self, probe: &mut Probe, what: &str) {
        let text = self.text();
        let mut targets: BTreeMap<String, usize> = BTreeMap::new();
        for line in text.lines() {
            if let Some(target) = line
                .split_whitespace()
                .find(|w| w.ends_with(':') && w.chars().any(|c| c.is_ascii_alphabetic()))
            {
                *targets
                    .entry(
                        target
                            .trim_end_matches(':')
                            .split("::")
                            .next()
                            .unwrap()
                            .to_owned(),
                    )
                    .or_default() += 1;
            }
        }
        println!(
            "{what}: {} bytes of TRACE output, lines per target: {targets:?}",
            text.len()
        );
        assert!(
            text.contains("clarifai request") && text.contains("clarifai response"),
            "the capture did not see the client's events"
        );
        assert!(
            targets
                .keys()
                .any(|t| t.starts_with("hyper") || t.starts_with("reqwest")),
            "the capture did not see the HTTP stack: {targets:?}"
        );
        probe.text(format!("{what}: tracing output at TRACE"), &text);
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers.

use clarifai_emulator::samples::solid_png as png;

fn client<K: Key>(base: &str, key: K) -> Client<K> {
    Client::builder(key)
        .base_url(base)
        .retry(RetryPolicy::never())
        .build()
        .unwrap()
}

fn all() -> Vec<Scope> {
    vec![Scope::of::<scope::All>()]
}

/// A server answering every request with `answer` (raw HTTP), after reading the request.
async fn canned_server(answer: Vec<u8>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            read_request(&mut socket).await;
            let _ = socket.write_all(&answer).await;
            let _ = socket.shutdown().await;
        }
    });
    addr
}

/// Reads one request's head and its `content-length` body.
async fn read_request(socket: &mut tokio::net::TcpStream) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let Ok(n) = socket.read(&mut chunk).await else {
            return;
        };
        if n == 0 {
            return;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                return;
            }
        }
    }
}

fn http_answer(status: &str, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\ncontent-length: {}\r\nconnection: close\r\n{headers}\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Sends a raw HTTP/1.1 request and returns the whole answer (status line, headers, body).
async fn raw(addr: SocketAddr, method: &str, path: &str, auth: &str, body: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\nauthorization: {auth}\r\n\
         content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

// ---------------------------------------------------------------------------------------------
// Keys, key errors, clients, requests: no server needed.

#[test]
fn keys_key_errors_clients_and_requests_never_show_the_secret() {
    let mut probe = Probe::default();

    let full = FullKey::new(SENTINEL).unwrap();
    probe.debug("FullKey (All)", &full);
    probe.debug("PredictOnly", &PredictOnly::new(SENTINEL).unwrap());
    probe.debug("Claims (4 scopes)", &Claims::new(SENTINEL).unwrap());
    probe.debug("PatKey", &PatKey::new(SENTINEL).unwrap());
    probe.debug("UnverifiedKey", &UnverifiedKey::new(SENTINEL).unwrap());
    let narrowed: TaggerKey = full.clone().narrow();
    probe.debug("a narrowed key (FullKey -> TaggerKey)", &narrowed);

    for (what, secret) in [
        ("a newline inside", format!("{SENTINEL}\n{SENTINEL}")),
        ("a trailing newline", format!("{SENTINEL}\n")),
        ("a CRLF", format!("{SENTINEL}\r\n")),
        ("a space", format!("{SENTINEL} {SENTINEL}")),
        ("a tab", format!("\t{SENTINEL}")),
        ("a NUL", format!("{SENTINEL}\0")),
        (
            "a non-ASCII character",
            format!("{SENTINEL}\u{e9}{SENTINEL}"),
        ),
        ("a DEL", format!("{SENTINEL}\u{7f}")),
    ] {
        let e = FullKey::new(secret.clone()).unwrap_err();
        probe.error(format!("KeyError of FullKey::new with {what}"), &e);
        let e = PatKey::new(secret.clone()).unwrap_err();
        probe.error(format!("KeyError of PatKey::new with {what}"), &e);
        let e = UnverifiedKey::new(secret.clone()).unwrap_err();
        probe.error(format!("KeyError of UnverifiedKey::new with {what}"), &e);
        let unwrap = panic_text(|| {
            PredictOnly::new(secret.clone()).unwrap();
        });
        probe.text(
            format!("panic of unwrap() on KeyError with {what}"),
            &unwrap,
        );
    }
    probe.error(
        "KeyError of an empty secret",
        &FullKey::new("").unwrap_err(),
    );

    // Builders and clients.
    let builder = Client::builder(FullKey::new(SENTINEL).unwrap())
        .base_url("http://127.0.0.1:9")
        .user_agent("leaks-test")
        .timeout(Some(Duration::from_secs(1)));
    probe.debug("ClientBuilder<FullKey>", &builder);
    let app = builder.build().unwrap();
    probe.debug("Client<FullKey>", &app);
    probe.debug("Client<FullKey>::key()", app.key());
    let narrow: Client<PredictOnly> = app.narrow();
    probe.debug("a narrowed Client<PredictOnly>", &narrow);
    let pat_builder = Client::builder(PatKey::new(SENTINEL).unwrap())
        .base_url("http://127.0.0.1:9")
        .user_app("me", "main");
    probe.debug("ClientBuilder<PatKey>", &pat_builder);
    let pat = pat_builder.build().unwrap();
    probe.debug("Client<PatKey>", &pat);
    let unverified = client("http://127.0.0.1:9", UnverifiedKey::new(SENTINEL).unwrap());
    probe.debug("Client<UnverifiedKey>", &unverified);

    // Requests.
    let call = app
        .predict("general-image-recognition")
        .input(Input::from_bytes(png([1, 2, 3])))
        .input(Input::from_url(
            "https://samples.clarifai.com/metro-north.jpg",
        ));
    probe.debug("Call<PostModelOutputsRequest>", &call);
    probe.debug("PostModelOutputsRequest", call.as_request());
    probe.text("Call::path() of predict", &call.path().unwrap());
    let request: &PostModelOutputsRequest = call.as_request();
    probe.text(
        "PostModelOutputsRequest as JSON",
        &serde_json::to_string(request).unwrap(),
    );
    probe.debug("Call<ListInputsRequest>", &app.list_inputs().page(2, 10));
    probe.debug("Call<GetInputRequest>", &app.get_input("some-input"));
    let add_keys = pat.add_keys().api_key(ApiKey::for_app(
        "ci",
        "me",
        "main",
        [Scope::of::<scope::Predict>()],
    ));
    probe.debug("Call<PostKeysRequest>", &add_keys);
    probe.debug(
        "PostKeysRequest",
        &PostKeysRequest::new([ApiKey::for_app("ci", "me", "main", all())]),
    );
    probe.finish("keys, key errors, clients, requests");
}

/// Not a test on its own: run by `key_errors_from_the_environment_never_show_the_secret` in a
/// child process whose environment holds bad keys. Prints every error it gets.
#[test]
fn env_child() {
    if std::env::var_os("CLARIFAI_LEAKS_CHILD").is_none() {
        return;
    }
    let mut out = std::io::stdout().lock();
    for var in [
        "CLARIFAI_LEAKS_NEWLINE",
        "CLARIFAI_LEAKS_SPACE",
        "CLARIFAI_LEAKS_NOT_UTF8",
        "CLARIFAI_LEAKS_NOT_SET",
    ] {
        let e = FullKey::from_env(var).unwrap_err();
        writeln!(out, "FullKey::from_env({var}): {e} / {e:?} / {e:#?}").unwrap();
        let e = PatKey::from_env(var).unwrap_err();
        writeln!(out, "PatKey::from_env({var}): {e} / {e:?}").unwrap();
        let e = UnverifiedKey::from_env(var).unwrap_err();
        writeln!(out, "UnverifiedKey::from_env({var}): {e} / {e:?}").unwrap();
    }
    // A good key from the environment, and a bad base URL from the environment.
    let key = FullKey::from_env("CLARIFAI_LEAKS_GOOD").unwrap();
    writeln!(out, "FullKey::from_env(CLARIFAI_LEAKS_GOOD): {key:?}").unwrap();
    let e = Client::new(key).unwrap_err();
    writeln!(out, "Client::new with a bad CLARIFAI_API_BASE: {e} / {e:?}").unwrap();
    writeln!(out, "CHILD RAN TO THE END").unwrap();
    drop(out);
    // The default panic hook prints to stderr, which the parent reads.
    FullKey::from_env("CLARIFAI_LEAKS_NEWLINE").unwrap();
}

#[test]
fn key_errors_from_the_environment_never_show_the_secret() {
    use std::os::unix::ffi::OsStringExt;
    let mut not_utf8 = SENTINEL.as_bytes().to_vec();
    not_utf8.push(0xff);
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "env_child", "--nocapture", "--test-threads=1"])
        .env("CLARIFAI_LEAKS_CHILD", "1")
        .env("CLARIFAI_LEAKS_NEWLINE", format!("{SENTINEL}\n"))
        .env("CLARIFAI_LEAKS_SPACE", format!("{SENTINEL} {SENTINEL}"))
        .env(
            "CLARIFAI_LEAKS_NOT_UTF8",
            std::ffi::OsString::from_vec(not_utf8),
        )
        .env_remove("CLARIFAI_LEAKS_NOT_SET")
        .env("CLARIFAI_LEAKS_GOOD", SENTINEL)
        .env("CLARIFAI_API_BASE", "not a url")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stdout.contains("CHILD RAN TO THE END") && stderr.contains("panicked"),
        "the child did not run as planned:\n{stdout}\n{stderr}"
    );
    let mut probe = Probe::default();
    probe.text(
        "KeyError of from_env (newline, space, not UTF-8, unset), Client::new (child stdout)",
        &stdout,
    );
    probe.text(
        "panic of unwrap() on a from_env KeyError (child stderr)",
        &stderr,
    );
    probe.finish("key errors from the environment");
}

// ---------------------------------------------------------------------------------------------
// Every error variant, with real calls.

#[tokio::test]
async fn every_error_variant_and_all_tracing_output_never_show_the_secret() {
    let (traces, _guard) = Traces::capture();
    let mut p = Probe::default();

    // The sentinel is a real key of this emulator, holding every scope.
    let emu = Emulator::builder()
        .key(SENTINEL, &all())
        .start()
        .await
        .unwrap();
    let base = emu.base_url();
    let app = client(&base, FullKey::new(SENTINEL).unwrap());

    // Successes (their traces are checked too).
    let r = app
        .add_inputs()
        .input(Input::from_bytes(png([250, 10, 10])).with_id("red"))
        .await;
    p.expect("PostInputs", "Ok", &r);
    emu.wait_idle().await;
    p.expect("ListInputs", "Ok", &app.list_inputs().await);
    p.expect("MyScopes", "Ok", &app.my_scopes().await);
    let r = app
        .predict("general-image-recognition")
        .input(Input::from_bytes(png([10, 250, 10])))
        .await;
    p.expect("PostModelOutputs", "Ok", &r);
    let report = app.verify_scopes().await.unwrap();
    p.both("ScopeReport of verify_scopes (all held)", &report);

    // NotFound, BadRequest.
    p.expect(
        "GetInput of a missing input",
        "NotFound",
        &app.get_input("nope").await,
    );
    let r = app
        .add_inputs()
        .inputs((0..129).map(|i| Input::from_url(format!("http://127.0.0.1:9/{i}.png"))))
        .await;
    p.expect("PostInputs of 129 inputs", "BadRequest", &r);

    // Partial: one input of two fails (10010), every input fails (10020).
    let r = app
        .predict("color-recognition")
        .input(Input::from_bytes(png([1, 2, 3])))
        .input(Input::from_bytes(b"not an image".to_vec()))
        .await;
    p.expect("PostModelOutputs, one bad input of two", "Partial", &r);
    let r = app
        .predict("color-recognition")
        .input(Input::from_bytes(b"not an image".to_vec()))
        .await;
    p.expect("PostModelOutputs, every input bad", "Partial", &r);

    // Throttled: injected, then the real rate limit (with Retry-After).
    emu.fail_next(1, Fault::Throttle);
    p.expect(
        "ListInputs, 11005 injected",
        "Throttled",
        &app.list_inputs().await,
    );
    emu.set_rate(Some(1));
    let mut throttled = None;
    for _ in 0..5 {
        if let Err(e) = app.list_inputs().await {
            throttled = Some(e);
            break;
        }
    }
    emu.set_rate(None);
    p.expect(
        "ListInputs past the emulator's rate limit",
        "Throttled",
        &Err::<(), _>(throttled.expect("the rate limit never applied")),
    );

    // Api: 503 and 500.
    emu.fail_next(1, Fault::Unavailable);
    p.expect("ListInputs, 503 injected", "Api", &app.list_inputs().await);
    emu.fail_next(1, Fault::Internal);
    p.expect("ListInputs, 500 injected", "Api", &app.list_inputs().await);

    // Decode: a body cut in half by the emulator.
    emu.fail_next(1, Fault::TruncatedBody);
    p.expect(
        "ListInputs, body truncated",
        "Decode",
        &app.list_inputs().await,
    );
    emu.fail_next(1, Fault::TruncatedBody);
    p.expect("MyScopes, body truncated", "Decode", &app.my_scopes().await);

    // Transport: the connection dropped, a timeout, a closed port.
    emu.fail_next(1, Fault::DropConnection);
    p.expect(
        "ListInputs, connection dropped",
        "Transport",
        &app.list_inputs().await,
    );
    let impatient = Client::builder(FullKey::new(SENTINEL).unwrap())
        .base_url(&base)
        .retry(RetryPolicy::never())
        .timeout(Some(Duration::from_millis(200)))
        .build()
        .unwrap();
    emu.fail_next(1, Fault::Delay(Duration::from_secs(2)));
    p.expect(
        "ListInputs, timed out",
        "Transport",
        &impatient.list_inputs().await,
    );
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap()
    };
    let nowhere = client(&format!("http://{closed}"), FullKey::new(SENTINEL).unwrap());
    p.expect(
        "ListInputs to a closed port",
        "Transport",
        &nowhere.list_inputs().await,
    );

    // GaveUp: retried, and every attempt failed.
    let patient = Client::builder(FullKey::new(SENTINEL).unwrap())
        .base_url(&base)
        .retry(
            RetryPolicy::default()
                .max_attempts(3)
                .backoff(Duration::from_millis(5), Duration::from_millis(20)),
        )
        .build()
        .unwrap();
    emu.fail_next(1, Fault::Unavailable);
    emu.fail_next(1, Fault::Internal);
    emu.fail_next(1, Fault::DropConnection);
    p.expect(
        "ListInputs, 3 attempts failed",
        "GaveUp",
        &patient.list_inputs().await,
    );

    // Usage.
    p.expect(
        "GetInput with an empty id",
        "Usage",
        &app.get_input("").await,
    );
    let r = Client::builder(FullKey::new(SENTINEL).unwrap())
        .base_url("ftp://127.0.0.1")
        .build();
    p.expect("ClientBuilder::build with an ftp URL", "Usage", &r);
    let r = Client::builder(PatKey::new(SENTINEL).unwrap())
        .base_url(&base)
        .build();
    p.expect(
        "ClientBuilder::build of a PAT client without ids",
        "Usage",
        &r,
    );

    // InvalidKey: for another app, then expired.
    let other_app = Client::builder(FullKey::new(SENTINEL).unwrap())
        .base_url(&base)
        .retry(RetryPolicy::never())
        .user_app(emu.user_id(), "another-app")
        .build()
        .unwrap();
    emu.create_app("another-app");
    p.expect(
        "ListInputs of another app",
        "InvalidKey",
        &other_app.list_inputs().await,
    );
    assert!(emu.set_key_expiry(SENTINEL, Some("2001-01-01T00:00:00Z")));
    p.expect(
        "ListInputs with an expired key",
        "InvalidKey",
        &app.list_inputs().await,
    );
    drop(emu);

    // A secret the server finds malformed (the client accepts printable ASCII).
    let emu = Emulator::builder().start().await.unwrap();
    let odd = client(
        &emu.base_url(),
        FullKey::new(format!("{SENTINEL}.")).unwrap(),
    );
    p.expect(
        "ListInputs with a malformed secret",
        "InvalidKey",
        &odd.list_inputs().await,
    );
    // UnknownKey.
    let unknown = client(&emu.base_url(), FullKey::new(SENTINEL).unwrap());
    p.expect(
        "ListInputs with an unknown key",
        "UnknownKey",
        &unknown.list_inputs().await,
    );
    let unknown = client(&emu.base_url(), UnverifiedKey::new(SENTINEL).unwrap());
    let r = unknown.confirm::<PredictOnly>().await;
    p.expect("confirm with an unknown key", "UnknownKey", &r.map(|_| ()));
    drop(emu);

    // A key holding fewer scopes than its type: 11007 and ScopesNotGranted.
    let emu = Emulator::builder()
        .key(SENTINEL, &[Scope::of::<scope::Predict>()])
        .start()
        .await
        .unwrap();
    let tagger = client(&emu.base_url(), TaggerKey::new(SENTINEL).unwrap());
    let r = tagger
        .add_inputs()
        .input(Input::from_bytes(png([3, 3, 3])))
        .await;
    p.expect(
        "PostInputs by a key lacking Inputs:Add",
        "InsufficientScopes",
        &r,
    );
    let r = tagger
        .verify_scopes()
        .await
        .and_then(clarifai_typed::ScopeReport::into_result);
    p.expect(
        "verify_scopes of a key lacking a scope",
        "ScopesNotGranted",
        &r,
    );
    if let Err(Error::ScopesNotGranted(report)) = &r {
        p.both("ScopeReport (missing scopes)", report.as_ref());
    }
    let unverified = client(&emu.base_url(), UnverifiedKey::new(SENTINEL).unwrap());
    let r = unverified.confirm::<TaggerKey>().await;
    p.expect(
        "confirm::<TaggerKey> of a Predict key",
        "ScopesNotGranted",
        &r.map(|_| ()),
    );
    let confirmed: Client<PredictOnly> = unverified.confirm().await.unwrap();
    p.debug("a confirmed Client<PredictOnly>", &confirmed);
    // Strict mode: a missing depending scope is 11007 too.
    emu.set_mode(Mode::Strict);
    let predictor = client(&emu.base_url(), PredictOnly::new(SENTINEL).unwrap());
    let r = predictor
        .predict("general-image-recognition")
        .input(Input::from_bytes(png([9, 9, 9])))
        .await;
    p.expect("PostModelOutputs in strict mode", "InsufficientScopes", &r);
    drop(emu);

    // A PAT on an app's short path: 11008.
    let emu = Emulator::builder().pat(SENTINEL).start().await.unwrap();
    let pat_short = client(&emu.base_url(), UnverifiedKey::new(SENTINEL).unwrap());
    p.expect(
        "MyScopes by a PAT on a short path",
        "InvalidKey",
        &pat_short.my_scopes().await,
    );
    drop(emu);

    // Local servers: an HTML page, an empty body, a body cut by the peer.
    let html = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>\
                <p>The proxy could not reach the upstream server.</p></body></html>";
    let addr = canned_server(http_answer(
        "502 Bad Gateway",
        "content-type: text/html\r\n",
        html,
    ))
    .await;
    let proxied = client(&format!("http://{addr}"), FullKey::new(SENTINEL).unwrap());
    p.expect(
        "ListInputs answered by an HTML page",
        "Decode",
        &proxied.list_inputs().await,
    );
    let addr = canned_server(http_answer("200 OK", "", "")).await;
    let empty = client(&format!("http://{addr}"), FullKey::new(SENTINEL).unwrap());
    p.expect(
        "ListInputs answered by an empty body",
        "Decode",
        &empty.list_inputs().await,
    );
    let cut = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\
                connection: close\r\n\r\n{\"status\":{\"code\":10000"
        .to_vec();
    let addr = canned_server(cut).await;
    let cut_client = client(&format!("http://{addr}"), FullKey::new(SENTINEL).unwrap());
    p.expect(
        "ListInputs whose body the peer cut",
        "Transport",
        &cut_client.list_inputs().await,
    );

    let want: BTreeSet<String> = [
        "InsufficientScopes",
        "InvalidKey",
        "UnknownKey",
        "Throttled",
        "NotFound",
        "BadRequest",
        "Partial",
        "Api",
        "Transport",
        "Decode",
        "Usage",
        "ScopesNotGranted",
        "GaveUp",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    let missed: Vec<_> = want.difference(&p.variants).collect();
    assert!(
        missed.is_empty(),
        "error variants not exercised: {missed:?}"
    );

    traces.check(&mut p, "every error variant");
    p.finish("every error variant");
}

// ---------------------------------------------------------------------------------------------
// Key ids are secrets.

#[tokio::test]
async fn a_key_id_is_never_shown() {
    let (traces, _guard) = Traces::capture();
    let mut p = Probe::default();

    let mut by_hand = ApiKey::for_app("by hand", "me", "main", all());
    by_hand.id = KeySecret::new(SENTINEL);
    p.debug("ApiKey with the sentinel as id", &by_hand);
    p.debug("KeySecret", &by_hand.id);
    let mut patch = PatchKeysRequest::default();
    patch.keys.push(by_hand.clone());
    patch.action = PatchAction::OVERWRITE;
    p.debug("PatchKeysRequest", &patch);

    // The sentinel is the PAT: its own key object (id = the secret) is listed by ListKeys.
    let emu = Emulator::builder().pat(SENTINEL).start().await.unwrap();
    let pat = Client::builder(PatKey::new(SENTINEL).unwrap())
        .base_url(emu.base_url())
        .retry(RetryPolicy::never())
        .user_app(emu.user_id(), emu.app_id())
        .build()
        .unwrap();
    let listed = pat.list_keys().await;
    assert!(
        listed
            .as_ref()
            .unwrap()
            .keys
            .iter()
            .any(|k| k.id.expose_secret() == SENTINEL),
        "the PAT is not listed"
    );
    p.expect("ListKeys (MultiKeyResponse)", "Ok", &listed);
    p.expect(
        "GetKey (SingleKeyResponse)",
        "Ok",
        &pat.get_key(SENTINEL).await,
    );
    let call = pat.patch_keys().request(patch.clone());
    p.debug("Call<PatchKeysRequest>", &call);
    p.expect("PatchKeys of the PAT itself", "Ok", &call.await);

    // The key id is a path parameter of GetKey and DeleteKey.
    let call = pat.get_key(SENTINEL);
    p.debug("Call<GetKeyRequest> of the sentinel id", &call);
    p.debug(
        "Call<DeleteKeyRequest> of the sentinel id",
        &pat.delete_key(SENTINEL),
    );

    // A decode error of a key-management answer: its excerpt is the body's start.
    emu.fail_next(1, Fault::TruncatedBody);
    p.expect("ListKeys, body truncated", "Decode", &pat.list_keys().await);

    // A partial failure of PatchKeys (from a local server): the answer lists key objects.
    let body = serde_json::json!({
        "status": {"code": 10010, "description": "Mixed Success"},
        "keys": [
            {"id": SENTINEL, "description": "renamed", "scopes": ["All"],
             "status": {"code": 10000, "description": "Ok"}},
            {"id": format!("{SENTINEL}2"), "status": {"code": 11101, "description": "not found"}}
        ]
    })
    .to_string();
    let addr = canned_server(http_answer(
        "207 Multi-Status",
        "content-type: application/json\r\n",
        &body,
    ))
    .await;
    let mixed = Client::builder(PatKey::new("another-secret-value").unwrap())
        .base_url(format!("http://{addr}"))
        .retry(RetryPolicy::never())
        .user_app("me", "main")
        .build()
        .unwrap();
    let r = mixed.patch_keys().request(patch).await;
    p.expect("PatchKeys answered 10010 (mixed)", "Partial", &r);

    traces.check(&mut p, "key ids");
    p.finish("key ids");
}

// ---------------------------------------------------------------------------------------------
// The emulator's own answers.

#[tokio::test]
async fn the_emulators_error_answers_never_echo_the_secret() {
    let mut p = Probe::default();
    let limited = "limitedKEY0123456789";
    let pat = "patKEY0123456789abcdef";
    let emu = Emulator::builder()
        .key(limited, &[Scope::of::<scope::Predict>()])
        .pat(pat)
        .start()
        .await
        .unwrap();
    let addr = emu.local_addr();
    let key = format!("Key {SENTINEL}");
    let cases: Vec<(&str, &str, String, String, String)> = vec![
        (
            "an unknown key",
            "GET",
            "/v2/inputs".into(),
            key.clone(),
            String::new(),
        ),
        (
            "a malformed key",
            "GET",
            "/v2/inputs".into(),
            format!("Key {SENTINEL}.!"),
            String::new(),
        ),
        (
            "a Bearer token",
            "GET",
            "/v2/inputs".into(),
            format!("Bearer {SENTINEL}"),
            String::new(),
        ),
        (
            "the key twice",
            "GET",
            "/v2/inputs".into(),
            format!("Key {SENTINEL} {SENTINEL}"),
            String::new(),
        ),
        (
            "an unknown key on a PAT-only path",
            "GET",
            "/v2/users/me/keys".into(),
            key.clone(),
            String::new(),
        ),
        (
            "GetKey of the sentinel id",
            "GET",
            format!("/v2/users/me/keys/{SENTINEL}"),
            format!("Key {pat}"),
            String::new(),
        ),
        (
            "DeleteKey of the sentinel id",
            "DELETE",
            format!("/v2/users/me/keys/{SENTINEL}"),
            format!("Key {pat}"),
            String::new(),
        ),
        (
            "PatchKeys of the sentinel id",
            "PATCH",
            "/v2/users/me/keys".into(),
            format!("Key {pat}"),
            format!(r#"{{"keys":[{{"id":"{SENTINEL}","description":"x"}}],"action":"overwrite"}}"#),
        ),
        (
            "PostKeys with the sentinel id and a bad scope",
            "POST",
            "/v2/users/me/keys".into(),
            format!("Key {pat}"),
            format!(
                r#"{{"keys":[{{"id":"{SENTINEL}","scopes":["NoSuchScope"],"apps":[{{"id":"main"}}]}}]}}"#
            ),
        ),
        (
            "PostKeys with the sentinel as a wrongly typed value",
            "POST",
            "/v2/users/me/keys".into(),
            format!("Key {pat}"),
            format!(r#"{{"keys":"{SENTINEL}"}}"#),
        ),
        (
            "PatchKeys with bad JSON holding the sentinel",
            "PATCH",
            "/v2/users/me/keys".into(),
            format!("Key {pat}"),
            format!(r#"{{"keys":[{{"id":"{SENTINEL}""#),
        ),
        (
            "a key lacking the scope",
            "DELETE",
            "/v2/inputs".into(),
            format!("Key {limited}"),
            r#"{"ids":["a"]}"#.into(),
        ),
    ];
    for (what, method, path, auth, body) in &cases {
        let answer = raw(addr, method, path, auth, body).await;
        let status_line = answer.lines().next().unwrap_or_default().to_owned();
        assert!(
            !status_line.contains(" 200 "),
            "{what}: expected an error answer, got {answer}"
        );
        p.text(
            format!("the emulator's answer to {what} ({status_line})"),
            &answer,
        );
    }
    // Expired, and rate limited.
    let emu = Emulator::builder()
        .key(SENTINEL, &all())
        .rate(1)
        .start()
        .await
        .unwrap();
    let addr = emu.local_addr();
    let mut limited_seen = false;
    for _ in 0..4 {
        let answer = raw(addr, "GET", "/v2/inputs", &key, "").await;
        limited_seen |= answer.contains(" 429 ");
        p.text("the emulator's answers under its rate limit", &answer);
    }
    assert!(limited_seen, "the rate limit never applied");
    emu.set_rate(None);
    emu.set_key_expiry(SENTINEL, Some("2001-01-01T00:00:00Z"));
    let answer = raw(addr, "GET", "/v2/inputs", &key, "").await;
    assert!(answer.contains(" 401 "), "{answer}");
    p.text("the emulator's answer to an expired key", &answer);
    p.finish("the emulator's error answers");
}

// ---------------------------------------------------------------------------------------------
// The blocking client and paging.

#[test]
fn the_blocking_client_and_paging_never_show_the_secret() {
    use clarifai_typed::blocking::BlockingClient;

    let mut p = Probe::default();
    // The emulator runs on a runtime of its own; the blocking client on another, its own.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let emu = rt
        .block_on(Emulator::builder().key(SENTINEL, &all()).start())
        .unwrap();
    let client: BlockingClient<FullKey> = Client::builder(FullKey::new(SENTINEL).unwrap())
        .base_url(emu.base_url())
        .retry(RetryPolicy::never())
        .build_blocking()
        .unwrap();
    p.debug("BlockingClient<FullKey>", &client);
    p.debug(
        "a narrowed BlockingClient<PredictOnly>",
        &client.narrow::<PredictOnly>(),
    );
    let r = client.call(|c| {
        c.add_inputs().inputs(
            (0..3).map(|i| Input::from_bytes(png([i * 80, 10, 10])).with_id(format!("in{i}"))),
        )
    });
    p.expect("blocking PostInputs", "Ok", &r);
    rt.block_on(emu.wait_idle());
    p.expect(
        "blocking ListInputs",
        "Ok",
        &client.send(client.list_inputs()),
    );
    p.expect(
        "blocking GetInput of a missing input",
        "NotFound",
        &client.send(client.get_input("nope")),
    );
    let r = rt.block_on(async { client.send(client.list_inputs()) });
    p.expect("blocking ListInputs inside an async context", "Usage", &r);
    emu.fail_next(1, Fault::TruncatedBody);
    p.expect(
        "blocking ListInputs, body truncated",
        "Decode",
        &client.send(client.list_inputs()),
    );

    // Paging: the streams and iterators themselves, and the items and pages they give.
    p.debug("Pages (async)", &client.list_inputs().page_size(2).pages());
    p.debug("Items (async)", &client.list_inputs().page_size(2).items());
    let pages = client.pages(client.list_inputs().page_size(2));
    p.debug("blocking Iter of pages", &pages);
    for (i, page) in pages.enumerate() {
        p.outcome(&format!("blocking page {i}"), &page);
    }
    let items = client.items(client.list_inputs().page_size(2));
    p.debug("blocking Iter of items", &items);
    for (i, item) in items.enumerate() {
        p.outcome(&format!("blocking item {i}"), &item);
    }
    emu.fail_next(1, Fault::Unavailable);
    for (i, item) in client.items(client.list_inputs().page_size(2)).enumerate() {
        p.outcome(&format!("blocking item {i}, first page 503"), &item);
    }
    assert!(p.variants.contains("Api"), "{:?}", p.variants);
    drop(client);
    drop(emu);
    p.finish("the blocking client and paging");
}

#[test]
fn the_detector_finds_the_sentinel() {
    assert_eq!(leak_in(&format!("x{SENTINEL}")), Some(1));
    assert!(leak_in(&format!("...{}", &SENTINEL[10..24])).is_some());
    assert!(leak_in(&SENTINEL.to_uppercase()).is_some());
    assert!(leak_in("sentinel [redacted]").is_none());
    let mut p = Probe::default();
    p.text("a planted leak", &format!("before {SENTINEL} after"));
    assert_eq!(p.leaks.len(), 1);
    assert!(p.leaks[0].contains("a planted leak"));
}
