// The underscore form of the wire spelling as a name: `Inputs_Add` instead of `AddInputs`.

use clarifai_typed::scoped_key;

#[scoped_key(Inputs_Add)]
pub struct AppKey;

fn main() {}
