//! Runnable examples of clarifai-typed live next to this file; run `cargo run --example quickstart`.
