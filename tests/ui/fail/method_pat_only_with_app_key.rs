// Key management is user-level: only a personal access token may call it, even an app key
// declared with `All` may not.
use clarifai_typed::{Client, scoped_key};

#[scoped_key(All)]
pub struct AppKey;

fn main() {
    let client = Client::new(AppKey::new("0123456789abcdef").unwrap()).unwrap();
    let _ = client.list_keys();
}
