// A function that needs two scopes the key type lacks: one error per missing scope.

use clarifai_typed::{Grants, scope, scoped_key};

#[scoped_key(Predict)]
pub struct AppKey;

fn retrain<K>(_key: &K)
where
    K: Grants<scope::TrainModels> + Grants<scope::DeleteInputs>,
{
}

fn main() {
    let key = AppKey::new("0123456789abcdef").unwrap();
    retrain(&key);
}
