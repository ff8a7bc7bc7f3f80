//! `POST /groups` (or `/users`, `/devices`): a new directory object carrying its data.

use std::borrow::Cow;

use bytes::Bytes;
use http::{Method, StatusCode};

use super::{FindIn, not_success};
use crate::error::Error;
use crate::operation::{Built, Operation, Repeat, Request, Response, json};
use crate::schema::data::write_body;
use crate::schema::{SchemaExtension, SchemaId};

/// Creates a directory object with `T`'s data in the same request, as the
/// [tutorial](https://learn.microsoft.com/en-us/graph/extensibility-schema-groups) creates a
/// group: the body is the object's own fields plus `{"{id}": {…}}`. Graph's answer is the new
/// object without the data (read it with [`ReadData`](super::ReadData)). Output: the object's
/// fields as Graph answered them (its `id` among them). Refused before sending: a collection `T`
/// does not target, a value over its limit, fields that are not a JSON object or that already
/// hold the schema id. Repeat class [`Repeat::Once`]: a second POST would create a second object.
#[derive(Debug, Clone)]
pub struct CreateWithData {
    built: Built,
    route: &'static str,
}

impl CreateWithData {
    /// `POST /{collection}` with `fields` and `data` under `id`.
    pub fn new<T: SchemaExtension>(
        collection: FindIn,
        fields: &serde_json::Value,
        id: &SchemaId,
        data: &T,
    ) -> Self {
        let req = (|| {
            id.check_usable()?;
            if !crate::schema::target_of(collection.kind()).is_some_and(|t| T::TARGETS.contains(&t))
            {
                return Err(Error::SchemaTargetNotListed {
                    id: id.to_string(),
                    kind: collection.kind(),
                    targets: T::TARGETS
                        .iter()
                        .map(|t| t.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
            let serde_json::Value::Object(fields) = fields else {
                return Err(Error::SchemaDefinitionInvalid {
                    id: id.to_string(),
                    reason: "the new object's fields must be a JSON object".into(),
                });
            };
            if fields.contains_key(id.as_str()) {
                return Err(Error::DuplicateProperty {
                    property: id.to_string(),
                });
            }
            // `{fields…,"{id}":{data}}`: the fields' object, its closing brace replaced by the
            // data member.
            let data = write_body(id, data)?;
            let mut body =
                serde_json::to_vec(fields).map_err(|e| Error::SchemaDefinitionInvalid {
                    id: id.to_string(),
                    reason: e.to_string(),
                })?;
            body.pop();
            if body.len() > 1 {
                body.push(b',');
            }
            body.extend_from_slice(&data[1..]);
            json(Method::POST, collection.path(), Bytes::from(body))
        })();
        Self {
            built: Built::new(req),
            route: collection.path(),
        }
    }
}

impl Operation for CreateWithData {
    type Output = serde_json::Map<String, serde_json::Value>;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<Self::Output, Error> {
        match response.status() {
            StatusCode::CREATED | StatusCode::OK => serde_json::from_slice(response.body())
                .map_err(|e| Error::UnexpectedResponse {
                    status: response.status(),
                    detail: format!("the body is not a JSON object: {e}"),
                }),
            _ => Err(not_success(&response, "a create answers 201")),
        }
    }

    fn repeat(&self) -> Repeat {
        Repeat::Once
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed(self.route)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::op::tests::{Course, course};

    #[test]
    fn fields_then_data() {
        let id = SchemaId::new("contoso_courses").unwrap();
        let op = CreateWithData::new(
            FindIn::Groups,
            &serde_json::json!({"displayName": "New Managers", "mailEnabled": true}),
            &id,
            &course(),
        );
        let req = op.request().unwrap();
        assert_eq!(req.uri(), "/groups");
        assert_eq!(
            std::str::from_utf8(req.body()).unwrap(),
            r#"{"displayName":"New Managers","mailEnabled":true,"contoso_courses":{"courseId":123,"courseName":"New Managers","courseType":null}}"#
        );
        let empty = CreateWithData::new(FindIn::Users, &serde_json::json!({}), &id, &course());
        assert_eq!(
            std::str::from_utf8(empty.request().unwrap().body()).unwrap(),
            r#"{"contoso_courses":{"courseId":123,"courseName":"New Managers","courseType":null}}"#
        );
        let on_device: CreateWithData =
            CreateWithData::new::<Course>(FindIn::Devices, &serde_json::json!({}), &id, &course());
        assert!(matches!(
            on_device.request(),
            Err(Error::SchemaTargetNotListed { .. })
        ));
    }
}
