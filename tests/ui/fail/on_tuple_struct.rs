// `#[scoped_key]` on a tuple struct holding the secret: the macro adds the secret itself.

use clarifai_typed::scoped_key;

#[scoped_key(Predict)]
pub struct AppKey(String);

fn main() {
    let _ = AppKey::new("0123456789abcdef");
}
