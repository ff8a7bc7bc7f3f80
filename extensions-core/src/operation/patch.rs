//! `PATCH {resource}` with a JSON body, answered 204: how data that lives on the resource itself
//! is written (schema extension data, directory extension values, extension attributes).

use std::borrow::Cow;

use bytes::Bytes;
use http::{Method, StatusCode};

use super::read::directory_not_success;
use super::{Built, Request, Response, json};
use crate::error::Error;
use crate::resource::{Resource, RouteTail};

/// What such a write sends, checked and encoded once, and how its answer is read.
#[derive(Debug, Clone)]
pub(crate) struct ResourcePatch {
    built: Built,
    route: &'static str,
}

impl ResourcePatch {
    /// `PATCH {resource}` with `body`, or the refusal that stopped it.
    pub(crate) fn new(resource: &Resource, body: Result<Vec<u8>, Error>) -> Self {
        let req = body.and_then(|b| json(Method::PATCH, &resource.path(), Bytes::from(b)));
        Self {
            built: Built::new(req),
            route: resource.route(RouteTail::Resource),
        }
    }

    pub(crate) fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    /// 204 (or 200) is done; an error status is Graph's error (a 400 is `BadRequest`).
    pub(crate) fn read(response: &Response) -> Result<(), Error> {
        match response.status() {
            StatusCode::NO_CONTENT | StatusCode::OK => Ok(()),
            _ => Err(directory_not_success(response, "a PATCH answers 204")),
        }
    }

    pub(crate) fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed(self.route)
    }
}

/// Implements [`Operation`](super::Operation) (output `()`, repeat class
/// [`Repeat::Safe`](super::Repeat::Safe): the body sets values, so sending it twice is sending
/// it once) for newtypes over a [`ResourcePatch`].
macro_rules! resource_patch_operation {
    ($($op:ident),*) => {$(
        impl $crate::operation::Operation for $op {
            type Output = ();

            fn request(&self) -> Result<$crate::operation::Request, $crate::Error> {
                self.0.request()
            }

            fn read(&self, response: $crate::operation::Response) -> Result<(), $crate::Error> {
                $crate::operation::patch::ResourcePatch::read(&response)
            }

            fn repeat(&self) -> $crate::operation::Repeat {
                $crate::operation::Repeat::Safe
            }

            fn route(&self) -> ::std::borrow::Cow<'static, str> {
                self.0.route()
            }
        }
    )*};
}
pub(crate) use resource_patch_operation;
