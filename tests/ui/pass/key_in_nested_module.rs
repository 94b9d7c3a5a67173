// Key types declared in a non-root module with restricted visibility: the generated constructors
// get the struct's visibility, and the key is usable from the rest of the crate.

mod config {
    pub(crate) mod keys {
        use clarifai_typed::scoped_key;

        /// The ingestion job's key.
        #[scoped_key(AddInputs)]
        pub(crate) struct IngestKey;

        /// The admin tool's key.
        #[scoped_key(DeleteInputs, Predict)]
        pub(in crate::config) struct AdminKey;

        pub(crate) fn admin_narrowed() -> IngestKey {
            use clarifai_typed::Key;
            AdminKey::new("0123456789abcdef").unwrap().narrow()
        }
    }
}

use clarifai_typed::{Grants, Key, scope};

fn add_inputs<K: Grants<scope::AddInputs>>(_key: &K) {}

fn main() {
    let key = config::keys::IngestKey::from_env("CLARIFAI_TYPED_UI_SURELY_UNSET");
    assert!(key.is_err());
    let key = config::keys::IngestKey::new("0123456789abcdef").unwrap();
    add_inputs(&key);
    add_inputs(&config::keys::admin_narrowed());
    assert_eq!(config::keys::IngestKey::NAME, "IngestKey");
}
