// `Key::narrow` turns a key into a key type holding a subset of its scopes, including scopes that
// the wider key only holds through the closure.

use clarifai_typed::{Grants, Key, scope, scoped_key};

#[scoped_key(Predict, DeleteInputs, TrainModels)]
struct AdminKey;

#[scoped_key(Predict)]
struct PredictOnly;

#[scoped_key(AddInputs, GetModels)]
struct Uploader;

fn predict<K: Grants<scope::Predict>>(_key: &K) {}
fn add_inputs<K: Grants<scope::AddInputs>>(_key: &K) {}

fn main() {
    let admin = AdminKey::new("0123456789abcdef").unwrap();
    let small: PredictOnly = admin.clone().narrow();
    predict(&small);
    let uploader: Uploader = admin.narrow();
    add_inputs(&uploader);
    // Narrowing to the same type is allowed too.
    let same: Uploader = uploader.narrow();
    assert_eq!(Uploader::DECLARED.len(), 2);
    let _ = same;
}
