//! The scopes of a key type as types, so that the compiler itself can name the scopes a key type
//! lacks, and so that `Key::SCOPES` and `Key::DECLARED` need no code per key type.
//!
//! `#[scoped_key]` gives every key type two lists of scope markers ([`KeyScopes`]): `Held`, its
//! closure, and `Declared`, the scopes as written. A list is `()`, a marker, or a tuple of up to 16
//! lists; `Everything` stands for the whole catalogue (keys declared with `All`).
//!
//! Whether a list holds a scope is answered by the types too: each marker has a bit (a chunk and a
//! bit of a [`Set`]); [`Marker::Single`] is the set of that scope alone and [`Marker::In`] reads a
//! marker's bit in a set, so "does list `H` hold `X`?" is the OR, over the markers `A` of `H`, of
//! `X`'s bit in `A::Single` ([`ScopeList::Has`]).
//!
//! A narrowing or a scope-set bound folds a list against a key type's `Held`
//! ([`ScopeList::Missing`]) into a tuple of what is missing: `()`, `DeleteInputs`, or
//! `(TrainModels, DeleteInputs)`, which the traits' `on_unimplemented` messages print. That list is
//! for messages only: whether a narrowing compiles is decided by the `Grants` impls, so a mistake
//! in it could only make a message wrong.
//!
//! Nothing here is API: generated code reaches it through `__private01`. Its names can appear in an
//! error only about generic code whose key type is a type parameter, where the compiler cannot
//! know the scopes: `<<K as KeyScopes>::Held as ScopeList>::Lacks<SmallKey>`.

use std::marker::PhantomData;

use crate::key::{Grants, Key};
use crate::scope::{Scope, ScopeMarker};

/// The answer to "does this list hold that scope?".
pub trait Answer {
    /// `Self` or `A`.
    type Or<A: Answer>: Answer;
    /// `Acc` with `X` appended when the answer is [`No`].
    type Lack<X: Marker, Acc: List>: List;
}

/// The list holds the scope. (Named for the one message where an answer appears:
/// "the trait `Grants<DeleteInputs, NotGranted>` is not implemented for `AppKey`".)
#[derive(Debug)]
pub enum Granted {}

/// The list lacks the scope.
#[derive(Debug)]
pub enum NotGranted {}

use Granted as Yes;
use NotGranted as No;

impl Answer for Yes {
    type Or<A: Answer> = Yes;
    type Lack<X: Marker, Acc: List> = Acc;
}

impl Answer for No {
    type Or<A: Answer> = A;
    type Lack<X: Marker, Acc: List> = <Acc as List>::Push<X>;
}

/// Four bits of a [`Set`].
pub trait Nibble {
    /// Bit 0 (value 1).
    type B0: Answer;
    /// Bit 1 (value 2).
    type B1: Answer;
    /// Bit 2 (value 4).
    type B2: Answer;
    /// Bit 3 (value 8).
    type B3: Answer;
}

macro_rules! nibbles {
    ($($name:ident = $b0:ident $b1:ident $b2:ident $b3:ident;)*) => {$(
        #[doc = concat!("The chunk value `", stringify!($name), "`.")]
        #[derive(Debug)]
        pub enum $name {}
        impl Nibble for $name {
            type B0 = $b0;
            type B1 = $b1;
            type B2 = $b2;
            type B3 = $b3;
        }
    )*};
}

nibbles! {
    H0 = No No No No;
    H1 = Yes No No No;
    H2 = No Yes No No;
    H4 = No No Yes No;
    H8 = No No No Yes;
}

macro_rules! set {
    ($($chunk:ident)*) => {
        /// A set of scopes: chunk `Cn` holds the bits of the catalogue's scopes `4n` to `4n + 3`.
        /// Trailing empty chunks may be left out. Only the sets of one scope are used
        /// ([`Marker::Single`]). Never made: a type only.
        #[allow(missing_debug_implementations)]
        pub struct Set<$($chunk = H0),*>(PhantomData<fn() -> ($($chunk,)*)>);

        /// What [`Set`] is, for the markers to look their bit up in.
        pub trait SetT {
            $(
                #[allow(missing_docs)]
                type $chunk: Nibble;
            )*
        }

        impl<$($chunk: Nibble),*> SetT for Set<$($chunk),*> {
            $(type $chunk = $chunk;)*
        }
    };
}

set!(C0 C1 C2 C3 C4 C5 C6 C7 C8 C9 C10 C11 C12 C13 C14 C15 C16 C17 C18 C19 C20 C21 C22 C23 C24 C25 C26 C27 C28);

/// A scope marker's bit. Implemented for every marker of [`crate::scope`] (a supertrait of
/// `ScopeMarker`).
pub trait Marker: List + ScopeList + 'static {
    /// The set of this scope alone.
    type Single: SetT;
    /// Whether set `S` holds this scope.
    type In<S: SetT>: Answer;
    /// The marker's chunk and bit, by name (checked against the catalogue by a test).
    const POSITION: (&'static str, &'static str);
}

/// A list of missing scopes, as printed in messages: `()`, a marker, or a tuple of markers.
pub trait List {
    /// The list with `X` appended (a list of 16 stays as it is).
    type Push<X: Marker>: List;
}

impl List for () {
    type Push<X: Marker> = X;
}

/// A list of scopes: `()`, a marker, a tuple of up to 16 lists, [`Everything`], or a key type (as a
/// list to check, its declared scopes; as a list that holds, its closure).
pub trait ScopeList {
    /// Whether the list holds `X`.
    type Has<X: Marker>: Answer;
    /// `Acc` followed by the scopes of this list that `H` lacks, in the list's order.
    type Missing<H: ScopeList, Acc: List>: List;
    /// The scopes of `L` that this list lacks: `()`, a marker, or a tuple (at most 16). What the
    /// messages of `NarrowFrom` and of the `#[scope_set]` traits name.
    type Lacks<L: ScopeList>: List;
    /// The scopes of a list of markers, in its order (`Key::SCOPES` and `Key::DECLARED`).
    /// Undefined for a list of lists: `#[scoped_key]` then writes the constants out.
    const SCOPES: &'static [Scope];
    /// The scope of a marker (a compile-time error for any other list, where nothing reads it).
    #[doc(hidden)]
    const ONE: Scope;
}

impl ScopeList for () {
    type Lacks<L: ScopeList> = <L as ScopeList>::Missing<Self, ()>;
    type Has<X: Marker> = No;
    type Missing<H: ScopeList, Acc: List> = Acc;
    const SCOPES: &'static [Scope] = &[];
    const ONE: Scope = panic!("`()` is not one scope");
}

/// A key type: it holds its closure, and is checked by its declared scopes.
impl<K: Key> ScopeList for K {
    type Lacks<L: ScopeList> = <L as ScopeList>::Missing<Self, ()>;
    type Has<X: Marker> = <K::Held as ScopeList>::Has<X>;
    type Missing<H: ScopeList, Acc: List> = <K::Declared as ScopeList>::Missing<H, Acc>;
    const SCOPES: &'static [Scope] = K::DECLARED;
    const ONE: Scope = panic!("a key type is not one scope");
}

/// Every scope of the catalogue: what a key declared with `All` holds.
#[derive(Debug)]
pub enum Everything {}

impl ScopeList for Everything {
    type Lacks<L: ScopeList> = <L as ScopeList>::Missing<Self, ()>;
    type Has<X: Marker> = Yes;
    type Missing<H: ScopeList, Acc: List> = <crate::scope::All as ScopeList>::Missing<H, Acc>;
    const SCOPES: &'static [Scope] = crate::scope::EVERY_SCOPE;
    const ONE: Scope = panic!("`Everything` is not one scope");
}

/// Key type `Self` grants every scope of list `L` (a marker, `()`, or a tuple of lists).
pub trait GrantsAll<L> {}

impl<K> GrantsAll<()> for K {}

impl<K: Grants<X>, X: ScopeMarker> GrantsAll<X> for K {}

macro_rules! tuples {
    ($($n:literal: $($t:ident)*;)*) => {$(
        impl<$($t: Marker),*> List for ($($t,)*) {
            type Push<X: Marker> = tuples!(@push [$($t)*] X);
        }

        impl<$($t: ScopeList),*> ScopeList for ($($t,)*) {
            type Lacks<Of: ScopeList> = <Of as ScopeList>::Missing<Self, ()>;
            type Has<X: Marker> = tuples!(@or X [$($t)*]);
            type Missing<H: ScopeList, Acc: List> = tuples!(@fold H Acc [$($t)*]);
            const SCOPES: &'static [Scope] = &[$($t::ONE),*];
            const ONE: Scope = panic!("a tuple is not one scope");
        }

        impl<K, $($t),*> GrantsAll<($($t,)*)> for K where K: $(GrantsAll<$t> +)* {}
    )*};
    (@push [$a:ident $b:ident $c:ident $d:ident $e:ident $f:ident $g:ident $h:ident
            $i:ident $j:ident $k:ident $l:ident $m:ident $n:ident $o:ident $p:ident] $x:ident) => {
        ($a, $b, $c, $d, $e, $f, $g, $h, $i, $j, $k, $l, $m, $n, $o, $p)
    };
    (@push [$($t:ident)*] $x:ident) => { ($($t,)* $x) };
    (@or $x:ident [$last:ident]) => { <$last as ScopeList>::Has<$x> };
    (@or $x:ident [$first:ident $($rest:ident)+]) => {
        <<$first as ScopeList>::Has<$x> as Answer>::Or<tuples!(@or $x [$($rest)+])>
    };
    (@fold $h:ident $acc:ty []) => { $acc };
    (@fold $h:ident $acc:ty [$first:ident $($rest:ident)*]) => {
        tuples!(@fold $h <$first as ScopeList>::Missing<$h, $acc> [$($rest)*])
    };
}

tuples! {
    1: A;
    2: A B;
    3: A B C;
    4: A B C D;
    5: A B C D E;
    6: A B C D E F;
    7: A B C D E F G;
    8: A B C D E F G I;
    9: A B C D E F G I J;
    10: A B C D E F G I J L;
    11: A B C D E F G I J L M;
    12: A B C D E F G I J L M N;
    13: A B C D E F G I J L M N O;
    14: A B C D E F G I J L M N O P;
    15: A B C D E F G I J L M N O P Q;
    16: A B C D E F G I J L M N O P Q R;
}

/// The scopes of a key type, as types: what lets the compiler name the scopes a key type lacks.
/// Implemented by `#[scoped_key]` next to [`Key`], which requires it; read by `Grants`,
/// `NarrowFrom`, the traits of `#[scope_set]`, and the defaults of `Key::SCOPES` and
/// `Key::DECLARED`.
pub trait KeyScopes {
    /// Every scope the key type holds (its closure), in the catalogue's order.
    type Held: ScopeList;
    /// The scopes as declared.
    type Declared: ScopeList;
}

impl KeyScopes for crate::client::UnverifiedKey {
    type Held = ();
    type Declared = ();
}
