// A string that is not the wire name of any scope either.

use clarifai_typed::scoped_key;

#[scoped_key("Robots:Summon")]
pub struct AppKey;

fn main() {}
