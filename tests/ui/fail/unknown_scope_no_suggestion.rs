// A scope name nothing in the catalogue is close to: the error points at the list of scopes.

use clarifai_typed::scoped_key;

#[scoped_key(Teleport)]
pub struct AppKey;

fn main() {}
