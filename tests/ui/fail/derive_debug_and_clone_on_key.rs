// `#[derive(Debug, Clone)]` on the key type: the macro writes both (its `Debug` never shows the
// secret). Each is reported; the other derives are kept and the generated impls still work.

use clarifai_typed::scoped_key;

#[scoped_key(Predict)]
#[derive(Debug, Clone)]
pub struct AppKey;

fn main() {
    let key = AppKey::new("0123456789abcdef").unwrap();
    let _ = format!("{:?}", key.clone());
}
