// `#[scoped_key]` on a generic struct: a key type has no generic parameters. The key type still
// exists (without them), so `main` causes no further errors.

use clarifai_typed::{Grants, scope, scoped_key};

#[scoped_key(Predict)]
pub struct AppKey<Env>;

fn predict<K: Grants<scope::Predict>>(_key: &K) {}

fn main() {
    predict(&AppKey::new("0123456789abcdef").unwrap());
}
