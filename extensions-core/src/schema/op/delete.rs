//! `DELETE /schemaExtensions/{id}`.

use std::borrow::Cow;

use http::{Method, StatusCode};

use super::{definition_path, not_success};
use crate::error::Error;
use crate::operation::{Built, Operation, Repeat, Request, Response, empty};
use crate::schema::{Definition, SchemaId, Status};

/// Deletes a definition, which Graph allows only while it is `InDevelopment` (and only for its
/// owner app); the data on resources goes with it. Output: `true` if it was deleted, `false` on
/// a 404. Repeat class [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct DeleteDefinition {
    built: Built,
}

impl DeleteDefinition {
    /// Deletes `definition`, refused before sending unless it is `InDevelopment`.
    pub fn of(definition: &Definition) -> Self {
        let req = match definition.status {
            Some(Status::InDevelopment) | None => {
                empty(Method::DELETE, &definition_path(definition.id.as_str()))
            }
            Some(other) => Err(Error::SchemaLifecycle {
                id: definition.id.to_string(),
                reason: format!(
                    "only an InDevelopment definition can be deleted; this one is {other}"
                ),
            }),
        };
        Self {
            built: Built::new(req),
        }
    }

    /// Deletes the definition `id` without knowing its status (Graph refuses if it is not
    /// `InDevelopment`).
    pub fn by_id(id: &SchemaId) -> Self {
        Self {
            built: Built::new(empty(Method::DELETE, &definition_path(id.as_str()))),
        }
    }
}

impl Operation for DeleteDefinition {
    type Output = bool;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<bool, Error> {
        match response.status() {
            StatusCode::NO_CONTENT | StatusCode::OK => Ok(true),
            StatusCode::NOT_FOUND => Ok(false),
            _ => Err(not_success(&response, "a delete answers 204")),
        }
    }

    fn repeat(&self) -> Repeat {
        Repeat::Safe
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed("/schemaExtensions/{id}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::tests::answer;
    use crate::schema::SchemaExtension;
    use crate::schema::op::tests::Course;

    #[test]
    fn only_in_development() {
        let mut d = Course::definition();
        d.status = Some(Status::InDevelopment);
        let op = DeleteDefinition::of(&d);
        assert_eq!(op.request().unwrap().method(), Method::DELETE);
        assert!(op.read(answer(204, "")).unwrap());
        assert!(!op.read(answer(404, "{}")).unwrap());
        d.status = Some(Status::Available);
        assert!(matches!(
            DeleteDefinition::of(&d).request(),
            Err(Error::SchemaLifecycle { .. })
        ));
    }
}
