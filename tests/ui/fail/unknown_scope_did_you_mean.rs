// A misspelt scope name: the error suggests the scope it is closest to.

use clarifai_typed::scoped_key;

#[scoped_key(Predikt)]
pub struct AppKey;

fn main() {}
