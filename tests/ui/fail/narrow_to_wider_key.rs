// Narrowing to a key type that holds a scope the source key lacks (`DeleteInputs`): narrowing only
// ever drops scopes.

use clarifai_typed::{Key, scoped_key};

#[scoped_key(Predict, AddInputs)]
pub struct SmallKey;

#[scoped_key(Predict, DeleteInputs)]
pub struct WiderKey;

fn main() {
    let key = SmallKey::new("0123456789abcdef").unwrap();
    let _wider: WiderKey = key.narrow();
}
