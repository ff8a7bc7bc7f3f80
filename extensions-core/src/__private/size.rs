//! `MAX_SIZE` and `#[extension(fits)]`: the worst case of a derived extension, added up and
//! checked at compile time, with messages that name the properties.

use crate::Error;
use crate::limits::DIRECTORY_OBJECT_MAX_EXTENSION_BYTES;
use crate::value::SizeBound;

/// One declared property's part of the worst case.
#[derive(Debug, Clone, Copy)]
pub struct FieldSize {
    /// The wire name.
    pub name: &'static str,
    /// The bytes of `,"name":`.
    pub key: usize,
    /// The longest value ([`SizeBound::MAX`]), `None` when unbounded.
    pub max: Option<usize>,
}

/// The digits of the longer of `min` and `max` in decimal, sign included.
pub(crate) const fn decimal_len(min: i128, max: i128) -> usize {
    const fn len(mut v: i128) -> usize {
        let mut n = if v < 0 { 2 } else { 1 };
        while v >= 10 || v <= -10 {
            v /= 10;
            n += 1;
        }
        n
    }
    let (a, b) = (len(min), len(max));
    if a > b { a } else { b }
}

/// A message built at compile time (const functions cannot format).
struct Message {
    buf: [u8; 640],
    len: usize,
}

impl Message {
    const fn new() -> Self {
        Self {
            buf: [0; 640],
            len: 0,
        }
    }

    const fn text(mut self, s: &str) -> Self {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() && self.len < self.buf.len() {
            self.buf[self.len] = b[i];
            self.len += 1;
            i += 1;
        }
        self
    }

    const fn number(mut self, mut n: usize) -> Self {
        let mut digits = [0u8; 20];
        let mut k = 0;
        loop {
            digits[k] = b'0' + (n % 10) as u8;
            k += 1;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        while k > 0 && self.len < self.buf.len() {
            k -= 1;
            self.buf[self.len] = digits[k];
            self.len += 1;
        }
        self
    }

    const fn as_str(&self) -> &str {
        // Only whole `&str`s and ASCII digits are written; a cut at the end of the buffer can
        // split a character, so fall back to what is valid.
        match core::str::from_utf8(self.buf.split_at(self.len).0) {
            Ok(s) => s,
            Err(e) => match core::str::from_utf8(self.buf.split_at(e.valid_up_to()).0) {
                Ok(s) => s,
                Err(_) => "",
            },
        }
    }
}

/// The worst case of a derived extension named `name` (type `ty`): the envelope, and each
/// property's key and longest value. A compile error naming the first unbounded property when
/// one has no bound.
pub const fn max_size(ty: &str, name: &str, fields: &[FieldSize]) -> usize {
    let mut total = crate::open::extension::envelope_size(name);
    let mut i = 0;
    while i < fields.len() {
        match fields[i].max {
            Some(max) => total = total.saturating_add(fields[i].key).saturating_add(max),
            None => {
                let m = Message::new()
                    .text("`")
                    .text(ty)
                    .text("::MAX_SIZE` is unbounded: property `")
                    .text(fields[i].name)
                    .text("` has no size bound; give a String field #[extension(max_len = N)] and a Vec field #[extension(max_items = N)] (and max_len for Strings in it); an #[extension(other)] catch-all or a Value field is never bounded");
                panic!("{}", m.as_str());
            }
        }
        i += 1;
    }
    total
}

/// `#[extension(fits)]`: a compile error unless `max` (the type's `MAX_SIZE`) is at most the
/// 2,048 bytes of a directory object, naming the properties that weigh the most.
pub const fn check_fits(ty: &str, max: usize, fields: &[FieldSize]) {
    let limit = DIRECTORY_OBJECT_MAX_EXTENSION_BYTES;
    if max <= limit {
        return;
    }
    let mut m = Message::new()
        .text("`")
        .text(ty)
        .text("` does not fit: at its worst it is ")
        .number(max)
        .text(" bytes, over the ")
        .number(limit)
        .text("-byte limit of a directory object (a user, a group, a device...), ")
        .number(max - limit)
        .text(" too many; the properties that weigh the most at their worst (key and value): ");
    // The three largest, largest first (a selection over a handful of fields).
    let mut taken = [usize::MAX; 3];
    let mut rank = 0;
    while rank < taken.len() && rank < fields.len() {
        let mut best = usize::MAX;
        let mut best_size = 0;
        let mut i = 0;
        while i < fields.len() {
            let size = weight(&fields[i]);
            let already = taken[0] == i || taken[1] == i || taken[2] == i;
            if !already && (best == usize::MAX || size > best_size) {
                best = i;
                best_size = size;
            }
            i += 1;
        }
        taken[rank] = best;
        if rank > 0 {
            m = m.text(", ");
        }
        m = m
            .text("`")
            .text(fields[best].name)
            .text("` ")
            .number(best_size);
        rank += 1;
    }
    m = m.text("; lower their max_len or max_items");
    panic!("{}", m.as_str());
}

const fn weight(f: &FieldSize) -> usize {
    match f.max {
        Some(max) => f.key.saturating_add(max),
        None => usize::MAX,
    }
}

/// Checks a bounded field's value before it is written.
pub fn check_bounds<L, I, T: SizeBound<L, I> + ?Sized>(
    value: &T,
    property: &str,
) -> Result<(), Error> {
    value
        .check_bounds()
        .map_err(|e| Error::property(property, e))
}
