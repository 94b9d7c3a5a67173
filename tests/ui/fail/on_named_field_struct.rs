// `#[scoped_key]` on a struct with named fields: the macro adds the secret itself.

use clarifai_typed::scoped_key;

#[scoped_key(Predict)]
pub struct AppKey {
    secret: String,
    user_id: String,
}

fn main() {
    let _ = AppKey::new("0123456789abcdef");
}
