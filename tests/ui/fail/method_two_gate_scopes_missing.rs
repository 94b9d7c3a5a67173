// Workflow predictions need two gate scopes, `Predict` and `Workflows:Get`: one error each.
use clarifai_typed::{Client, scoped_key};

#[scoped_key(AddInputs)]
pub struct UploadKey;

fn main() {
    let client = Client::new(UploadKey::new("0123456789abcdef").unwrap()).unwrap();
    let _ = client.predict_workflow("general");
}
