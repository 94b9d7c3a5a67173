// Generic code bound only by `Key` calls a function that needs `DeleteInputs`: the bound must say
// so.

use clarifai_typed::{Grants, Key, scope};

fn delete_inputs<K: Grants<scope::DeleteInputs>>(_key: &K) {}

fn cleanup<K: Key>(key: &K) {
    delete_inputs(key);
}

fn main() {}
