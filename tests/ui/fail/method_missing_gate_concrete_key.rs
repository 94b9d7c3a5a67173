// Calling an endpoint method whose gate scope the key type lacks: `delete_inputs` needs
// `Inputs:Delete`.
use clarifai_typed::{Client, scoped_key};

#[scoped_key(Predict, AddInputs)]
pub struct AppKey;

fn main() {
    let client = Client::new(AppKey::new("0123456789abcdef").unwrap()).unwrap();
    let _ = client.delete_inputs();
}
