// Reading the secret out of a key from another module: the field the macro adds is private to
// the module that declares the key type.

mod keys {
    use clarifai_typed::scoped_key;

    #[scoped_key(Predict)]
    pub struct AppKey;
}

fn main() {
    let key = keys::AppKey::new("0123456789abcdef").unwrap();
    let _secret = &key.__secret;
}
