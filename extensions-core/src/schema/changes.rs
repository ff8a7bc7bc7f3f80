//! A typed partial update of schema extension data: the properties a caller names, and no
//! other, in one `PATCH` (Graph merges schema extension data, so what the body omits keeps its
//! value).

use std::fmt;
use std::marker::PhantomData;

use super::data::DataWriter;
use super::{SchemaId, SchemaProperty};
use crate::error::Error;
use crate::json::Out;

/// The properties of `S` to change, each with its new value (`None` clears it), built by the
/// derive's `{Struct}Changes` (`Course::changes().course_name("B".into())`) and sent by
/// [`update`](super::SchemaExtensionExt::update) or [`op::WriteChanges`](super::op::WriteChanges).
///
/// Each setter takes the field's own type, and checks the value as a write would (a String over
/// 256 characters is refused when sent, before any request). Setting a property twice keeps
/// the last value.
///
/// ```
/// use extensions_core::prelude::*;
/// use extensions_core::schema::{Changes, SchemaId};
///
/// #[derive(SchemaExtension)]
/// #[schema(id = "contoso_courses", targets(Group))]
/// struct Course { course_id: i32, course_name: String, course_type: Option<String> }
///
/// let id = SchemaId::new("contoso_courses")?;
/// let changes: Changes<Course> = Course::changes()
///     .course_name("Leadership".into())
///     .course_type(None)
///     .into();
/// assert_eq!(changes.names().collect::<Vec<_>>(), ["courseName", "courseType"]);
/// assert_eq!(
///     changes.body(&id)?,
///     br#"{"contoso_courses":{"courseName":"Leadership","courseType":null}}"#
/// );
/// # Ok::<(), extensions_core::Error>(())
/// ```
pub struct Changes<S> {
    /// Each named property with its `"name":value` text.
    props: Vec<(&'static str, Vec<u8>)>,
    /// The first value refused.
    error: Option<Error>,
    _s: PhantomData<fn() -> S>,
}

impl<S> Changes<S> {
    /// No change yet.
    #[doc(hidden)]
    pub fn new() -> Self {
        Self {
            props: Vec::new(),
            error: None,
            _s: PhantomData,
        }
    }

    /// Sets the property `name` (the wire name the derive checked) to `value`.
    #[doc(hidden)]
    #[must_use]
    pub fn set<V: SchemaProperty>(mut self, name: &'static str, value: &V) -> Self {
        let mut w = DataWriter::new(Out::buffer(32 + name.len()));
        match w.property(name, value) {
            Ok(()) => {
                let text = w.out.into_bytes();
                match self.props.iter_mut().find(|(n, _)| *n == name) {
                    Some(slot) => slot.1 = text,
                    None => self.props.push((name, text)),
                }
            }
            Err(e) => {
                if self.error.is_none() {
                    self.error = Some(e);
                }
            }
        }
        self
    }

    /// The wire names of the properties to change, in the order first set.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.props.iter().map(|(n, _)| *n)
    }

    /// Whether no property is named.
    pub fn is_empty(&self) -> bool {
        self.props.is_empty() && self.error.is_none()
    }

    /// `{"{id}":{…the named properties…}}`, or the refusal of a value.
    pub fn body(&self, id: &SchemaId) -> Result<Vec<u8>, Error> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let len: usize = self.props.iter().map(|(_, t)| t.len() + 1).sum();
        let mut out = Out::buffer(id.as_str().len() + len + 8);
        out.put("{");
        crate::json::write_str(&mut out, id.as_str());
        out.put(":{");
        let mut bytes = out.into_bytes();
        for (i, (_, text)) in self.props.iter().enumerate() {
            if i > 0 {
                bytes.push(b',');
            }
            bytes.extend_from_slice(text);
        }
        bytes.extend_from_slice(b"}}");
        Ok(bytes)
    }
}

impl<S> Default for Changes<S> {
    fn default() -> Self {
        Self::new()
    }
}

impl<S> Clone for Changes<S> {
    fn clone(&self) -> Self {
        Self {
            props: self.props.clone(),
            error: self.error.clone(),
            _s: PhantomData,
        }
    }
}

impl<S> fmt::Debug for Changes<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Changes")
            .field("names", &self.names().collect::<Vec<_>>())
            .field("error", &self.error)
            .finish()
    }
}
