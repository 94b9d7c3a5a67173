// The scope in the wire spelling, as a string: scopes are Rust names.

use clarifai_typed::scoped_key;

#[scoped_key("Inputs:Add")]
pub struct AppKey;

fn main() {}
