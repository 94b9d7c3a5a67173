// A `#[scope_set]` bound met by a key type lacking two of the set's scopes: one error, naming the
// key type, the set and both missing scopes.

use clarifai_typed::{scope_set, scoped_key};

/// What the cleanup library needs from its caller's key.
#[scope_set(Search, DeleteInputs, GetModels)]
pub trait CleanupScopes {}

fn clean_up<K: CleanupScopes>(_key: &K) {}

#[scoped_key(Predict, GetModels)]
pub struct AppKey;

fn main() {
    clean_up(&AppKey::new("0123456789abcdef").unwrap());
}
