// An option the macro does not have: the only one is `crate = path`.

use clarifai_typed::scoped_key;

#[scoped_key(Predict, foo = bar)]
pub struct AppKey;

fn main() {}
