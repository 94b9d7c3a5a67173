//! Keys whose scopes are part of their type.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

use crate::scope::{Scope, ScopeMarker};

pub(crate) mod set;

use set::{GrantsAll, KeyScopes, ScopeList};

/// A Clarifai key type: a secret plus the scopes its type promises.
///
/// Implemented by `#[scoped_key(...)]` (see [`scoped_key`](crate::scoped_key)) and by [`PatKey`];
/// not meant to be implemented by hand. `SCOPES` is the declared list closed over Clarifai's
/// scope dependencies, plus `Apps:Get`, which every key holds; a key declared with `All` lists
/// `All` followed by every scope in the catalogue.
///
/// [`KeyScopes`](crate::KeyScopes), implemented next to it, holds the same scopes as types, for
/// the compiler.
pub trait Key: KeyScopes + Clone + fmt::Debug + Send + Sync + Sized + 'static {
    /// Every scope the key type grants (the closure of the declared list).
    const SCOPES: &'static [Scope] = <Self::Held as ScopeList>::SCOPES;
    /// The scopes as written in `#[scoped_key(...)]`, before closure.
    const DECLARED: &'static [Scope] = <Self::Declared as ScopeList>::SCOPES;
    /// The key type's name, for messages.
    const NAME: &'static str;

    #[doc(hidden)]
    fn __secret(&self) -> &ApiSecret;

    /// Only this crate can call it: [`Internal`] cannot be made elsewhere, so a key type cannot be
    /// widened by hand.
    #[doc(hidden)]
    fn __from_secret(secret: ApiSecret, _: Internal) -> Self;

    /// Makes a key of this type from its secret, checked as the `new` of `#[scoped_key]` types
    /// checks it: for code generic over the key type.
    ///
    /// # Errors
    ///
    /// [`KeyError`] when the secret cannot be sent in a header.
    fn from_secret(secret: impl Into<String>) -> Result<Self, KeyError> {
        ApiSecret::new(secret).map(|s| Self::__from_secret(s, Internal(())))
    }

    /// Whether the key type grants `scope`.
    fn grants(scope: &Scope) -> bool {
        scope.is_granted_by(Self::SCOPES)
    }

    /// Turns this key into a key type that holds fewer scopes. Refused at compile time when `T`
    /// holds a scope this key type lacks.
    ///
    /// ```
    /// use clarifai_typed::{scoped_key, Key};
    /// #[scoped_key(Predict, AddInputs, DeleteInputs)]
    /// pub struct AdminKey;
    /// #[scoped_key(Predict)]
    /// pub struct PredictOnly;
    ///
    /// let admin = AdminKey::new("0123abcd").unwrap();
    /// let small: PredictOnly = admin.narrow();
    /// assert_eq!(PredictOnly::DECLARED.len(), 1);
    /// # let _ = small;
    /// ```
    fn narrow<T: NarrowFrom<Self>>(self) -> T {
        T::__from_secret(self.__secret().clone(), Internal(()))
    }
}

/// Proof that key type `Self` grants scope `S`.
///
/// Every key type made by `#[scoped_key(...)]` grants the scopes of its closure; endpoint methods
/// and library functions require it (`K: Grants<scope::Predict>`), so a call the key cannot make
/// fails at `cargo build` with a message that names the key type and the scope.
///
/// `Held` is computed by the compiler from the key type's scopes ([`KeyScopes`](crate::KeyScopes)):
/// leave it out. It is `Granted` when `Self` holds `S`, and only then is `Grants` implemented.
#[diagnostic::on_unimplemented(
    message = "key type `{Self}` does not grant the `{S}` scope",
    label = "this needs the `{S}` scope",
    note = "add `{S}` to the `#[scoped_key(...)]` list of `{Self}` (the real key must hold that scope too); if `{Self}` is a type parameter, require it with the bound `{Self}: Grants<{S}>`"
)]
pub trait Grants<S: ScopeMarker, Held = <<Self as KeyScopes>::Held as ScopeList>::Has<S>>:
    Key
{
}

/// One impl: the key type holds the scope. A missing scope leaves the bound unmatched (rather than
/// an impl with a failing condition), so that the compiler reports the bound where it was
/// required, as it would for a missing impl.
#[diagnostic::do_not_recommend]
impl<K: Key, S: ScopeMarker> Grants<S, set::Granted> for K {}

/// Proof that key type `Self` may be made from a `Src` key: `Src` grants every scope of `Self`.
/// Used by [`Key::narrow`] and `Client::narrow`.
///
/// `Missing` is only for the error message (the scopes of `Self` that `Src` lacks, computed by the
/// compiler): leave it out. Generic code that narrows a key of type parameter `K` needs either the
/// bound `T: NarrowFrom<K>` or `Grants` bounds for the scopes `T` declares.
#[diagnostic::on_unimplemented(
    message = "key type `{Src}` cannot be narrowed to `{Self}`: it lacks `{Missing}`",
    label = "`{Src}` lacks `{Missing}`, which `{Self}` holds",
    note = "narrowing only drops scopes: add `{Missing}` to the `#[scoped_key(...)]` list of `{Src}` if its real key holds it, or narrow to a key type with fewer scopes",
    note = "if `{Src}` is a type parameter, require the bound `{Self}: NarrowFrom<{Src}>`"
)]
pub trait NarrowFrom<Src: Key, Missing = <<Src as KeyScopes>::Held as ScopeList>::Lacks<Self>>:
    Key
{
}

/// Whatever `Missing` is: a narrowing compiles when `Src` grants every declared scope of `T`
/// (and so, its set being closed, every scope of `T`).
#[diagnostic::do_not_recommend]
impl<T: Key, Src: Key, Missing> NarrowFrom<Src, Missing> for T where Src: GrantsAll<T::Declared> {}

/// The key type of a personal access token (PAT): every scope, and the only key type that
/// user-level (PAT-only) endpoints such as key management accept. A PAT is not tied to one app, so
/// a client using it addresses apps through full paths (user and app ids).
///
/// ```
/// use clarifai_typed::{Key, PatKey, Scope, scope};
/// let pat = PatKey::new("not-a-real-pat").unwrap();
/// assert!(PatKey::grants(&Scope::of::<scope::DeleteKeys>()));
/// assert!(!format!("{pat:?}").contains("not-a-real-pat"));
/// ```
#[crate::scoped_key(All, crate = crate)]
pub struct PatKey;

/// Implemented by [`PatKey`] only: what PAT-only endpoints require.
#[diagnostic::on_unimplemented(
    message = "key type `{Self}` is an app key, and this endpoint accepts only a personal access token",
    label = "needs a personal access token",
    note = "user-level endpoints (key management, listing apps) reject app-specific keys; call them through a client built with `clarifai_typed::PatKey`"
)]
pub trait PersonalAccessToken: Key + sealed::Sealed {}

mod sealed {
    pub trait Sealed {}
}
impl sealed::Sealed for PatKey {}
#[diagnostic::do_not_recommend]
impl PersonalAccessToken for PatKey {}

/// A value only this crate can make: the argument that keeps [`Key::__from_secret`] internal.
#[doc(hidden)]
#[derive(Debug)]
pub struct Internal(pub(crate) ());

/// The secret of a key: checked when made, never printed, wiped from memory when dropped. It
/// remembers the environment variable it was read from, for error messages.
#[doc(hidden)]
#[derive(Clone)]
pub struct ApiSecret(SecretString, Option<Box<str>>);

impl ApiSecret {
    /// Checks that `secret` can be sent in an `Authorization: Key <secret>` header.
    pub fn new(secret: impl Into<String>) -> Result<ApiSecret, KeyError> {
        Self::checked(secret.into(), None)
    }

    /// Reads the secret from the environment variable `var`.
    pub fn from_env(var: &str) -> Result<ApiSecret, KeyError> {
        match std::env::var(var) {
            Ok(value) => Self::checked(value, Some(var)),
            Err(std::env::VarError::NotPresent) => Err(KeyError::EnvVarMissing { var: var.into() }),
            Err(std::env::VarError::NotUnicode(_)) => {
                Err(KeyError::EnvVarNotUnicode { var: var.into() })
            }
        }
    }

    fn checked(secret: String, var: Option<&str>) -> Result<ApiSecret, KeyError> {
        let origin = var.map(str::to_owned);
        // Wrap first, so the secret is wiped even when it is refused.
        let secret = SecretString::from(secret);
        let text = secret.expose_secret();
        if text.is_empty() {
            return Err(KeyError::Empty { origin });
        }
        if let Some((position, c)) = text.char_indices().find(|(_, c)| !c.is_ascii_graphic()) {
            let what = match c {
                '\n' | '\r' => "a line break",
                ' ' | '\t' => "white space",
                c if c.is_control() => "a control character",
                _ => "a non-ASCII character",
            };
            return Err(KeyError::Unsendable {
                origin,
                position,
                what,
                len: text.len(),
            });
        }
        Ok(ApiSecret(secret, var.map(Into::into)))
    }

    /// The environment variable the secret was read from, if it was.
    pub(crate) fn origin(&self) -> Option<&str> {
        self.1.as_deref()
    }

    /// The secret itself, for the `Authorization` header only.
    #[allow(dead_code)] // read by the client
    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for ApiSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Why a key could not be made. Never contains the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The secret was empty.
    #[error("{} is empty: give the key's secret as shown in the Clarifai portal", describe(.origin))]
    Empty {
        /// The environment variable it was read from, if any.
        origin: Option<String>,
    },
    /// The secret holds a character that cannot go into an HTTP header.
    #[error(
        "{} contains {what} at byte {position} of {len}: Clarifai keys are printable ASCII without spaces{}",
        describe(.origin),
        if *.position + 1 == *.len && *.what == "a line break" { " (a trailing newline often comes from reading a file; trim it)" } else { "" }
    )]
    Unsendable {
        /// The environment variable it was read from, if any.
        origin: Option<String>,
        /// The byte offset of the first offending character.
        position: usize,
        /// What the offending character is ("a line break", "white space", ...).
        what: &'static str,
        /// The secret's length in bytes.
        len: usize,
    },
    /// The environment variable is not set.
    #[error("environment variable `{var}` is not set: export it with your Clarifai key")]
    EnvVarMissing {
        /// The variable's name.
        var: String,
    },
    /// The environment variable is not valid Unicode.
    #[error("environment variable `{var}` is not valid UTF-8, so it cannot hold a Clarifai key")]
    EnvVarNotUnicode {
        /// The variable's name.
        var: String,
    },
}

fn describe(origin: &Option<String>) -> String {
    match origin {
        Some(var) => format!("the key in environment variable `{var}`"),
        None => "the key".to_owned(),
    }
}

/// `K::new`, as generated by `#[scoped_key]`.
#[doc(hidden)]
pub fn new_key<K: Key>(secret: impl Into<String>) -> Result<K, KeyError> {
    ApiSecret::new(secret).map(|secret| K::__from_secret(secret, Internal(())))
}

/// `K::from_env`, as generated by `#[scoped_key]`.
#[doc(hidden)]
pub fn key_from_env<K: Key>(var: &str) -> Result<K, KeyError> {
    ApiSecret::from_env(var).map(|secret| K::__from_secret(secret, Internal(())))
}

/// `Clone::clone` of a key type made by `#[scoped_key]`.
#[doc(hidden)]
pub fn clone_key<K: Key>(key: &K) -> K {
    K::__from_secret(key.__secret().clone(), Internal(()))
}

/// `Debug::fmt` of a key type made by `#[scoped_key]`: its name and declared scopes, never the
/// secret.
#[doc(hidden)]
pub fn fmt_key<K: Key>(f: &mut fmt::Formatter<'_>) -> fmt::Result {
    debug_key(f, K::NAME, K::DECLARED)
}

/// Helpers for the `Debug` that `#[scoped_key]` generates.
#[doc(hidden)]
pub fn debug_key(f: &mut fmt::Formatter<'_>, name: &str, declared: &[Scope]) -> fmt::Result {
    f.debug_struct(name)
        .field("scopes", &declared)
        .field("secret", &format_args!("[redacted]"))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_cannot_be_a_header_and_never_shows_the_secret() {
        assert_eq!(
            ApiSecret::new("").unwrap_err(),
            KeyError::Empty { origin: None }
        );
        let err = ApiSecret::new("sentinel-s3cret\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("a line break at byte 15 of 16"), "{text}");
        assert!(text.contains("trim it"), "{text}");
        assert!(!text.contains("sentinel"), "{text}");
        assert!(!format!("{err:?}").contains("sentinel"));
        for bad in ["a b", "tab\there", "caf\u{e9}", "nul\0"] {
            assert!(ApiSecret::new(bad).is_err(), "{bad:?}");
        }
        let ok = ApiSecret::new("0123456789abcdef").unwrap();
        assert_eq!(format!("{ok:?}"), "[redacted]");
        assert_eq!(ok.expose(), "0123456789abcdef");
    }

    #[test]
    fn env_errors_name_the_variable() {
        let err = ApiSecret::from_env("CLARIFAI_TYPED_TEST_SURELY_UNSET").unwrap_err();
        assert_eq!(
            err.to_string(),
            "environment variable `CLARIFAI_TYPED_TEST_SURELY_UNSET` is not set: export it with your Clarifai key"
        );
    }
}
