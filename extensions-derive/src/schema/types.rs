//! Which Rust type declares which schema property type, read from the field's type as written.

use extensions_rules::schema::PropertyType;
use syn::Type;

use crate::ty::{last_segment, single_arg};

/// A field's schema type (an `Option` declares its inner type's).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kind {
    pub(crate) ty: PropertyType,
}

/// The schema type of `ty`, or what to do instead.
pub(crate) fn classify(ty: &Type) -> Result<Kind, String> {
    let Some(seg) = last_segment(ty) else {
        return Err(match ty {
            Type::Reference(_) => "references cannot be read back from Graph: use an owned type (String for text)".into(),
            Type::Tuple(_) => "tuples have no schema type: make each part a field of its own".into(),
            Type::Array(_) | Type::Slice(_) => "schema extensions have no multi-value properties: one value per property (Vec<u8> for Binary)".into(),
            _ => "this type has no schema extension type: use String, i32, bool, Vec<u8>, a date-time or an Option of one".into(),
        });
    };
    let name = seg.ident.to_string();
    if name == "Option" {
        let inner = single_arg(seg).ok_or("`Option` needs one type argument")?;
        if last_segment(inner).is_some_and(|s| s.ident == "Option") {
            return Err("`Option<Option<T>>` has no meaning here: `None` is unset or cleared; use `Option<T>`".into());
        }
        return classify(inner);
    }
    let plain = |ty| Ok(Kind { ty });
    match name.as_str() {
        "String" => plain(PropertyType::String),
        "i32" => plain(PropertyType::Integer),
        "bool" => plain(PropertyType::Boolean),
        "OffsetDateTime" => plain(PropertyType::DateTime),
        "DateTime" => match single_arg(seg).and_then(last_segment) {
            Some(s) if s.ident == "Utc" => plain(PropertyType::DateTime),
            _ => Err("a DateTime is stored in UTC: use `chrono::DateTime<Utc>` (or `time::OffsetDateTime`)".into()),
        },
        "Vec" => match single_arg(seg).and_then(last_segment) {
            Some(s) if s.ident == "u8" => plain(PropertyType::Binary),
            _ => Err("schema extensions have no multi-value properties: a property holds one value (only `Vec<u8>` is a type: Binary); store a list as a String, or use an open extension".into()),
        },
        "i8" | "i16" | "i64" | "i128" | "isize" => Err(format!(
            "`{name}` has no schema type: Integer is 32-bit: use i32"
        )),
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => Err(format!(
            "`{name}` has no schema type: Integer is a signed 32-bit value: use i32 (and check the range yourself)"
        )),
        "f32" | "f64" => Err(format!(
            "`{name}` has no schema type: schema extensions have no floating-point type; store a scaled i32 or a String"
        )),
        "char" | "str" | "Cow" | "Box" | "Rc" | "Arc" => Err(format!(
            "`{name}` has no schema type: use String"
        )),
        "HashMap" | "BTreeMap" | "Map" | "IndexMap" | "Value" | "Properties" => Err(format!(
            "`{name}` has no schema type: a schema extension property is one primitive value, never a map; declare each key as a field"
        )),
        "HashSet" | "BTreeSet" | "VecDeque" => Err(format!(
            "`{name}` has no schema type: schema extensions have no multi-value properties"
        )),
        "Uuid" => Err("`Uuid` has no schema type: store it as a String".into()),
        _ => Err(format!(
            "`{name}` has no schema extension type (Binary, Boolean, DateTime, Integer, String): a nested struct's fields become fields of this struct, each a property of its own; a type alias is not followed, write the type itself"
        )),
    }
}
