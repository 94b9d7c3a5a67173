// `crate = path` points the generated code at a re-export of `clarifai_typed`, as an SDK that
// wraps it would do; no `clarifai_typed` path is written by the user.

mod sdk {
    pub use clarifai_typed as clarifai;
}

use sdk::clarifai::{Grants, scope, scope_set, scoped_key};

#[scoped_key(Predict, crate = sdk::clarifai)]
struct AppKey;

#[scope_set(Predict, crate = sdk::clarifai)]
trait PredictScopes {}

fn predict<K: Grants<scope::Predict>>(_key: &K) {}
fn through_set<K: PredictScopes>(_key: &K) -> usize {
    K::SCOPES.len()
}

fn main() {
    let key = AppKey::new("0123456789abcdef").unwrap();
    predict(&key);
    assert_eq!(through_set(&key), 2);
}
