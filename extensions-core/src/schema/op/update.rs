//! `PATCH /schemaExtensions/{id}`: additive changes and status moves, by the owner app.

use std::borrow::Cow;

use bytes::Bytes;
use http::{Method, StatusCode};

use super::{definition_path, not_success};
use crate::error::Error;
use crate::operation::{Built, Operation, Repeat, Request, Response, json};
use crate::schema::{Definition, DefinitionChange};

/// Changes a definition: a new description or status, more target types, more properties.
/// Built from the definition as it is now (from [`GetDefinition`](super::GetDefinition) or a
/// previous call), so the change is checked before sending
/// ([`DefinitionChange::apply`]: the lifecycle, additive only, nothing but the status on a
/// deprecated definition). The body always carries `owner`: Graph refuses an update without it
/// ("Cannot perform this extension schema write operation",
/// [microsoft-graph-docs#4994](https://github.com/microsoftgraph/microsoft-graph-docs-contrib/issues/4994)).
/// Target types and properties are sent whole (the current ones and the new ones), so a repeat
/// is harmless: repeat class [`Repeat::Safe`]. Output: the definition as updated.
#[derive(Debug, Clone)]
pub struct UpdateDefinition {
    built: Built,
    next: Option<Definition>,
}

impl UpdateDefinition {
    /// `PATCH /schemaExtensions/{id}` applying `change` to `current`.
    pub fn new(current: &Definition, change: &DefinitionChange) -> Self {
        let next = change.apply(current);
        let req = next.as_ref().map_err(Clone::clone).and_then(|next| {
            let owner = current.owner.as_deref().ok_or_else(|| Error::SchemaDefinitionInvalid {
                id: current.id.to_string(),
                reason: "the current definition has no owner, which an update must send: read it from Graph first".into(),
            })?;
            let mut body = serde_json::Map::new();
            body.insert("owner".into(), owner.into());
            if let Some(d) = &change.description {
                body.insert("description".into(), d.as_str().into());
            }
            if let Some(s) = change.status {
                body.insert("status".into(), s.as_str().into());
            }
            if !change.add_targets.is_empty() {
                body.insert("targetTypes".into(), serde_json::json!(next.target_types));
            }
            if !change.add_properties.is_empty() {
                body.insert("properties".into(), serde_json::json!(next.properties));
            }
            let bytes = serde_json::to_vec(&body).unwrap_or_default();
            json(Method::PATCH, &definition_path(current.id.as_str()), Bytes::from(bytes))
        });
        Self {
            built: Built::new(req),
            next: next.ok(),
        }
    }
}

impl Operation for UpdateDefinition {
    type Output = Definition;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<Definition, Error> {
        match (response.status(), &self.next) {
            (StatusCode::NO_CONTENT | StatusCode::OK, Some(next)) => Ok(next.clone()),
            _ => Err(not_success(&response, "an update answers 204")),
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
    use crate::operation::tests::{answer, graph_error};
    use crate::schema::op::tests::Course;
    use crate::schema::{PropertyType, SchemaExtension, Status};

    fn stored() -> Definition {
        let mut d = Course::definition();
        d.status = Some(Status::InDevelopment);
        d.owner = Some("app-1".into());
        d
    }

    #[test]
    fn owner_always_sent_properties_whole() {
        let op = UpdateDefinition::new(
            &stored(),
            &DefinitionChange::new()
                .status(Status::Available)
                .add_property("level", PropertyType::String),
        );
        let req = op.request().unwrap();
        assert_eq!(req.method(), Method::PATCH);
        assert_eq!(req.uri(), "/schemaExtensions/contoso_courses");
        let body: serde_json::Value = serde_json::from_slice(req.body()).unwrap();
        assert_eq!(body["owner"], "app-1");
        assert_eq!(body["status"], "Available");
        assert_eq!(body["properties"].as_array().unwrap().len(), 4);
        assert!(body.get("targetTypes").is_none());
        let next = op.read(answer(204, "")).unwrap();
        assert_eq!(next.status, Some(Status::Available));
        assert!(
            op.read(graph_error(
                403,
                "Authorization_RequestDenied",
                "Cannot perform this extension schema write operation."
            ))
            .is_err()
        );
    }

    #[test]
    fn refused_before_sending() {
        let skip = UpdateDefinition::new(
            &stored(),
            &DefinitionChange::new().status(Status::Deprecated),
        );
        assert!(matches!(skip.request(), Err(Error::SchemaLifecycle { .. })));
        let mut no_owner = stored();
        no_owner.owner = None;
        let op = UpdateDefinition::new(&no_owner, &DefinitionChange::new().description("x"));
        assert!(matches!(
            op.request(),
            Err(Error::SchemaDefinitionInvalid { .. })
        ));
    }
}
