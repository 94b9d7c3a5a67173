//! The `clarifai-emulator` binary: argument errors and a real start.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_clarifai-emulator");

fn fails_with(args: &[&str], needle: &str) {
    let out = Command::new(BIN)
        .args(args)
        .output()
        .expect("run the binary");
    assert!(!out.status.success(), "{args:?} should fail");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(needle), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout");
}

#[test]
fn bad_arguments_are_refused_with_a_clear_error() {
    fails_with(
        &["--key", "abc=Inputs:Add,Teleport:Add"],
        "unknown scope 'Teleport:Add'",
    );
    fails_with(&["--key", "abc"], "expected SECRET=SCOPE,SCOPE");
    fails_with(&["--key", "not a secret!=Predict"], "a secret must be");
    fails_with(&["--key", "abc="], "at least one scope");
    fails_with(&["--pat", "bad pat"], "a secret must be");
    fails_with(&["--mode", "lenient"], "unknown mode 'lenient'");
    fails_with(&["--rate", "0"], "--rate");
    fails_with(&["--listen", "somewhere"], "--listen");
    fails_with(&["--frobnicate"], "--frobnicate");
}

#[test]
fn it_starts_listens_and_answers() {
    let dir = std::env::temp_dir().join(format!("clarifai-emu-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let state = dir.join("state.db");
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0", "--user", "u1", "--app", "a1"])
        .args([
            "--key",
            "abc123=Predict,Inputs:Add",
            "--pat",
            "pat123",
            "--mode",
            "strict",
        ])
        .arg("--state")
        .arg(&state)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut line = String::new();
    let stdout = child.stdout.take().expect("stdout");
    BufReader::new(stdout).read_line(&mut line).expect("read");
    let url = line
        .trim()
        .strip_prefix("clarifai-emulator listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line}"))
        .to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("rt");
    let result = rt.block_on(async {
        let client = reqwest::Client::new();
        let b: serde_json::Value = client
            .get(format!("{url}/v2/myscopes"))
            .header("Authorization", "Key abc123")
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json");
        let resp = client
            .get(format!("{url}/v2/users/u1/apps/a1/inputs"))
            .header("Authorization", "Key pat123")
            .send()
            .await
            .expect("send");
        (b, resp.status().as_u16())
    });
    let _ = child.kill();
    let _ = child.wait();
    let (scopes, pat_status) = result;
    assert_eq!(scopes["app"]["id"], "a1", "{scopes}");
    assert_eq!(scopes["app"]["user_id"], "u1");
    let names: Vec<&str> = scopes["scopes"]
        .as_array()
        .expect("scopes")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert!(
        names.contains(&"Inputs:Get") && names.contains(&"Apps:Get"),
        "{names:?}"
    );
    assert_eq!(pat_status, 200);
    // What it holds, and that it survives, is tests/durability.rs's business.
    let saved = std::fs::read(&state).expect("state file made at start");
    assert!(saved.starts_with(b"SQLite format 3\0"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
#[cfg(unix)]
fn the_usage_report_is_served_and_written_at_shutdown() {
    let dir = std::env::temp_dir().join(format!("clarifai-emu-usage-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let report = dir.join("usage.txt");
    let mut child = Command::new(BIN)
        .args(["--listen", "127.0.0.1:0"])
        .args(["--key", "tagger1=Predict,AddInputs,Search"])
        .arg("--usage-report")
        .arg(&report)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("read");
    let url = line
        .trim()
        .strip_prefix("clarifai-emulator listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {line}"))
        .to_string();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("rt");
    let served: serde_json::Value = rt.block_on(async {
        let client = reqwest::Client::new();
        client
            .post(format!("{url}/v2/inputs"))
            .header("Authorization", "Key tagger1")
            .body(r#"{"inputs": [{"id": "one", "data": {"metadata": {"n": 1}}}]}"#)
            .send()
            .await
            .expect("send");
        client
            .get(format!("{url}/emulator/usage"))
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json")
    });
    let key = &served["keys"][0];
    assert_eq!(key["label"], "app key #1", "{served}");
    assert_eq!(key["minimal"], serde_json::json!(["AddInputs"]), "{served}");
    assert_eq!(
        key["unused"],
        serde_json::json!(["Predict", "Search"]),
        "{served}"
    );
    assert!(!served.to_string().contains("tagger1"), "never the secret");
    // SIGTERM: the emulator writes the report and exits.
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = child.wait().expect("wait");
    assert!(exit.success(), "{exit:?}");
    let text = std::fs::read_to_string(&report).expect("report written");
    assert!(
        text.contains("#[scoped_key(AddInputs)]")
            && text.contains("held but never used: Predict, Search"),
        "{text}"
    );
    assert!(!text.contains("tagger1"));
    let _ = std::fs::remove_dir_all(&dir);
}
