// A key type declared with one scope, passed to a function that needs that scope.

use clarifai_typed::{Grants, Key, Scope, scope, scoped_key};

#[scoped_key(Predict)]
struct AppKey;

fn predict<K: Grants<scope::Predict>>(_key: &K) -> &'static str {
    K::NAME
}

fn main() {
    let key = AppKey::new("0123456789abcdef").unwrap();
    assert_eq!(predict(&key), "AppKey");
    assert_eq!(AppKey::DECLARED, [Scope::of::<scope::Predict>()]);
    // Every key holds `Apps:Get` too.
    let names: Vec<&str> = AppKey::SCOPES.iter().map(Scope::as_str).collect();
    assert_eq!(names, ["Predict", "Apps:Get"]);
    // The generated `Debug` shows the scopes, never the secret; `Clone` is generated too.
    let shown = format!("{:?}", key.clone());
    assert!(shown.contains("Predict"), "{shown}");
    assert!(!shown.contains("0123456789abcdef"), "{shown}");
    assert!(AppKey::new("").is_err());
    assert!(AppKey::new("has space").is_err());
}
