// An attribute on the key type (`#[must_use]`) is kept by the macro, so dropping a key unused is
// reported where the crate asks for it.
#![deny(unused_must_use)]

use clarifai_typed::scoped_key;

#[scoped_key(Predict)]
#[must_use = "a key does nothing until it is given to a client"]
pub struct AppKey;

fn make() -> AppKey {
    AppKey::new("0123456789abcdef").unwrap()
}

fn main() {
    make();
}
