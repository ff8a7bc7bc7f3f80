//! [`ValueWriter`]: writes exactly one value, through the private JSON writer.

use std::fmt;

use super::{ArrayElement, Number, Value, ValueError};
use crate::json::{self, Out};

/// Proof that a [`ValueWriter`] wrote exactly one value. Only a `ValueWriter` makes one.
#[derive(Debug)]
#[must_use]
pub struct Written(());

/// Writes exactly one JSON primitive or one array of primitives. Each method consumes the writer.
pub struct ValueWriter<'a> {
    out: &'a mut Out,
    in_array: bool,
}

impl<'a> ValueWriter<'a> {
    pub(crate) fn new(out: &'a mut Out) -> Self {
        Self {
            out,
            in_array: false,
        }
    }

    /// A string.
    pub fn string(self, s: &str) -> Result<Written, ValueError> {
        json::write_str(self.out, s);
        Ok(Written(()))
    }

    /// A boolean.
    pub fn bool(self, b: bool) -> Result<Written, ValueError> {
        self.out.put(if b { "true" } else { "false" });
        Ok(Written(()))
    }

    /// A signed integer, whose magnitude is at most [`MAX_SAFE_INTEGER`](super::MAX_SAFE_INTEGER)
    /// (larger ones are refused: [`ValueError::UnsafeInteger`]).
    pub fn i64(self, i: i64) -> Result<Written, ValueError> {
        if i.unsigned_abs() > super::MAX_SAFE_INTEGER {
            return Err(ValueError::UnsafeInteger(i128::from(i)));
        }
        json::write_int(self.out, i);
        Ok(Written(()))
    }

    /// An unsigned integer, at most [`MAX_SAFE_INTEGER`](super::MAX_SAFE_INTEGER) (larger
    /// ones are refused: [`ValueError::UnsafeInteger`]).
    pub fn u64(self, u: u64) -> Result<Written, ValueError> {
        if u > super::MAX_SAFE_INTEGER {
            return Err(ValueError::UnsafeInteger(i128::from(u)));
        }
        json::write_int(self.out, u);
        Ok(Written(()))
    }

    /// A double; NaN and infinities are refused.
    pub fn f64(self, f: f64) -> Result<Written, ValueError> {
        if !f.is_finite() {
            return Err(ValueError::NonFinite(f));
        }
        json::write_f64(self.out, f);
        Ok(Written(()))
    }

    /// A single-precision float, written in its shortest form; NaN and infinities are refused.
    pub fn f32(self, f: f32) -> Result<Written, ValueError> {
        if !f.is_finite() {
            return Err(ValueError::NonFinite(f64::from(f)));
        }
        json::write_f32(self.out, f);
        Ok(Written(()))
    }

    /// `null`.
    pub fn null(self) -> Result<Written, ValueError> {
        self.out.put("null");
        Ok(Written(()))
    }

    /// A JSON number from [`Number`] (exact for integers; floats in shortest form).
    pub fn number(self, n: &Number) -> Result<Written, ValueError> {
        // An untyped number is written as it is, however large: it may be what another app
        // stored, and a read-modify-write must give it back unchanged.
        if let Some(u) = n.as_u64() {
            json::write_int(self.out, u);
            Ok(Written(()))
        } else if let Some(i) = n.as_i64() {
            json::write_int(self.out, i);
            Ok(Written(()))
        } else {
            // serde_json numbers without arbitrary precision are u64, i64 or a finite f64.
            self.f64(n.as_f64().unwrap_or(f64::NAN))
        }
    }

    /// An array of primitives.
    pub fn array<'i, T, I>(self, items: I) -> Result<Written, ValueError>
    where
        T: ArrayElement + ?Sized + 'i,
        I: IntoIterator<Item = &'i T>,
    {
        if self.in_array {
            return Err(ValueError::NestedArray);
        }
        self.out.put_byte(b'[');
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.out.put_byte(b',');
            }
            let _: Written = item.write_value(ValueWriter {
                out: &mut *self.out,
                in_array: true,
            })?;
        }
        self.out.put_byte(b']');
        Ok(Written(()))
    }

    /// Any untyped value, nested arrays and objects included: what Graph held, written back
    /// unchanged. Only [`Value`] writes through this; typed properties cannot.
    pub(super) fn untyped(self, v: &Value) -> Result<Written, ValueError> {
        match v {
            Value::Null => self.null(),
            Value::Bool(b) => self.bool(*b),
            Value::Number(n) => self.number(n),
            Value::String(s) => self.string(s),
            Value::Array(items) => {
                self.out.put_byte(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.put_byte(b',');
                    }
                    let _: Written = ValueWriter::new(&mut *self.out).untyped(item)?;
                }
                self.out.put_byte(b']');
                Ok(Written(()))
            }
            Value::Object(p) => {
                self.out.put_byte(b'{');
                for (i, (k, item)) in p.iter().enumerate() {
                    if i > 0 {
                        self.out.put_byte(b',');
                    }
                    json::write_str(self.out, k);
                    self.out.put_byte(b':');
                    let _: Written = ValueWriter::new(&mut *self.out).untyped(item)?;
                }
                self.out.put_byte(b'}');
                Ok(Written(()))
            }
        }
    }
}

impl fmt::Debug for ValueWriter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValueWriter")
            .field("in_array", &self.in_array)
            .finish_non_exhaustive()
    }
}
