// The same scope listed twice: the second is reported.

use clarifai_typed::scoped_key;

#[scoped_key(Predict, AddInputs, Predict)]
pub struct AppKey;

fn main() {}
