//! Least privilege from real traffic: run a small program against the emulator, then print the
//! smallest `#[scoped_key(...)]` declaration that covers what it did, and the scopes its key type
//! declares but never used.
//!
//! ```sh
//! cargo run --example least_privilege
//! ```
//!
//! The key type below was written generously, as key types often are. The emulator watched every
//! call: the gate scope of each endpoint, and each scope guarding a part of an answer the key saw
//! or had withheld. The client kept its own log of the endpoints it called.

use clarifai_emulator::Emulator;
use clarifai_typed::models::Input;
use clarifai_typed::{Client, Error, Key, Redacted, scoped_key};

/// The key the tagging service was given: more than it needs.
#[scoped_key(Predict, AddInputs, DeleteInputs, Search, GetConcepts)]
pub struct TaggingKey;

/// The program: tag two images with concepts, and store the ones it tagged "red".
async fn tag_and_store(client: &Client<TaggingKey>) -> Result<usize, Error> {
    let images = [
        ("sunset", include_bytes!("images/sunset.png").as_slice()),
        ("forest", include_bytes!("images/forest.png").as_slice()),
    ];
    let mut stored = 0;
    for (name, png) in images {
        let prediction = client
            .predict("general-image-recognition")
            .input(Input::from_bytes(png.to_vec()))
            .await?;
        let red = match prediction.outputs[0].concepts() {
            Redacted::Visible(concepts) => concepts.iter().any(|c| c.name_or_id() == "red"),
            Redacted::Withheld { .. } => false,
        };
        if red || stored == 0 {
            client
                .add_inputs()
                .input(Input::from_bytes(png.to_vec()).with_id(name))
                .await?;
            stored += 1;
        }
    }
    Ok(stored)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::builder().start().await?;
    let client = emulator.client::<TaggingKey>()?;
    let stored = tag_and_store(&client).await?;
    println!("The program predicted twice and stored {stored} image(s).\n");

    let usage = emulator
        .usage_report()
        .for_key_type::<TaggingKey>()
        .ok_or("the emulator saw no call")?;
    println!("What the emulator saw:\n{usage}");
    println!("The smallest declaration that covers it:\n");
    print!("{}", usage.declaration(TaggingKey::NAME));
    let names = |s: &[clarifai_typed::Scope]| {
        s.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!(
        "\n{} declares scopes it never used: [{}]",
        TaggingKey::NAME,
        names(&usage.unused_by::<TaggingKey>())
    );
    if !usage.redaction_only.is_empty() {
        println!(
            "Needed only to see parts of answers (drop them if the program ignores those parts): [{}]",
            names(&usage.redaction_only)
        );
    }
    println!("\nThe client's own log agrees:\n{}", client.calls());
    Ok(())
}
