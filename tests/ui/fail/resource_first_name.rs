// The resource before the verb: `InputsAdd` instead of `AddInputs`.

use clarifai_typed::scoped_key;

#[scoped_key(InputsAdd)]
pub struct AppKey;

fn main() {}
