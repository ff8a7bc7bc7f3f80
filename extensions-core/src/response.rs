//! What operations read from Graph's answers, in one place: errors and pages (from
//! [`crate::operation::read`]), Graph's error body ([`GraphError`]) and stored open extensions
//! (from [`crate::open::object`]).

pub use crate::graph_error::{GraphError, GraphErrorKind, parse_retry_after};
pub use crate::open::object::{Expanded, ExtensionObject};
pub use crate::operation::read::{Page, Response, read_error};
