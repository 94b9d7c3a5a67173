// `#[scoped_key]` on an enum: a key type is a unit struct.

use clarifai_typed::scoped_key;

#[scoped_key(Predict)]
pub enum AppKey {
    Production,
    Staging,
}

fn main() {}
