// A misspelt scope in `#[scope_set]`: reported like in `#[scoped_key]`, and the trait still
// exists, so the code using it as a bound gives no further errors.

use clarifai_typed::{scope_set, scoped_key};

#[scope_set(Predict, Serch)]
pub trait TaggingScopes {}

#[scoped_key(Predict)]
pub struct AppKey;

fn tag<K: TaggingScopes>(_key: &K) -> usize {
    K::SCOPES.len()
}

fn main() {
    let _ = tag(&AppKey::new("0123456789abcdef").unwrap());
}
