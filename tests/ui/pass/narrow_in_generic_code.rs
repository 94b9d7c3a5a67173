// Generic code narrows its caller's key, and passes it on to a `#[scope_set]` bound: through
// `Grants` bounds, through a scope set, or through the bound `T: NarrowFrom<K>`.

use clarifai_typed::{Grants, Key, NarrowFrom, scope, scope_set, scoped_key};

#[scoped_key(Predict)]
struct PredictOnly;

/// What the tagging library needs from its caller's key.
#[scope_set(Predict, Search)]
trait TaggingScopes {}

#[scoped_key(Predict, Search, AddInputs)]
struct AppKey;

fn by_grants<K: Key + Grants<scope::Predict>>(key: K) -> PredictOnly {
    key.narrow()
}

fn by_set<K: TaggingScopes>(key: K) -> PredictOnly {
    key.narrow()
}

fn by_bound<K: Key, T: NarrowFrom<K>>(key: K) -> T {
    key.narrow()
}

fn tag<K: TaggingScopes>(_key: &K) {}

fn tag_by_grants<K>(key: &K)
where
    K: Grants<scope::Predict> + Grants<scope::Search> + Grants<scope::GetApps>,
{
    tag(key);
}

fn main() {
    let key = AppKey::new("0123456789abcdef").unwrap();
    let _ = by_grants(key.clone());
    let _ = by_set(key.clone());
    tag_by_grants(&key);
    let small: PredictOnly = by_bound(key);
    assert_eq!(format!("{small:?}"), "PredictOnly { scopes: [Predict], secret: [redacted] }");
}
