//! The `clarifai-scopes` binary against the emulator: the declaration it prints for a key
//! compiles and grants what the key holds; `compare` speaks like `verify_scopes`.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use std::process::{Command, Output};

use clarifai_emulator::{Emulator, RunningEmulator};
use clarifai_typed::{Scope, scope};

const BIN: &str = env!("CARGO_BIN_EXE_clarifai-scopes");

fn run(emu: &RunningEmulator, secret: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .args(["--base-url", &emu.base_url()])
        .env("CLARIFAI_API_KEY", secret)
        .env_remove("CLARIFAI_API_BASE")
        .output()
        .unwrap()
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn declare_prints_a_minimal_declaration() {
    let emu = Emulator::builder().start().await.unwrap();
    let secret = emu.create_key(&[
        Scope::of::<scope::Predict>(),
        Scope::of::<scope::DeleteInputs>(),
        Scope::of::<scope::GetConcepts>(),
    ]);
    let out = run(&emu, &secret, &["declare", "--name", "RealKey"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout} {}", text(&out.stderr));
    assert!(
        stdout.contains("#[scoped_key(Predict, DeleteInputs, GetConcepts)]\npub struct RealKey;\n")
            || stdout.contains(
                "#[scoped_key(Predict, GetConcepts, DeleteInputs)]\npub struct RealKey;\n"
            ),
        "{stdout}"
    );
    assert!(!stdout.contains(&secret) && !text(&out.stderr).contains(&secret));
}

#[test]
#[rustversion::attr(not(stable(1.95)), ignore = "compiled with the pinned rustc 1.95 only")] // STABLE
fn the_printed_declaration_compiles_and_grants_what_the_key_holds() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let emu = rt.block_on(Emulator::builder().start()).unwrap();
    let held = [
        Scope::of::<scope::Predict>(),
        Scope::of::<scope::AddInputs>(),
        Scope::of::<scope::Search>(),
    ];
    let secret = emu.create_key(&held);
    let out = run(&emu, &secret, &["declare", "--name", "RealKey"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let granted = rt.block_on(async {
        let client = clarifai_typed::Client::builder(
            clarifai_typed::UnverifiedKey::new(secret.clone()).unwrap(),
        )
        .base_url(emu.base_url())
        .build()
        .unwrap();
        client.my_scopes().await.unwrap().scopes
    });
    let wire: Vec<String> = granted
        .iter()
        .map(|s| format!("{:?}", s.as_str()))
        .collect();
    let program = format!(
        "//! Written by the test `the_printed_declaration_compiles_and_grants_what_the_key_holds`:\n\
         //! what `clarifai-scopes declare` printed for an emulator key.\n\
         use clarifai_typed::{{scoped_key, Key, Scope}};\n\n{}\n\
         fn main() {{\n\
         \x20   let mut got: Vec<&str> = RealKey::SCOPES.iter().map(Scope::as_str).collect();\n\
         \x20   let mut want: Vec<&str> = vec![{}];\n\
         \x20   got.sort();\n\
         \x20   want.sort();\n\
         \x20   assert_eq!(got, want);\n\
         }}\n",
        text(&out.stdout),
        wire.join(", ")
    );
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("declared_key.rs");
    std::fs::write(&path, program).unwrap();
    drop(emu);
    trybuild::TestCases::new().pass(&path);
}

#[tokio::test(flavor = "multi_thread")]
async fn compare_speaks_like_verify_scopes() {
    let emu = Emulator::builder().start().await.unwrap();
    let secret = emu.create_key(&[Scope::of::<scope::Predict>(), Scope::of::<scope::Search>()]);
    // A list: the key holds it all, and more.
    let out = run(
        &emu,
        &secret,
        &["compare", "Predict", "--name", "PredictKey"],
    );
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    let report = clarifai_typed::ScopeReport::compare(
        "PredictKey",
        &clarifai_typed::scope::closure(&[Scope::of::<scope::Predict>()]),
        &[
            Scope::of::<scope::Predict>(),
            Scope::of::<scope::Search>(),
            Scope::of::<scope::GetApps>(),
        ],
    );
    assert_eq!(stdout.trim(), format!("PredictKey: {report}"));
    // A file: one key type lacks a scope, so the exit status is 1.
    let file = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("keys.rs");
    std::fs::write(
        &file,
        "#[scoped_key(Predict)]\npub struct Fine;\n\n/// Too wide.\n#[scoped_key(Predict, DeleteInputs)]\npub struct Wide;\n",
    )
    .unwrap();
    let out = run(&emu, &secret, &["compare", file.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("Fine: the real key holds every scope"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Wide: the real key lacks scopes that key type `Wide` declares: AddInputs (Inputs:Add in the Clarifai portal)"),
        "{stdout}"
    );
    // Mistakes are told plainly.
    let out = run(&emu, &secret, &["compare", "Predict, Teleport"]);
    assert!(
        text(&out.stderr).contains("not a scope: `Teleport`"),
        "{}",
        text(&out.stderr)
    );
    let out = Command::new(BIN)
        .args(["declare"])
        .env_remove("CLARIFAI_API_KEY")
        .output()
        .unwrap();
    assert!(
        text(&out.stderr).contains("environment variable `CLARIFAI_API_KEY` is not set"),
        "{}",
        text(&out.stderr)
    );
}
