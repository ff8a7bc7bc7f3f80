//! What a typed filter compares a property with: a value of the property's own type, never one
//! that merely converts into it. Shared by the schema and directory rooms.

mod sealed {
    pub trait Sealed {}
}

/// A Rust type a typed filter compares a property with: the scalar types of schema and
/// directory extensions. Sealed.
pub trait Scalar: sealed::Sealed {}

macro_rules! scalars {
    ($($t:ty),* $(,)?) => {$(
        impl sealed::Sealed for $t {}
        impl Scalar for $t {}
    )*};
}

scalars!(String, bool, i32, i64, Vec<u8>);
#[cfg(feature = "time")]
scalars!(time::OffsetDateTime);
#[cfg(feature = "chrono")]
scalars!(chrono::DateTime<chrono::Utc>);

/// A value a filter may compare a property of type `T` with: `T` itself, and `&str` or
/// `&String` for a `String`. Nothing converts into it: `course_id().eq(true)` on an `i32`
/// property, or `level().eq(3_i16)`, does not compile.
#[diagnostic::on_unimplemented(
    message = "a `{Self}` cannot be compared with this property, whose values are `{T}`",
    label = "a value of the property's own type goes here"
)]
pub trait FilterValue<T> {
    /// The value.
    #[doc(hidden)]
    fn into_value(self) -> T;
}

impl<T: Scalar> FilterValue<T> for T {
    fn into_value(self) -> T {
        self
    }
}

impl FilterValue<String> for &str {
    fn into_value(self) -> String {
        self.to_owned()
    }
}

impl FilterValue<String> for &String {
    fn into_value(self) -> String {
        self.clone()
    }
}
