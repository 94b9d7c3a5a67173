//! The quickstart: declare a key type, and see what it holds and what it may call.
//!
//! Run it with `cargo run --example quickstart`. It works offline: nothing here talks to the API
//! yet. The secret comes from `CLARIFAI_API_KEY` when that is set; otherwise a placeholder is used,
//! since this example never sends it anywhere.

use clarifai_typed::endpoint::{Auth, ENDPOINTS};
use clarifai_typed::{Key, Scope, scoped_key};

/// The key our tagging service was given in the Clarifai portal: it may predict and add inputs.
#[scoped_key(Predict, AddInputs)]
pub struct AppKey;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = match std::env::var_os("CLARIFAI_API_KEY") {
        Some(_) => AppKey::from_env("CLARIFAI_API_KEY")?,
        None => AppKey::new("placeholder-never-sent")?,
    };
    println!("{key:?}");
    println!();

    let declared = names(AppKey::DECLARED);
    println!("Declared in #[scoped_key]: {declared}");
    let implied: Vec<Scope> = AppKey::SCOPES
        .iter()
        .filter(|s| !AppKey::DECLARED.contains(s))
        .cloned()
        .collect();
    println!(
        "Granted with them:         {} (dependencies, and Apps:Get, which every key holds)",
        names(&implied)
    );
    println!();

    println!("Endpoints {} may call:", AppKey::NAME);
    for e in ENDPOINTS.iter().filter(|e| e.auth == Auth::Key) {
        if e.missing_gate(AppKey::SCOPES).next().is_some() {
            continue;
        }
        let path = e
            .short_paths
            .first()
            .or(e.full_paths.first())
            .copied()
            .unwrap_or_default();
        let redacted: Vec<String> = e
            .guards
            .iter()
            .filter(|g| !g.scope.is_granted_by(AppKey::SCOPES))
            .map(|g| format!("{} (needs {})", g.path, g.scope))
            .collect();
        let note = if redacted.is_empty() {
            String::new()
        } else {
            format!("  - server blanks: {}", redacted.join(", "))
        };
        println!(
            "  {:<20} {:<6} {path}{note}",
            e.rpc.name(),
            e.method.as_str()
        );
    }
    let refused = ENDPOINTS
        .iter()
        .filter(|e| e.missing_gate(AppKey::SCOPES).next().is_some())
        .count();
    println!();
    println!(
        "The other {refused} of {} endpoints need a gate scope {} lacks: code that requires it \
         (`K: Grants<scope::DeleteInputs>`, ...) does not compile for this key type.",
        ENDPOINTS.len(),
        AppKey::NAME
    );
    Ok(())
}

fn names(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(Scope::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}
