// The wire spelling written bare, with its colon: `Inputs:Add` instead of `AddInputs`.

use clarifai_typed::scoped_key;

#[scoped_key(Inputs:Add)]
pub struct AppKey;

fn main() {}
