// `crate = path` given twice.

use clarifai_typed::scoped_key;

#[scoped_key(Predict, crate = clarifai_typed, crate = clarifai_typed)]
pub struct AppKey;

fn main() {}
