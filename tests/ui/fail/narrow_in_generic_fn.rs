// Generic code narrows a key of type parameter `K` to a key type whose scopes `K`'s bounds do not
// cover: the compiler cannot know what `K` lacks, and says which bound to add.

use clarifai_typed::{Grants, Key, scope, scoped_key};

#[scoped_key(Predict, AddInputs)]
pub struct UploadKey;

fn uploader<K: Key + Grants<scope::Predict>>(key: K) -> UploadKey {
    key.narrow()
}

fn main() {}
