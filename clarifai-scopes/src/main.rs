//! `clarifai-scopes`: start from a real key.
//!
//! ```text
//! clarifai-scopes declare [--name AppKey]         # the #[scoped_key(...)] of the key in CLARIFAI_API_KEY
//! clarifai-scopes compare src/keys.rs             # each key type in the file against that key
//! clarifai-scopes compare "Predict, AddInputs"    # a list of scopes against that key
//! ```
//!
//! The key is read from `CLARIFAI_API_KEY` (never printed); the server is `--base-url`, else
//! `CLARIFAI_API_BASE`, else `https://api.clarifai.com`. A personal access token needs
//! `--user` and `--app`.

use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use clarifai_scopes::{declaration_for, key_types_in, parse_scope_list, unknown};
use clarifai_typed::scope::closure;
use clarifai_typed::{Client, Scope, ScopeReport, UnverifiedKey};

/// The environment variable the key is read from.
const KEY_VAR: &str = "CLARIFAI_API_KEY";

/// Asks Clarifai (or the emulator) which scopes a key holds, and prints the Rust declaration
/// for it or compares it with your key types.
#[derive(Debug, Parser)]
#[command(name = "clarifai-scopes", version)]
struct Args {
    /// The server (default: CLARIFAI_API_BASE, else https://api.clarifai.com).
    #[arg(long, global = true, value_name = "URL")]
    base_url: Option<String>,
    /// User id, for a personal access token (with --app).
    #[arg(long, global = true, requires = "app")]
    user: Option<String>,
    /// App id, for a personal access token (with --user).
    #[arg(long, global = true, requires = "user")]
    app: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Prints the smallest #[scoped_key(...)] declaration granting what the key holds.
    Declare {
        /// The key type's name.
        #[arg(long, default_value = "AppKey")]
        name: String,
    },
    /// Compares key types with the key, in the words of Client::verify_scopes; exits with 1 when
    /// the key lacks a declared scope.
    Compare {
        /// A Rust file (every #[scoped_key(...)] in it), or a list of scopes ("Predict, AddInputs").
        declared: String,
        /// The key type's name, for a list of scopes.
        #[arg(long, default_value = "AppKey")]
        name: String,
    },
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("clarifai-scopes: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("clarifai-scopes: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<ExitCode, String> {
    let key = UnverifiedKey::from_env(KEY_VAR).map_err(|e| e.to_string())?;
    let mut builder = Client::builder(key);
    if let Some(url) = &args.base_url {
        builder = builder.base_url(url.clone());
    }
    if let (Some(user), Some(app)) = (&args.user, &args.app) {
        builder = builder.user_app(user.clone(), app.clone());
    }
    let client = builder.build().map_err(|e| e.to_string())?;
    let granted = client.my_scopes().await.map_err(|e| e.to_string())?.scopes;
    match args.command {
        Command::Declare { name } => {
            if !is_type_name(&name) {
                return Err(format!("`{name}` is not a Rust type name"));
            }
            let held: Vec<String> = granted.iter().map(Scope::to_string).collect();
            println!(
                "// The key in {KEY_VAR} holds, at {}: {}.",
                client.base_url(),
                held.join(", ")
            );
            let strange = unknown(&granted);
            if !strange.is_empty() {
                let names: Vec<String> = strange.iter().map(Scope::to_string).collect();
                println!(
                    "// Not declared (this version does not know them): {}.",
                    names.join(", ")
                );
            }
            print!("{}", declaration_for(&name, &granted));
            Ok(ExitCode::SUCCESS)
        }
        Command::Compare { declared, name } => {
            let types = if Path::new(&declared).is_file() {
                let source = std::fs::read_to_string(&declared)
                    .map_err(|e| format!("cannot read {declared}: {e}"))?;
                let found = key_types_in(&source)?;
                if found.is_empty() {
                    return Err(format!("no #[scoped_key(...)] in {declared}"));
                }
                found
            } else {
                vec![(name, parse_scope_list(&declared)?)]
            };
            let mut all_granted = true;
            for (name, scopes) in types {
                let name: &'static str = Box::leak(name.into_boxed_str());
                let report = ScopeReport::compare(name, &closure(&scopes), &granted);
                all_granted &= report.is_granted();
                println!("{name}: {report}");
            }
            Ok(if all_granted {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
    }
}

fn is_type_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
