// Entries that are neither a scope name nor an option: a number and a path.

use clarifai_typed::scoped_key;

#[scoped_key(42, scope::Predict)]
pub struct AppKey;

fn main() {}
