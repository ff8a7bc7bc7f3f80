//! Compact JSON output, written once over an [`Out`] so that counting bytes and writing bytes
//! cannot disagree: the size of a body is the same code run in counting mode.
//!
//! The output is byte-for-byte what `serde_json::to_string` produces for the same value (the
//! escapes, the integer and float formats), so a server that re-serialises what it stores with
//! `serde_json` measures the same size. Tests check both claims.

/// Where JSON text goes: a byte count (allocating nothing) or a buffer.
#[derive(Debug, Default)]
pub(crate) struct Out {
    buf: Vec<u8>,
    count: usize,
    counting: bool,
}

impl Out {
    /// Counts bytes; allocates nothing.
    pub(crate) fn counter() -> Self {
        Self {
            buf: Vec::new(),
            count: 0,
            counting: true,
        }
    }

    /// Writes into a buffer of `capacity` bytes (it grows if needed).
    pub(crate) fn buffer(capacity: usize) -> Self {
        Self {
            buf: Vec::with_capacity(capacity),
            count: 0,
            counting: false,
        }
    }

    /// Whether this counts rather than writes.
    pub(crate) fn is_counting(&self) -> bool {
        self.counting
    }

    /// Bytes written (or counted) so far.
    pub(crate) fn len(&self) -> usize {
        if self.counting {
            self.count
        } else {
            self.buf.len()
        }
    }

    /// The bytes written (empty when counting).
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    #[inline]
    pub(crate) fn put(&mut self, s: &str) {
        self.put_bytes(s.as_bytes());
    }

    #[inline]
    fn put_bytes(&mut self, b: &[u8]) {
        if self.counting {
            self.count += b.len();
        } else {
            self.buf.extend_from_slice(b);
        }
    }

    #[inline]
    pub(crate) fn put_byte(&mut self, b: u8) {
        if self.counting {
            self.count += 1;
        } else {
            self.buf.push(b);
        }
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Whether any of the 8 bytes of `w` needs an escape: a control character (`< 0x20`), `"` or
/// `\`. The classic word-at-a-time tests: a byte below `n` (for `n <= 0x80`) sets its high bit
/// in `(w - n·0x01…) & !w & 0x80…`; a byte equal to `c` is a zero byte of `w ^ c·0x01…`.
#[inline]
fn needs_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below_space = w.wrapping_sub(ONES * 0x20) & !w;
    let q = w ^ (ONES * b'"' as u64);
    let quote = q.wrapping_sub(ONES) & !q;
    let b = w ^ (ONES * b'\\' as u64);
    let backslash = b.wrapping_sub(ONES) & !b;
    (below_space | quote | backslash) & HIGH != 0
}

/// The escape of one byte, if it needs one (as serde_json writes it).
#[inline]
fn escape(b: u8) -> Option<&'static str> {
    Some(match b {
        b'"' => "\\\"",
        b'\\' => "\\\\",
        0x08 => "\\b",
        0x0C => "\\f",
        b'\n' => "\\n",
        b'\r' => "\\r",
        b'\t' => "\\t",
        0x00..=0x1F => "",
        _ => return None,
    })
}

/// The index of the first byte at or after `from` that needs an escape, or `bytes.len()`.
/// Eight bytes at a time while none does.
#[inline]
fn next_escape(bytes: &[u8], from: usize) -> usize {
    let rest = &bytes[from..];
    let (chunks, _) = rest.as_chunks::<8>();
    let mut i = 0;
    for chunk in chunks {
        if needs_escape(u64::from_le_bytes(*chunk)) {
            break;
        }
        i += 8;
    }
    while let Some(&b) = rest.get(i) {
        if escape(b).is_some() {
            return from + i;
        }
        i += 1;
    }
    bytes.len()
}

/// The length of `s` written by [`write_str`], quotes included, computed at compile time when
/// `s` is a constant.
pub(crate) const fn str_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut n = 2;
    let mut i = 0;
    while i < bytes.len() {
        n += match bytes[i] {
            b'"' | b'\\' | 0x08 | 0x0C | b'\n' | b'\r' | b'\t' => 2,
            0x00..=0x1F => 6,
            _ => 1,
        };
        i += 1;
    }
    n
}

/// Writes `s` as a JSON string with serde_json's escapes: `\"`, `\\`, `\b`, `\f`, `\n`, `\r`,
/// `\t`, other control characters as `\u00XX` (lowercase hex); everything else, non-ASCII
/// included, as is. Runs of bytes that need no escape are found 8 bytes at a time and copied
/// whole.
pub(crate) fn write_str(out: &mut Out, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut at = next_escape(bytes, 0);
    if out.counting {
        out.count += 2 + bytes.len();
        while at < bytes.len() {
            out.count += match escape(bytes[at]) {
                Some("") => 5,
                _ => 1,
            };
            at = next_escape(bytes, at + 1);
        }
        return;
    }
    let buf = &mut out.buf;
    buf.reserve(bytes.len() + 2);
    buf.push(b'"');
    while at < bytes.len() {
        let b = bytes[at];
        buf.extend_from_slice(&bytes[start..at]);
        match escape(b) {
            Some("") | None => {
                buf.extend_from_slice(b"\\u00");
                buf.push(HEX[(b >> 4) as usize]);
                buf.push(HEX[(b & 0xF) as usize]);
            }
            Some(esc) => buf.extend_from_slice(esc.as_bytes()),
        }
        start = at + 1;
        at = next_escape(bytes, start);
    }
    buf.extend_from_slice(&bytes[start..]);
    buf.push(b'"');
}

/// Writes an integer.
pub(crate) fn write_int<I: itoa::Integer>(out: &mut Out, i: I) {
    let mut buf = itoa::Buffer::new();
    out.put(buf.format(i));
}

/// Writes a finite float exactly as serde_json does, through serde_json itself into a stack
/// buffer (no allocation), so the two can never drift apart between versions.
fn write_float(out: &mut Out, write: impl FnOnce(&mut &mut [u8]) -> serde_json::Result<()>) {
    // The longest float serde_json writes is 24 bytes (`-2.2250738585072014e-308`).
    let mut buf = [0u8; 40];
    let mut cursor: &mut [u8] = &mut buf;
    let before = cursor.len();
    if write(&mut cursor).is_ok() {
        let n = before - cursor.len();
        out.put_bytes(&buf[..n]);
        return;
    }
    // Unreachable for finite floats (the caller checks); write a valid JSON number anyway.
    out.put("0");
}

/// Writes a finite `f64` as serde_json does. The caller has checked finiteness.
pub(crate) fn write_f64(out: &mut Out, f: f64) {
    debug_assert!(f.is_finite());
    write_float(out, |w| serde_json::to_writer(w, &f));
}

/// Writes a finite `f32` so that a server that parses numbers as `f64` and re-serialises them
/// writes the same bytes: the `f64` nearest to the shortest decimal form of the `f32`. (Writing
/// the `f32` form directly, `-9.505877e-6`, would come back as `-0.000009505877`, another
/// length.) Read back as `f32`, it is the same value. The caller has checked finiteness.
pub(crate) fn write_f32(out: &mut Out, f: f32) {
    debug_assert!(f.is_finite());
    write_f64(out, f32_as_json_f64(f));
}

/// The `f64` that the shortest decimal form of `f` denotes (no allocation).
pub(crate) fn f32_as_json_f64(f: f32) -> f64 {
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
        let mut v = Out::buffer(0);
        write_str(&mut v, s);
        let mut c = Out::counter();
        write_str(&mut c, s);
        (String::from_utf8(v.into_bytes()).unwrap(), c.len())
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
            "eight ok",
            "sixteen bytes ok",
            "seven \"",
            "sixteen bytes ok\"",
            "\"sixteen bytes ok",
            "a long run of plain text, then a tab\there and a quote \" at the end\\",
        ] {
            let (written, counted) = both(s);
            assert_eq!(written, serde_json::to_string(s).unwrap(), "{s:?}");
            assert_eq!(counted, written.len(), "{s:?}");
        }
    }

    #[test]
    fn the_word_test_finds_each_byte_that_needs_an_escape() {
        for b in 0u8..=255 {
            for pos in 0..8 {
                let mut w = *b"abcdefgh";
                w[pos] = b;
                let expected = b < 0x20 || b == b'"' || b == b'\\';
                assert_eq!(
                    needs_escape(u64::from_le_bytes(w)),
                    expected,
                    "{b:#x} at {pos}"
                );
            }
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
            let mut v = Out::buffer(0);
            write_f64(&mut v, f);
            prop_assert_eq!(String::from_utf8(v.into_bytes()).unwrap(), serde_json::to_string(&f).unwrap());
        }

        #[test]
        fn any_f32_survives_reserialisation_and_reads_back(f in any::<f32>().prop_filter("finite", |f| f.is_finite())) {
            let mut v = Out::buffer(0);
            write_f32(&mut v, f);
            let text = String::from_utf8(v.into_bytes()).unwrap();
            let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
            prop_assert_eq!(serde_json::to_string(&parsed).unwrap(), text.clone());
            prop_assert_eq!(parsed.as_f64().unwrap() as f32, f);
        }

        #[test]
        fn any_int_matches_serde_json(i in any::<i64>(), u in any::<u64>()) {
            let mut v = Out::buffer(0);
            write_int(&mut v, i);
            v.put_byte(b' ');
            write_int(&mut v, u);
            prop_assert_eq!(String::from_utf8(v.into_bytes()).unwrap(), format!("{} {}", serde_json::to_string(&i).unwrap(), serde_json::to_string(&u).unwrap()));
        }
    }
}
