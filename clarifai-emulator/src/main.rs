//! `clarifai-emulator`: runs the local Clarifai API server.
//!
//! ```text
//! clarifai-emulator --listen 127.0.0.1:8080 --user me --app main \
//!     --key 0123abcd=Predict,Inputs:Add --pat my-pat --mode redact --rate 15 --state emu.json
//! ```

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
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
    /// An app key for the app: SECRET=SCOPE,SCOPE (wire spelling, e.g. Inputs:Add). Repeatable.
    #[arg(long = "key", value_name = "SECRET=SCOPES", value_parser = parse_key)]
    keys: Vec<(String, Vec<Scope>)>,
    /// A personal access token (all scopes) for the user. Repeatable.
    #[arg(long = "pat", value_name = "SECRET", value_parser = parse_secret)]
    pats: Vec<String>,
    /// What a key lacking a non-gate depending scope gets: a redacted response or 11007.
    #[arg(long, default_value = "redact", value_parser = parse_mode)]
    mode: Mode,
    /// Requests per second allowed per key (11005 / HTTP 429 beyond).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    rate: Option<u32>,
    /// State file: loaded at start if it exists, saved after every change.
    #[arg(long, value_name = "FILE")]
    state: Option<PathBuf>,
    /// Fetch image URLs from any host (by default only loopback hosts).
    #[arg(long)]
    allow_remote_urls: bool,
    /// Base URL of the hosted copies of inputs (`hosted.prefix`; default: the emulator's own).
    #[arg(long, value_name = "URL")]
    hosting_url: Option<String>,
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
    for name in scopes.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let scope = Scope::parse(name);
        if !scope.is_known() {
            return Err(format!(
                "unknown scope '{name}' (use the wire spelling, e.g. Inputs:Add, Predict, All)"
            ));
        }
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
        .user(args.user)
        .app(args.app)
        .allow_remote_urls(args.allow_remote_urls);
    if let Some(rate) = args.rate {
        builder = builder.rate(rate);
    }
    if let Some(state) = args.state {
        builder = builder.state_file(state);
    }
    if let Some(url) = args.hosting_url {
        builder = builder.hosting_url(url);
    }
    for (secret, scopes) in args.keys {
        builder = builder.key(secret, &scopes);
    }
    for secret in args.pats {
        builder = builder.pat(secret);
    }
    let emulator = match builder.start().await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("clarifai-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("clarifai-emulator listening on {}", emulator.base_url());
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("clarifai-emulator: cannot wait for Ctrl-C: {e}");
    }
    emulator.shutdown().await;
    ExitCode::SUCCESS
}
