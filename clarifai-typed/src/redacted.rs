//! `Redacted<T>`: a response part the server may blank when the key lacks a depending scope.
//!
//! The endpoint table ([`crate::endpoint`]) says which depending scopes an endpoint has; each
//! that reads a [`Resource`] guards it ([`EndpointSpec::guards`](crate::endpoint::EndpointSpec::guards)).
//! *Where* a resource can appear is decided by the response types: the models hold guarded parts
//! as [`Redacted<T>`] fields and implement [`Redactable`], which finds every part of a resource
//! kind. [`ResolveRedactions::resolve_redactions`] then decides, from the scopes a key holds,
//! which of the parts that came back blank were withheld.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::endpoint::Rpc;
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

/// A kind of object that a depending scope guards: a key lacking the scope gets every object of
/// the kind blanked, wherever the response holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Resource {
    /// Concepts (`data.concepts` of inputs, outputs, regions, frames, annotations, and of a
    /// model's output info), guarded by `Concepts:Get`.
    Concepts,
    /// A model (the model of an output, of a workflow node), guarded by `Models:Get`.
    Model,
    /// An input (the input of a search hit), guarded by `Inputs:Get`.
    Input,
    /// An annotation (the annotation of a search hit), guarded by `Annotations:Get`.
    Annotation,
    /// A workflow (an app's default workflow), guarded by `Workflows:Get`.
    Workflow,
}

impl Resource {
    /// Every resource kind.
    pub const ALL: &'static [Resource] = &[
        Resource::Concepts,
        Resource::Model,
        Resource::Input,
        Resource::Annotation,
        Resource::Workflow,
    ];

    /// The scope that reads the resource, and so guards it: the one place this is declared.
    pub fn scope(self) -> Scope {
        use crate::scope::{GetAnnotations, GetConcepts, GetInputs, GetModels, GetWorkflows};
        match self {
            Resource::Concepts => Scope::of::<GetConcepts>(),
            Resource::Model => Scope::of::<GetModels>(),
            Resource::Input => Scope::of::<GetInputs>(),
            Resource::Annotation => Scope::of::<GetAnnotations>(),
            Resource::Workflow => Scope::of::<GetWorkflows>(),
        }
    }

    /// The resource `scope` reads, if it reads one.
    pub fn guarded_by(scope: &Scope) -> Option<Resource> {
        Resource::ALL.iter().copied().find(|r| r.scope() == *scope)
    }
}

/// How deep [`Redactable::holds`] and [`Redactable::fill_json`] look into recursive types
/// (`Data` holds `Frame`s that hold `Data`): deep enough for every path a response can take to a
/// resource through distinct types.
pub const TYPE_DEPTH: u8 = 8;

/// A model whose [`Redacted`] parts can be found by the resource they hold: implemented by the
/// request and response models, and by `Vec`, `Option`, `Box` and [`Redacted`] around them.
///
/// Where a resource can appear is decided by the types: each model lists the fields that can
/// lead to one (`redactable!`), and each [`Redacted`] field is a place where the server may
/// blank one. The same lists drive the client ([`withhold`](Redactable::withhold)), the
/// emulator's redaction of JSON answers ([`redact_json`](Redactable::redact_json)) and the test
/// that fills a response with a resource everywhere it can be
/// ([`fill_json`](Redactable::fill_json)).
pub trait Redactable {
    /// The resource a value of this type *is* (a `Concept` is [`Resource::Concepts`]); lists,
    /// options, boxes and [`Redacted`] are what they hold.
    const RESOURCE: Option<Resource> = None;

    /// Marks the [`Redacted`] parts holding `resource` as withheld for `scope`: the blank ones
    /// ([`Withhold::IfBlank`], what a client decides from a response) or all of them
    /// ([`Withhold::Always`], what a server does to blank them).
    fn withhold(&mut self, resource: Resource, scope: &Scope, mode: Withhold);

    /// Blanks, in `value` (a value of this type as JSON), every [`Redacted`] part holding
    /// `resource`. Returns whether `value` itself is such a part, for the caller to remove.
    fn redact_json(value: &mut serde_json::Value, resource: Resource) -> bool
    where
        Self: Sized;

    /// Whether [`redact_json`](Redactable::redact_json) takes a value of this type out whole
    /// for `resource` (its answer, which depends on the type alone).
    fn taken_whole(resource: Resource) -> bool
    where
        Self: Sized;

    /// Whether `value` (a value of this type as JSON) holds a part that
    /// [`redact_json`](Redactable::redact_json) would take out for `resource` and that is
    /// filled (not `null`, `""`, `[]` or `{}`): found by reading, without a copy.
    fn holds_filled_json(value: &serde_json::Value, resource: Resource) -> bool
    where
        Self: Sized;

    /// Whether a value of this type can hold `resource`, looking `depth` types deep.
    fn holds(resource: Resource, depth: u8) -> bool
    where
        Self: Sized;

    /// Makes `value` (a value of this type as JSON) hold `resource` everywhere the type can, up
    /// to `depth` types deep, each occurrence an object whose `id` and `name` are `marker`. For
    /// tests of redaction: after redacting, `marker` must appear nowhere.
    fn fill_json(value: &mut serde_json::Value, resource: Resource, marker: &str, depth: u8)
    where
        Self: Sized;
}

macro_rules! forward_redactable {
    ($($wrapper:ident),*) => {$(
        impl<T: Redactable> Redactable for $wrapper<T> {
            const RESOURCE: Option<Resource> = T::RESOURCE;

            fn withhold(&mut self, resource: Resource, scope: &Scope, mode: Withhold) {
                forward_redactable!(@each $wrapper self, |item: &mut T| item.withhold(resource, scope, mode));
            }

            fn redact_json(value: &mut serde_json::Value, resource: Resource) -> bool {
                forward_redactable!(@json $wrapper T value resource)
            }

            fn taken_whole(resource: Resource) -> bool {
                forward_redactable!(@whole $wrapper T resource)
            }

            fn holds_filled_json(value: &serde_json::Value, resource: Resource) -> bool {
                forward_redactable!(@filled $wrapper T value resource)
            }

            fn holds(resource: Resource, depth: u8) -> bool {
                T::holds(resource, depth)
            }

            fn fill_json(value: &mut serde_json::Value, resource: Resource, marker: &str, depth: u8) {
                forward_redactable!(@fill $wrapper T value resource marker depth)
            }
        }
    )*};
    (@whole Vec $t:ident $resource:ident) => {{
        // A list is never taken out whole: its items are.
        let _ = $resource;
        false
    }};
    (@whole $other:ident $t:ident $resource:ident) => { $t::taken_whole($resource) };
    (@filled Vec $t:ident $value:ident $resource:ident) => {
        match $value {
            serde_json::Value::Array(items) => items
                .iter()
                .any(|item| filled_part::<$t>(item, $resource)),
            _ => false,
        }
    };
    (@filled $other:ident $t:ident $value:ident $resource:ident) => {
        $t::holds_filled_json($value, $resource)
    };
    (@each Vec $v:ident, $f:expr) => { $v.iter_mut().for_each($f) };
    (@each Option $v:ident, $f:expr) => { $v.iter_mut().for_each($f) };
    (@each Box $v:ident, $f:expr) => { ($f)(&mut **$v) };
    (@json Vec $t:ident $value:ident $resource:ident) => {{
        if let serde_json::Value::Array(items) = $value {
            items.retain_mut(|item| !$t::redact_json(item, $resource));
        }
        false
    }};
    (@json $other:ident $t:ident $value:ident $resource:ident) => { $t::redact_json($value, $resource) };
    (@fill Vec $t:ident $value:ident $resource:ident $marker:ident $depth:ident) => {{
        let mut item = serde_json::Value::Null;
        $t::fill_json(&mut item, $resource, $marker, $depth);
        *$value = serde_json::Value::Array(vec![item]);
    }};
    (@fill $other:ident $t:ident $value:ident $resource:ident $marker:ident $depth:ident) => {
        $t::fill_json($value, $resource, $marker, $depth)
    };
}

forward_redactable!(Vec, Option, Box);

impl<T: Redactable + Blank> Redactable for Redacted<T> {
    const RESOURCE: Option<Resource> = T::RESOURCE;

    fn withhold(&mut self, resource: Resource, scope: &Scope, mode: Withhold) {
        if T::RESOURCE != Some(resource) {
            if let Redacted::Visible(v) = self {
                v.withhold(resource, scope, mode);
            }
            return;
        }
        match mode {
            Withhold::IfBlank => self.withhold_if_blank(scope),
            Withhold::Always => {
                *self = Redacted::Withheld {
                    scope: scope.clone(),
                }
            }
        }
    }

    fn redact_json(value: &mut serde_json::Value, resource: Resource) -> bool {
        T::RESOURCE == Some(resource) || T::redact_json(value, resource)
    }

    fn taken_whole(resource: Resource) -> bool {
        T::RESOURCE == Some(resource) || T::taken_whole(resource)
    }

    fn holds_filled_json(value: &serde_json::Value, resource: Resource) -> bool {
        // As `redact_json`: a part that is the resource goes whole (its holder looks at it).
        T::RESOURCE != Some(resource) && T::holds_filled_json(value, resource)
    }

    fn holds(resource: Resource, depth: u8) -> bool {
        T::holds(resource, depth)
    }

    fn fill_json(value: &mut serde_json::Value, resource: Resource, marker: &str, depth: u8) {
        T::fill_json(value, resource, marker, depth);
    }
}

/// Decides the [`Redacted`] parts of a response from the scopes the key holds.
///
/// Implemented for every [`Redactable`] model. For every guard of `rpc`
/// ([`EndpointSpec::guards`](crate::endpoint::EndpointSpec::guards)) whose scope `held` does not
/// grant ([`Scope::is_granted_by`]), the blank parts holding the guarded resource become
/// `Withheld { scope }`; parts that came back filled stay visible, and so do blank parts whose
/// scope the key holds (there was nothing to show).
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

    /// Blanks every part that `rpc`'s guards put behind scopes `held` does not grant, filled or
    /// not: what the server does for a key lacking a depending scope (a *redacted response*).
    /// Withheld parts are left out when the response is encoded.
    fn redact_for(&mut self, rpc: Rpc, held: &[Scope]);
}

impl<T: Redactable> ResolveRedactions for T {
    fn resolve_redactions(&mut self, rpc: Rpc, held: &[Scope]) {
        for (scope, resource) in rpc.spec().guards() {
            if !scope.is_granted_by(held) {
                self.withhold(*resource, scope, Withhold::IfBlank);
            }
        }
    }

    fn redact_for(&mut self, rpc: Rpc, held: &[Scope]) {
        for (scope, resource) in rpc.spec().guards() {
            if !scope.is_granted_by(held) {
                self.withhold(*resource, scope, Withhold::Always);
            }
        }
    }
}

/// Implements [`Redactable`] for a model struct: `redactable!(Type { field, ... })` lists the
/// fields that can lead to a guarded resource (each of a [`Redactable`] type), and
/// `redactable!(Type is Concepts { field, ... })` marks the type as being that resource.
macro_rules! redactable {
    ($($ty:ident $(is $resource:ident)? { $($field:ident),* $(,)? })*) => {$(
        impl $crate::redacted::Redactable for $ty {
            $(const RESOURCE: Option<$crate::redacted::Resource> = Some($crate::redacted::Resource::$resource);)?

            #[allow(unused_variables)]
            fn withhold(
                &mut self,
                resource: $crate::redacted::Resource,
                scope: &$crate::scope::Scope,
                mode: $crate::redacted::Withhold,
            ) {
                $($crate::redacted::Redactable::withhold(&mut self.$field, resource, scope, mode);)*
            }

            #[allow(unused_variables)]
            fn redact_json(value: &mut serde_json::Value, resource: $crate::redacted::Resource) -> bool {
                if let serde_json::Value::Object(object) = value {
                    $($crate::redacted::__redact_field(&|v: &$ty| &v.$field, object, stringify!($field), resource);)*
                }
                false
            }

            fn taken_whole(_resource: $crate::redacted::Resource) -> bool {
                false
            }

            #[allow(unused_variables)]
            fn holds_filled_json(value: &serde_json::Value, resource: $crate::redacted::Resource) -> bool {
                let serde_json::Value::Object(object) = value else { return false };
                false $(|| $crate::redacted::__field_filled(&|v: &$ty| &v.$field, object, stringify!($field), resource))*
            }

            #[allow(unused_variables)]
            fn holds(resource: $crate::redacted::Resource, depth: u8) -> bool {
                <Self as $crate::redacted::Redactable>::RESOURCE == Some(resource)
                    || (depth > 0 && (false $(|| $crate::redacted::__field_holds(&|v: &$ty| &v.$field, resource, depth - 1))*))
            }

            #[allow(unused_variables)]
            fn fill_json(value: &mut serde_json::Value, resource: $crate::redacted::Resource, marker: &str, depth: u8) {
                if !value.is_object() {
                    *value = serde_json::Value::Object(serde_json::Map::new());
                }
                let serde_json::Value::Object(object) = value else { return };
                if <Self as $crate::redacted::Redactable>::RESOURCE == Some(resource) {
                    object.insert("id".into(), marker.into());
                    object.insert("name".into(), marker.into());
                    return;
                }
                if depth == 0 {
                    return;
                }
                $($crate::redacted::__fill_field(&|v: &$ty| &v.$field, object, stringify!($field), resource, marker, depth - 1);)*
            }
        }
    )*};
}
pub(crate) use redactable;

/// [`redactable!`]'s helper: redacts field `name` of `object`, typed as the projection's result.
pub(crate) fn __redact_field<S, F: Redactable>(
    _project: &dyn Fn(&S) -> &F,
    object: &mut serde_json::Map<String, serde_json::Value>,
    name: &str,
    resource: Resource,
) {
    if let Some(field) = object.get_mut(name)
        && F::redact_json(field, resource)
    {
        object.remove(name);
    }
}

/// [`redactable!`]'s helper: whether field `name` of `object` holds a filled part of
/// `resource` that redaction would take out.
pub(crate) fn __field_filled<S, F: Redactable>(
    _project: &dyn Fn(&S) -> &F,
    object: &serde_json::Map<String, serde_json::Value>,
    name: &str,
    resource: Resource,
) -> bool {
    object
        .get(name)
        .is_some_and(|field| filled_part::<F>(field, resource))
}

/// Whether `value`, of type `T`, is or holds a filled part that redaction takes out.
fn filled_part<T: Redactable>(value: &serde_json::Value, resource: Resource) -> bool {
    (T::taken_whole(resource) && !is_blank_json(value)) || T::holds_filled_json(value, resource)
}

/// `null`, `""`, `[]` or `{}`: nothing shown.
fn is_blank_json(value: &serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        Value::Bool(_) | Value::Number(_) => false,
    }
}

/// [`redactable!`]'s helper: whether the projected field's type holds `resource`.
pub(crate) fn __field_holds<S, F: Redactable>(
    _project: &dyn Fn(&S) -> &F,
    resource: Resource,
    depth: u8,
) -> bool {
    F::holds(resource, depth)
}

/// [`redactable!`]'s helper: fills field `name` of `object` where its type can hold `resource`.
pub(crate) fn __fill_field<S, F: Redactable>(
    _project: &dyn Fn(&S) -> &F,
    object: &mut serde_json::Map<String, serde_json::Value>,
    name: &str,
    resource: Resource,
    marker: &str,
    depth: u8,
) {
    if F::holds(resource, depth) {
        let slot = object
            .entry(name.to_owned())
            .or_insert(serde_json::Value::Null);
        F::fill_json(slot, resource, marker, depth);
    }
}

/// Blanks, in `body` (an answer of `rpc` as JSON), every part guarded by a scope `held` does not
/// grant, wherever the response type can hold it: what a server does for a redacted response.
pub fn redact_json_for(rpc: Rpc, body: &mut serde_json::Value, held: &[Scope]) {
    struct Redact<'a> {
        body: &'a mut serde_json::Value,
        resource: Resource,
    }
    impl crate::models::RequestTypeVisitor for Redact<'_> {
        type Output = ();
        fn visit<R: crate::models::ApiRequest>(self) {
            <R::Response as Redactable>::redact_json(self.body, self.resource);
        }
    }
    for (scope, resource) in rpc.spec().guards() {
        if !scope.is_granted_by(held) {
            crate::models::visit_request_type(
                rpc,
                Redact {
                    body: &mut *body,
                    resource: *resource,
                },
            );
        }
    }
}

/// The guards of `rpc` ([`EndpointSpec::guards`](crate::endpoint::EndpointSpec::guards)) whose
/// resource `body` (an answer of `rpc` as JSON, before any redaction) holds, filled: the
/// depending scopes whose guarded data the answer returns, or would return to a key holding
/// them. What the emulator's usage report counts as a scope a call exercised.
pub fn guards_present(rpc: Rpc, body: &serde_json::Value) -> Vec<(Scope, Resource)> {
    rpc.spec()
        .guards()
        .iter()
        .filter(|(_, resource)| guard_present(rpc, body, *resource))
        .cloned()
        .collect()
}

/// Whether `body` (an answer of `rpc` as JSON, before any redaction) holds a filled part of
/// `resource`: one guard of [`guards_present`], for a caller that already knows some answers.
pub fn guard_present(rpc: Rpc, body: &serde_json::Value, resource: Resource) -> bool {
    struct Present<'a> {
        body: &'a serde_json::Value,
        resource: Resource,
    }
    impl crate::models::RequestTypeVisitor for Present<'_> {
        type Output = bool;
        fn visit<R: crate::models::ApiRequest>(self) -> bool {
            filled_part::<R::Response>(self.body, self.resource)
        }
    }
    crate::models::visit_request_type(rpc, Present { body, resource })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope;

    /// The first way of [`guard_present`], kept as its oracle: redact a copy of the answer and
    /// look for a filled field that went.
    fn present_by_copy(rpc: Rpc, body: &serde_json::Value, resource: Resource) -> bool {
        struct Redact<'a> {
            body: &'a mut serde_json::Value,
            resource: Resource,
        }
        impl crate::models::RequestTypeVisitor for Redact<'_> {
            type Output = ();
            fn visit<R: crate::models::ApiRequest>(self) {
                <R::Response as Redactable>::redact_json(self.body, self.resource);
            }
        }
        let mut redacted = body.clone();
        crate::models::visit_request_type(
            rpc,
            Redact {
                body: &mut redacted,
                resource,
            },
        );
        removed_something_filled(body, &redacted)
    }

    /// Whether `after` (`before` with fields removed) lacks a field that was filled in `before`.
    fn removed_something_filled(before: &serde_json::Value, after: &serde_json::Value) -> bool {
        use serde_json::Value;
        match (before, after) {
            (Value::Object(b), Value::Object(a)) => b.iter().any(|(k, v)| match a.get(k) {
                None => !is_blank_json(v),
                Some(w) => removed_something_filled(v, w),
            }),
            (Value::Array(b), Value::Array(a)) => {
                b.iter().zip(a).any(|(v, w)| removed_something_filled(v, w))
            }
            _ => false,
        }
    }

    #[test]
    fn guard_present_reads_what_redaction_of_a_copy_takes_out() {
        struct Fill<'a> {
            body: &'a mut serde_json::Value,
            resource: Resource,
        }
        impl crate::models::RequestTypeVisitor for Fill<'_> {
            type Output = ();
            fn visit<R: crate::models::ApiRequest>(self) {
                <R::Response as Redactable>::fill_json(
                    self.body,
                    self.resource,
                    "marker",
                    TYPE_DEPTH,
                );
            }
        }
        let mut checked = 0;
        for spec in crate::endpoint::ENDPOINTS {
            let guards = spec.guards();
            for (_, filled_with) in guards {
                // An answer holding `filled_with` everywhere its type can, then each guard of
                // the endpoint asked of it: the same answer both ways.
                let mut body = serde_json::json!({"status": {"code": 10000}});
                crate::models::visit_request_type(
                    spec.rpc,
                    Fill {
                        body: &mut body,
                        resource: *filled_with,
                    },
                );
                for (_, asked) in guards {
                    let by_copy = present_by_copy(spec.rpc, &body, *asked);
                    assert_eq!(
                        guard_present(spec.rpc, &body, *asked),
                        by_copy,
                        "{:?}: {asked:?} in an answer filled with {filled_with:?}",
                        spec.rpc
                    );
                    checked += 1;
                }
                assert!(
                    guard_present(spec.rpc, &body, *filled_with),
                    "{:?}",
                    spec.rpc
                );
            }
            let blank = serde_json::json!({"status": {"code": 10000}});
            for (_, asked) in guards {
                assert!(!guard_present(spec.rpc, &blank, *asked), "{:?}", spec.rpc);
            }
        }
        assert!(checked > 50, "only {checked} cases");
    }

    #[test]
    fn guards_present_sees_filled_guarded_parts_only() {
        let with = serde_json::json!({"status": {"code": 10000}, "outputs": [
            {"id": "o", "model": {"id": "m"}, "data": {"concepts": [{"id": "red", "value": 0.9}]}}
        ]});
        let found: Vec<Scope> = guards_present(Rpc::PostModelOutputs, &with)
            .into_iter()
            .map(|(s, _)| s)
            .collect();
        assert_eq!(
            found,
            [
                Scope::of::<scope::GetConcepts>(),
                Scope::of::<scope::GetModels>()
            ]
        );
        let without = serde_json::json!({"status": {"code": 10000}, "outputs": [
            {"id": "o", "data": {"concepts": [], "colors": [{"raw_hex": "#ff0000"}]}}
        ]});
        assert!(guards_present(Rpc::PostModelOutputs, &without).is_empty());
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
