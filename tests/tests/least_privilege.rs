//! Least privilege from real traffic: the emulator's scope usage report is exact for programs
//! whose calls are known (gate scopes, redaction-only scopes, strict mode, refused calls), and
//! the client's own call log fails a test when a key type is wider than the calls made.

#![allow(clippy::unwrap_used)] // a test: a failed unwrap is a failed test

use clarifai_emulator::samples::solid_png as png;
use clarifai_emulator::usage::UseKind;
use clarifai_emulator::{Emulator, Mode};
use clarifai_typed::models::{Input, Resource};
use clarifai_typed::{Rpc, Scope, scope, scoped_key};

/// Wider than the program below needs: it never deletes or searches.
#[scoped_key(Predict, AddInputs, DeleteInputs, Search)]
pub struct Tagger;

/// Exactly what the program below needs, redaction-only scopes included.
#[scoped_key(Predict, AddInputs, GetConcepts, GetModels)]
pub struct Exact;

/// Reads inputs only.
#[scoped_key(GetInputs)]
pub struct Reader;

fn names(scopes: &[Scope]) -> Vec<String> {
    scopes.iter().map(Scope::to_string).collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// The program whose calls are known: one prediction with the general model (its answer holds
/// concepts and the model), one upload of an input without concepts.
async fn program<K>(client: &clarifai_typed::Client<K>)
where
    K: clarifai_typed::Key
        + clarifai_typed::Grants<scope::Predict>
        + clarifai_typed::Grants<scope::AddInputs>,
{
    client
        .predict("general-image-recognition")
        .input(Input::from_bytes(png([250, 10, 10])))
        .await
        .unwrap();
    client
        .add_inputs()
        .input(Input::from_bytes(png([10, 10, 250])).with_id("blue"))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_usage_report_is_exact_for_a_known_program() {
    let emu = Emulator::builder().start().await.unwrap();
    let client = emu.client::<Tagger>().unwrap();
    program(&client).await;

    let report = emu.usage_report();
    assert_eq!(report.keys.len(), 1, "{report}");
    let usage = report.for_key_type::<Tagger>().unwrap();
    assert_eq!(usage.label, "Tagger");
    assert_eq!(
        usage
            .calls
            .iter()
            .map(|c| (c.rpc, c.calls, c.refused))
            .collect::<Vec<_>>(),
        [(Rpc::PostModelOutputs, 1, 0), (Rpc::PostInputs, 1, 0)]
    );
    // The prediction: its gate, and the two parts the key could not see (withheld).
    let predict = &usage.calls[0].scopes;
    let how = |s: Scope| -> Vec<UseKind> {
        predict
            .iter()
            .find(|u| u.scope == s)
            .map(|u| u.kinds.clone())
            .unwrap_or_default()
    };
    assert_eq!(how(Scope::of::<scope::Predict>()), [UseKind::Gate]);
    assert_eq!(
        how(Scope::of::<scope::GetConcepts>()),
        [UseKind::Withheld(Resource::Concepts)]
    );
    assert_eq!(
        how(Scope::of::<scope::GetModels>()),
        [UseKind::Withheld(Resource::Model)]
    );
    assert_eq!(predict.len(), 3, "{usage}");
    // The upload: its gate only (the input has no concepts to guard).
    assert_eq!(
        usage.calls[1]
            .scopes
            .iter()
            .map(|u| (u.scope.clone(), u.kinds.clone()))
            .collect::<Vec<_>>(),
        [(Scope::of::<scope::AddInputs>(), vec![UseKind::Gate])]
    );

    assert_eq!(
        sorted(names(&usage.minimal)),
        ["AddInputs", "GetConcepts", "GetModels", "Predict"]
    );
    assert_eq!(
        sorted(names(&usage.redaction_only)),
        ["GetConcepts", "GetModels"]
    );
    assert_eq!(sorted(names(&usage.unused)), ["DeleteInputs", "Search"]);
    assert_eq!(
        sorted(names(&usage.unused_by::<Tagger>())),
        ["DeleteInputs", "Search"]
    );
    assert_eq!(
        sorted(names(&usage.not_granted_by::<Tagger>())),
        ["GetConcepts", "GetModels"]
    );
    // The declaration is `Exact`'s, and `Exact` declares nothing it does not use.
    let declared: Vec<Scope> = <Exact as clarifai_typed::Key>::DECLARED.to_vec();
    assert_eq!(sorted(names(&usage.minimal)), sorted(names(&declared)));
    assert!(usage.unused_by::<Exact>().is_empty());
    assert!(usage.not_granted_by::<Exact>().is_empty());
    let text = report.to_string();
    assert!(
        text.contains("withheld concepts: the key lacks it"),
        "{text}"
    );
    assert!(text.contains("held but never used: "), "{text}");
}

#[tokio::test]
async fn a_key_holding_the_guard_sees_returned_parts_and_uses_nothing_more() {
    let emu = Emulator::builder().start().await.unwrap();
    let client = emu.client::<Exact>().unwrap();
    program(&client).await;
    let usage = emu.usage_report().for_key_type::<Exact>().unwrap();
    let predict = &usage.calls[0].scopes;
    assert!(
        predict
            .iter()
            .any(|u| u.scope == Scope::of::<scope::GetConcepts>()
                && u.kinds == [UseKind::Returned(Resource::Concepts)]),
        "{usage}"
    );
    assert!(usage.unused.is_empty(), "{usage}");
    assert!(usage.unused_by::<Exact>().is_empty(), "{usage}");
}

#[tokio::test]
async fn guarded_parts_an_answer_does_not_hold_use_nothing() {
    let emu = Emulator::builder().start().await.unwrap();
    let client = emu.client::<Tagger>().unwrap();
    // The colour model's answer has colours, no concepts; the model it echoes is still there.
    client
        .predict("color-recognition")
        .input(Input::from_bytes(png([250, 10, 10])))
        .await
        .unwrap();
    let usage = emu.usage_report().for_key_type::<Tagger>().unwrap();
    assert_eq!(
        sorted(names(&usage.minimal)),
        ["GetModels", "Predict"],
        "{usage}"
    );
    assert_eq!(names(&usage.redaction_only), ["GetModels"]);
}

#[tokio::test]
async fn strict_mode_and_refused_calls_count() {
    let emu = Emulator::builder()
        .mode(Mode::Strict)
        .start()
        .await
        .unwrap();
    let reader = emu.client::<Reader>().unwrap();
    // Strict: ListInputs needs every depending scope; the key lacks Concepts:Get, so 11007.
    let err = reader.list_inputs().await.unwrap_err();
    assert!(
        matches!(err, clarifai_typed::Error::InsufficientScopes(_)),
        "{err}"
    );
    let usage = emu.usage_report().for_key_type::<Reader>().unwrap();
    assert_eq!(usage.calls[0].refused, 1);
    let expected: Vec<String> = Rpc::ListInputs
        .spec()
        .depending
        .iter()
        .filter(|s| **s != Scope::of::<scope::GetApps>())
        .map(Scope::to_string)
        .collect();
    assert_eq!(sorted(names(&usage.minimal)), sorted(expected), "{usage}");
    assert!(usage.redaction_only.is_empty());
}

#[tokio::test]
async fn the_usage_endpoint_serves_the_same_report() {
    let emu = Emulator::builder().start().await.unwrap();
    let client = emu.client::<Tagger>().unwrap();
    program(&client).await;
    let body: serde_json::Value =
        serde_json::from_str(&reqwest_get(&format!("{}/emulator/usage", emu.base_url())).await)
            .unwrap();
    assert_eq!(body, emu.usage_report().to_json());
    assert_eq!(body["keys"][0]["label"], "Tagger");
    let text = reqwest_get(&format!("{}/emulator/usage?format=text", emu.base_url())).await;
    assert_eq!(text, emu.usage_report().to_string());
    emu.reset_usage();
    assert!(emu.usage_report().keys.is_empty());
}

/// A plain GET over a TCP socket (the tests crate has no HTTP client of its own).
async fn reqwest_get(url: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    body.to_owned()
}

#[tokio::test]
async fn the_client_fails_a_test_when_its_key_type_is_wider_than_its_calls() {
    let emu = Emulator::builder().start().await.unwrap();
    let client = emu.client::<Tagger>().unwrap();
    program(&client).await;
    let log = client.calls();
    assert_eq!(
        log.calls,
        [(Rpc::PostModelOutputs, 1), (Rpc::PostInputs, 1)]
    );
    assert_eq!(
        sorted(names(&log.unused())),
        ["DeleteInputs", "Search"],
        "{log}"
    );
    assert!(log.to_string().contains("unused: ["), "{log}");
    // The same program through a key type cut to its calls: nothing unused.
    let emu = Emulator::builder().start().await.unwrap();
    let exact = emu.client::<Exact>().unwrap();
    program(&exact).await;
    assert!(exact.calls().unused().is_empty(), "{}", exact.calls());
    // Clones share the log; a narrowed client keeps its own.
    let clone = exact.clone();
    clone.my_scopes().await.unwrap();
    assert_eq!(exact.calls().calls.len(), 3);
}
