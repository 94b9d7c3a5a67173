//! What the emulator accepts as a state file, and what it writes: foreign files refused and left
//! as they were, unwritable locations refused before serving, a file readable by its owner only,
//! one emulator per file, nothing stored that cannot be read back, no secret in any message.

mod common;
mod process;

use clarifai_emulator::{Emulator, EmulatorError};
use clarifai_typed::{Scope, scope};
use common::{call, code};
use process::{Proc, TempDir, run_to_end};
use serde_json::{Value, json};

/// Starts an emulator on `path`; the message of the error it must fail with.
async fn refused(path: &std::path::Path) -> String {
    match Emulator::builder().state_file(path).start().await {
        Ok(_) => panic!("{} was accepted", path.display()),
        Err(e @ EmulatorError::StateFile { .. }) => e.to_string(),
        Err(e) => panic!("{}: not a state file error: {e}", path.display()),
    }
}

/// An SQLite database of another program.
fn other_program_db(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).expect("open");
    conn.execute_batch(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);
         INSERT INTO notes (text) VALUES ('keep me');",
    )
    .expect("write");
    conn.close().expect("close");
}

#[tokio::test]
async fn files_that_are_not_the_emulators_are_refused_and_left_untouched() {
    let dir = TempDir::new("foreign");
    let cases: &[(&str, &[u8], &str)] = &[
        ("list.json", b"[]", "not a clarifai-emulator state file"),
        (
            "other.json",
            br#"{"theme": "dark", "users": 3}"#,
            "not a clarifai-emulator state file",
        ),
        (
            "old-state.json",
            br#"{"users": {"me": {"id": "me", "created_at": "", "apps": {}}}, "keys": {}}"#,
            "JSON state file of an earlier clarifai-emulator",
        ),
        (
            "notes.txt",
            b"hello\n",
            "not a clarifai-emulator state file",
        ),
        (
            "truncated.db",
            b"SQLite format 3\0",
            "not a clarifai-emulator state file",
        ),
    ];
    for (name, bytes, _) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("write");
    }
    other_program_db(&dir.join("other-program.db"));
    // An emulator file of a later format.
    let later = dir.join("later.db");
    drop(common::on_state(&later, "start").await);
    let conn = rusqlite::Connection::open(&later).expect("open");
    conn.pragma_update(None, "user_version", 99).expect("set");
    conn.close().expect("close");

    let listing = dir.names();
    let mut all: Vec<(String, &str)> = cases
        .iter()
        .map(|(name, _, needle)| (name.to_string(), *needle))
        .collect();
    all.push((
        "other-program.db".into(),
        "SQLite database of another program",
    ));
    all.push(("later.db".into(), "later clarifai-emulator (format 99"));
    for (name, needle) in all {
        let path = dir.join(&name);
        let before = std::fs::read(&path).expect("read");
        let message = refused(&path).await;
        assert!(message.contains(needle), "{name}: {message}");
        assert!(
            message.contains("give another path"),
            "{name}: says what to do: {message}"
        );
        assert_eq!(
            std::fs::read(&path).expect("read"),
            before,
            "{name} was changed"
        );
    }
    assert_eq!(dir.names(), listing, "files were added or removed");
    // The binary says the same, and never starts serving.
    let path = dir.join("list.json");
    let (ok, stdout, stderr) = run_to_end(&["--state", path.to_str().expect("utf-8")]);
    assert!(!ok && stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("is not a clarifai-emulator state file"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&path).expect("read"), b"[]");
}

#[tokio::test]
async fn an_unwritable_location_is_an_error_before_serving() {
    let dir = TempDir::new("unwritable");
    let missing = dir.join("missing").join("state.db");
    let message = refused(&missing).await;
    assert!(
        message.contains("does not exist") && message.contains("create the folder"),
        "{message}"
    );
    assert!(!dir.join("missing").exists());
    // A folder that is a file.
    std::fs::write(dir.join("plain"), b"x").expect("write");
    let message = refused(&dir.join("plain").join("state.db")).await;
    assert!(message.contains("cannot be created"), "{message}");
    // A folder without write permission (root writes anywhere: then there is nothing to test).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let locked = dir.join("locked");
        std::fs::create_dir(&locked).expect("dir");
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o500)).expect("chmod");
        if std::fs::write(locked.join("probe"), b"").is_err() {
            let message = refused(&locked.join("state.db")).await;
            assert!(message.contains("choose a location"), "{message}");
        }
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    }
    // The binary exits at once, having served nothing.
    let (ok, stdout, stderr) = run_to_end(&["--state", missing.to_str().expect("utf-8")]);
    assert!(!ok, "{stderr}");
    assert!(stdout.is_empty(), "it served: {stdout}");
    assert!(
        stderr.contains("clarifai-emulator: the state file") && stderr.contains("does not exist"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn a_new_state_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    let dir = TempDir::new("mode");
    let path = dir.join("state.db");
    let emu = common::on_state(&path, "start").await;
    emu.create_key(&[Scope::of::<scope::Predict>()]);
    assert_eq!(mode(&path), 0o600);
    let wal = dir.join("state.db-wal");
    if wal.exists() {
        assert_eq!(mode(&wal), 0o600);
    }
    emu.shutdown().await;
    assert_eq!(mode(&path), 0o600);
    // An empty file (mktemp's) becomes a state, private too.
    let empty = dir.join("empty.db");
    std::fs::write(&empty, b"").expect("write");
    std::fs::set_permissions(&empty, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    drop(common::on_state(&empty, "an empty file is a new state").await);
    assert_eq!(mode(&empty), 0o600);
    assert!(
        std::fs::read(&empty)
            .expect("read")
            .starts_with(b"SQLite format 3\0")
    );
    assert_eq!(dir.names(), ["empty.db", "state.db"], "no file left behind");
}

#[tokio::test]
async fn a_second_emulator_on_the_same_file_is_refused() {
    let dir = TempDir::new("twice");
    let path = dir.join("state.db");
    let first = common::on_state(&path, "start").await;
    let message = refused(&path).await;
    assert!(message.contains("in use by another process"), "{message}");
    // The first one is unharmed, and once it stops the file is free.
    let key = common::all_scopes_key(&first);
    let client = reqwest::Client::new();
    let body = json!({"concepts": [{"id": "still-here"}]});
    let (http, b) = call(
        &client,
        &first.base_url(),
        "POST",
        "/v2/concepts",
        Some(&key),
        Some(&body),
    )
    .await;
    assert_eq!(http, 200, "{b}");
    first.shutdown().await;
    let second = common::on_state(&path, "free again").await;
    let (_, b) = call(
        &client,
        &second.base_url(),
        "GET",
        "/v2/concepts/still-here",
        Some(&key),
        None,
    )
    .await;
    assert_eq!(code(&b), 10000, "{b}");
}

/// Metadata nested so that the PostInputs body is `depth` levels deep.
fn input_nested(id: &str, depth: usize) -> Value {
    // body {} → inputs [] → input {} → data {} → metadata {} ...: 5 levels down to metadata.
    let mut meta = json!({"leaf": true});
    for _ in 0..depth - 5 {
        meta = json!({ "k": meta });
    }
    json!({"inputs": [{"id": id, "data": {"metadata": meta}}]})
}

#[tokio::test]
async fn bodies_nested_too_deep_are_refused_and_what_is_stored_loads_again() {
    let dir = TempDir::new("nesting");
    let path = dir.join("state.db");
    let emu = common::on_state(&path, "start").await;
    let key = common::all_scopes_key(&emu);
    let client = reqwest::Client::new();
    let base = emu.base_url();
    let (http, b) = call(
        &client,
        &base,
        "POST",
        "/v2/inputs",
        Some(&key),
        Some(&input_nested("deepest", 100)),
    )
    .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    // Deeper (the issue's ~120 included, and past serde_json's 128): refused, nothing stored.
    for depth in [101, 120, 129, 300] {
        let body = input_nested(&format!("too-deep-{depth}"), depth);
        let bytes = serde_json::to_vec(&body).expect("json");
        let resp = client
            .post(format!("{base}/v2/inputs"))
            .header("Authorization", &key)
            .body(bytes)
            .send()
            .await
            .expect("send");
        assert_eq!(resp.status().as_u16(), 400, "{depth}");
        let b: Value = resp.json().await.expect("json");
        assert_eq!(code(&b), 11102, "{depth}: {b}");
        assert!(
            b["status"]["details"]
                .as_str()
                .is_some_and(|d| d.contains("100 levels")),
            "{b}"
        );
    }
    emu.wait_idle().await;
    emu.shutdown().await;
    let emu = common::on_state(&path, "what was accepted loads again").await;
    let (http, b) = call(
        &client,
        &emu.base_url(),
        "GET",
        "/v2/inputs",
        Some(&key),
        None,
    )
    .await;
    assert_eq!(http, 200, "{b}");
    let ids: Vec<&str> = b["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert_eq!(ids, ["deepest"]);
    let mut meta = &b["inputs"][0]["data"]["metadata"];
    for _ in 0..95 {
        meta = &meta["k"];
    }
    assert_eq!(meta, &json!({"leaf": true}));
}

const SECRET: &str = "s3cr3t-never-printed-0123456789";

#[tokio::test]
async fn no_message_repeats_a_secret() {
    // Argument errors of the binary.
    let with_secret = [
        format!("{SECRET}=Inputs:Add,Teleport:Add"),
        format!("{SECRET}=Predict,Predicts"),
        format!("Predict={SECRET}"),
        // Not sendable in a header: a non-ASCII character.
        format!("{SECRET}\u{e9}=Predict"),
        format!("{SECRET}="),
    ];
    for arg in &with_secret {
        let (ok, _, stderr) = run_to_end(&["--key", arg]);
        assert!(!ok && stderr.contains("--key"), "{arg}: {stderr}");
        assert!(!stderr.contains(SECRET), "{arg}: {stderr}");
    }
    let (ok, _, stderr) = run_to_end(&["--pat", &format!("{SECRET} ")]);
    assert!(!ok && stderr.contains("--pat"), "{stderr}");
    assert!(!stderr.contains(SECRET), "{stderr}");
    // A start refused because of the state file.
    let dir = TempDir::new("secrets");
    let junk = dir.join("junk.json");
    std::fs::write(&junk, "[]").expect("write");
    let key = format!("{SECRET}=All");
    let (ok, _, stderr) = run_to_end(&["--key", &key, "--state", junk.to_str().expect("utf-8")]);
    assert!(!ok && stderr.contains("state file"), "{stderr}");
    assert!(!stderr.contains(SECRET), "{stderr}");
    // A key row that does not decode is named without its id (the secret).
    let path = dir.join("state.db");
    let emu = Proc::start(&["--key", &key], &path);
    emu.kill_9();
    let conn = rusqlite::Connection::open(&path).expect("open");
    let changed = conn
        .execute(
            "UPDATE entities SET body = ?1 WHERE kind = 'key'",
            [format!(r#"{{"id": "{SECRET}", "type": "master_key"}}"#)],
        )
        .expect("update");
    assert_eq!(changed, 1);
    conn.close().expect("close");
    let message = refused(&path).await;
    assert!(message.contains("a key"), "{message}");
    assert!(!message.contains(SECRET), "{message}");
    let (ok, _, stderr) = run_to_end(&["--state", path.to_str().expect("utf-8")]);
    assert!(!ok && !stderr.contains(SECRET), "{stderr}");
}

/// Saved searches, datasets with their versions, collaborators, concept languages and
/// evaluations are rows of the state file too: what was made before a restart is there after
/// it, the background work (a version made ready, an evaluation done) included.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_records_of_an_app_load_again() {
    let dir = TempDir::new("records");
    let path = dir.join("state.db");
    let client = reqwest::Client::new();
    let emu = common::on_state(&path, "start").await;
    let seeded = common::seed(&emu, &client).await;
    let pat = format!("Key {}", emu.create_pat());
    let p = format!("/v2/users/{}/apps/{}", emu.user_id(), emu.app_id());
    let metrics = format!("{p}/models/m1/versions/{}/metrics", seeded.version_id);
    let (http, b) = call(
        &client,
        &emu.base_url(),
        "POST",
        &metrics,
        Some(&pat),
        Some(&json!({})),
    )
    .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    // The background work, written to the state file, is done before the emulator stops.
    emu.wait_idle().await;
    let get = |path: String| {
        let (client, base, pat) = (client.clone(), emu.base_url(), pat.clone());
        async move { call(&client, &base, "GET", &path, Some(&pat), None).await.1 }
    };
    let m = get(metrics.clone()).await;
    assert_eq!(
        m.pointer("/model_version/metrics/status/code"),
        Some(&json!(21300)),
        "{m}"
    );
    let v = get(format!("{p}/datasets/ds1/versions/dv1")).await;
    assert_eq!(
        v.pointer("/dataset_version/status/code"),
        Some(&json!(64015)),
        "{v}"
    );
    emu.shutdown().await;

    let emu = common::on_state(&path, "loads again").await;
    let get = |path: String| {
        let (client, base, pat) = (client.clone(), emu.base_url(), pat.clone());
        async move { call(&client, &base, "GET", &path, Some(&pat), None).await.1 }
    };
    let b = get(format!("{p}/searches/s1")).await;
    assert_eq!(b.pointer("/search/id"), Some(&json!("s1")), "{b}");
    let b = get(format!("{p}/datasets/ds1/versions/dv1")).await;
    assert_eq!(
        b.pointer("/dataset_version/status/code"),
        Some(&json!(64015)),
        "{b}"
    );
    assert_eq!(
        b.pointer("/dataset_version/metrics/~1/inputs_count"),
        Some(&json!("1")),
        "{b}"
    );
    let b = get(format!("{p}/datasets/ds1/inputs")).await;
    assert_eq!(
        b.pointer("/dataset_inputs/0/input/id"),
        Some(&json!("in1")),
        "{b}"
    );
    let b = get(format!("{p}/collaborators")).await;
    assert_eq!(
        b.pointer("/collaborators/0/user/id"),
        Some(&json!("carol")),
        "{b}"
    );
    let b = get(format!("{p}/concepts/cat/languages/zh")).await;
    assert_eq!(
        b.pointer("/concept_language/name"),
        Some(&json!("猫")),
        "{b}"
    );
    let b = get(metrics).await;
    assert_eq!(
        b.pointer("/model_version/metrics/status/code"),
        Some(&json!(21300)),
        "{b}"
    );
    assert!(b.pointer("/model_version/metrics/summary").is_some(), "{b}");
}

/// An input's input-level annotation is stored with it and loads again under its id; the inputs
/// of a file written before the emulator created these annotations are given theirs at start.
#[tokio::test]
async fn input_level_annotations_load_again_and_older_inputs_get_theirs() {
    let dir = TempDir::new("input-level");
    let path = dir.join("state.db");
    let client = reqwest::Client::new();
    let start = || Emulator::builder().state_file(&path).start();
    let emu = start().await.expect("start");
    let pat = format!("Key {}", emu.create_pat());
    let p = format!("/v2/users/{}/apps/{}", emu.user_id(), emu.app_id());
    let mut data = common::image_b64(common::RED);
    data["concepts"] = json!([{"id": "warm"}]);
    let body = json!({"inputs": [{"id": "old", "data": data}]});
    let (http, b) = call(
        &client,
        &emu.base_url(),
        "POST",
        &format!("{p}/inputs"),
        Some(&pat),
        Some(&body),
    )
    .await;
    assert_eq!((http, code(&b)), (200, 10000), "{b}");
    emu.wait_idle().await;
    emu.shutdown().await;
    // As an earlier emulator wrote it: no annotation.
    let conn = rusqlite::Connection::open(&path).expect("open");
    let removed = conn
        .execute("DELETE FROM entities WHERE kind = 'annotation'", [])
        .expect("delete");
    assert_eq!(removed, 1);
    conn.close().expect("close");

    let list = format!("{p}/annotations?input_ids=old");
    let emu = start().await.expect("loads again");
    let (_, b) = call(&client, &emu.base_url(), "GET", &list, Some(&pat), None).await;
    assert_eq!(b["annotations"].as_array().map(Vec::len), Some(1), "{b}");
    assert_eq!(
        b["annotations"][0]["data"]["concepts"][0]["id"], "warm",
        "{b}"
    );
    let id = b["annotations"][0]["id"].clone();
    let patch = json!({"action": "merge", "annotations": [{"id": id, "input_id": "old", "data": {"concepts": [{"id": "red"}]}}]});
    let (_, b) = call(
        &client,
        &emu.base_url(),
        "PATCH",
        &format!("{p}/annotations"),
        Some(&pat),
        Some(&patch),
    )
    .await;
    assert_eq!(code(&b), 10000, "{b}");
    emu.shutdown().await;

    let emu = start().await.expect("loads again");
    let (_, b) = call(&client, &emu.base_url(), "GET", &list, Some(&pat), None).await;
    assert_eq!(b["annotations"].as_array().map(Vec::len), Some(1), "{b}");
    assert_eq!(b["annotations"][0]["id"], id, "the same annotation: {b}");
    assert_eq!(
        b["annotations"][0]["data"]["concepts"][1]["id"], "red",
        "{b}"
    );
    emu.shutdown().await;
}
