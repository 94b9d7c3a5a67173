// Several mistakes in one attribute: each is reported, on its own token, in one build. The key
// type still exists (granting every scope), so the uses of it in `main` cause no further errors.

use clarifai_typed::{Grants, Key, scope, scoped_key};

#[scoped_key(Predikt, "Inputs:Add", DeleteInputs, DeleteInputs, Zebra, foo = bar)]
pub struct AppKey;

#[scoped_key(Predict)]
pub struct PredictOnly;

fn delete_inputs<K: Grants<scope::DeleteInputs>>(_key: &K) {}
fn train_models<K: Grants<scope::TrainModels>>(_key: &K) {}

fn main() {
    let key = AppKey::new("0123456789abcdef").unwrap();
    delete_inputs(&key);
    train_models(&key);
    let _ = AppKey::SCOPES;
    let _ = format!("{:?}", key.clone());
    let _small: PredictOnly = key.narrow();
}
