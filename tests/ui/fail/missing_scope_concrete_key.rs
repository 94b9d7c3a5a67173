// A function that needs `DeleteInputs`, called with a key type that does not grant it.

use clarifai_typed::{Grants, scope, scoped_key};

#[scoped_key(Predict, AddInputs)]
pub struct AppKey;

fn delete_inputs<K: Grants<scope::DeleteInputs>>(_key: &K) {}

fn main() {
    let key = AppKey::new("0123456789abcdef").unwrap();
    delete_inputs(&key);
}
