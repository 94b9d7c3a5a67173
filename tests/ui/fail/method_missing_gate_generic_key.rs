// A library function generic over the key calls a method its bound does not cover.
use clarifai_typed::{Client, Grants, Key, scope};

pub fn tag<K: Key + Grants<scope::Predict>>(client: &Client<K>) {
    let _ = client.predict("general-image-recognition");
    let _ = client.add_inputs();
}

fn main() {}
