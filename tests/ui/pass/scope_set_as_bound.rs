// A `#[scope_set]` trait as the one bound of library code: any key granting its scopes (directly
// or through the closure) implements it, and the scopes are usable inside the generic code.

use clarifai_typed::{Grants, scope, scope_set, scoped_key};

/// What the tagging library needs from its caller's key.
#[scope_set(Predict, DeleteInputs)]
pub trait TaggingScopes {}

fn predict<K: Grants<scope::Predict>>(_key: &K) {}
fn add_inputs<K: Grants<scope::AddInputs>>(_key: &K) {}

fn tag<K: TaggingScopes>(key: &K) -> &'static str {
    predict(key);
    // Implied by `DeleteInputs`.
    add_inputs(key);
    K::NAME
}

#[scoped_key(Predict, DeleteInputs, Search)]
struct AppKey;

#[scoped_key(All)]
struct MasterKey;

fn main() {
    assert_eq!(tag(&AppKey::new("0123456789abcdef").unwrap()), "AppKey");
    assert_eq!(
        tag(&MasterKey::new("0123456789abcdef").unwrap()),
        "MasterKey"
    );
}
