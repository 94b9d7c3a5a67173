//! `clarifai-emulator`: runs the local Clarifai API server.
//!
//! ```text
//! clarifai-emulator --listen 127.0.0.1:8080 --user me --app main \
//!     --key 0123abcd=Predict,Inputs:Add --pat my-pat --mode redact --rate 15 --state emu.db
//! ```
//!
//! An argument that holds a secret (`--key`, `--pat`) is never repeated in an error message: clap
//! quotes a refused value, so these two are checked by [`Secret`], whose errors name the problem
//! only.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use clap::builder::TypedValueParser;
use clap::error::ErrorKind;
use clarifai_emulator::{Emulator, Mode};
use clarifai_typed::Scope;

/// A local Clarifai API server that enforces keys, scopes and redaction like the real service.
#[derive(Debug, Parser)]
#[command(name = "clarifai-emulator", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The user id.
    #[arg(long, default_value = "me")]
    user: String,
    /// The app id.
    #[arg(long, default_value = "main")]
    app: String,
    /// An app key for the app: SECRET=SCOPE,SCOPE (Rust names such as AddInputs, or wire names
    /// such as Inputs:Add). Repeatable.
    #[arg(long = "key", value_name = "SECRET=SCOPES", value_parser = Secret(parse_key))]
    keys: Vec<(String, Vec<Scope>)>,
    /// A personal access token (all scopes) for the user. Repeatable.
    #[arg(long = "pat", value_name = "SECRET", value_parser = Secret(parse_secret))]
    pats: Vec<String>,
    /// What a key lacking a non-gate depending scope gets: a redacted response or 11007.
    #[arg(long, default_value = "redact", value_parser = parse_mode)]
    mode: Mode,
    /// Requests per second allowed per key (11005 / HTTP 429 beyond).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    rate: Option<u32>,
    /// State file (an SQLite database, created mode 0600 if missing): loaded at start, each
    /// change saved before it is answered. A file that is not the emulator's is refused.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Fetch image URLs from any host (by default only loopback hosts).
    #[arg(long)]
    allow_remote_urls: bool,
    /// Write the scope usage report (per key: the RPCs called, the smallest #[scoped_key(...)]
    /// covering them, the scopes never used) to FILE at shutdown (Ctrl-C or SIGTERM): JSON when
    /// FILE ends in .json, text otherwise. The running server also serves it at
    /// GET /emulator/usage (?format=text).
    #[arg(long, value_name = "FILE")]
    usage_report: Option<PathBuf>,
    /// Base URL of the hosted copies of inputs (`hosted.prefix`; default: the emulator's own).
    #[arg(long, value_name = "URL")]
    hosting_url: Option<String>,
}

/// A value parser for arguments holding a secret: its errors never quote the value.
#[derive(Clone)]
struct Secret<T>(fn(&str) -> Result<T, String>);

impl<T: Clone + Send + Sync + 'static> TypedValueParser for Secret<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let arg = arg.map_or_else(|| "an argument".to_string(), |a| format!("'{a}'"));
        let fail = |why: &str| {
            let mut cmd = cmd.clone();
            cmd.error(
                ErrorKind::ValueValidation,
                format!("invalid value for {arg} (not repeated: it holds a secret): {why}"),
            )
        };
        let text = value
            .to_str()
            .ok_or_else(|| fail("it is not valid UTF-8"))?;
        (self.0)(text).map_err(|why| fail(&why))
    }
}

fn parse_mode(s: &str) -> Result<Mode, String> {
    s.parse()
}

fn parse_secret(s: &str) -> Result<String, String> {
    let ok = !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(s.to_string())
    } else {
        Err("a secret must be 1 to 128 ASCII letters, digits, '-' or '_'".into())
    }
}

fn parse_key(s: &str) -> Result<(String, Vec<Scope>), String> {
    let (secret, scopes) = s.split_once('=').ok_or_else(|| {
        "expected SECRET=SCOPE,SCOPE (e.g. 0123abcd=Predict,Inputs:Add)".to_string()
    })?;
    let secret = parse_secret(secret)?;
    let mut out = Vec::new();
    let names = scopes.split(',').map(str::trim).filter(|n| !n.is_empty());
    for (n, name) in names.enumerate() {
        let Some(scope) = Scope::from_any_name(name) else {
            // A name with a colon cannot be a secret; any other might be one (SCOPES=SECRET).
            let which = if name.contains(':') {
                format!("'{name}'")
            } else {
                format!("number {} of the list", n + 1)
            };
            return Err(format!(
                "unknown scope {which} (write its Rust name, e.g. AddInputs, or its wire name, \
                 e.g. Inputs:Add)"
            ));
        };
        out.push(scope);
    }
    if out.is_empty() {
        return Err("a key needs at least one scope".into());
    }
    Ok((secret, out))
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("clarifai-emulator: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(args))
}

async fn run(args: Args) -> ExitCode {
    let mut builder = Emulator::builder()
        .listen(args.listen)
        .mode(args.mode)
        .user(args.user.clone())
        .app(args.app.clone())
        .allow_remote_urls(args.allow_remote_urls);
    if let Some(rate) = args.rate {
        builder = builder.rate(rate);
    }
    if let Some(state) = &args.state {
        builder = builder.state_file(state);
    }
    if let Some(url) = &args.hosting_url {
        builder = builder.hosting_url(url.clone());
    }
    for (secret, scopes) in &args.keys {
        builder = builder.key(secret.clone(), scopes);
    }
    for secret in &args.pats {
        builder = builder.pat(secret.clone());
    }
    let emulator = match builder.start().await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("clarifai-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("clarifai-emulator listening on {}", emulator.base_url());
    stopped().await;
    let report = emulator.usage_report();
    emulator.shutdown().await;
    if let Some(path) = args.usage_report {
        let text = if path.extension().is_some_and(|e| e == "json") {
            serde_json::to_string_pretty(&report.to_json()).unwrap_or_default()
        } else {
            report.to_string()
        };
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!(
                "clarifai-emulator: cannot write the usage report to {}: {e}",
                path.display()
            );
            return ExitCode::FAILURE;
        }
        println!(
            "clarifai-emulator: usage report written to {}",
            path.display()
        );
    }
    ExitCode::SUCCESS
}

/// Waits for Ctrl-C (SIGINT) or, on Unix, SIGTERM.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    r = tokio::signal::ctrl_c() => {
                        if let Err(e) = r {
                            eprintln!("clarifai-emulator: cannot wait for Ctrl-C: {e}");
                        }
                    }
                    _ = term.recv() => {}
                }
                return;
            }
            Err(e) => eprintln!("clarifai-emulator: cannot wait for SIGTERM: {e}"),
        }
    }
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("clarifai-emulator: cannot wait for Ctrl-C: {e}");
    }
}
