// `crate =` with nothing after it.

use clarifai_typed::scoped_key;

#[scoped_key(Predict, crate =)]
pub struct AppKey;

fn main() {}
