//! The [`OpenExtension`] trait, its body encoding and exact size: the path of
//! [`crate::open::extension`] kept for existing code.

pub use crate::open::extension::*;
