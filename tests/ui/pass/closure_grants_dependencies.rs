// Declaring `DeleteInputs` grants what Clarifai grants with it: `AddInputs` and `GetInputs`, plus
// `GetApps`, which every key holds.

use clarifai_typed::{Grants, Key, Scope, scope, scoped_key};

#[scoped_key(DeleteInputs)]
struct CleanupKey;

fn delete_inputs<K: Grants<scope::DeleteInputs>>(_key: &K) {}
fn add_inputs<K: Grants<scope::AddInputs>>(_key: &K) {}
fn get_inputs<K: Grants<scope::GetInputs>>(_key: &K) {}
fn get_apps<K: Grants<scope::GetApps>>(_key: &K) {}

fn main() {
    let key = CleanupKey::new("0123456789abcdef").unwrap();
    delete_inputs(&key);
    add_inputs(&key);
    get_inputs(&key);
    get_apps(&key);
    assert_eq!(CleanupKey::DECLARED, [Scope::of::<scope::DeleteInputs>()]);
    assert_eq!(CleanupKey::SCOPES.len(), 4);
    assert!(CleanupKey::grants(&Scope::of::<scope::AddInputs>()));
    assert!(!CleanupKey::grants(&Scope::of::<scope::Predict>()));
}
