// The attribute without a list at all.

use clarifai_typed::scoped_key;

#[scoped_key]
pub struct AppKey;

fn main() {}
