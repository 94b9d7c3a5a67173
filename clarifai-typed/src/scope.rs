//! The scope catalogue: one zero-sized marker type per scope, and the run-time [`Scope`] value.
//!
//! Every scope Clarifai lets a key be granted has a marker here, named verb first: `Inputs:Add` is
//! [`AddInputs`], `Models:Train` is [`TrainModels`], `SavedSearch:Get` is [`GetSavedSearch`];
//! one-word scopes keep their name ([`All`], [`Predict`], [`Search`]). Markers are what
//! `#[scoped_key(...)]` lists and what [`Grants`](crate::Grants) is generic over; [`Scope`] is the
//! same thing as a value, for run-time work (what the server says a key holds, error messages).
//!
//! Deprecated scopes (the proto marks them so; the server no longer checks them) are kept, marked in
//! their docs and by [`Scope::is_deprecated`].
//!
//! # How a scope is spelled for a person
//!
//! One rule, everywhere this workspace writes a scope for a person to read (`Display`, `Debug`,
//! error messages, reports, the emulator's usage report, the `clarifai-scopes` tool): the **Rust
//! name** (`DeleteInputs`), the word you write in `#[scoped_key(...)]`. The **wire name**
//! (`Inputs:Delete`) is what goes over the wire, in the API's JSON ([`Scope::as_str`], serde); a
//! message shows it only after the Rust name, in parentheses, where you must act in the Clarifai
//! portal, which lists scopes by their wire names ([`Scope::portal_name`]). A scope the catalogue
//! does not know is shown as the server sent it.
//!
//! ```
//! use clarifai_typed::{scope, Scope};
//! let s = Scope::of::<scope::DeleteInputs>();
//! assert_eq!(s.to_string(), "DeleteInputs");
//! assert_eq!(format!("{s:?}"), "DeleteInputs");
//! assert_eq!(s.as_str(), "Inputs:Delete");
//! assert_eq!(s.portal_name(), "DeleteInputs (Inputs:Delete in the Clarifai portal)");
//! ```

use std::borrow::Cow;
use std::fmt;

use clarifai_catalogue::SCOPES as TABLE;

/// A scope as a value: one of the catalogue's, or a string the server sent that this version does
/// not know (kept as it came, never an error).
///
/// Serializes to the colon form (`"Inputs:Add"`); parses the colon and the underscore forms
/// (`"Inputs_Add"`), since the server's spelling is not confirmed. Displays as its Rust name
/// (`AddInputs`): see [the module](self) for the spelling rule.
///
/// ```
/// use clarifai_typed::{scope, Scope};
/// let s: Scope = "Inputs_Add".parse().unwrap();
/// assert_eq!(s, Scope::of::<scope::AddInputs>());
/// assert_eq!(s.as_str(), "Inputs:Add");
/// assert_eq!(s.rust_name(), Some("AddInputs"));
/// let future: Scope = "Robots:Summon".parse().unwrap();
/// assert!(!future.is_known());
/// assert_eq!(future.as_str(), "Robots:Summon");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Scope(Repr);

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Repr {
    Known(u8),
    Unknown(Box<str>),
}

impl Scope {
    #[doc(hidden)]
    pub const fn __from_index(index: u8) -> Scope {
        Scope(Repr::Known(index))
    }

    /// The scope a marker type stands for.
    pub const fn of<S: ScopeMarker>() -> Scope {
        S::SCOPE
    }

    /// Reads a scope from its wire name (colon or underscore form). An unknown name is kept as
    /// [`Scope::is_known`] `== false`; this never fails.
    pub fn parse(name: &str) -> Scope {
        match clarifai_catalogue::by_wire_name(name) {
            Some(i) => Scope(Repr::Known(i)),
            None => Scope(Repr::Unknown(name.into())),
        }
    }

    /// Looks a scope up by its Rust name (`"AddInputs"`).
    pub fn from_rust_name(name: &str) -> Option<Scope> {
        clarifai_catalogue::by_rust_name(name).map(|i| Scope(Repr::Known(i)))
    }

    /// The wire name in the colon form (`"Inputs:Add"`), or the unknown string as it came.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Known(i) => TABLE[*i as usize].wire,
            Repr::Unknown(s) => s,
        }
    }

    /// The Rust name of the marker type (`"AddInputs"`), for a known scope.
    pub fn rust_name(&self) -> Option<&'static str> {
        self.def().map(|d| d.rust_name)
    }

    /// The name a person reads: the Rust name (`"AddInputs"`), or, for a scope this version does
    /// not know, the string the server sent. What `Display` writes.
    pub fn name(&self) -> &str {
        self.rust_name().unwrap_or_else(|| self.as_str())
    }

    /// The name for a message that asks the reader to act in the Clarifai portal: the Rust name
    /// followed by the wire name the portal lists (`"AddInputs (Inputs:Add in the Clarifai
    /// portal)"`); an unknown scope as the server sent it.
    pub fn portal_name(&self) -> String {
        match self.rust_name() {
            Some(rust) => format!("{rust} ({} in the Clarifai portal)", self.as_str()),
            None => self.as_str().to_owned(),
        }
    }

    /// Reads a scope a person wrote: its Rust name (`AddInputs`) or its wire name (`Inputs:Add`,
    /// `Inputs_Add`). `None` when it is neither.
    pub fn from_any_name(name: &str) -> Option<Scope> {
        let name = name.trim();
        Scope::from_rust_name(name).or_else(|| Some(Scope::parse(name)).filter(Scope::is_known))
    }

    /// Whether the scope is in this version's catalogue.
    pub fn is_known(&self) -> bool {
        matches!(self.0, Repr::Known(_))
    }

    /// Whether Clarifai marks the scope deprecated (the server no longer checks it).
    pub fn is_deprecated(&self) -> bool {
        self.def().is_some_and(|d| d.deprecated)
    }

    /// The scopes granted together with this one (`X:Delete` brings `X:Add` and `X:Get`).
    pub fn dependencies(&self) -> impl Iterator<Item = Scope> + '_ {
        self.def()
            .map_or(&[][..], |d| d.dependencies)
            .iter()
            .map(|&i| Scope(Repr::Known(i)))
    }

    /// Every scope in the catalogue, in the proto's order.
    pub fn catalogue() -> impl ExactSizeIterator<Item = Scope> {
        (0..TABLE.len()).map(|i| Scope(Repr::Known(i as u8)))
    }

    /// `true` if a key holding `held` may use this scope: the scope itself or `All` is in `held`.
    pub fn is_granted_by(&self, held: &[Scope]) -> bool {
        held.iter().any(|h| h == self || h.is_all())
    }

    /// Whether this is the `All` wildcard.
    pub fn is_all(&self) -> bool {
        self.0 == Repr::Known(clarifai_catalogue::ALL)
    }

    /// The position in the catalogue (unknown scopes: past its end).
    fn index(&self) -> usize {
        match self.0 {
            Repr::Known(i) => i as usize,
            Repr::Unknown(_) => usize::MAX,
        }
    }

    fn def(&self) -> Option<&'static clarifai_catalogue::ScopeDef> {
        match self.0 {
            Repr::Known(i) => Some(&TABLE[i as usize]),
            Repr::Unknown(_) => None,
        }
    }
}

/// The Rust name (`DeleteInputs`); an unknown scope as the server sent it.
impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Debug for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.rust_name() {
            Some(name) => f.write_str(name),
            None => write!(f, "Unknown({:?})", self.as_str()),
        }
    }
}

impl std::str::FromStr for Scope {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Scope::parse(s))
    }
}

impl serde::Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Scope {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = Cow::<'de, str>::deserialize(deserializer)?;
        Ok(Scope::parse(&s))
    }
}

/// Closes `declared` over Clarifai's scope dependencies and adds `GetApps`, exactly as
/// `#[scoped_key(...)]` does: the scopes a key type declared with `declared` grants, in catalogue
/// order (`All` closes to `All` followed by every scope). Unknown scopes are dropped.
///
/// ```
/// use clarifai_typed::scope::{self, closure};
/// use clarifai_typed::Scope;
/// let names: Vec<String> = closure(&[Scope::of::<scope::DeleteInputs>()]).iter().map(Scope::to_string).collect();
/// assert_eq!(names, ["AddInputs", "GetInputs", "DeleteInputs", "GetApps"]);
/// ```
pub fn closure(declared: &[Scope]) -> Vec<Scope> {
    let indices = declared.iter().filter_map(|s| match s.0 {
        Repr::Known(i) => Some(i),
        Repr::Unknown(_) => None,
    });
    let mask = clarifai_catalogue::closure(indices);
    let all = Scope(Repr::Known(clarifai_catalogue::ALL));
    let mut out: Vec<Scope> = Vec::new();
    if mask.iter().all(|held| *held) {
        out.push(all.clone());
    }
    out.extend(
        Scope::catalogue()
            .filter(|s| mask[s.index()])
            .filter(|s| !s.is_all()),
    );
    out
}

/// The smallest `#[scoped_key(...)]` list whose [`closure`] grants every scope of `needed`, and
/// nothing `needed` does not imply: each needed scope that another needed scope already brings
/// (`GetInputs` with `AddInputs`), and `GetApps` (every key holds it), is left out. In catalogue
/// order; `[All]` when `needed` holds `All`; `[GetApps]` when nothing else is needed (the macro
/// wants at least one scope). Unknown scopes are dropped.
///
/// ```
/// use clarifai_typed::scope::{self, minimal_declaration};
/// use clarifai_typed::Scope;
/// let needed = [
///     Scope::of::<scope::GetInputs>(),
///     Scope::of::<scope::AddInputs>(),
///     Scope::of::<scope::Predict>(),
///     Scope::of::<scope::GetApps>(),
/// ];
/// let names: Vec<String> = minimal_declaration(&needed).iter().map(Scope::to_string).collect();
/// assert_eq!(names, ["Predict", "AddInputs"]);
/// ```
pub fn minimal_declaration(needed: &[Scope]) -> Vec<Scope> {
    if needed.iter().any(Scope::is_all) {
        return vec![Scope(Repr::Known(clarifai_catalogue::ALL))];
    }
    let get_apps = Scope(Repr::Known(clarifai_catalogue::GET_APPS));
    let mut wanted: Vec<Scope> = Scope::catalogue()
        .filter(|s| needed.contains(s) && *s != get_apps)
        .collect();
    // Drop each scope the others bring; what is left is irreducible, and its closure is the
    // closure of `needed` (nothing outside `needed` is added).
    let mut i = 0;
    while i < wanted.len() {
        let others: Vec<Scope> = wanted
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, s)| s.clone())
            .collect();
        if closure(&others).contains(&wanted[i]) {
            wanted.remove(i);
        } else {
            i += 1;
        }
    }
    if wanted.is_empty() {
        wanted.push(get_apps);
    }
    wanted
}

/// The Rust source of a key type declared with `scopes`, as `#[scoped_key]` takes it:
///
/// ```
/// use clarifai_typed::scope::{self, declaration};
/// use clarifai_typed::Scope;
/// let source = declaration("AppKey", &[Scope::of::<scope::Predict>(), Scope::of::<scope::AddInputs>()]);
/// assert_eq!(source, "#[scoped_key(Predict, AddInputs)]\npub struct AppKey;\n");
/// ```
///
/// Unknown scopes are left out (they cannot be declared).
pub fn declaration(type_name: &str, scopes: &[Scope]) -> String {
    let names: Vec<&str> = scopes.iter().filter_map(Scope::rust_name).collect();
    format!(
        "#[scoped_key({})]\npub struct {type_name};\n",
        names.join(", ")
    )
}

/// A zero-sized type standing for one scope. Implemented by the types of this module only.
///
/// (`Marker`, a hidden supertrait, is the marker's place in the type-level scope lists that let the
/// compiler name the scopes a key type lacks.)
pub trait ScopeMarker:
    sealed::Sealed + set::Marker + Copy + Default + fmt::Debug + Send + Sync + 'static
{
    /// The scope as a value.
    const SCOPE: Scope;
}

mod sealed {
    pub trait Sealed {}
}

macro_rules! define_markers {
    ($($name:ident = $num:literal, $wire:literal, [$($flag:ident)?], [$($dep:ident),*];)*) => {
        #[allow(non_camel_case_types, dead_code)]
        #[repr(u8)]
        enum Index { $($name,)* }
        $(
            #[doc = concat!("The `", $wire, "` scope (proto enum value ", stringify!($num), ").")]
            #[doc = ""]
            #[doc = define_markers!(@deps $($dep)*)]
            $(#[doc = define_markers!(@flag $flag)])?
            $(#[deprecated = define_markers!(@note $flag $wire)])?
            #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
            pub struct $name;
            #[allow(deprecated)]
            impl sealed::Sealed for $name {}
            #[allow(deprecated)]
            impl ScopeMarker for $name {
                const SCOPE: Scope = Scope::__from_index(Index::$name as u8);
            }
        )*
        /// Every scope of the catalogue, in its order (`All` first): what `All` keys hold.
        pub(crate) const EVERY_SCOPE: &[Scope] = &[$(Scope::__from_index(Index::$name as u8)),*];
        // Each marker's bit: the catalogue's order, four to a chunk, the same positions
        // `#[scoped_key]` computes from the catalogue's indices.
        set_bits! {
            [C0 C1 C2 C3 C4 C5 C6 C7 C8 C9 C10 C11 C12 C13 C14 C15 C16 C17 C18 C19 C20 C21 C22
             C23 C24 C25 C26 C27 C28]
            []
            $($name)*
        }
    };
    (@deps) => { "Granted on its own." };
    (@deps $($dep:ident)*) => {
        concat!("Granted together with:" $(, " [`", stringify!($dep), "`]")*, ".")
    };
    (@note deprecated $wire:literal) => {
        concat!("Clarifai deprecated `", $wire, "`: the server no longer checks it")
    };
    (@flag deprecated) => {
        "\n**Deprecated** by Clarifai: the server no longer checks this scope."
    };
}

/// Gives the markers, in catalogue order, bits `B0` to `B3` of chunks `C0`, `C1`, ... of
/// [`Set`](crate::key::set::Set) (`[$zero ...]`: an `H0` for each chunk before the current one).
/// Runs out of chunk names (a compile error) if the catalogue outgrows them.
macro_rules! set_bits {
    ([$chunk:ident $($chunks:ident)*] [$($zero:ident)*]
     $b0:ident $b1:ident $b2:ident $b3:ident $($rest:ident)*) => {
        set_bits!(@one $b0 $chunk B0 [$($zero)*] H1);
        set_bits!(@one $b1 $chunk B1 [$($zero)*] H2);
        set_bits!(@one $b2 $chunk B2 [$($zero)*] H4);
        set_bits!(@one $b3 $chunk B3 [$($zero)*] H8);
        set_bits!([$($chunks)*] [$($zero)* H0] $($rest)*);
    };
    ([$($chunks:ident)*] [$($zero:ident)*] $($rest:ident)+) => {
        set_bits!([$($chunks)*] [$($zero)*] $($rest)* __pad);
    };
    ([$($chunks:ident)*] [$($zero:ident)*]) => {};
    (@one __pad $($ignored:tt)*) => {};
    (@one $name:ident $chunk:ident $bit:ident [$($zero:ident)*] $value:ident) => {
        #[allow(deprecated)]
        impl set::Marker for $name {
            type Single = set::Set<$(set::$zero,)* set::$value>;
            type In<S: set::SetT> = <<S as set::SetT>::$chunk as set::Nibble>::$bit;
            const POSITION: (&'static str, &'static str) = (stringify!($chunk), stringify!($bit));
        }
        #[allow(deprecated)]
        impl set::List for $name {
            type Push<X: set::Marker> = ($name, X);
        }
        #[allow(deprecated)]
        impl set::ScopeList for $name {
            type Lacks<L: set::ScopeList> = <L as set::ScopeList>::Missing<Self, ()>;
            type Has<X: set::Marker> = <X as set::Marker>::In<<$name as set::Marker>::Single>;
            type Missing<H: set::ScopeList, Acc: set::List> =
                <<H as set::ScopeList>::Has<$name> as set::Answer>::Lack<$name, Acc>;
            const SCOPES: &'static [Scope] = &[<$name as ScopeMarker>::SCOPE];
            const ONE: Scope = <$name as ScopeMarker>::SCOPE;
        }
    };
}

use crate::key::set;

clarifai_catalogue::scope_table!(define_markers);

#[cfg(test)]
#[allow(deprecated)]
mod tests {
    use super::*;

    #[test]
    fn markers_and_values_agree_with_the_catalogue() {
        assert_eq!(Scope::catalogue().len(), 113);
        assert_eq!(Scope::of::<AddInputs>().as_str(), "Inputs:Add");
        assert_eq!(Scope::of::<GetSavedSearch>().as_str(), "SavedSearch:Get");
        assert_eq!(Scope::of::<TrainModels>().rust_name(), Some("TrainModels"));
        assert!(Scope::of::<PatchInputs>().is_deprecated());
        assert!(!Scope::of::<AddInputs>().is_deprecated());
        for s in Scope::catalogue() {
            assert_eq!(Scope::parse(s.as_str()), s);
            assert_eq!(
                Scope::from_rust_name(s.rust_name().unwrap()),
                Some(s.clone())
            );
            assert_eq!(Scope::parse(&s.as_str().replacen(':', "_", 1)), s);
        }
    }

    #[test]
    fn serde_uses_the_colon_form_and_keeps_unknown_strings() {
        let scopes: Vec<Scope> =
            serde_json::from_str(r#"["Inputs:Add","Models_Train","All","Teleport:Add"]"#).unwrap();
        assert_eq!(scopes[0], Scope::of::<AddInputs>());
        assert_eq!(scopes[1], Scope::of::<TrainModels>());
        assert!(scopes[2].is_all());
        assert!(!scopes[3].is_known());
        assert_eq!(
            serde_json::to_string(&scopes).unwrap(),
            r#"["Inputs:Add","Models:Train","All","Teleport:Add"]"#
        );
        assert_eq!(format!("{:?}", scopes[3]), r#"Unknown("Teleport:Add")"#);
        assert_eq!(scopes[3].to_string(), "Teleport:Add");
        assert_eq!(scopes[1].to_string(), "TrainModels");
    }

    #[test]
    fn people_read_rust_names_and_may_write_either() {
        for s in Scope::catalogue() {
            assert_eq!(s.to_string(), format!("{s:?}"));
            assert_eq!(Scope::from_any_name(s.name()), Some(s.clone()));
            assert_eq!(Scope::from_any_name(s.as_str()), Some(s.clone()));
        }
        assert_eq!(Scope::from_any_name("Teleport:Add"), None);
    }

    macro_rules! positions {
        ($($name:ident = $num:literal, $wire:literal, [$($flag:ident)?], [$($dep:ident),*];)*) => {
            const POSITIONS: &[(Scope, (&str, &str))] =
                &[$((<$name as ScopeMarker>::SCOPE, <$name as crate::key::set::Marker>::POSITION)),*];
        };
    }
    clarifai_catalogue::scope_table!(positions);

    /// The bits the markers get in this crate are those `#[scoped_key]` computes from the
    /// catalogue's indices: scope `i` is bit `i % 4` of chunk `i / 4`.
    #[test]
    fn marker_bits_follow_the_catalogue() {
        for (i, (scope, (chunk, bit))) in POSITIONS.iter().enumerate() {
            assert_eq!(scope, &Scope::__from_index(i as u8));
            assert_eq!(chunk, &format!("C{}", i / 4), "{scope:?}");
            assert_eq!(bit, &format!("B{}", i % 4), "{scope:?}");
        }
        use crate::key::set::{Everything, ScopeList};
        let every: Vec<Scope> = Scope::catalogue().collect();
        assert_eq!(<Everything as ScopeList>::SCOPES, every.as_slice());
    }

    #[test]
    fn dependencies_are_values_too() {
        let deps: Vec<Scope> = Scope::of::<DeleteInputs>().dependencies().collect();
        assert_eq!(deps, [Scope::of::<AddInputs>(), Scope::of::<GetInputs>()]);
        assert!(Scope::of::<GetInputs>().is_granted_by(&[Scope::of::<All>()]));
        assert!(!Scope::of::<GetInputs>().is_granted_by(&[Scope::of::<AddInputs>()]));
    }
}

/// rustc prints full paths (`clarifai_typed::scope::Search` instead of `Search`) in every
/// missing-scope error when another public item of the crate shares a marker's name. This scans
/// the crate's sources for public types, traits and enum variants named like a marker.
#[cfg(test)]
mod name_clash {
    use super::Scope;

    fn sources(dir: &std::path::Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((
                    path.display().to_string(),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }

    #[test]
    fn no_public_item_shares_a_name_with_a_scope_marker() {
        let mut files = Vec::new();
        sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        let markers: Vec<&str> = Scope::catalogue().filter_map(|s| s.rust_name()).collect();
        let mut clashes = Vec::new();
        for (file, text) in &files {
            // `Rpc`'s variants (`DeleteInputs`) share the markers' names, but the enum lives in a
            // private module and is named through a type alias, which rustc's short-path
            // printing does not follow: the UI snapshots of missing-scope errors prove it.
            if file.ends_with("generated.rs") {
                continue;
            }
            let mut in_pub_enum = false;
            for line in text.lines().map(str::trim) {
                let words: Vec<&str> = line
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .filter(|w| !w.is_empty())
                    .collect();
                if let ["pub", kind, name, ..] = words.as_slice() {
                    if ["struct", "enum", "trait", "type", "mod", "fn", "const"].contains(kind)
                        && markers.contains(name)
                        && !file.ends_with("scope.rs")
                    {
                        clashes.push(format!("{file}: {line}"));
                    }
                    in_pub_enum = *kind == "enum";
                } else if in_pub_enum {
                    if line.starts_with('}') {
                        in_pub_enum = false;
                    } else if let Some(first) = words.first()
                        && markers.contains(first)
                        && !line.starts_with("//")
                    {
                        clashes.push(format!("{file}: variant {line}"));
                    }
                }
            }
        }
        assert!(
            clashes.is_empty(),
            "public items named like scope markers: {clashes:#?}"
        );
    }
}
