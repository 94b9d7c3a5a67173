//! `Redacted<T>`: a response part the server may blank when the key lacks a depending scope.
//!
//! The endpoint table ([`crate::endpoint`]) is the source of truth for which scope guards which
//! part of which response: every [`Guard`](crate::endpoint::Guard) names a scope and a path
//! (`outputs[].data.concepts`). The response models hold those parts as [`Redacted<T>`] fields and
//! implement [`Redactable`], which follows such a path through the model.
//! [`ResolveRedactions::resolve_redactions`] then decides, from the scopes a key holds, which of
//! the parts that came back blank were withheld.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::endpoint::{Guard, Rpc};
use crate::scope::Scope;

/// A response part that the server blanks when the key lacks the scope guarding it.
///
/// A *redacted response* succeeds, with the parts the key may not read left empty. This type
/// tells the two kinds of emptiness apart: `Visible(empty)` means there is nothing there,
/// `Withheld { scope }` means the key could not see it. There is no `Deref`: code has to say
/// what it does with a withheld part.
///
/// On the wire it is just `T`: present is `Visible(value)`, absent is `Visible(T::default())`
/// until [`ResolveRedactions::resolve_redactions`] turns blank parts guarded by a scope the key
/// lacks into `Withheld`. `Visible(v)` serializes as `v`; model fields of this type skip both a
/// blank `Visible` and `Withheld` (a bare `Withheld` serializes as `null`).
///
/// ```
/// use clarifai_typed::{Redacted, Scope, scope};
/// let seen: Redacted<Vec<u32>> = Redacted::Visible(vec![1, 2]);
/// assert_eq!(seen.visible().map(Vec::len), Some(2));
/// let hidden: Redacted<Vec<u32>> = Redacted::Withheld { scope: Scope::of::<scope::GetConcepts>() };
/// assert!(hidden.is_withheld());
/// assert_eq!(hidden.withheld_scope().map(Scope::as_str), Some("Concepts:Get"));
/// ```
#[must_use]
#[derive(Clone, PartialEq)]
pub enum Redacted<T> {
    /// The part as the server sent it (possibly empty: the key may read it and there is nothing).
    Visible(T),
    /// The server blanked the part because the key lacks `scope`.
    Withheld {
        /// The scope that guards the part.
        scope: Scope,
    },
}

impl<T> Redacted<T> {
    /// The value, unless it was withheld.
    pub fn visible(&self) -> Option<&T> {
        match self {
            Redacted::Visible(v) => Some(v),
            Redacted::Withheld { .. } => None,
        }
    }

    /// The value, mutably, unless it was withheld.
    pub fn visible_mut(&mut self) -> Option<&mut T> {
        match self {
            Redacted::Visible(v) => Some(v),
            Redacted::Withheld { .. } => None,
        }
    }

    /// The value, unless it was withheld.
    pub fn into_visible(self) -> Option<T> {
        match self {
            Redacted::Visible(v) => Some(v),
            Redacted::Withheld { .. } => None,
        }
    }

    /// The value, or an error naming the scope that would have shown it.
    pub fn into_result(self) -> Result<T, Scope> {
        match self {
            Redacted::Visible(v) => Ok(v),
            Redacted::Withheld { scope } => Err(scope),
        }
    }

    /// Whether the server withheld the part.
    pub fn is_withheld(&self) -> bool {
        matches!(self, Redacted::Withheld { .. })
    }

    /// Whether the part is visible (possibly empty).
    pub fn is_visible(&self) -> bool {
        matches!(self, Redacted::Visible(_))
    }

    /// The scope the key lacked, if the part was withheld.
    pub fn withheld_scope(&self) -> Option<&Scope> {
        match self {
            Redacted::Visible(_) => None,
            Redacted::Withheld { scope } => Some(scope),
        }
    }

    /// Applies `f` to a visible value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Redacted<U> {
        match self {
            Redacted::Visible(v) => Redacted::Visible(f(v)),
            Redacted::Withheld { scope } => Redacted::Withheld { scope },
        }
    }

    /// Borrows the value inside.
    pub fn as_ref(&self) -> Redacted<&T> {
        match self {
            Redacted::Visible(v) => Redacted::Visible(v),
            Redacted::Withheld { scope } => Redacted::Withheld {
                scope: scope.clone(),
            },
        }
    }
}

impl<T: Blank> Redacted<T> {
    /// Whether a model field of this type is left out when serializing: withheld, or visible and
    /// blank (an empty list, `None`).
    pub fn is_omitted(&self) -> bool {
        match self {
            Redacted::Visible(v) => v.is_blank(),
            Redacted::Withheld { .. } => true,
        }
    }

    /// Turns a blank visible value into `Withheld { scope }`; a filled value stays visible.
    pub fn withhold_if_blank(&mut self, scope: &Scope) {
        if let Redacted::Visible(v) = self
            && v.is_blank()
        {
            *self = Redacted::Withheld {
                scope: scope.clone(),
            };
        }
    }
}

impl<T: Default> Default for Redacted<T> {
    fn default() -> Self {
        Redacted::Visible(T::default())
    }
}

impl<T> From<T> for Redacted<T> {
    fn from(value: T) -> Self {
        Redacted::Visible(value)
    }
}

impl<T: fmt::Debug> fmt::Debug for Redacted<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Redacted::Visible(v) => f.debug_tuple("Visible").field(v).finish(),
            Redacted::Withheld { scope } => {
                f.debug_struct("Withheld").field("scope", scope).finish()
            }
        }
    }
}

impl<T: Serialize> Serialize for Redacted<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Redacted::Visible(v) => v.serialize(serializer),
            Redacted::Withheld { .. } => serializer.serialize_none(),
        }
    }
}

/// `null` decodes as `Visible(T::default())`, as proto3 JSON reads `null` as the default value.
impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for Redacted<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(|v| Redacted::Visible(v.unwrap_or_default()))
    }
}

/// A value that can come back blank: what a redacted part looks like on the wire.
pub trait Blank {
    /// Whether the value is blank (an empty list, `None`).
    fn is_blank(&self) -> bool;
}

impl<T> Blank for Vec<T> {
    fn is_blank(&self) -> bool {
        self.is_empty()
    }
}

impl<T> Blank for Option<T> {
    fn is_blank(&self) -> bool {
        self.is_none()
    }
}

/// Which [`Redacted`] parts [`Redactable::withhold`] marks as withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Withhold {
    /// Only the blank ones: a part that came back filled was visible to the key.
    IfBlank,
    /// All of them, filled or not: blanking a response for a key that lacks the scope.
    Always,
}

/// One step of a guard path: a field, or "every element of the list".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PathStep<'a> {
    /// Into the field of that name.
    Field(&'a str),
    /// Into every element of a list (`[]` after a field name).
    Each,
}

/// Splits a guard path (`outputs[].data.concepts`) into steps.
pub fn path_steps(path: &str) -> Vec<PathStep<'_>> {
    let guard_like = path.split('.').flat_map(|segment| {
        let (field, each) = match segment.strip_suffix("[]") {
            Some(field) => (field, true),
            None => (segment, false),
        };
        std::iter::once(PathStep::Field(field)).chain(each.then_some(PathStep::Each))
    });
    guard_like.collect()
}

/// A model that guard paths can walk: implemented by the request and response models, and by
/// `Vec`, `Option`, `Box` and [`Redacted`] around them.
///
/// A path ends on a [`Redacted`] field; [`PathStep::Each`] steps into every element of a list.
pub trait Redactable {
    /// Whether `path` leads, in this type, to a [`Redacted`] part. Decided from the type alone,
    /// so an empty value still answers for its fields.
    fn knows_path(path: &[PathStep<'_>]) -> bool
    where
        Self: Sized;

    /// Marks the [`Redacted`] parts at `path` as withheld for `scope`: the blank ones
    /// ([`Withhold::IfBlank`], what a client decides from a response) or all of them
    /// ([`Withhold::Always`], what a server does to blank them). A path that does not fit the
    /// type changes nothing.
    fn withhold(&mut self, path: &[PathStep<'_>], scope: &Scope, mode: Withhold);
}

impl<T: Redactable> Redactable for Vec<T> {
    fn knows_path(path: &[PathStep<'_>]) -> bool {
        match path.split_first() {
            Some((PathStep::Each, rest)) => T::knows_path(rest),
            _ => false,
        }
    }

    fn withhold(&mut self, path: &[PathStep<'_>], scope: &Scope, mode: Withhold) {
        if let Some((PathStep::Each, rest)) = path.split_first() {
            for item in self {
                item.withhold(rest, scope, mode);
            }
        }
    }
}

impl<T: Redactable> Redactable for Option<T> {
    fn knows_path(path: &[PathStep<'_>]) -> bool {
        !path.is_empty() && T::knows_path(path)
    }

    fn withhold(&mut self, path: &[PathStep<'_>], scope: &Scope, mode: Withhold) {
        if let Some(v) = self {
            v.withhold(path, scope, mode);
        }
    }
}

impl<T: Redactable> Redactable for Box<T> {
    fn knows_path(path: &[PathStep<'_>]) -> bool {
        T::knows_path(path)
    }

    fn withhold(&mut self, path: &[PathStep<'_>], scope: &Scope, mode: Withhold) {
        (**self).withhold(path, scope, mode);
    }
}

impl<T: Redactable + Blank> Redactable for Redacted<T> {
    fn knows_path(path: &[PathStep<'_>]) -> bool {
        path.is_empty() || T::knows_path(path)
    }

    fn withhold(&mut self, path: &[PathStep<'_>], scope: &Scope, mode: Withhold) {
        match (path.is_empty(), mode) {
            (true, Withhold::IfBlank) => self.withhold_if_blank(scope),
            (true, Withhold::Always) => {
                *self = Redacted::Withheld {
                    scope: scope.clone(),
                }
            }
            (false, _) => {
                if let Redacted::Visible(v) = self {
                    v.withhold(path, scope, mode);
                }
            }
        }
    }
}

/// Decides the [`Redacted`] parts of a response from the scopes the key holds.
///
/// Implemented for every [`Redactable`] model. For every [`Guard`] of `rpc.spec().guards` whose
/// scope `held` does not grant ([`Scope::is_granted_by`]), the blank parts at the guard's path
/// become `Withheld { scope }`; parts that came back filled stay visible, and so do blank parts
/// whose scope the key holds (there was nothing to show).
///
/// ```
/// use clarifai_typed::models::MultiOutputResponse;
/// use clarifai_typed::models::ResolveRedactions;
/// use clarifai_typed::{Rpc, Scope, scope};
///
/// let mut response: MultiOutputResponse = serde_json::from_str(
///     r#"{"status": {"code": 10000}, "outputs": [{"id": "o1", "data": {}}]}"#,
/// ).unwrap();
/// response.resolve_redactions(Rpc::PostModelOutputs, &[Scope::of::<scope::Predict>()]);
/// let output = &response.outputs[0];
/// assert!(output.data.as_ref().unwrap().concepts.is_withheld());
/// assert!(output.model.is_withheld());
/// ```
pub trait ResolveRedactions {
    /// Withholds the blank parts that `rpc`'s guards put behind scopes `held` does not grant.
    fn resolve_redactions(&mut self, rpc: Rpc, held: &[Scope]);

    /// Withholds the blank parts at one guard's path, whatever the key holds.
    fn apply_guard(&mut self, guard: &Guard);

    /// Blanks every part that `rpc`'s guards put behind scopes `held` does not grant, filled or
    /// not: what the server does for a key lacking a depending scope (a *redacted response*).
    /// Withheld parts are left out when the response is encoded.
    fn redact_for(&mut self, rpc: Rpc, held: &[Scope]);
}

impl<T: Redactable> ResolveRedactions for T {
    fn resolve_redactions(&mut self, rpc: Rpc, held: &[Scope]) {
        for guard in rpc.spec().guards {
            if !guard.scope.is_granted_by(held) {
                self.apply_guard(guard);
            }
        }
    }

    fn apply_guard(&mut self, guard: &Guard) {
        self.withhold(&path_steps(guard.path), &guard.scope, Withhold::IfBlank);
    }

    fn redact_for(&mut self, rpc: Rpc, held: &[Scope]) {
        for guard in rpc.spec().guards {
            if !guard.scope.is_granted_by(held) {
                self.withhold(&path_steps(guard.path), &guard.scope, Withhold::Always);
            }
        }
    }
}

/// Whether `T` has a [`Redacted`] part at the guard path `path` (`outputs[].data.concepts`).
pub fn knows_guard_path<T: Redactable>(path: &str) -> bool {
    T::knows_path(&path_steps(path))
}

/// Implements [`Redactable`] for a model struct: `redactable!(Type { field, ... })` lists the
/// fields a guard path may step into (each of a [`Redactable`] type).
macro_rules! redactable {
    ($($ty:ident { $($field:ident),* $(,)? })*) => {$(
        impl $crate::redacted::Redactable for $ty {
            #[allow(unused_variables)]
            fn knows_path(path: &[$crate::redacted::PathStep<'_>]) -> bool {
                match path.split_first() {
                    $(Some(($crate::redacted::PathStep::Field(stringify!($field)), rest)) => {
                        $crate::redacted::__field_knows(&|v: &$ty| &v.$field, rest)
                    })*
                    _ => false,
                }
            }

            #[allow(unused_variables)]
            fn withhold(
                &mut self,
                path: &[$crate::redacted::PathStep<'_>],
                scope: &$crate::scope::Scope,
                mode: $crate::redacted::Withhold,
            ) {
                match path.split_first() {
                    $(Some(($crate::redacted::PathStep::Field(stringify!($field)), rest)) => {
                        $crate::redacted::Redactable::withhold(&mut self.$field, rest, scope, mode)
                    })*
                    _ => {}
                }
            }
        }
    )*};
}
pub(crate) use redactable;

/// Type inference helper for [`redactable!`]: asks the type of a field, named through a
/// projection closure, about the rest of the path.
pub(crate) fn __field_knows<S, F: Redactable>(
    _project: &dyn Fn(&S) -> &F,
    rest: &[PathStep<'_>],
) -> bool {
    F::knows_path(rest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope;

    #[test]
    fn steps_split_lists() {
        assert_eq!(
            path_steps("outputs[].data.concepts"),
            [
                PathStep::Field("outputs"),
                PathStep::Each,
                PathStep::Field("data"),
                PathStep::Field("concepts"),
            ]
        );
    }

    #[test]
    fn serde_is_transparent_and_absent_is_visible_default() {
        let v: Redacted<Vec<u32>> = serde_json::from_str("[1,2]").unwrap();
        assert_eq!(v, Redacted::Visible(vec![1, 2]));
        assert_eq!(serde_json::to_string(&v).unwrap(), "[1,2]");
        assert_eq!(
            Redacted::<Vec<u32>>::default(),
            Redacted::Visible(Vec::new())
        );
        let w: Redacted<Vec<u32>> = Redacted::Withheld {
            scope: Scope::of::<scope::GetConcepts>(),
        };
        assert!(w.is_omitted());
        assert_eq!(serde_json::to_string(&w).unwrap(), "null");
        assert_eq!(
            w.clone().into_result(),
            Err(Scope::of::<scope::GetConcepts>())
        );
        assert!(format!("{w:?}").contains("GetConcepts"));
    }

    #[test]
    fn only_blank_parts_are_withheld() {
        let s = Scope::of::<scope::GetConcepts>();
        let mut filled: Redacted<Vec<u32>> = Redacted::Visible(vec![1]);
        filled.withhold_if_blank(&s);
        assert!(filled.is_visible());
        let mut blank: Redacted<Option<u32>> = Redacted::Visible(None);
        blank.withhold_if_blank(&s);
        assert_eq!(blank.withheld_scope(), Some(&s));
        assert_eq!(blank.into_visible(), None);
    }
}
