// `#[scoped_key]` on something that is not a type at all.

use clarifai_typed::scoped_key;

#[scoped_key(Predict)]
pub fn app_key() {}

fn main() {
    app_key();
}
