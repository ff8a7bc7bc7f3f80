//! `POST /schemaExtensions`: registers a definition.

use std::borrow::Cow;

use bytes::Bytes;
use http::{Method, StatusCode};

use super::{definition_from, definition_path, not_success};
use crate::error::Error;
use crate::operation::{Built, Confirmation, Operation, Repeat, Request, Response, empty, json};
use crate::schema::{Definition, Owner, SchemaIdForm};

/// Registers a definition; Graph answers with it as stored (`status: InDevelopment`, `owner`,
/// and for a bare name the id it assigned). The definition is checked
/// ([`Definition::check`]) before sending.
///
/// Repeat class: a prefixed id ([`Repeat::ReadBack`]) is read back with
/// `GET /schemaExtensions/{id}` when an attempt's outcome is unknown; a bare name
/// ([`Repeat::Once`]) cannot be, since Graph picks its id, so it is never sent twice.
#[derive(Debug, Clone)]
pub struct CreateDefinition {
    built: Built,
    definition: Definition,
}

impl CreateDefinition {
    /// `POST /schemaExtensions` with `definition`, owned by `owner`.
    pub fn new(definition: &Definition, owner: Owner) -> Self {
        let mut body = definition.clone();
        body.status = None;
        body.owner = match owner {
            Owner::Caller => None,
            Owner::App(id) => Some(id),
        };
        let req = definition.check().and_then(|()| {
            let bytes = serde_json::to_vec(&body).map_err(|e| Error::SchemaDefinitionInvalid {
                id: definition.id.to_string(),
                reason: e.to_string(),
            })?;
            json(Method::POST, "/schemaExtensions", Bytes::from(bytes))
        });
        Self {
            built: Built::new(req),
            definition: body,
        }
    }
}

impl Operation for CreateDefinition {
    type Output = Definition;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<Definition, Error> {
        match response.status() {
            StatusCode::CREATED | StatusCode::OK => definition_from(&response),
            _ => Err(not_success(&response, "a create answers 201")),
        }
    }

    fn repeat(&self) -> Repeat {
        match self.definition.id.form() {
            SchemaIdForm::Prefixed => Repeat::ReadBack,
            SchemaIdForm::Bare => Repeat::Once,
        }
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed("/schemaExtensions")
    }

    fn read_back(&self) -> Option<Request> {
        (self.definition.id.form() == SchemaIdForm::Prefixed)
            .then(|| empty(Method::GET, &definition_path(self.definition.id.as_str())).ok())
            .flatten()
            .map(|p| p.request())
    }

    fn confirm(&self, response: Response) -> Result<Confirmation<Definition>, Error> {
        match response.status() {
            StatusCode::NOT_FOUND => Ok(Confirmation::Absent),
            StatusCode::OK => {
                let stored = definition_from(&response)?;
                let same = stored.properties == self.definition.properties
                    && stored.target_types.len() == self.definition.target_types.len()
                    && self.definition.targets().iter().all(|t| stored.lists(*t))
                    && (self.definition.owner.is_none() || stored.owner == self.definition.owner);
                if same {
                    Ok(Confirmation::Applied(stored))
                } else {
                    Ok(Confirmation::Different(Error::SchemaDefinitionInvalid {
                        id: stored.id.to_string(),
                        reason: "a definition with this id already exists with other target types, properties or owner; nothing was changed".into(),
                    }))
                }
            }
            _ => Err(not_success(&response, "a read-back answers 200 or 404")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::tests::{answer, graph_error};
    use crate::schema::op::tests::Course;
    use crate::schema::{PropertyType, SchemaExtension, Status, TargetType};

    #[test]
    fn body_read_and_repeat() {
        let op = CreateDefinition::new(&Course::definition(), Owner::App("app-1".into()));
        let req = op.request().unwrap();
        assert_eq!(req.method(), Method::POST);
        assert_eq!(req.uri(), "/schemaExtensions");
        let body: serde_json::Value = serde_json::from_slice(req.body()).unwrap();
        assert_eq!(body["owner"], "app-1");
        assert_eq!(body["targetTypes"], serde_json::json!(["Group", "User"]));
        assert_eq!(body["properties"][0]["type"], "Integer");
        assert_eq!(op.repeat(), Repeat::ReadBack);
        assert_eq!(
            op.read_back().unwrap().uri(),
            "/schemaExtensions/contoso_courses"
        );
        let stored = r#"{"id":"contoso_courses","description":"Training courses","targetTypes":["Group","User"],"status":"InDevelopment","owner":"app-1","properties":[{"name":"courseId","type":"Integer"},{"name":"courseName","type":"String"},{"name":"courseType","type":"String"}]}"#;
        let d = op.read(answer(201, stored)).unwrap();
        assert_eq!(d.status, Some(Status::InDevelopment));
        assert!(matches!(
            op.confirm(answer(200, stored)).unwrap(),
            Confirmation::Applied(_)
        ));
        assert!(matches!(
            op.confirm(answer(404, "{}")).unwrap(),
            Confirmation::Absent
        ));
        let other = stored.replace("\"User\"", "\"Device\"");
        assert!(matches!(
            op.confirm(answer(200, &other)).unwrap(),
            Confirmation::Different(Error::SchemaDefinitionInvalid { .. })
        ));
        let e = op
            .read(graph_error(
                400,
                "Request_BadRequest",
                "Another object with the same value for property id already exists.",
            ))
            .unwrap_err();
        assert_eq!(
            e.graph_error().unwrap().kind,
            crate::GraphErrorKind::AlreadyExists
        );
    }

    #[test]
    fn a_bare_name_is_sent_once_and_a_bad_definition_never() {
        let d = Definition::new("courses", [TargetType::User])
            .unwrap()
            .property("n", PropertyType::String);
        let op = CreateDefinition::new(&d, Owner::Caller);
        assert_eq!(op.repeat(), Repeat::Once);
        assert!(op.read_back().is_none());
        let body: serde_json::Value = serde_json::from_slice(op.request().unwrap().body()).unwrap();
        assert!(body.get("owner").is_none());
        let bad = Definition::new("a_b", [TargetType::Event])
            .unwrap()
            .property("n", PropertyType::Boolean);
        assert!(matches!(
            CreateDefinition::new(&bad, Owner::Caller).request(),
            Err(Error::SchemaDefinitionInvalid { .. })
        ));
    }
}
