// The closure goes one way: `DeleteInputs` brings `AddInputs` and `GetInputs`, but declaring
// `GetInputs` does not grant `AddInputs`.

use clarifai_typed::{Grants, scope, scoped_key};

#[scoped_key(GetInputs)]
pub struct ReaderKey;

fn add_inputs<K: Grants<scope::AddInputs>>(_key: &K) {}

fn main() {
    add_inputs(&ReaderKey::new("0123456789abcdef").unwrap());
}
