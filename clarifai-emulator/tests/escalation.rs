//! No escalation through key management: a credential creates and patches only keys within its
//! own reach (scopes, endpoints, expiry), and touches no key beyond it.

mod common;

use clarifai_typed::{Scope, scope};
use common::{Env as Fixture, code, details};
use proptest::prelude::*;
use serde_json::{Value, json};

struct Env {
    api: Fixture,
    /// A PAT with every scope, to look at the keys.
    admin: String,
}

impl Env {
    async fn new() -> Env {
        let api = Fixture::new().await;
        let admin = api.emu.create_pat();
        Env { api, admin }
    }

    fn keys_path(&self) -> String {
        format!("/v2/users/{}/keys", self.api.emu.user_id())
    }

    async fn send(&self, secret: &str, method: &str, path: &str, body: Option<Value>) -> Value {
        let auth = format!("Key {secret}");
        self.api.as_key(&auth, method, path, body).await.1
    }

    async fn create(&self, caller: &str, key: Value) -> Value {
        let path = self.keys_path();
        self.send(caller, "POST", &path, Some(json!({"keys": [key]})))
            .await
    }

    /// The scopes `secret` holds, as the server says.
    async fn scopes_of(&self, secret: &str) -> Vec<String> {
        let path = format!(
            "/v2/users/{}/apps/{}/myscopes",
            self.api.emu.user_id(),
            self.api.emu.app_id()
        );
        let body = self.send(secret, "GET", &path, None).await;
        body["scopes"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    async fn key_count(&self) -> usize {
        let path = self.keys_path();
        let body = self
            .send(&self.admin, "GET", &format!("{path}?per_page=1000"), None)
            .await;
        body["keys"].as_array().map_or(0, Vec::len)
    }
}

fn pat(scopes: &[&str]) -> Value {
    json!({"type": "personal_access_token", "description": "minted", "scopes": scopes})
}

#[tokio::test]
async fn a_key_adder_cannot_mint_an_all_pat_or_a_wider_one() {
    let env = Env::new().await;
    let weak = env
        .api
        .emu
        .create_pat_with(&[Scope::of::<scope::AddKeys>()]);
    for wanted in [
        vec!["All"],
        vec!["Inputs:Delete"],
        vec!["Keys:Add", "Predict"],
        vec!["Keys:Delete"], // brings Keys:Add and Keys:Get: still beyond Keys:Add alone
    ] {
        let before = env.key_count().await;
        let body = env.create(&weak, pat(&wanted)).await;
        assert_eq!(code(&body), 11007, "{wanted:?}: {body}");
        assert!(details(&body).contains("cannot grant"), "{body}");
        assert_eq!(
            env.key_count().await,
            before,
            "{wanted:?}: a key was stored"
        );
    }
    // Within its reach it may.
    let ok = env.create(&weak, pat(&["Keys:Get"])).await;
    assert_eq!(code(&ok), 10000, "{ok}");
    let ok = env.create(&weak, pat(&["Keys:Add"])).await;
    assert_eq!(code(&ok), 10000, "{ok}");
}

#[tokio::test]
async fn a_key_cannot_widen_itself_or_a_stronger_key() {
    let env = Env::new().await;
    let weak = env
        .api
        .emu
        .create_pat_with(&[Scope::of::<scope::AddKeys>()]);
    let path = env.keys_path();
    // Widening itself.
    let body = env
        .send(
            &weak,
            "PATCH",
            &path,
            Some(json!({"keys": [{"id": weak, "scopes": ["All"]}], "action": "overwrite"})),
        )
        .await;
    assert_eq!(code(&body), 11007, "{body}");
    assert!(!body.to_string().contains(&weak), "the secret was echoed");
    assert_eq!(env.scopes_of(&weak).await, ["Keys:Add", "Keys:Get"]);
    // Touching a stronger key: neither re-scoping, reviving nor deleting it.
    let strong = env.api.emu.create_pat();
    let body = env
        .send(
            &weak,
            "PATCH",
            &path,
            Some(
                json!({"keys": [{"id": strong, "description": "mine now"}], "action": "overwrite"}),
            ),
        )
        .await;
    assert_eq!(code(&body), 11007, "{body}");
    let body = env
        .send(&weak, "DELETE", &format!("{path}/{strong}"), None)
        .await;
    assert_eq!(code(&body), 11007, "{body}");
    assert_eq!(env.scopes_of(&strong).await, ["All"]);
}

#[tokio::test]
async fn endpoint_limits_and_expiry_are_inherited() {
    let env = Env::new().await;
    let admin = env.admin.clone();
    // A key limited to ListKeys and PostKeys, expiring soon.
    let made = env
        .create(
            &admin,
            json!({"type": "personal_access_token", "scopes": ["Keys:Add"],
                   "endpoints": ["/clarifai.api.V2/PostKeys", "/clarifai.api.V2/ListKeys"],
                   "expires_at": "2100-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(code(&made), 10000, "{made}");
    let limited = made["keys"][0]["id"].as_str().expect("id").to_owned();
    // An unlimited key, or one reaching another endpoint, would reach further.
    for endpoints in [
        json!([]),
        json!(["/clarifai.api.V2/PostKeys", "/clarifai.api.V2/DeleteKey"]),
    ] {
        let body = env
            .create(
                &limited,
                json!({"type": "personal_access_token", "scopes": ["Keys:Get"],
                       "endpoints": endpoints, "expires_at": "2099-01-01T00:00:00Z"}),
            )
            .await;
        assert_eq!(code(&body), 11007, "{endpoints}: {body}");
    }
    // Outliving the caller, or never expiring, is refused.
    for expiry in [json!("2101-01-01T00:00:00Z"), Value::Null] {
        let mut key = json!({"type": "personal_access_token", "scopes": ["Keys:Get"],
                             "endpoints": ["/clarifai.api.V2/ListKeys"]});
        if !expiry.is_null() {
            key["expires_at"] = expiry.clone();
        }
        let body = env.create(&limited, key).await;
        assert_eq!(code(&body), 11007, "{expiry}: {body}");
    }
    let body = env
        .create(
            &limited,
            json!({"type": "personal_access_token", "scopes": ["Keys:Get"],
                   "endpoints": ["/clarifai.api.V2/ListKeys"], "expires_at": "2099-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(code(&body), 10000, "{body}");
}

/// Scopes by wire name, a few related families so that closures overlap.
const SCOPES: &[&str] = &[
    "Keys:Add",
    "Keys:Get",
    "Keys:Delete",
    "Inputs:Add",
    "Inputs:Get",
    "Inputs:Delete",
    "Predict",
    "Models:Get",
    "Models:Train",
    "Concepts:Get",
];

fn closed(names: &[&str]) -> Vec<Scope> {
    let mut out: Vec<Scope> = Vec::new();
    let mut todo: Vec<Scope> = names.iter().map(|n| Scope::parse(n)).collect();
    while let Some(s) = todo.pop() {
        if !out.contains(&s) {
            todo.extend(s.dependencies());
            out.push(s);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// For any caller holding `Keys:Add` and any requested set: the key is made exactly when the
    /// requested set, closed, is within the caller's, closed; and nothing is stored otherwise.
    #[test]
    fn creation_succeeds_exactly_within_the_callers_reach(
        caller in proptest::sample::subsequence(SCOPES, 0..SCOPES.len()),
        wanted in proptest::sample::subsequence(SCOPES, 1..4),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        rt.block_on(async {
            let env = Env::new().await;
            let mut caller_scopes: Vec<Scope> = caller.iter().map(|n| Scope::parse(n)).collect();
            caller_scopes.push(Scope::of::<scope::AddKeys>());
            let secret = env.api.emu.create_pat_with(&caller_scopes);
            let held = closed(&caller.iter().copied().chain(["Keys:Add"]).collect::<Vec<_>>());
            let within = closed(&wanted).iter().all(|s| held.contains(s));
            let before = env.key_count().await;
            let body = env.create(&secret, pat(&wanted)).await;
            if within {
                prop_assert_eq!(code(&body), 10000, "{:?} from {:?}: {}", wanted, caller, body);
                prop_assert_eq!(env.key_count().await, before + 1);
            } else {
                prop_assert_eq!(code(&body), 11007, "{:?} from {:?}: {}", wanted, caller, body);
                prop_assert_eq!(env.key_count().await, before);
            }
            Ok(())
        })?;
    }
}
