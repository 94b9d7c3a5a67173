// `#[scope_set]` on a trait with items: a scope set is an empty trait.

use clarifai_typed::scope_set;

#[scope_set(Predict)]
pub trait TaggingScopes {
    fn tag(&self);
}

fn main() {}
