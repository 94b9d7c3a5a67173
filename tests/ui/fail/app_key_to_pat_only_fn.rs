// A PAT-only function (key management) called with app keys: refused even for an app key declared
// with `All`, since the server rejects app keys there whatever their scopes.

use clarifai_typed::{PersonalAccessToken, scoped_key};

#[scoped_key(All)]
pub struct MasterKey;

#[scoped_key(Predict)]
pub struct AppKey;

fn list_keys<K: PersonalAccessToken>(_key: &K) {}

fn main() {
    list_keys(&MasterKey::new("0123456789abcdef").unwrap());
    list_keys(&AppKey::new("0123456789abcdef").unwrap());
}
