//! Read-modify-write, as two operations: [`ReadForUpdate`] reads the extension and everything
//! stored with it; [`Stored::patch`] builds the [`Patch`] that writes the changed value back
//! together with the stored properties the type does not declare.

use std::borrow::Cow;
use std::marker::PhantomData;

use http::{Method, StatusCode};

use super::Patch;
use super::get::on_extension;
use crate::error::Error;
use crate::open::extension::OpenExtension;
use crate::open::extension::decode_body;
use crate::open::object::is_extension_not_found;
use crate::operation::read::not_success;
use crate::operation::{Built, Operation, Repeat, Request, Response};
use crate::resource::Resource;
use crate::value::Properties;

/// Reads extension `T` and keeps every stored property, for a write-back that loses nothing.
/// Output: `None` if the resource has no such extension. Repeat class [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct ReadForUpdate<T> {
    built: Built,
    route: &'static str,
    _type: PhantomData<fn() -> T>,
}

/// An extension as read for an update: the typed value to change, and what was stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored<T> {
    /// The value, to change.
    pub value: T,
    /// The stored properties `T` does not declare (empty when `T` keeps them in a catch-all).
    pub stored: Properties,
}

impl<T: OpenExtension> ReadForUpdate<T> {
    /// `GET {resource}/extensions/{T::NAME}`.
    pub fn new(resource: impl AsRef<Resource>) -> Self {
        let (built, route) = on_extension(Method::GET, resource.as_ref(), T::NAME.as_str());
        Self {
            built,
            route,
            _type: PhantomData,
        }
    }
}

impl<T: OpenExtension> Operation for ReadForUpdate<T> {
    type Output = Option<Stored<T>>;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<Option<Stored<T>>, Error> {
        match response.status() {
            StatusCode::OK => {
                let d = decode_body::<T>(response.status(), response.body(), true)?;
                Ok(Some(Stored {
                    value: d.value,
                    stored: d.undeclared,
                }))
            }
            StatusCode::NOT_FOUND if is_extension_not_found(&response) => Ok(None),
            _ => Err(not_success(&response, "a GET of an extension answers 200")),
        }
    }

    fn repeat(&self) -> Repeat {
        Repeat::Safe
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed(self.route)
    }
}

impl<T: OpenExtension> Stored<T> {
    /// The write-back: every property of `value`, and every stored property it does not write.
    /// (A type with a catch-all, [`OpenExtension::KEEPS_UNDECLARED`], already holds those; what
    /// it holds is written as is, so a key removed from the catch-all is deleted.)
    ///
    /// Graph has no conditional update for open extensions: a write by someone else between
    /// the read and this write is overwritten (last writer wins).
    pub fn patch(&self, resource: impl AsRef<Resource>) -> Patch {
        if T::KEEPS_UNDECLARED {
            Patch::new(resource, &self.value)
        } else {
            Patch::keeping(resource, &self.value, &self.stored)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::open::op::tests::Hr;
    use crate::operation::tests::answer;

    #[test]
    fn reads_and_writes_back_what_the_type_does_not_declare() {
        let op = ReadForUpdate::<Hr>::new(Resource::device("d"));
        assert_eq!(
            op.request().unwrap().uri(),
            "/devices/d/extensions/Com.Contoso.HR"
        );
        let mut s = op
            .read(answer(
                200,
                r#"{"id":"Com.Contoso.HR","companyName":"A","topPicks":[],"legacy":7}"#,
            ))
            .unwrap()
            .unwrap();
        s.value.company_name = "B".into();
        let patch = s.patch(Resource::device("d")).request().unwrap();
        let text = std::str::from_utf8(patch.body()).unwrap();
        assert!(
            text.ends_with(r#""companyName":"B","topPicks":[],"legacy":7}"#),
            "{text}"
        );
    }
}
