// `crate =` followed by something that is not a path.

use clarifai_typed::scoped_key;

#[scoped_key(Predict, crate = "clarifai_typed")]
pub struct AppKey;

fn main() {}
