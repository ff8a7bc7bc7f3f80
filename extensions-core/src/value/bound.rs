//! Size bounds: the longest JSON a property can write, so that the worst case of a whole
//! extension is known at compile time.
//!
//! `#[derive(OpenExtension)]` reads `#[extension(max_len = N)]` (characters of a string, or of
//! each string in an `Option` or an array) and `#[extension(max_items = N)]` (items of a `Vec` or
//! a slice) as the type parameters of [`SizeBound`]: `SizeBound<MaxLen<N>, MaxItems<M>>`, or
//! [`Unbounded`] where the attribute is absent. Each type's [`SizeBound::MAX`] is its longest
//! JSON under those bounds; the derive adds them up, with the keys and the envelope
//! (`@odata.type`, `extensionName`, `id`), into the struct's `MAX_SIZE`, and the struct attribute
//! `fits` turns "`MAX_SIZE` is at most 2,048 bytes" into a compile error when it is not.
//!
//! The worst case counts what the exact size counts: a character may take six bytes (a control
//! character is written `\u00XX`); an integer its longest accepted form (typed integers stop at
//! ±(2^53 − 1), so an `i64` is at most 17 bytes, `-9007199254740991`); a float its longest
//! shortest form. Each bound is reached by some value, so `MAX_SIZE` is tight, not merely safe
//! (the property tests of the derive check both).
//!
//! Types without a bound by type (`String` without `max_len`, `Vec` without `max_items`,
//! [`Value`]) have `MAX == None`; a struct holding one has no finite `MAX_SIZE`, and asking for
//! it is a compile error that names the field.

use super::{Value, ValueError};

/// No `max_len`, or no `max_items`, was given.
#[derive(Debug, Clone, Copy)]
pub struct Unbounded;

/// `#[extension(max_len = N)]`: at most `N` characters (Unicode scalar values) in a string.
#[derive(Debug, Clone, Copy)]
pub struct MaxLen<const N: usize>;

/// `#[extension(max_items = N)]`: at most `N` items in an array.
#[derive(Debug, Clone, Copy)]
pub struct MaxItems<const N: usize>;

/// The longest JSON a property type writes under the bounds `Len` and `Items`, and the check of
/// a value against them before anything is written.
///
/// Implemented for every property type of this crate. Implement it for a [`PropertyValue`]
/// type of your own (with `Len` and `Items` left [`Unbounded`]) to let structs holding it have
/// a `MAX_SIZE`.
///
/// [`PropertyValue`]: super::PropertyValue
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no size bound of this form",
    label = "`max_len` or `max_items` does not apply to this type",
    note = "`max_len` bounds the characters of a String (or of each String in an Option, a Vec or a slice); `max_items` bounds the items of a Vec or a slice; integers, booleans, floats, date-times and UUIDs are bounded by their type and take neither"
)]
pub trait SizeBound<Len = Unbounded, Items = Unbounded> {
    /// The longest JSON this type writes, in bytes, or `None` when nothing bounds it.
    const MAX: Option<usize>;

    /// Checks a value against the bounds: [`ValueError::TooLong`] for a string with more
    /// characters than `max_len`, [`ValueError::TooManyItems`] for an array with more items than
    /// `max_items`.
    fn check_bounds(&self) -> Result<(), ValueError> {
        Ok(())
    }
}

/// `[a,b,…]` of `n` items of at most `item` bytes each.
const fn array_max(n: usize, item: Option<usize>) -> Option<usize> {
    let Some(item) = item else { return None };
    if n == 0 {
        return Some(2);
    }
    // n items, n - 1 commas, two brackets.
    match n.checked_mul(item) {
        Some(items) => items.checked_add(n + 1),
        None => None,
    }
}

/// The larger of `a` and `null` (4 bytes).
const fn or_null(a: Option<usize>) -> Option<usize> {
    match a {
        Some(n) if n < 4 => Some(4),
        other => other,
    }
}

macro_rules! fixed {
    ($($t:ty => $max:expr),* $(,)?) => {$(
        impl SizeBound for $t {
            const MAX: Option<usize> = Some($max);
        }
    )*};
}

// The longest accepted forms: `false`; `255`, `-128`, …; ±(2^53 − 1) for 64-bit integers
// (past it, typed integers are refused); `-1000000000000000.0` is the longest `f32` (written as
// the `f64` of its shortest form) and `-2.2250738585072014e-308` the longest `f64`.
fixed! {
    bool => 5,
    u8 => 3,
    u16 => 5,
    u32 => 10,
    u64 => 16,
    i8 => 4,
    i16 => 6,
    i32 => 11,
    i64 => 17,
    f32 => 19,
    f64 => 24,
}

impl SizeBound for str {
    const MAX: Option<usize> = None;
}

impl<const N: usize> SizeBound<MaxLen<N>> for str {
    // Every character may be a control character, written `\u00XX`.
    const MAX: Option<usize> = match N.checked_mul(6) {
        Some(n) => n.checked_add(2),
        None => None,
    };

    fn check_bounds(&self) -> Result<(), ValueError> {
        // Only a string longer than N bytes can have more than N characters.
        if self.len() > N {
            let chars = self.chars().count();
            if chars > N {
                return Err(ValueError::TooLong { chars, max: N });
            }
        }
        Ok(())
    }
}

impl<L> SizeBound<L> for String
where
    str: SizeBound<L>,
{
    const MAX: Option<usize> = <str as SizeBound<L>>::MAX;

    fn check_bounds(&self) -> Result<(), ValueError> {
        self.as_str().check_bounds()
    }
}

impl<L, I, T: SizeBound<L, I>> SizeBound<L, I> for Option<T> {
    const MAX: Option<usize> = or_null(T::MAX);

    fn check_bounds(&self) -> Result<(), ValueError> {
        match self {
            Some(v) => v.check_bounds(),
            None => Ok(()),
        }
    }
}

impl<L, I, T: SizeBound<L, I> + ?Sized> SizeBound<L, I> for &T {
    const MAX: Option<usize> = T::MAX;

    fn check_bounds(&self) -> Result<(), ValueError> {
        (**self).check_bounds()
    }
}

impl<L, I, T: SizeBound<L, I> + ?Sized> SizeBound<L, I> for Box<T> {
    const MAX: Option<usize> = T::MAX;

    fn check_bounds(&self) -> Result<(), ValueError> {
        (**self).check_bounds()
    }
}

impl<L, T: SizeBound<L>> SizeBound<L> for [T] {
    const MAX: Option<usize> = None;

    fn check_bounds(&self) -> Result<(), ValueError> {
        self.iter().try_for_each(T::check_bounds)
    }
}

impl<L, T: SizeBound<L>, const N: usize> SizeBound<L, MaxItems<N>> for [T] {
    const MAX: Option<usize> = array_max(N, T::MAX);

    fn check_bounds(&self) -> Result<(), ValueError> {
        if self.len() > N {
            return Err(ValueError::TooManyItems {
                items: self.len(),
                max: N,
            });
        }
        self.iter().try_for_each(T::check_bounds)
    }
}

impl<L, I, T> SizeBound<L, I> for Vec<T>
where
    [T]: SizeBound<L, I>,
{
    const MAX: Option<usize> = <[T] as SizeBound<L, I>>::MAX;

    fn check_bounds(&self) -> Result<(), ValueError> {
        self.as_slice().check_bounds()
    }
}

impl<L, T: SizeBound<L>, const K: usize> SizeBound<L> for [T; K] {
    const MAX: Option<usize> = array_max(K, T::MAX);

    fn check_bounds(&self) -> Result<(), ValueError> {
        self.iter().try_for_each(T::check_bounds)
    }
}

impl SizeBound for Value {
    const MAX: Option<usize> = None;
}

#[cfg(feature = "uuid")]
fixed! {
    // `"67e55044-10b1-426f-9247-bb680e5fe0c8"`.
    uuid::Uuid => 38,
}

// `"9999-12-31T23:59:59.999999999Z"`: the date-time writers use years 0000 to 9999 and at most
// nine fraction digits.
#[cfg(feature = "time")]
fixed! {
    time::OffsetDateTime => 32,
}

#[cfg(feature = "chrono")]
fixed! {
    chrono::DateTime<chrono::Utc> => 32,
}
