//! Values typed by a definition Graph holds (a directory extension's or a schema extension
//! property's), from the text an admin types.

use base64::Engine as _;
use extensions_core::directory::{DataType, MAX_BINARY_BYTES, MAX_STRING_CHARS};
use extensions_core::schema::PropertyType;
use serde_json::Value;

use crate::fail::Fail;

/// One value of type `ty` for the property `name`, from the command line (a string) or a JSON
/// array's item: checked as Graph checks it (a 32-bit Integer, 256 characters, 256 bytes of
/// base64, an RFC 3339 date-time sent in UTC), and as Graph stores it.
pub(crate) fn scalar(name: &str, ty: DataType, given: &Value) -> Result<Value, Fail> {
    let bad = |why: &str| Fail::Input(format!("{name}: {why}"));
    let text = given.as_str();
    match ty {
        DataType::String => {
            let s = text.ok_or_else(|| bad("a String value"))?;
            if s.chars().count() > MAX_STRING_CHARS {
                return Err(bad(&format!(
                    "a String value holds at most {MAX_STRING_CHARS} characters"
                )));
            }
            Ok(Value::from(s))
        }
        DataType::Boolean => match (given, text) {
            (Value::Bool(b), _) => Ok(Value::Bool(*b)),
            (_, Some("true")) => Ok(Value::Bool(true)),
            (_, Some("false")) => Ok(Value::Bool(false)),
            _ => Err(bad("a Boolean: true or false")),
        },
        DataType::Integer => given
            .as_i64()
            .or_else(|| text.and_then(|t| t.trim().parse().ok()))
            .and_then(|i| i32::try_from(i).ok())
            .map(Value::from)
            .ok_or_else(|| bad("an Integer (32-bit)")),
        DataType::LargeInteger => given
            .as_i64()
            .or_else(|| text.and_then(|t| t.trim().parse().ok()))
            .map(Value::from)
            .ok_or_else(|| bad("a LargeInteger (64-bit)")),
        DataType::DateTime => {
            use time::format_description::well_known::Rfc3339;
            text.and_then(|t| time::OffsetDateTime::parse(t, &Rfc3339).ok())
                .and_then(|d| d.to_offset(time::UtcOffset::UTC).format(&Rfc3339).ok())
                .map(Value::from)
                .ok_or_else(|| bad("a DateTime, such as 2024-03-01T09:00:00Z"))
        }
        DataType::Binary => {
            let t = text.ok_or_else(|| bad("Binary, as base64 text"))?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(t)
                .map_err(|_| bad("Binary, as base64 text"))?;
            if bytes.len() > MAX_BINARY_BYTES {
                return Err(bad(&format!(
                    "a Binary value holds at most {MAX_BINARY_BYTES} bytes"
                )));
            }
            Ok(Value::from(t))
        }
    }
}

/// The directory data type that checks a schema extension property's values the same way
/// (schema extensions have no LargeInteger).
pub(crate) fn of_schema(ty: PropertyType) -> DataType {
    match ty {
        PropertyType::Binary => DataType::Binary,
        PropertyType::Boolean => DataType::Boolean,
        PropertyType::DateTime => DataType::DateTime,
        PropertyType::Integer => DataType::Integer,
        PropertyType::String => DataType::String,
    }
}
