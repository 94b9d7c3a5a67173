// `PatKey` is accepted where a personal access token is required, and grants every scope.

use clarifai_typed::{Grants, PatKey, PersonalAccessToken, scope};

fn list_keys<K: PersonalAccessToken>(_key: &K) -> &'static str {
    K::NAME
}

fn delete_keys<K: Grants<scope::DeleteKeys>>(_key: &K) {}

fn main() {
    let pat = PatKey::new("0123456789abcdef").unwrap();
    assert_eq!(list_keys(&pat), "PatKey");
    delete_keys(&pat);
}
