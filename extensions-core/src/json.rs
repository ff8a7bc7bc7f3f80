//! Compact JSON output, written once over a [`Sink`] so that counting bytes and writing bytes
//! cannot disagree: the size of a body is the same code run over a counter.
//!
//! The output is byte-for-byte what `serde_json::to_string` produces for the same value (the
//! escapes, the integer and float formats), so a server that re-serialises what it stores with
//! `serde_json` measures the same size. Tests check both claims.

/// Where JSON text goes: a byte counter or a buffer.
pub trait Sink {
    /// Appends a string.
    fn put(&mut self, s: &str);
    /// Appends one ASCII byte.
    fn put_byte(&mut self, b: u8);
}

/// Counts bytes; allocates nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counter(pub usize);

impl Sink for Counter {
    fn put(&mut self, s: &str) {
        self.0 += s.len();
    }
    fn put_byte(&mut self, _b: u8) {
        self.0 += 1;
    }
}

impl Sink for Vec<u8> {
    fn put(&mut self, s: &str) {
        self.extend_from_slice(s.as_bytes());
    }
    fn put_byte(&mut self, b: u8) {
        self.push(b);
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Writes `s` as a JSON string with serde_json's escapes: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`,
/// `\t`, other control characters as `\u00XX` (lowercase hex); everything else, non-ASCII
/// included, as is.
pub fn write_str<S: Sink + ?Sized>(out: &mut S, s: &str) {
    out.put_byte(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            0x08 => "\\b",
            0x0C => "\\f",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x00..=0x1F => "",
            _ => continue,
        };
        if start < i {
            out.put(&s[start..i]);
        }
        if esc.is_empty() {
            out.put("\\u00");
            out.put_byte(HEX[(b >> 4) as usize]);
            out.put_byte(HEX[(b & 0xF) as usize]);
        } else {
            out.put(esc);
        }
        start = i + 1;
    }
    if start < bytes.len() {
        out.put(&s[start..]);
    }
    out.put_byte(b'"');
}

/// Writes an integer.
pub fn write_int<S: Sink + ?Sized, I: itoa::Integer>(out: &mut S, i: I) {
    let mut buf = itoa::Buffer::new();
    out.put(buf.format(i));
}

/// Writes a finite float exactly as serde_json does, through serde_json itself into a stack
/// buffer (no allocation), so the two can never drift apart between versions.
fn write_float<S: Sink + ?Sized>(
    out: &mut S,
    write: impl FnOnce(&mut &mut [u8]) -> serde_json::Result<()>,
) {
    // The longest float serde_json writes is 24 bytes (`-2.2250738585072014e-308`).
    let mut buf = [0u8; 40];
    let mut cursor: &mut [u8] = &mut buf;
    let before = cursor.len();
    if write(&mut cursor).is_ok() {
        let n = before - cursor.len();
        if let Ok(s) = std::str::from_utf8(&buf[..n]) {
            out.put(s);
            return;
        }
    }
    // Unreachable for finite floats (the caller checks); write a valid JSON number anyway.
    out.put("0");
}

/// Writes a finite `f64` as serde_json does. The caller has checked finiteness.
pub fn write_f64<S: Sink + ?Sized>(out: &mut S, f: f64) {
    debug_assert!(f.is_finite());
    write_float(out, |w| serde_json::to_writer(w, &f));
}

/// Writes a finite `f32` so that a server that parses numbers as `f64` and re-serialises them
/// writes the same bytes: the `f64` nearest to the shortest decimal form of the `f32`. (Writing
/// the `f32` form directly, `-9.505877e-6`, would come back as `-0.000009505877`, another
/// length.) Read back as `f32`, it is the same value. The caller has checked finiteness.
pub fn write_f32<S: Sink + ?Sized>(out: &mut S, f: f32) {
    debug_assert!(f.is_finite());
    write_f64(out, f32_as_json_f64(f));
}

/// The `f64` that the shortest decimal form of `f` denotes (no allocation).
pub fn f32_as_json_f64(f: f32) -> f64 {
    let mut buf = [0u8; 40];
    let mut cursor: &mut [u8] = &mut buf;
    let before = cursor.len();
    if serde_json::to_writer(&mut cursor, &f).is_ok() {
        let n = before - cursor.len();
        if let Some(d) = std::str::from_utf8(&buf[..n])
            .ok()
            .and_then(|s| s.parse::<f64>().ok())
        {
            return d;
        }
    }
    f64::from(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn both(s: &str) -> (String, usize) {
        let mut v = Vec::new();
        write_str(&mut v, s);
        let mut c = Counter::default();
        write_str(&mut c, s);
        (String::from_utf8(v).unwrap(), c.0)
    }

    #[test]
    fn escapes_like_serde_json() {
        for s in [
            "",
            "plain",
            "q\"b\\",
            "\u{0}\u{1f}\u{7f}",
            "\n\r\t\u{8}\u{c}",
            "é😀/<>",
        ] {
            let (written, counted) = both(s);
            assert_eq!(written, serde_json::to_string(s).unwrap());
            assert_eq!(counted, written.len());
        }
    }

    proptest! {
        #[test]
        fn any_string_matches_serde_json(s in any::<String>()) {
            let (written, counted) = both(&s);
            prop_assert_eq!(&written, &serde_json::to_string(&s).unwrap());
            prop_assert_eq!(counted, written.len());
        }

        #[test]
        fn any_f64_matches_serde_json(f in any::<f64>().prop_filter("finite", |f| f.is_finite())) {
            let mut v = Vec::new();
            write_f64(&mut v, f);
            prop_assert_eq!(String::from_utf8(v).unwrap(), serde_json::to_string(&f).unwrap());
        }

        #[test]
        fn any_f32_survives_reserialisation_and_reads_back(f in any::<f32>().prop_filter("finite", |f| f.is_finite())) {
            let mut v = Vec::new();
            write_f32(&mut v, f);
            let text = String::from_utf8(v).unwrap();
            let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(serde_json::to_string(&parsed).unwrap(), text.clone());
            prop_assert_eq!(parsed.as_f64().unwrap() as f32, f);
        }

        #[test]
        fn any_int_matches_serde_json(i in any::<i64>(), u in any::<u64>()) {
            let mut v = Vec::new();
            write_int(&mut v, i);
            v.push(b' ');
            write_int(&mut v, u);
            prop_assert_eq!(String::from_utf8(v).unwrap(), format!("{} {}", serde_json::to_string(&i).unwrap(), serde_json::to_string(&u).unwrap()));
        }
    }
}
