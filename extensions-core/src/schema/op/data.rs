//! The data on a resource: write (`PATCH {resource}`), clear, and read with `$select`.

use std::borrow::Cow;
use std::marker::PhantomData;

use http::{Method, StatusCode};

use super::not_success;
use crate::error::Error;
use crate::operation::patch::{ResourcePatch, resource_patch_operation};
use crate::operation::{Built, Operation, Repeat, Request, Response, empty};
use crate::resource::{Resource, RouteTail, encode_component};
use crate::schema::data::write_body;
use crate::schema::{Changes, SchemaExtension, SchemaId, TargetType, target_of};

/// Refuses a resource whose type `targets` does not list.
pub(super) fn check_target(
    id: &SchemaId,
    resource: &Resource,
    targets: &[TargetType],
) -> Result<(), Error> {
    resource.validate()?;
    id.check_usable()?;
    match target_of(resource.kind()) {
        Some(t) if targets.contains(&t) => Ok(()),
        _ => Err(Error::SchemaTargetNotListed {
            id: id.to_string(),
            kind: resource.kind(),
            targets: targets
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// Writes `T`'s data on a resource: `PATCH {resource}` `{"{id}": {every declared property}}`.
/// Graph merges a PATCH of schema extension data (properties the body omits keep their values;
/// [microsoft-graph-docs-contrib#9339](https://github.com/microsoftgraph/microsoft-graph-docs-contrib/pull/9339)),
/// so the body names every declared property and a `None` field is sent as `null`, which clears
/// it: what is stored afterwards is exactly `self`, whatever was there. Refused before sending:
/// a String over 256 characters, Binary over 256 bytes, a resource type `T` does not target.
/// Repeat class [`Repeat::Safe`]. Output: `()` (Graph answers 204).
#[derive(Debug, Clone)]
pub struct WriteData(ResourcePatch);

impl WriteData {
    /// `PATCH {resource}` with `data` under the definition registered as `id`.
    pub fn new<T: SchemaExtension>(
        id: &SchemaId,
        resource: impl AsRef<Resource>,
        data: &T,
    ) -> Self {
        let resource = resource.as_ref();
        let body = check_target(id, resource, T::TARGETS).and_then(|()| write_body(id, data));
        Self(ResourcePatch::new(resource, body))
    }
}

/// Changes only the properties `changes` names: `PATCH {resource}` `{"{id}": {named
/// properties}}`. Graph merges it into the stored data: a property the body omits keeps its
/// value, a `None` clears one. One request, no read, so no race with another writer of the
/// other properties. Refused before sending as [`WriteData`]; a `changes` that names nothing
/// sends `{"{id}": {}}`, which changes nothing. Repeat class [`Repeat::Safe`]. Output: `()`.
#[derive(Debug, Clone)]
pub struct WriteChanges(ResourcePatch);

impl WriteChanges {
    /// `PATCH {resource}` with the properties `changes` names, under the definition
    /// registered as `id`.
    pub fn new<T: SchemaExtension>(
        id: &SchemaId,
        resource: impl AsRef<Resource>,
        changes: &Changes<T>,
    ) -> Self {
        let resource = resource.as_ref();
        let body = check_target(id, resource, T::TARGETS).and_then(|()| changes.body(id));
        Self(ResourcePatch::new(resource, body))
    }
}

/// Removes a schema extension's data from a resource: `PATCH {resource}` `{"{id}": null}`.
/// Repeat class [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct ClearData(ResourcePatch);

impl ClearData {
    /// `PATCH {resource}` `{"{id}": null}`.
    pub fn new(id: &SchemaId, resource: impl AsRef<Resource>) -> Self {
        let resource = resource.as_ref();
        let body = resource
            .validate()
            .and_then(|()| id.check_usable())
            .map(|()| {
                let mut body = serde_json::Map::new();
                body.insert(id.to_string(), serde_json::Value::Null);
                serde_json::Value::Object(body).to_string().into_bytes()
            });
        Self(ResourcePatch::new(resource, body))
    }
}

resource_patch_operation!(WriteData, WriteChanges, ClearData);

/// Reads `T`'s data from a resource: `GET {resource}?$select=id,{id}` (Graph shows schema
/// extension data only when selected). `None` when the resource has none. Refused before
/// sending for a resource type `T` does not target. Repeat class [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct ReadData<T> {
    built: Built,
    route: &'static str,
    id: SchemaId,
    _t: PhantomData<fn() -> T>,
}

impl<T: SchemaExtension> ReadData<T> {
    /// `GET {resource}?$select=id,{id}`.
    pub fn new(id: &SchemaId, resource: impl AsRef<Resource>) -> Self {
        let resource = resource.as_ref();
        let req = check_target(id, resource, T::TARGETS).and_then(|()| {
            let uri = format!(
                "{}?%24select={}",
                resource.path(),
                encode_component(&format!("id,{id}"))
            );
            empty(Method::GET, &uri)
        });
        Self {
            built: Built::new(req),
            route: resource.route(RouteTail::Resource),
            id: id.clone(),
            _t: PhantomData,
        }
    }
}

impl<T: SchemaExtension> Operation for ReadData<T> {
    type Output = Option<T>;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<Option<T>, Error> {
        if response.status() != StatusCode::OK {
            return Err(not_success(&response, "a read answers 200"));
        }
        crate::schema::read_data(response.body(), &self.id)
    }

    fn repeat(&self) -> Repeat {
        Repeat::Safe
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed(self.route)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::tests::{answer, graph_error};
    use crate::schema::op::tests::{Course, course};

    fn id() -> SchemaId {
        SchemaId::new("contoso_courses").unwrap()
    }

    #[test]
    fn write_sends_every_property_none_as_null() {
        let op = WriteData::new(&id(), Resource::group("g1"), &course());
        let req = op.request().unwrap();
        assert_eq!(req.method(), Method::PATCH);
        assert_eq!(req.uri(), "/groups/g1");
        assert_eq!(
            std::str::from_utf8(req.body()).unwrap(),
            r#"{"contoso_courses":{"courseId":123,"courseName":"New Managers","courseType":null}}"#
        );
        assert_eq!(op.route(), "/groups/{id}");
        op.read(answer(204, "")).unwrap();
        let e = op
            .read(graph_error(
                400,
                "Request_BadRequest",
                "Invalid property 'x'.",
            ))
            .unwrap_err();
        assert_eq!(
            e.graph_error().unwrap().kind,
            crate::GraphErrorKind::BadRequest
        );
    }

    #[test]
    fn refused_before_sending() {
        let long = Course {
            course_name: "é".repeat(257),
            ..course()
        };
        assert!(matches!(
            WriteData::new(&id(), Resource::group("g1"), &long).request(),
            Err(Error::SchemaValueTooLong {
                len: 257,
                limit: 256,
                ..
            })
        ));
        let ok = Course {
            course_name: "é".repeat(256),
            ..course()
        };
        assert!(
            WriteData::new(&id(), Resource::group("g1"), &ok)
                .request()
                .is_ok()
        );
        assert!(matches!(
            WriteData::new(&id(), Resource::device("d1"), &course()).request(),
            Err(Error::SchemaTargetNotListed { .. })
        ));
        assert!(matches!(
            ReadData::<Course>::new(&id(), Resource::me().message("AAMk")).request(),
            Err(Error::SchemaTargetNotListed { .. })
        ));
    }

    #[test]
    fn read_selects_and_decodes() {
        let op = ReadData::<Course>::new(&id(), Resource::user("adele@contoso.com"));
        assert_eq!(
            op.request().unwrap().uri(),
            "/users/adele%40contoso.com?%24select=id%2Ccontoso_courses"
        );
        let got = op
            .read(answer(
                200,
                r##"{"id":"u1","contoso_courses":{"@odata.type":"#microsoft.graph.ComplexExtensionValue","courseId":123,"courseName":"New Managers"}}"##,
            ))
            .unwrap();
        assert_eq!(got, Some(course()));
        assert_eq!(op.read(answer(200, r#"{"id":"u1"}"#)).unwrap(), None);
        assert_eq!(
            op.read(answer(200, r#"{"id":"u1","contoso_courses":null}"#))
                .unwrap(),
            None
        );
        assert!(matches!(
            op.read(answer(
                200,
                r#"{"id":"u1","contoso_courses":{"courseName":"x"}}"#
            )),
            Err(Error::SchemaDataInvalid { .. })
        ));
    }

    #[test]
    fn changes_send_only_what_they_name() {
        let changes = Changes::<Course>::new()
            .set("courseName", &"Leadership".to_owned())
            .set("courseType", &None::<String>)
            .set("courseName", &"Last wins".to_owned());
        let op = WriteChanges::new(&id(), Resource::group("g1"), &changes);
        let req = op.request().unwrap();
        assert_eq!(
            (req.method(), req.uri().to_string()),
            (&Method::PATCH, "/groups/g1".into())
        );
        assert_eq!(
            req.body().as_ref(),
            br#"{"contoso_courses":{"courseName":"Last wins","courseType":null}}"#
        );
        let none = WriteChanges::new(&id(), Resource::group("g1"), &Changes::<Course>::new());
        assert_eq!(
            none.request().unwrap().body().as_ref(),
            br#"{"contoso_courses":{}}"#
        );
        let long = Changes::<Course>::new().set("courseName", &"x".repeat(257));
        assert!(matches!(
            WriteChanges::new(&id(), Resource::group("g1"), &long).request(),
            Err(Error::SchemaValueTooLong { len: 257, .. })
        ));
        assert!(matches!(
            WriteChanges::new(&id(), Resource::device("d1"), &changes).request(),
            Err(Error::SchemaTargetNotListed { .. })
        ));
        let bare = SchemaId::new("courses").unwrap();
        assert!(matches!(
            WriteChanges::new(&bare, Resource::group("g1"), &changes).request(),
            Err(Error::SchemaIdInvalid { .. })
        ));
    }

    #[test]
    fn clear_sends_null() {
        let op = ClearData::new(&id(), Resource::group("g1"));
        assert_eq!(
            op.request().unwrap().body().as_ref(),
            br#"{"contoso_courses":null}"#
        );
    }
}
