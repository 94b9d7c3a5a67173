//! Wire types shared by every resource: timestamps, bytes, open enums, pagination, visibility.

use std::borrow::Cow;
use std::fmt;

use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// An RFC 3339 timestamp as the server wrote it (`"2019-01-17T12:43:04.895006174Z"`).
///
/// Choice: the original text is kept, and checked with the `time` crate when decoded, so that a
/// decoded-then-encoded body is byte-for-byte the same (the server writes from 0 to 9 fraction
/// digits; re-formatting a parsed instant would change `.000000Z` into `Z`). Equality compares
/// the text; [`Timestamp::instant`] gives the point in time, and ordering follows it.
///
/// ```
/// use clarifai_typed::models::Timestamp;
/// let t = Timestamp::parse("2017-10-13T20:53:00.868659782Z").unwrap();
/// assert_eq!(t.as_str(), "2017-10-13T20:53:00.868659782Z");
/// assert_eq!(t.instant().nanosecond(), 868_659_782);
/// assert!(Timestamp::parse("yesterday").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    text: Box<str>,
    instant: OffsetDateTime,
}

/// A string that is not an RFC 3339 timestamp.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not an RFC 3339 timestamp: {reason}")]
pub struct TimestampError {
    text: String,
    reason: String,
}

impl Timestamp {
    /// Checks and keeps an RFC 3339 string.
    pub fn parse(text: &str) -> Result<Timestamp, TimestampError> {
        match OffsetDateTime::parse(text, &Rfc3339) {
            Ok(instant) => Ok(Timestamp {
                text: text.into(),
                instant,
            }),
            Err(e) => Err(TimestampError {
                text: text.chars().take(64).collect(),
                reason: e.to_string(),
            }),
        }
    }

    /// Formats an instant the way the server does (UTC, `Z`, fraction digits as needed).
    pub fn from_instant(instant: OffsetDateTime) -> Timestamp {
        let utc = instant.to_offset(time::UtcOffset::UTC);
        let text = match utc.format(&Rfc3339) {
            Ok(text) => text,
            // Only years outside 0..=9999 fail; clamp them rather than fail.
            Err(_) => String::from("9999-12-31T23:59:59Z"),
        };
        Timestamp {
            text: text.into(),
            instant: utc,
        }
    }

    /// The current time.
    pub fn now() -> Timestamp {
        Timestamp::from_instant(OffsetDateTime::now_utc())
    }

    /// The text as sent or received.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The point in time.
    pub fn instant(&self) -> OffsetDateTime {
        self.instant
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.instant
            .cmp(&other.instant)
            .then_with(|| self.text.cmp(&other.text))
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.text)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Timestamp {
    type Err = TimestampError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Timestamp::parse(s)
    }
}

impl From<OffsetDateTime> for Timestamp {
    fn from(instant: OffsetDateTime) -> Self {
        Timestamp::from_instant(instant)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(StrVisitor {
            expecting: "a string",
            parse: |text| Timestamp::parse(text).map_err(|e| e.to_string()),
        })
    }
}

/// A visitor of a string that parses it where it lies (no `String` made first).
struct StrVisitor<T> {
    expecting: &'static str,
    parse: fn(&str) -> Result<T, String>,
}

impl<T> serde::de::Visitor<'_> for StrVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
        (self.parse)(text).map_err(E::custom)
    }
}

/// Bytes sent as a standard base64 string (`image.base64`).
///
/// `Debug` shows the length only, never the content.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Bytes(pub Vec<u8>);

impl Bytes {
    /// The raw bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.0
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The standard base64 text with padding, as sent.
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(&self.0)
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes(bytes)
    }
}

impl From<&[u8]> for Bytes {
    fn from(bytes: &[u8]) -> Self {
        Bytes(bytes.to_vec())
    }
}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bytes({} bytes)", self.0.len())
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Written as it is encoded: no base64 `String` the size of the image first.
        serializer.collect_str(&base64::display::Base64Display::new(
            &self.0,
            &base64::engine::general_purpose::STANDARD,
        ))
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        const ENGINE: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::GeneralPurposeConfig::new()
                .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
        );
        deserializer.deserialize_str(StrVisitor {
            expecting: "a string",
            parse: |text| {
                ENGINE
                    .decode(text.trim().as_bytes())
                    .map(Bytes)
                    .map_err(|e| format!("invalid base64: {e}"))
            },
        })
    }
}

/// Declares an open enum: a `u32` newtype with named constants, that decodes any number and the
/// constants' names, and encodes the number.
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $($(#[$cmeta:meta])* $konst:ident = $num:literal,)*
        }
        $(aliases { $($(#[$ameta:meta])* $alias:ident = $target:ident,)* })?
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct $name(pub u32);

        impl $name {
            $($(#[$cmeta])* pub const $konst: $name = $name($num);)*
            $($($(#[$ameta])* pub const $alias: $name = $name::$target;)*)?

            /// The proto name of a known value (`None` for a value this version does not know).
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $($num => Some(stringify!($konst)),)*
                    _ => None,
                }
            }

            /// Looks a value up by its proto name (aliases included).
            pub fn from_name(name: &str) -> Option<$name> {
                match name {
                    $(stringify!($konst) => Some($name::$konst),)*
                    $($(stringify!($alias) => Some($name::$target),)*)?
                    _ => None,
                }
            }

            /// Whether this is the zero (unset) value.
            pub const fn is_zero(&self) -> bool {
                self.0 == 0
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self.name() {
                    Some(name) => write!(f, "{}({})", name, self.0),
                    None => write!(f, "{}({})", stringify!($name), self.0),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self.name() {
                    Some(name) => write!(f, "{} ({})", self.0, name),
                    None => write!(f, "{}", self.0),
                }
            }
        }

        impl From<u32> for $name {
            fn from(value: u32) -> Self {
                $name(value)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_u32(self.0)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_any($crate::models::common::OpenEnumVisitor {
                    what: stringify!($name),
                    from_name: $name::from_name,
                })
            }
        }
    };
}
pub(crate) use open_enum;

/// Serde visitor behind `open_enum!`: a number, a numeric string, or a name.
pub(crate) struct OpenEnumVisitor<T> {
    pub(crate) what: &'static str,
    pub(crate) from_name: fn(&str) -> Option<T>,
}

impl<T> fmt::Debug for OpenEnumVisitor<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.what)
    }
}

impl<T: From<u32>> serde::de::Visitor<'_> for OpenEnumVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} as a number or a name", self.what)
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<T, E> {
        u32::try_from(v)
            .map(T::from)
            .map_err(|_| E::custom(format_args!("{} {v} out of range", self.what)))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<T, E> {
        u32::try_from(v)
            .map(T::from)
            .map_err(|_| E::custom(format_args!("{} {v} out of range", self.what)))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<T, E> {
        if v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v) {
            Ok(T::from(v as u32))
        } else {
            Err(E::custom(format_args!("{} {v} is not a u32", self.what)))
        }
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        if let Ok(n) = v.parse::<u32>() {
            return Ok(T::from(n));
        }
        (self.from_name)(v).ok_or_else(|| E::custom(format_args!("unknown {} `{v}`", self.what)))
    }
}

open_enum! {
    /// Who may read a resource (`Visibility.gettable`): an open enum, decoded from a number or a
    /// name.
    Gettable {
        /// Not set.
        UNKNOWN_VISIBILITY = 0,
        /// Only the owner and collaborators.
        PRIVATE = 10,
        /// The owner's organization.
        ORG = 30,
        /// Everyone.
        PUBLIC = 50,
    }
}

/// Who may read a resource.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Visibility {
    /// The visibility level.
    #[serde(skip_serializing_if = "Gettable::is_zero")]
    pub gettable: Gettable,
    /// Fields this version does not model, kept for round trips.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl Visibility {
    /// A visibility of the given level.
    pub fn new(gettable: Gettable) -> Visibility {
        Visibility {
            gettable,
            ..Visibility::default()
        }
    }
}

/// Page selection of list and search requests (`page` starts at 1; `per_page` defaults to 128 on
/// the server, at most 1000).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Pagination {
    /// The page, from 1 (0: the server's default, 1).
    #[serde(
        skip_serializing_if = "is_zero_u32",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub page: u32,
    /// Items per page (0: the server's default, 128).
    #[serde(
        skip_serializing_if = "is_zero_u32",
        deserialize_with = "crate::models::common::null_as_default"
    )]
    pub per_page: u32,
}

impl Pagination {
    /// Page `page` of `per_page` items.
    pub fn new(page: u32, per_page: u32) -> Pagination {
        Pagination { page, per_page }
    }
}

/// How a `PATCH` applies its changes (`action`): `merge`, `overwrite` or `remove`. Open: any
/// string the server names is kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PatchAction(pub Cow<'static, str>);

impl PatchAction {
    /// Adds to lists and sets given fields, keeping the rest.
    pub const MERGE: PatchAction = PatchAction(Cow::Borrowed("merge"));
    /// Replaces the given fields.
    pub const OVERWRITE: PatchAction = PatchAction(Cow::Borrowed("overwrite"));
    /// Removes the given list items (concepts, metadata keys).
    pub const REMOVE: PatchAction = PatchAction(Cow::Borrowed("remove"));

    /// The action's wire name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether no action is set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The query parameters of a `GET` request type (`?page=2&per_page=20`), as `(name, value)`
/// pairs in field order, not yet percent-encoded: nested fields are dotted
/// (`user_app_id.user_id`), lists repeat their name (`ids=a&ids=b`), zero values are left out
/// as in a body.
///
/// ```
/// use clarifai_typed::models::{ListModelsRequest, query_pairs};
/// let pairs = query_pairs(&ListModelsRequest::page(2, 20));
/// assert_eq!(pairs, [("page".to_owned(), "2".to_owned()), ("per_page".to_owned(), "20".to_owned())]);
/// ```
pub fn query_pairs<T: Serialize>(request: &T) -> Vec<(String, String)> {
    fn walk(prefix: &str, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
        match value {
            serde_json::Value::Null => {}
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    let name = if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&name, v, out);
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    walk(prefix, item, out);
                }
            }
            serde_json::Value::String(s) => out.push((prefix.to_owned(), s.clone())),
            other => out.push((prefix.to_owned(), other.to_string())),
        }
    }
    let mut out = Vec::new();
    if let Ok(value) = serde_json::to_value(request) {
        walk("", &value, &mut out);
    }
    out
}

/// A request that asks for one page of a list: `page` and `per_page` as query parameters, or
/// `pagination` in a search body.
pub trait Paged {
    /// Sets the page (from 1) and the page size.
    fn set_page(&mut self, page: u32, per_page: u32);
    /// The page and page size asked for (0: the server's default).
    fn page(&self) -> (u32, u32);
}

macro_rules! paged_by_fields {
    ($($name:ty),* $(,)?) => {$(
        impl $crate::models::Paged for $name {
            fn set_page(&mut self, page: u32, per_page: u32) {
                self.page = page;
                self.per_page = per_page;
            }
            fn page(&self) -> (u32, u32) {
                (self.page, self.per_page)
            }
        }
    )*};
}

macro_rules! paged_by_pagination {
    ($($name:ty),* $(,)?) => {$(
        impl $crate::models::Paged for $name {
            fn set_page(&mut self, page: u32, per_page: u32) {
                self.pagination = Some($crate::models::Pagination { page, per_page });
            }
            fn page(&self) -> (u32, u32) {
                self.pagination.as_ref().map_or((0, 0), |p| (p.page, p.per_page))
            }
        }
    )*};
}

pub(crate) use {paged_by_fields, paged_by_pagination};

/// A request body that is one list of objects (`PostConcepts`: `{"concepts": [...]}`), with a
/// `new` taking the list.
macro_rules! list_request {
    (
        $(#[$meta:meta])*
        $name:ident { $(#[$fmeta:meta])* $field:ident: $item:ty }
        new: $new_doc:literal;
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(default)]
        #[non_exhaustive]
        pub struct $name {
            $(#[$fmeta])*
            #[serde(
                skip_serializing_if = "Vec::is_empty",
                deserialize_with = "crate::models::common::null_as_default"
            )]
            pub $field: Vec<$item>,
        }

        impl $name {
            #[doc = $new_doc]
            pub fn new($field: impl IntoIterator<Item = $item>) -> Self {
                $name { $field: $field.into_iter().collect() }
            }
        }
    };
}

/// A patch request body: one list of objects, by id, and the action that applies them
/// (`{"inputs": [...], "action": "merge"}`), with a `new` taking both.
macro_rules! patch_request {
    (
        $(#[$meta:meta])*
        $name:ident { $(#[$fmeta:meta])* $field:ident: $item:ty }
        new: $new_doc:literal;
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(default)]
        #[non_exhaustive]
        pub struct $name {
            $(#[$fmeta])*
            #[serde(
                skip_serializing_if = "Vec::is_empty",
                deserialize_with = "crate::models::common::null_as_default"
            )]
            pub $field: Vec<$item>,
            /// How to apply the change.
            #[serde(
                skip_serializing_if = "crate::models::PatchAction::is_empty",
                deserialize_with = "crate::models::common::null_as_default"
            )]
            pub action: crate::models::PatchAction,
        }

        impl $name {
            #[doc = $new_doc]
            pub fn new(
                action: crate::models::PatchAction,
                $field: impl IntoIterator<Item = $item>,
            ) -> Self {
                $name { $field: $field.into_iter().collect(), action }
            }
        }
    };
}

/// A request body that is one list of ids (`DeleteDatasets`: `{"dataset_ids": [...]}`), with an
/// `ids` taking them.
macro_rules! ids_request {
    (
        $(#[$meta:meta])*
        $name:ident { $field:ident }
        ids: $ids_doc:literal;
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(default)]
        #[non_exhaustive]
        pub struct $name {
            /// The ids.
            #[serde(
                skip_serializing_if = "Vec::is_empty",
                deserialize_with = "crate::models::common::null_as_default"
            )]
            pub $field: Vec<String>,
        }

        impl $name {
            #[doc = $ids_doc]
            pub fn ids(ids: impl IntoIterator<Item = impl Into<String>>) -> Self {
                $name { $field: ids.into_iter().map(Into::into).collect() }
            }
        }
    };
}

pub(crate) use {ids_request, list_request, patch_request};

/// A JSON object (proto `Struct`): metadata, and the fields a model does not know.
pub type JsonMap = serde_json::Map<String, serde_json::Value>;

/// Decodes `null` as the default value, as proto3 JSON does (`"app_id": null` is an unset id).
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

pub(crate) fn is_zero_u32(v: &u32) -> bool {
    *v == 0
}

pub(crate) fn is_zero_f32(v: &f32) -> bool {
    *v == 0.0
}

pub(crate) fn is_false(v: &bool) -> bool {
    !*v
}

super::fields::decode_fields! {
    Visibility { gettable }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_keep_their_text() {
        for text in [
            "2016-11-22T17:06:02Z",
            "2017-01-01T00:00:00.000000Z",
            "2019-01-17T12:43:04.895006174Z",
            "2020-05-05T10:00:00+02:00",
        ] {
            let t: Timestamp = serde_json::from_value(serde_json::json!(text)).unwrap();
            assert_eq!(serde_json::to_value(&t).unwrap(), serde_json::json!(text));
        }
        assert!(serde_json::from_str::<Timestamp>("\"2019-13-01T00:00:00Z\"").is_err());
        let a = Timestamp::parse("2020-05-05T10:00:00+02:00").unwrap();
        let b = Timestamp::parse("2020-05-05T09:00:00Z").unwrap();
        assert!(a < b);
        let now = Timestamp::now();
        assert_eq!(Timestamp::parse(now.as_str()).unwrap(), now);
    }

    #[test]
    fn bytes_are_base64() {
        let b = Bytes(b"true".to_vec());
        assert_eq!(
            serde_json::to_value(&b).unwrap(),
            serde_json::json!("dHJ1ZQ==")
        );
        let back: Bytes = serde_json::from_str("\"dHJ1ZQ\"").unwrap();
        assert_eq!(back, b);
        assert_eq!(format!("{b:?}"), "Bytes(4 bytes)");
        assert!(serde_json::from_str::<Bytes>("\"!!\"").is_err());
    }

    #[test]
    fn query_pairs_flatten_lists() {
        let req = crate::models::ListAnnotationsRequest {
            ids: vec!["a".into(), "b".into()],
            per_page: 5,
            ..Default::default()
        };
        assert_eq!(
            query_pairs(&req),
            [
                ("ids".to_owned(), "a".to_owned()),
                ("ids".to_owned(), "b".to_owned()),
                ("per_page".to_owned(), "5".to_owned()),
            ]
        );
        let keys = crate::models::ListKeysRequest {
            not_expired: true,
            r#type: "personal_access_token".into(),
            ..Default::default()
        };
        assert_eq!(
            query_pairs(&keys),
            [
                ("not_expired".to_owned(), "true".to_owned()),
                ("type".to_owned(), "personal_access_token".to_owned()),
            ]
        );
        assert!(query_pairs(&crate::models::GetInputRequest::default()).is_empty());
    }

    #[test]
    fn open_enums_take_names_and_numbers() {
        let g: Gettable = serde_json::from_str("\"PUBLIC\"").unwrap();
        assert_eq!(g, Gettable::PUBLIC);
        let g: Gettable = serde_json::from_str("30").unwrap();
        assert_eq!(g, Gettable::ORG);
        let g: Gettable = serde_json::from_str("77").unwrap();
        assert_eq!(g.0, 77);
        assert_eq!(serde_json::to_string(&Gettable::PUBLIC).unwrap(), "50");
        assert!(serde_json::from_str::<Gettable>("\"NOPE\"").is_err());
    }
}
