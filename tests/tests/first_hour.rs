//! The first hour of a new user (issue 11, part 4): each thing that cost time, pinned.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use clarifai_emulator::Emulator;
use clarifai_typed::models::Input;
use clarifai_typed::{Client, Error, Key, PatKey, Scope, scope, scoped_key};

/// Predicts and deletes.
#[scoped_key(Predict, DeleteInputs)]
pub struct CleanupKey;

/// Predicts.
#[scoped_key(Predict)]
pub struct PredictOnly;

/// A text a person reads names scopes by their Rust names; a wire name appears only in
/// parentheses after the Rust name, for the portal.
fn spelled_by_the_rule(text: &str) {
    for s in Scope::catalogue() {
        let wire = s.as_str();
        if !wire.contains(':') {
            continue;
        }
        let allowed = format!("({wire} in the Clarifai portal)");
        let stripped = text.replace(&allowed, "");
        assert!(
            !stripped.contains(wire),
            "`{wire}` outside \"{allowed}\" in: {text}"
        );
    }
}

#[tokio::test]
async fn one_call_makes_an_emulator_client_for_app_keys_and_pats() {
    let emu = Emulator::builder().start().await.unwrap();
    let client = emu.client::<CleanupKey>().unwrap();
    assert_eq!(client.base_url(), emu.base_url());
    let report = client.verify_scopes().await.unwrap();
    assert!(report.is_exact(), "{report}");
    let pat = emu.client::<PatKey>().unwrap();
    pat.list_inputs().await.unwrap();
}

#[tokio::test]
async fn a_refused_call_names_the_missing_scope_and_where_to_grant_it() {
    let emu = Emulator::builder().start().await.unwrap();
    // The real key holds Predict only, though the type says it may delete.
    let secret = emu.create_key(&[Scope::of::<scope::Predict>()]);
    let client = Client::builder(CleanupKey::new(secret).unwrap())
        .base_url(emu.base_url())
        .build()
        .unwrap();
    let err = client.delete_inputs().ids(["x"]).await.unwrap_err();
    let Error::InsufficientScopes(e) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(e.missing, [Scope::of::<scope::DeleteInputs>()]);
    assert!(e.missing_named_by_server);
    let text = err.to_string();
    assert!(
        text.starts_with(
            "the server refused a call to endpoint DeleteInputs (11007): the real key lacks the \
             scope DeleteInputs (Inputs:Delete in the Clarifai portal), which key type \
             `CleanupKey` declares: grant it to the key in the Clarifai portal"
        ),
        "{text}"
    );
    spelled_by_the_rule(&text.replace(&e.status.details, ""));
    assert!(
        !text.contains("Predict,"),
        "only the missing scope is listed: {text}"
    );
}

#[tokio::test]
async fn reports_spell_scopes_one_way() {
    let emu = Emulator::builder().start().await.unwrap();
    let secret = emu.create_key(&[Scope::of::<scope::Predict>(), Scope::of::<scope::Search>()]);
    let client = Client::builder(CleanupKey::new(secret).unwrap())
        .base_url(emu.base_url())
        .build()
        .unwrap();
    let report = client.verify_scopes().await.unwrap();
    let text = report.to_string();
    spelled_by_the_rule(&text);
    assert!(
        text.contains("DeleteInputs (Inputs:Delete in the Clarifai portal)"),
        "{text}"
    );
    assert!(text.contains("[Search]"), "{text}");
    // Debug and Display agree.
    let s = Scope::of::<scope::DeleteInputs>();
    assert_eq!(format!("{s}"), format!("{s:?}"));
    spelled_by_the_rule(&format!("{report:?}"));
    let log = client.calls().to_string();
    spelled_by_the_rule(&log);
    spelled_by_the_rule(&emu.usage_report().to_string());
}

#[tokio::test]
async fn an_unknown_key_error_says_where_the_key_came_from() {
    let emu = Emulator::builder().start().await.unwrap();
    let given = Client::builder(PredictOnly::new("not-a-real-key-only-for-tests").unwrap())
        .base_url(emu.base_url())
        .build()
        .unwrap();
    let err = given
        .predict("color-recognition")
        .input(Input::from_url("http://127.0.0.1:9/x.png"))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(
            err,
            Error::UnknownKey {
                key_from_env: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!text.contains("CLARIFAI_API_KEY"), "{text}");
    assert!(text.contains(&emu.base_url()), "{text}");
    assert!(
        text.contains("check the secret the key was made from"),
        "{text}"
    );

    // A key read from the environment: the message names that variable. (Cargo sets
    // CARGO_PKG_NAME for the tests it runs: "clarifai-typed-tests" is a well-formed secret the
    // emulator does not know.)
    let from_env = Client::builder(PredictOnly::from_env("CARGO_PKG_NAME").unwrap())
        .base_url(emu.base_url())
        .build()
        .unwrap();
    let err = from_env.my_scopes().await.unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("the key was read from environment variable `CARGO_PKG_NAME`"),
        "{text}"
    );
    assert!(!text.contains("CLARIFAI_API_KEY"), "{text}");
}

#[test]
fn the_readme_shows_how_to_add_the_crates() {
    let readme = include_str!("../../README.md");
    let version = env!("CARGO_PKG_VERSION");
    let minor = version.rsplit_once('.').unwrap().0;
    for line in [
        format!("clarifai-typed = \"{minor}\""),
        format!("clarifai-emulator = \"{minor}\""),
        "tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }".to_owned(),
        "futures-util = \"0.3\"".to_owned(),
        "features = [\"blocking\"]".to_owned(),
    ] {
        assert!(readme.contains(&line), "README lacks `{line}`");
    }
    assert!(readme.contains("use futures_util::StreamExt;"));
    assert!(readme.contains("emulator.client::<"));
    assert!(!readme.contains("create_key(AppKey::SCOPES)"));
}

#[test]
fn every_published_crate_has_complete_metadata() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let workspace = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    for field in [
        "license",
        "repository",
        "homepage",
        "documentation",
        "authors",
    ] {
        assert!(
            workspace.contains(&format!("\n{field} = ")),
            "workspace.package lacks {field}"
        );
    }
    for krate in [
        "clarifai-catalogue",
        "clarifai-macros",
        "clarifai-typed",
        "clarifai-emulator",
    ] {
        let manifest = std::fs::read_to_string(root.join(krate).join("Cargo.toml")).unwrap();
        for field in [
            "description = ",
            "license.workspace = true",
            "repository.workspace = true",
            "keywords = ",
            "categories = ",
            "readme = ",
            "documentation = ",
        ] {
            assert!(manifest.contains(field), "{krate} lacks `{field}`");
        }
        assert!(
            !manifest.contains("publish = false") && !manifest.contains("publish.workspace"),
            "{krate} must be publishable"
        );
    }
    let _ = <CleanupKey as Key>::NAME;
}
