// `#[derive(Debug)]` written above `#[scoped_key]` instead of below it.

use clarifai_typed::scoped_key;

#[derive(Debug)]
#[scoped_key(Predict)]
pub struct AppKey;

fn main() {}
