//! A key read at run time, whose scopes the code cannot know in advance.
//!
//! An `UnverifiedKey` can only ask the server what it holds; `confirm` turns its client into a
//! typed one only when the server says the key holds every scope of the type. Runs against the
//! local emulator: `cargo run --example runtime_key`.

use clarifai_emulator::Emulator;
use clarifai_typed::{Error, Scope, UnverifiedKey, scope, scoped_key};

/// What the program needs.
#[scoped_key(Predict, Search)]
pub struct SearchKey;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::builder().start().await?;
    // Two keys as a user might paste them into a config file.
    let good = emulator.create_key(&[Scope::of::<scope::Predict>(), Scope::of::<scope::Search>()]);
    let weak = emulator.create_key(&[Scope::of::<scope::Predict>()]);
    for (label, secret) in [("first", good), ("second", weak)] {
        let client = emulator.client_with::<UnverifiedKey>(secret)?;
        match client.confirm::<SearchKey>().await {
            Ok(typed) => println!(
                "{label} key: confirmed as SearchKey; {} can search",
                typed.base_url()
            ),
            Err(Error::ScopesNotGranted(report)) => println!("{label} key: refused: {report}"),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}
