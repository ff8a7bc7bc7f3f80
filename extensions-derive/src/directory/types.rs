//! Which Rust type declares which directory extension data type, read from the field's type as
//! written.

use extensions_rules::directory::DataType;
use syn::Type;

use crate::ty::{last_segment, single_arg};

/// A field's data type and whether it is multi-valued (a `Vec`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kind {
    pub(crate) ty: DataType,
    pub(crate) multi: bool,
}

const USE: &str = "use String, bool, i32, i64, Vec<u8> (Binary), a date-time, an Option of one, or a Vec of one for a multi-valued extension";

/// The data type of one value (not an `Option`, not a multi-valued `Vec`).
fn scalar(ty: &Type) -> Result<DataType, String> {
    let Some(seg) = last_segment(ty) else {
        return Err(match ty {
            Type::Reference(_) => {
                "references cannot be read back from Graph: use an owned type (String for text)"
                    .into()
            }
            Type::Tuple(_) => {
                "tuples have no directory extension type: make each part a field of its own".into()
            }
            _ => format!("this type has no directory extension type: {USE}"),
        });
    };
    let name = seg.ident.to_string();
    match name.as_str() {
        "String" => Ok(DataType::String),
        "bool" => Ok(DataType::Boolean),
        "i32" => Ok(DataType::Integer),
        "i64" => Ok(DataType::LargeInteger),
        "OffsetDateTime" => Ok(DataType::DateTime),
        "DateTime" => match single_arg(seg).and_then(last_segment) {
            Some(s) if s.ident == "Utc" => Ok(DataType::DateTime),
            _ => Err("a DateTime is stored in UTC: use `chrono::DateTime<Utc>` (or `time::OffsetDateTime`)".into()),
        },
        "Vec" => match single_arg(seg).and_then(last_segment) {
            Some(s) if s.ident == "u8" => Ok(DataType::Binary),
            _ => Err("a multi-valued extension's values are single values: `Vec<Vec<T>>` is only for Binary (`Vec<Vec<u8>>`)".into()),
        },
        "Option" => Err("an `Option` inside a `Vec` has no meaning: a multi-valued extension holds values, not nulls".into()),
        "i8" | "i16" | "i128" | "isize" => Err(format!(
            "`{name}` has no directory extension type: Integer is 32-bit (i32), LargeInteger 64-bit (i64)"
        )),
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => Err(format!(
            "`{name}` has no directory extension type: integers are signed: use i32 (Integer) or i64 (LargeInteger), and check the range yourself"
        )),
        "f32" | "f64" => Err(format!(
            "`{name}` has no directory extension type: there is no floating-point type; store a scaled i64 or a String"
        )),
        "char" | "str" | "Cow" | "Box" | "Rc" | "Arc" => Err(format!(
            "`{name}` has no directory extension type: use String"
        )),
        "HashMap" | "BTreeMap" | "Map" | "IndexMap" | "Value" | "Properties" => Err(format!(
            "`{name}` has no directory extension type: a directory extension is one value (or a list of values), never a map; declare each key as a field"
        )),
        "HashSet" | "BTreeSet" | "VecDeque" => Err(format!(
            "`{name}` has no directory extension type: a multi-valued extension is a `Vec`"
        )),
        "Uuid" => Err("`Uuid` has no directory extension type: store it as a String".into()),
        _ => Err(format!(
            "`{name}` has no directory extension type (Binary, Boolean, DateTime, Integer, LargeInteger, String): a nested struct's fields become fields of this struct, each a definition of its own; a type alias is not followed, write the type itself"
        )),
    }
}

/// The kind of `ty`, or what to do instead.
pub(crate) fn classify(ty: &Type) -> Result<Kind, String> {
    let seg = last_segment(ty);
    match seg.map(|s| (s, s.ident.to_string())) {
        Some((seg, name)) if name == "Option" => {
            let inner = single_arg(seg).ok_or("`Option` needs one type argument")?;
            match last_segment(inner).map(|s| s.ident.to_string()).as_deref() {
                Some("Option") => Err("`Option<Option<T>>` has no meaning here: `None` is unset or removed; use `Option<T>`".into()),
                Some("Vec") if single_arg(last_segment(inner).unwrap_or(seg)).and_then(last_segment).is_none_or(|s| s.ident != "u8") => Err(
                    "`Option<Vec<T>>` has no meaning here: a multi-valued extension is a `Vec`, and an empty one is unset (`null`)".into(),
                ),
                _ => scalar(inner).map(|ty| Kind { ty, multi: false }),
            }
        }
        Some((seg, name)) if name == "Vec" => {
            let inner = single_arg(seg).ok_or("`Vec` needs one type argument")?;
            if last_segment(inner).is_some_and(|s| s.ident == "u8") {
                return Ok(Kind {
                    ty: DataType::Binary,
                    multi: false,
                });
            }
            scalar(inner).map(|ty| Kind { ty, multi: true })
        }
        _ => scalar(ty).map(|ty| Kind { ty, multi: false }),
    }
}
