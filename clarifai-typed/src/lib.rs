#![doc = include_str!("../README.md")]
//!
//! # The pieces
//!
//! * [`scope`]: one marker type per scope, and [`Scope`], the same as a run-time value.
//! * [`scoped_key`]: declares a key type; [`Key`] and [`KeyScopes`] are what it implements, and
//!   [`Grants`] and [`NarrowFrom`] follow from them. [`PatKey`] is the key type of a personal
//!   access token.
//! * [`scope_set`]: names a set of scopes once, as one bound for library code.
//! * [`endpoint`]: the endpoint table (paths, auth type, gate and depending scopes, guarded parts).

pub mod client;
pub mod endpoint;
mod key;
pub mod models;
mod redacted;
pub mod scope;

pub use client::{
    BASE_URL_VAR, Call, CallLog, Client, ClientBuilder, DEFAULT_BASE_URL, Error,
    InsufficientScopes, ItemOutcome, Outcome, PartialFailure, RetryPolicy, ScopeReport,
    UnverifiedKey,
};
pub use endpoint::{EndpointSpec, Rpc};
pub use key::set::KeyScopes;
/// Parts of the scopes-as-types machinery that the compiler's messages may name: at the root so
/// that it prints them short. Generated code reaches them through `__private01`.
#[doc(hidden)]
pub use key::set::{Granted, NotGranted, ScopeList};
pub use key::{Grants, Key, KeyError, NarrowFrom, PatKey, PersonalAccessToken};
pub use redacted::Redacted;
pub use scope::{Scope, ScopeMarker};

/// The client without async (feature `blocking`): see [`client::blocking`].
#[cfg(feature = "blocking")]
pub use client::blocking;

/// Declares a key type that carries its scopes.
///
/// ```
/// use clarifai_typed::{scoped_key, Grants, Key, Scope, scope};
///
/// /// The key our tagging service was given in the Clarifai portal.
/// #[scoped_key(Predict, AddInputs)]
/// pub struct AppKey;
///
/// fn needs_predict<K: Grants<scope::Predict>>(_key: &K) {}
///
/// let key = AppKey::new("a-secret-from-the-portal").unwrap();
/// needs_predict(&key);
/// // Declared scopes, closed over their dependencies, plus `Apps:Get`:
/// let names: Vec<&str> = AppKey::SCOPES.iter().map(Scope::as_str).collect();
/// assert_eq!(names, ["Predict", "Inputs:Add", "Inputs:Get", "Apps:Get"]);
/// assert!(!format!("{key:?}").contains("a-secret"));
/// ```
///
/// The struct must be a unit struct without generics. The macro turns it into a struct holding the
/// secret and generates:
///
/// * `new(secret)` and `from_env(var)` constructors, which reject an empty secret or one that cannot
///   go into an HTTP header ([`KeyError`]);
/// * `Clone`, and a `Debug` that shows the scopes and never the secret. A key type takes no
///   derives: `Clone` and `Debug` are written for it, and comparing, hashing or serializing a key
///   would touch its secret. (A `#[derive]` placed *above* `#[scoped_key]` is not seen by the
///   macro; rustc then reports the conflicting impl itself.)
/// * [`Key`], with `SCOPES` the declared scopes closed over their dependencies plus `GetApps`
///   (`All` grants every scope);
/// * [`KeyScopes`], the same scopes as types, from which the compiler derives
///   [`Grants<scope::X>`](Grants) for each granted scope, [`NarrowFrom<Src>`](NarrowFrom) for every
///   key type `Src` that grants all of this type's scopes, and the scopes named in errors.
///
/// A call the key type cannot make reports the key type and the scope; a narrowing or a
/// [`scope_set`] bound that fails reports, in one error, every scope that is missing:
///
/// ```text
/// error[E0277]: key type `SmallKey` cannot be narrowed to `WiderKey`: it lacks `DeleteInputs`
/// ```
///
/// Options, after the scopes: `crate = path` points the generated code at a re-export of this
/// crate (`#[scoped_key(Predict, crate = my_sdk::clarifai)]`).
///
/// Mistakes are reported all at once, in source order, each on the token at fault: an unknown
/// scope (with a suggestion), a scope in the wire spelling (`"Inputs:Add"`, `Inputs_Add`), a
/// duplicate, an empty list, an unknown option, an item that is not a unit struct, a derive. The
/// struct is still emitted, granting every scope, so that these are the only errors reported.
///
/// A deprecated scope (one the server no longer checks, such as `PatchInputs`) compiles with a
/// deprecation warning on its name.
pub use clarifai_macros::scoped_key;

/// Names a set of scopes once, as a trait usable as one bound.
///
/// ```
/// use clarifai_typed::{scope_set, scoped_key, Key};
///
/// /// What our tagging library needs from its caller's key.
/// #[scope_set(Predict, Search)]
/// pub trait TaggingScopes {}
///
/// fn tag<K: TaggingScopes>(_key: &K) -> usize { K::SCOPES.len() }
///
/// #[scoped_key(Predict, Search, AddInputs)]
/// pub struct AppKey;
/// assert_eq!(tag(&AppKey::new("secret").unwrap()), 5);
/// ```
///
/// The trait gets [`Key`] and `Grants<scope::X>` for every scope of the set (closed over
/// dependencies, like a key) as supertraits, and a blanket impl for every key type that grants them.
/// Its hidden parameter, computed by the compiler, names the scopes a key type lacks in the error
/// (`key type \`AppKey\` does not grant every scope of \`TaggingScopes\`: it lacks \`Search\``).
pub use clarifai_macros::scope_set;

/// What generated code calls. Not public API: may change in any release.
#[doc(hidden)]
pub mod __private01 {
    pub use crate::key::set::*;
    pub use crate::key::{
        ApiSecret, Internal, clone_key, debug_key, fmt_key, key_from_env, new_key,
    };
    pub use crate::{Grants, Key, KeyError, NarrowFrom, Scope, ScopeMarker, scope};
    pub use core::{clone::Clone, fmt, option::Option, result::Result};
}
