//! A library function generic over any key that holds the scopes it needs.
//!
//! `tag_and_store` needs `Predict` and `AddInputs`; it says so once, with `#[scope_set]`, and
//! every caller learns at build time whether its key will do. Runs against the local emulator:
//! `cargo run --example library`.

use clarifai_emulator::Emulator;
use clarifai_typed::models::Input;
use clarifai_typed::{Client, Error, Key, scope_set, scoped_key};

/// What `tag_and_store` needs from its caller's key.
#[scope_set(Predict, AddInputs)]
pub trait TaggingScopes {}

/// Predicts the colours of an image and stores it: the library's whole API.
pub async fn tag_and_store<K: TaggingScopes>(
    client: &Client<K>,
    id: &str,
    png: &[u8],
) -> Result<Vec<String>, Error> {
    let prediction = client
        .predict("color-recognition")
        .input(Input::from_bytes(png.to_vec()))
        .await?;
    client
        .add_inputs()
        .input(Input::from_bytes(png.to_vec()).with_id(id))
        .await?;
    Ok(prediction
        .outputs
        .iter()
        .filter_map(|o| o.data.as_ref())
        .flat_map(|d| d.colors.iter())
        .filter_map(|c| c.w3c.as_ref().map(|w| w.name.clone()))
        .collect())
}

/// The application's key: more than the library needs, which is fine.
#[scoped_key(Predict, AddInputs, DeleteInputs)]
pub struct AppKey;

/// A key that only predicts: `tag_and_store(&Client<PredictKey>, ..)` does not compile.
#[scoped_key(Predict)]
pub struct PredictKey;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::builder().start().await?;
    let client: Client<AppKey> = emulator.client()?;
    let colours = tag_and_store(&client, "sunset", include_bytes!("images/sunset.png")).await?;
    println!("tag_and_store with {}: colours {colours:?}", AppKey::NAME);
    println!(
        "tag_and_store with {} would not compile: it lacks AddInputs.",
        PredictKey::NAME
    );
    Ok(())
}
