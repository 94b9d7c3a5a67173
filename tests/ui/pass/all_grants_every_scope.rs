// A key declared with `All` grants every scope of the catalogue; its `SCOPES` is the whole
// catalogue, `All` first.

use clarifai_typed::{Grants, Key, Scope, scope, scoped_key};

#[scoped_key(All)]
struct MasterKey;

fn predict<K: Grants<scope::Predict>>(_key: &K) {}
fn delete_models<K: Grants<scope::DeleteModels>>(_key: &K) {}
fn add_keys<K: Grants<scope::AddKeys>>(_key: &K) {}
fn get_audit_logs<K: Grants<scope::GetAuditLogs>>(_key: &K) {}
fn add_artifacts<K: Grants<scope::AddArtifacts>>(_key: &K) {}

fn main() {
    let key = MasterKey::new("0123456789abcdef").unwrap();
    predict(&key);
    delete_models(&key);
    add_keys(&key);
    get_audit_logs(&key);
    add_artifacts(&key);
    assert_eq!(MasterKey::DECLARED, [Scope::of::<scope::All>()]);
    assert_eq!(MasterKey::SCOPES.len(), Scope::catalogue().len());
    assert_eq!(MasterKey::SCOPES[0], Scope::of::<scope::All>());
    assert!(Scope::catalogue().all(|s| MasterKey::grants(&s)));
    assert!(MasterKey::grants(&Scope::parse("Robots:Summon")));
}
