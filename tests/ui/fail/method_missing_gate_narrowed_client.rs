// A client narrowed to a key type with fewer scopes cannot call what the narrow type lacks.
use clarifai_typed::{Client, scoped_key};

#[scoped_key(Predict, AddInputs, DeleteInputs)]
pub struct AdminKey;

#[scoped_key(Predict)]
pub struct WorkerKey;

fn main() {
    let admin = Client::new(AdminKey::new("0123456789abcdef").unwrap()).unwrap();
    let worker: Client<WorkerKey> = admin.narrow();
    let _ = worker.delete_inputs();
}
