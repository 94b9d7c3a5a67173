// `#[scope_set]` on a struct: a scope set is an empty trait.

use clarifai_typed::scope_set;

#[scope_set(Predict)]
pub struct TaggingScopes;

fn main() {}
