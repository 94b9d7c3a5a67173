// A library function bound by a `#[scope_set]` trait, called with a key type missing one of the
// set's scopes (`Search`).

use clarifai_typed::{scope_set, scoped_key};

/// What the tagging library needs from its caller's key.
#[scope_set(Predict, Search)]
pub trait TaggingScopes {}

fn tag<K: TaggingScopes>(_key: &K) {}

#[scoped_key(Predict, AddInputs)]
pub struct AppKey;

fn main() {
    tag(&AppKey::new("0123456789abcdef").unwrap());
}
