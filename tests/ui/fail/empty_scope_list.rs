// An empty scope list: a key type needs at least one scope.

use clarifai_typed::scoped_key;

#[scoped_key()]
pub struct AppKey;

fn main() {}
