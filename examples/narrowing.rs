//! Narrowing: hand a part of the program a client that can do less.
//!
//! The admin client can delete; the worker it spawns gets a client for a key type that can only
//! predict, sharing the same connection pool. Runs against the local emulator:
//! `cargo run --example narrowing`.

use clarifai_emulator::Emulator;
use clarifai_typed::models::Input;
use clarifai_typed::{Client, Key, scoped_key};

/// The operator's key.
#[scoped_key(Predict, AddInputs, DeleteInputs)]
pub struct AdminKey;

/// What a prediction worker may do.
#[scoped_key(Predict)]
pub struct WorkerKey;

async fn worker(client: Client<WorkerKey>) -> Result<usize, clarifai_typed::Error> {
    // client.delete_inputs() does not compile here: WorkerKey lacks DeleteInputs.
    let response = client
        .predict("general-image-recognition")
        .input(Input::from_bytes(
            include_bytes!("images/forest.png").to_vec(),
        ))
        .await?;
    Ok(response.outputs.len())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::builder().start().await?;
    let admin = emulator.client::<AdminKey>()?;
    let narrowed: Client<WorkerKey> = admin.narrow();
    let outputs = tokio::spawn(worker(narrowed)).await??;
    println!(
        "the worker predicted {outputs} output(s) with a {} client",
        WorkerKey::NAME
    );
    // Narrowing to a key type with a scope the admin lacks is refused at compile time:
    // `let _: Client<SomeKeyWithSearch> = admin.narrow();` names the missing `Search` scope.
    let upload = Input::from_bytes(include_bytes!("images/snow.png").to_vec()).with_id("snow");
    admin.add_inputs().input(upload).await?;
    admin.delete_inputs().ids(["snow"]).await?;
    println!("the admin client still uploads and deletes");
    Ok(())
}
