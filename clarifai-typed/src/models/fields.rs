//! Decoding the model structs that keep unknown fields: each field read by name straight from the
//! JSON, the others kept in `extra`.
//!
//! Why not `#[derive(Deserialize)]` with `#[serde(flatten)] extra`: a flattened field makes serde
//! read the struct through its internal buffering path (keys as `Content`, every field through a
//! wrapper), which cost about as much as decoding the whole answer into a `serde_json::Value`.
//! [`decode_fields!`] reads each known field directly and only builds a `Value` for a field this
//! version does not model. Encoding still uses `#[derive(Serialize)]` and the flattened `extra`.
//! A field that is itself such a struct (alone, in an `Option` or in a `Vec`) is read in place,
//! where it stays, not built apart and moved ([`Slot`]): about 9% of the decode of a predict
//! answer (`benches/client_overhead`).
//!
//! The rules are those the derived decoders had: an object (an array is refused), every field
//! optional, a missing field or a `null` decodes as the field's default (proto3 JSON), a known
//! field given twice is an error, an unknown one is kept (the last one wins).

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, SeqAccess, Visitor};

use super::common::JsonMap;

/// A model struct decoded by [`decode_fields!`]: its known fields, and where unknown ones go.
pub(crate) trait DecodeFields: Default {
    /// The known fields (a fieldless enum, one variant per field).
    type Field: Copy;

    /// The field with this JSON name.
    fn field(name: &str) -> Option<Self::Field>;

    /// The JSON name of a field.
    fn name(field: Self::Field) -> &'static str;

    /// The field's position, below 64 (for the duplicate check).
    fn index(field: Self::Field) -> u32;

    /// The struct's name, for error messages.
    const NAME: &'static str;

    /// Reads the value of `field` from `map`.
    fn read<'de, A: MapAccess<'de>>(
        &mut self,
        field: Self::Field,
        map: &mut A,
    ) -> Result<(), A::Error>;

    /// Where unknown fields are kept.
    fn extra(&mut self) -> &mut JsonMap;
}

/// Reads one known field: `null` is the default value, as a missing field is.
#[inline]
pub(crate) fn read_field<'de, A, T>(map: &mut A, slot: &mut T) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de> + Default,
{
    *slot = map.next_value::<Option<T>>()?.unwrap_or_default();
    Ok(())
}

/// Decodes a [`DecodeFields`] struct from a JSON object.
pub(crate) fn decode<'de, D: Deserializer<'de>, T: DecodeFields>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(StructVisitor(PhantomData))
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: DecodeFields> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        fill(&mut out, map)?;
        Ok(out)
    }
}

/// Reads an object's fields into `out`, which holds its default value.
fn fill<'de, A: MapAccess<'de>, T: DecodeFields>(out: &mut T, mut map: A) -> Result<(), A::Error> {
    let mut seen = 0u64;
    while let Some(key) = map.next_key_seed(KeySeed::<T>(PhantomData))? {
        match key {
            Key::Known(field) => {
                let bit = 1u64 << T::index(field);
                if seen & bit != 0 {
                    return Err(A::Error::duplicate_field(T::name(field)));
                }
                seen |= bit;
                out.read(field, &mut map)?;
            }
            Key::Unknown(name) => {
                let value: serde_json::Value = map.next_value()?;
                out.extra().insert(name, value);
            }
        }
    }
    Ok(())
}

/// A field of a model struct, for the readers below: `(&mut &mut Slot(&mut self.field))
/// .read(map)` calls [`ReadNested::read`] when the field is a model struct decoded by
/// [`decode_fields!`] (alone, in an `Option` or in a `Vec`), else [`ReadPlain::read`]. The
/// method is picked by the receiver's type when the macro's code is compiled (autoref
/// specialisation), so a field's reader follows its type without being listed.
///
/// Why: a nested struct decoded the usual way is built on the stack and moved into its place,
/// once per wrapper (`Option<Option<T>>`, the default, the slot): an `Output` (512 bytes) and its
/// `Data` several times per answer. In place, each struct is written once, where it stays.
pub(crate) struct Slot<'a, T>(pub(crate) &'a mut T);

/// Reads any other field: see [`read_field`].
pub(crate) trait ReadPlain<'de> {
    fn read<A: MapAccess<'de>>(self, map: &mut A) -> Result<(), A::Error>;
}

impl<'de, T: Deserialize<'de> + Default> ReadPlain<'de> for &mut Slot<'_, T> {
    #[inline]
    fn read<A: MapAccess<'de>>(self, map: &mut A) -> Result<(), A::Error> {
        read_field(map, self.0)
    }
}

/// Reads a nested model struct in place: `null` or missing is the default (`None`, empty).
pub(crate) trait ReadNested<'de> {
    fn read<A: MapAccess<'de>>(self, map: &mut A) -> Result<(), A::Error>;
}

impl<'de, T: DecodeFields> ReadNested<'de> for &mut &mut Slot<'_, T> {
    #[inline]
    fn read<A: MapAccess<'de>>(self, map: &mut A) -> Result<(), A::Error> {
        map.next_value_seed(Nullable(Target::Struct(self.0)))
    }
}

impl<'de, T: DecodeFields> ReadNested<'de> for &mut &mut Slot<'_, Option<T>> {
    #[inline]
    fn read<A: MapAccess<'de>>(self, map: &mut A) -> Result<(), A::Error> {
        map.next_value_seed(Nullable(Target::Option(self.0)))
    }
}

impl<'de, T: DecodeFields> ReadNested<'de> for &mut &mut Slot<'_, Vec<T>> {
    #[inline]
    fn read<A: MapAccess<'de>>(self, map: &mut A) -> Result<(), A::Error> {
        map.next_value_seed(Nullable(Target::Vec(self.0)))
    }
}

/// Where a nested struct or list of them goes; the slot holds its default (the field was not
/// read before: a field given twice is refused first).
enum Target<'a, T> {
    Struct(&'a mut T),
    Option(&'a mut Option<T>),
    Vec(&'a mut Vec<T>),
}

/// A value that may be `null` (left as the default), else an object or a list of objects.
struct Nullable<'a, T>(Target<'a, T>);

impl<'de, T: DecodeFields> DeserializeSeed<'de> for Nullable<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de, T: DecodeFields> Visitor<'de> for Nullable<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Target::Struct(_) | Target::Option(_) => write!(f, "struct {}", T::NAME),
            Target::Vec(_) => write!(f, "a sequence of struct {}", T::NAME),
        }
    }

    fn visit_none<E: Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.0 {
            Target::Struct(slot) => InPlace(slot).deserialize(deserializer),
            Target::Option(slot) => InPlace(slot.insert(T::default())).deserialize(deserializer),
            Target::Vec(list) => deserializer.deserialize_seq(Elements(list)),
        }
    }
}

/// An object read into a struct that holds its default.
struct InPlace<'a, T>(&'a mut T);

impl<'de, T: DecodeFields> DeserializeSeed<'de> for InPlace<'_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: DecodeFields> Visitor<'de> for InPlace<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        fill(self.0, map)
    }
}

/// A list of objects, each read where it stays in the list.
struct Elements<'a, T>(&'a mut Vec<T>);

impl<'de, T: DecodeFields> Visitor<'de> for Elements<'_, T> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a sequence of struct {}", T::NAME)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let list = self.0;
        loop {
            if list.len() < list.capacity() {
                // Room for one more: read it where it will stay.
                list.push(T::default());
                let index = list.len() - 1;
                if seq.next_element_seed(InPlace(&mut list[index]))?.is_none() {
                    list.pop();
                    return Ok(());
                }
            } else {
                let mut next = T::default();
                if seq.next_element_seed(InPlace(&mut next))?.is_none() {
                    return Ok(());
                }
                list.push(next);
            }
        }
    }
}

enum Key<F> {
    Known(F),
    Unknown(String),
}

/// Reads a key without allocating unless it names no known field.
struct KeySeed<T>(PhantomData<T>);

impl<'de, T: DecodeFields> DeserializeSeed<'de> for KeySeed<T> {
    type Value = Key<T::Field>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<T: DecodeFields> Visitor<'_> for KeySeed<T> {
    type Value = Key<T::Field>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: Error>(self, name: &str) -> Result<Self::Value, E> {
        Ok(match T::field(name) {
            Some(field) => Key::Known(field),
            None => Key::Unknown(name.to_owned()),
        })
    }

    fn visit_string<E: Error>(self, name: String) -> Result<Self::Value, E> {
        Ok(match T::field(&name) {
            Some(field) => Key::Known(field),
            None => Key::Unknown(name),
        })
    }
}

/// Implements `Deserialize` for model structs that keep unknown fields in `extra`:
/// `decode_fields! { Type { field, r#type = "type", ... } }` lists every field but `extra`, with
/// its JSON name when that is not the field's name. A field left out of the list is a compile
/// error.
macro_rules! decode_fields {
    ($($ty:ident { $($field:ident $(= $wire:literal)?),* $(,)? })*) => {$(
        const _: () = {
            #[allow(non_camel_case_types)]
            #[derive(Clone, Copy)]
            pub(crate) enum Field {
                $($field,)*
            }

            impl $crate::models::fields::DecodeFields for $ty {
                type Field = Field;
                const NAME: &'static str = stringify!($ty);

                fn field(name: &str) -> Option<Field> {
                    match name {
                        $($crate::models::fields::decode_fields!(@name $field $($wire)?) => Some(Field::$field),)*
                        _ => None,
                    }
                }

                fn name(field: Field) -> &'static str {
                    match field {
                        $(Field::$field => $crate::models::fields::decode_fields!(@name $field $($wire)?),)*
                    }
                }

                fn index(field: Field) -> u32 {
                    field as u32
                }

                fn read<'de, A: serde::de::MapAccess<'de>>(
                    &mut self,
                    field: Field,
                    map: &mut A,
                ) -> Result<(), A::Error> {
                    #[allow(unused_imports)]
                    use $crate::models::fields::{ReadNested as _, ReadPlain as _, Slot};
                    match field {
                        $(Field::$field => (&mut &mut Slot(&mut self.$field)).read(map),)*
                    }
                }

                fn extra(&mut self) -> &mut $crate::models::JsonMap {
                    &mut self.extra
                }
            }

            impl<'de> serde::Deserialize<'de> for $ty {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    $crate::models::fields::decode(deserializer)
                }
            }

            // Every field is listed: this pattern names them all.
            #[allow(dead_code)]
            fn every_field_listed(value: &$ty) {
                let $ty { $($field: _,)* extra: _ } = value;
            }

            assert!([$(stringify!($field)),*].len() <= 64);
        };
    )*};
    (@name $field:ident) => { stringify!($field) };
    (@name $field:ident $wire:literal) => { $wire };
}
pub(crate) use decode_fields;

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::models::{ApiKey, Data, Output, Status, StatusCode};

    #[test]
    fn known_fields_by_name_unknown_ones_kept() {
        let status: Status = serde_json::from_value(json!({
            "code": 10000, "description": "Ok", "new_field": [1, {"x": null}], "other": "y"
        }))
        .unwrap();
        assert_eq!(status.code, StatusCode::SUCCESS);
        assert_eq!(status.description, "Ok");
        assert_eq!(status.extra["new_field"], json!([1, {"x": null}]));
        assert_eq!(status.extra["other"], json!("y"));
        // A field named by its JSON name (`type`), not its Rust one.
        let key: ApiKey = serde_json::from_str(r#"{"type": "app_specific_key"}"#).unwrap();
        assert_eq!(key.r#type, "app_specific_key");
        assert!(key.extra.is_empty());
    }

    #[test]
    fn null_and_missing_fields_are_defaults() {
        let output: Output = serde_json::from_str(
            r#"{"id": null, "status": null, "data": {"colors": null, "concepts": null}}"#,
        )
        .unwrap();
        assert_eq!(output.id, "");
        assert_eq!(output.status, None);
        let data = output.data.unwrap();
        assert!(data.colors.is_empty());
        assert_eq!(data.concepts.visible().map(Vec::len), Some(0));
        assert_eq!(serde_json::from_str::<Data>("{}").unwrap(), Data::default());
    }

    #[test]
    fn nested_structs_and_lists_of_them_read_in_place_by_the_same_rules() {
        use crate::models::MultiOutputResponse;
        let r: MultiOutputResponse = serde_json::from_str(
            r##"{"status": null, "outputs": [
                {"id": "a", "data": {"colors": [{"raw_hex": "#ffffff"}, {"raw_hex": "#000000", "x": 1}]}},
                {"id": "b", "data": null, "status": {"code": 10000}},
                {}
            ]}"##,
        )
        .unwrap();
        assert_eq!(r.status, Status::default());
        let ids: Vec<&str> = r.outputs.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", ""]);
        let colors = &r.outputs[0].data.as_ref().unwrap().colors;
        assert_eq!(colors.len(), 2);
        assert_eq!(colors[1].raw_hex, "#000000");
        assert_eq!(colors[1].extra["x"], json!(1));
        assert_eq!(r.outputs[1].data, None);
        assert_eq!(
            r.outputs[1].status.as_ref().map(|s| s.code),
            Some(StatusCode::SUCCESS)
        );
        let empty: MultiOutputResponse = serde_json::from_str(r#"{"outputs": null}"#).unwrap();
        assert!(empty.outputs.is_empty());
        for (body, says) in [
            (r#"{"outputs": [null]}"#, "expected struct Output"),
            (r#"{"outputs": {}}"#, "expected a sequence of struct Output"),
            (r#"{"outputs": [{"data": 5}]}"#, "expected struct Data"),
            (
                r#"{"outputs": [{"id": "a", "id": "b"}]}"#,
                "duplicate field `id`",
            ),
            (
                r#"{"outputs": [{"data": {"colors": [{"value": "x"}]}}]}"#,
                "expected f32",
            ),
        ] {
            let e = serde_json::from_str::<MultiOutputResponse>(body).unwrap_err();
            assert!(e.to_string().contains(says), "{body}: {e}");
        }
    }

    #[test]
    fn what_the_derived_decoders_refused_is_refused() {
        let twice = serde_json::from_str::<Status>(r#"{"code": 10000, "code": 10010}"#);
        assert!(
            twice
                .unwrap_err()
                .to_string()
                .contains("duplicate field `code`")
        );
        let array = serde_json::from_str::<Status>("[10000]").unwrap_err();
        assert!(
            array.to_string().contains("expected struct Status"),
            "{array}"
        );
        let wrong = serde_json::from_str::<Status>(r#"{"description": 5}"#).unwrap_err();
        assert!(wrong.to_string().contains("expected a string"), "{wrong}");
        // Unknown fields given twice: the last one is kept, as in a JSON object decoded alone.
        let status: Status = serde_json::from_str(r#"{"x": 1, "x": 2}"#).unwrap();
        assert_eq!(status.extra["x"], json!(2));
    }
}
