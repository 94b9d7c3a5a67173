// Narrowing a client to a key type that holds two scopes the client's key lacks: one error, naming
// both key types and both missing scopes.
use clarifai_typed::{Client, scoped_key};

#[scoped_key(Predict, AddInputs)]
pub struct UploadKey;

#[scoped_key(Predict, TrainModels, DeleteInputs)]
pub struct TrainerKey;

fn main() {
    let client = Client::new(UploadKey::new("0123456789abcdef").unwrap()).unwrap();
    let _trainer = client.narrow::<TrainerKey>();
}
