//! The quickstart: a key type with four scopes, used for real.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! With no `CLARIFAI_API_KEY` in the environment it starts the local emulator in this process and
//! creates a key there holding exactly the key type's scopes. With `CLARIFAI_API_KEY` (and
//! optionally `CLARIFAI_API_BASE`) it runs the same steps against that server: upload the images
//! shipped next to this file, predict their colours and concepts, search by a picture it never
//! uploaded, and compare the key's real scopes with the key type's.

use std::time::{Duration, Instant};

use clarifai_emulator::Emulator;
use clarifai_typed::models::{And, Data, Input, Output, Query, StatusCode};
use clarifai_typed::{Client, Error, Key, Redacted, Scope, scoped_key};

/// The key of a photo-tagging app: it predicts, uploads, searches and reads concepts.
/// (`AddInputs` brings `GetInputs` with it; every key also holds `GetApps`.)
#[scoped_key(Predict, AddInputs, Search, GetConcepts)]
pub struct AppKey;

const IMAGES: [(&str, &[u8]); 4] = [
    ("sunset", include_bytes!("images/sunset.png")),
    ("sea", include_bytes!("images/sea.png")),
    ("forest", include_bytes!("images/forest.png")),
    ("snow", include_bytes!("images/snow.png")),
];
/// Not uploaded: what we search with.
const QUERY_IMAGE: &[u8] = include_bytes!("images/lagoon.png");

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("error: {e}");
        let mut source = e.source();
        while let Some(s) = source {
            eprintln!("  caused by: {s}");
            source = s.source();
        }
        std::process::exit(1);
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let names = |s: &[Scope]| {
        s.iter()
            .map(Scope::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Keep the emulator alive (if any) until the end of `run`.
    let (client, _emulator) = match std::env::var_os("CLARIFAI_API_KEY") {
        Some(_) => {
            let client = Client::new(AppKey::from_env("CLARIFAI_API_KEY")?)?;
            println!("Using CLARIFAI_API_KEY against {}", client.base_url());
            (client, None)
        }
        None => {
            let emulator = Emulator::builder().start().await?;
            // One call: a key holding exactly AppKey's scopes, and a client for it.
            let client = emulator.client::<AppKey>()?;
            println!(
                "No CLARIFAI_API_KEY set: started the local emulator at {}.",
                emulator.base_url()
            );
            (client, Some(emulator))
        }
    };
    println!("Key type AppKey declares [{}]", names(AppKey::DECLARED));
    println!("  and so holds            [{}]", names(AppKey::SCOPES));
    println!("  (client.delete_inputs() would not compile: AppKey lacks DeleteInputs.)");

    // 1. Upload. Client-set ids make the upload safe to repeat.
    let inputs = IMAGES
        .iter()
        .map(|(name, png)| Input::from_bytes(png.to_vec()).with_id(format!("quickstart-{name}")));
    match client.add_inputs().inputs(inputs).await {
        Ok(r) => println!("\nUploaded {} images.", r.inputs.len()),
        Err(e) if e.status().is_some_and(|s| s.code == StatusCode(40010)) => {
            println!("\nThe images were uploaded by an earlier run.")
        }
        Err(e) => return Err(e.into()),
    }
    wait_until_processed(&client).await?;

    // 2. Predict colours and concepts of each image.
    println!("\nPredictions:");
    let all: Vec<Input> = IMAGES
        .iter()
        .map(|(_, png)| Input::from_bytes(png.to_vec()))
        .collect();
    let colours = client
        .predict("color-recognition")
        .inputs(all.clone())
        .await?;
    let concepts = client
        .predict("general-image-recognition")
        .inputs(all)
        .await?;
    for (((name, _), c), g) in IMAGES.iter().zip(&colours.outputs).zip(&concepts.outputs) {
        let top_colour = c
            .data
            .as_ref()
            .and_then(|d| d.colors.iter().max_by(|a, b| a.value.total_cmp(&b.value)))
            .map(|c| {
                format!(
                    "{} ({:.0}%)",
                    c.w3c
                        .as_ref()
                        .map_or(c.raw_hex.as_str(), |w| w.name.as_str()),
                    c.value * 100.0
                )
            })
            .unwrap_or_default();
        let words = match g.concepts() {
            Redacted::Visible(list) => list
                .iter()
                .take(3)
                .map(|c| format!("{} {:.2}", c.name_or_id(), c.value_or_default()))
                .collect::<Vec<_>>()
                .join(", "),
            Redacted::Withheld { scope } => format!("(withheld: needs {scope})"),
        };
        println!("  {name:<7} colour: {top_colour:<22} concepts: {words}");
    }

    // 3. A redacted field: the model echoed in an output needs GetModels, which AppKey lacks.
    if let Some(output) = colours.outputs.first() {
        match &output.model {
            Redacted::Withheld { scope } => println!(
                "\nRedacted: outputs[].model was withheld by the server: the key lacks {scope}."
            ),
            Redacted::Visible(_) => {
                println!("\nThe server sent outputs[].model (the key holds GetModels).")
            }
        }
    }

    // 4. Visual search with a picture that was never uploaded.
    let by_image = Query::ands([And::output(Output::from_data(Data::image_bytes(
        QUERY_IMAGE.to_vec(),
    )))]);
    let found = client.search().query(by_image).page(1, 3).await?;
    println!("\nMost similar to lagoon.png (not uploaded):");
    for hit in &found.hits {
        let id = match &hit.input {
            Redacted::Visible(Some(input)) => input.id.clone(),
            Redacted::Visible(None) => "?".to_owned(),
            Redacted::Withheld { scope } => format!("(withheld: needs {scope})"),
        };
        println!("  {:.3}  {id}", hit.score);
    }

    // 5. Does the real key hold what the type says?
    println!();
    let report = client.verify_scopes().await?;
    println!("verify_scopes: {report}.");
    println!(
        "\nDone: uploaded, predicted, searched, and checked the key, with every call checked at compile time."
    );
    Ok(())
}

/// Uploads are processed asynchronously: wait until every image is processed (or failed).
async fn wait_until_processed(client: &Client<AppKey>) -> Result<(), Error> {
    let start = Instant::now();
    loop {
        let counts = client.input_count().await?.counts.unwrap_or_default();
        if counts.to_process == 0 && counts.processing == 0 {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(60) {
            println!("(inputs still processing after 60 s; going on)");
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
