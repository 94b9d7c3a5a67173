// Doc comments and other attributes on the key type are kept, and a derive that does not clash
// with the generated impls is allowed next to them.
#![deny(warnings)]

use clarifai_typed::{Grants, scope, scoped_key};

/// The key our tagging service was given in the Clarifai portal.
///
/// Rotated every quarter.
#[scoped_key(Predict, AddInputs)]
#[must_use = "a key does nothing until it is given to a client"]
#[allow(clippy::empty_structs_with_brackets)]
#[cfg_attr(all(), doc = "Kept through `cfg_attr` too.")]
pub struct AppKey;

fn predict<K: Grants<scope::Predict>>(_key: &K) {}

fn main() {
    let key = AppKey::new("0123456789abcdef").unwrap();
    predict(&key);
}
