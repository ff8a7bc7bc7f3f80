//! `GET /schemaExtensions/{id}`.

use std::borrow::Cow;

use http::{Method, StatusCode};

use super::{definition_from, definition_path, not_success};
use crate::error::Error;
use crate::operation::{Built, Operation, Repeat, Request, Response, empty};
use crate::schema::{Definition, SchemaId};

/// Reads one definition; `None` when Graph answers 404. Repeat class [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct GetDefinition {
    built: Built,
}

impl GetDefinition {
    /// `GET /schemaExtensions/{id}`.
    pub fn new(id: &SchemaId) -> Self {
        Self {
            built: Built::new(empty(Method::GET, &definition_path(id.as_str()))),
        }
    }
}

impl Operation for GetDefinition {
    type Output = Option<Definition>;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<Option<Definition>, Error> {
        match response.status() {
            StatusCode::OK => definition_from(&response).map(Some),
            StatusCode::NOT_FOUND => Ok(None),
            _ => Err(not_success(&response, "a read answers 200")),
        }
    }

    fn repeat(&self) -> Repeat {
        Repeat::Safe
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed("/schemaExtensions/{id}")
    }
}
