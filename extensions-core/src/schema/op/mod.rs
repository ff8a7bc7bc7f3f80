//! Each schema extension call as an [`Operation`](crate::operation::Operation), run by any
//! [`Execute`](crate::operation::Execute) like the open-extension ones.
//!
//! | operation | request | output |
//! |---|---|---|
//! | [`CreateDefinition`] | `POST /schemaExtensions` | the stored [`Definition`] |
//! | [`GetDefinition`] | `GET /schemaExtensions/{id}` | `Option<Definition>` |
//! | [`ListDefinitions`] | `GET /schemaExtensions?$filter=…` | a [`Page`] of definitions |
//! | [`UpdateDefinition`] | `PATCH /schemaExtensions/{id}` with `owner` | the [`Definition`] as updated |
//! | [`DeleteDefinition`] | `DELETE /schemaExtensions/{id}` | `bool` (was it there) |
//! | [`WriteData`] | `PATCH {resource}` `{"{id}": {…}}` | `()` |
//! | [`WriteChanges`] | `PATCH {resource}` `{"{id}": {named properties}}` | `()` |
//! | [`ClearData`] | `PATCH {resource}` `{"{id}": null}` | `()` |
//! | [`CreateWithData`] | `POST /groups` with fields and `{"{id}": {…}}` | the new object's fields |
//! | [`ReadData`] | `GET {resource}?$select=id,{id}` | `Option<T>` |
//! | [`Find`] | `GET /groups?$filter={id}/{name} eq …&$select=id,{id}` | a [`Page`] of [`Found`] |
//!
//! [`Definition`]: super::Definition
//! [`Page`]: crate::operation::read::Page
//! [`Found`]: super::Found

mod create;
mod create_with_data;
mod data;
mod delete;
mod find;
mod get;
mod list;
mod update;

pub use create::CreateDefinition;
pub use create_with_data::CreateWithData;
pub use data::{ClearData, ReadData, WriteChanges, WriteData};
pub use delete::DeleteDefinition;
pub use find::{Find, FindIn};
pub use get::GetDefinition;
pub use list::{DefinitionQuery, ListDefinitions};
pub use update::UpdateDefinition;

use crate::error::Error;
use crate::operation::Response;
use crate::resource::encode_component;

/// `/schemaExtensions/{id}`, the id encoded as one segment.
fn definition_path(id: &str) -> String {
    format!("/schemaExtensions/{}", encode_component(id))
}

/// Any error status as a Graph error (a 400 is `BadRequest` unless the thing is taken);
/// another success as unexpected.
fn not_success(resp: &Response, what: &str) -> Error {
    crate::operation::read::directory_not_success(resp, what)
}

/// Parses a definition from a JSON body.
fn definition_from(resp: &Response) -> Result<super::Definition, Error> {
    serde_json::from_slice(resp.body()).map_err(|e| Error::UnexpectedResponse {
        status: resp.status(),
        detail: format!("the body is not a schema extension definition: {e}"),
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::*;
    use serde::Deserializer;

    /// The tutorial's course, written by hand (core's unit tests cannot use the derive).
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct Course {
        pub(crate) course_id: i32,
        pub(crate) course_name: String,
        pub(crate) course_type: Option<String>,
    }

    impl SchemaExtension for Course {
        const ID: SchemaId = SchemaId::from_static("contoso_courses");
        const DESCRIPTION: Option<&'static str> = Some("Training courses");
        const TARGETS: &'static [TargetType] = &[TargetType::Group, TargetType::User];
        const PROPERTIES: &'static [(&'static str, PropertyType)] = &[
            ("courseId", PropertyType::Integer),
            ("courseName", PropertyType::String),
            ("courseType", PropertyType::String),
        ];
        type Filter = SchemaId;
        fn filter(id: &SchemaId) -> SchemaId {
            id.clone()
        }
        type Changes = crate::schema::Changes<Self>;
        fn changes() -> Self::Changes {
            crate::schema::Changes::new()
        }
        fn write_data(&self, w: &mut DataWriter) -> Result<(), crate::Error> {
            w.property("courseId", &self.course_id)?;
            w.property("courseName", &self.course_name)?;
            w.property("courseType", &self.course_type)
        }
        fn deserialize_data<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let v: serde_json::Map<String, serde_json::Value> = serde::Deserialize::deserialize(d)?;
            let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_owned);
            Ok(Course {
                course_id: v
                    .get("courseId")
                    .and_then(|x| x.as_i64())
                    .and_then(|x| i32::try_from(x).ok())
                    .ok_or_else(|| serde::de::Error::missing_field("courseId"))?,
                course_name: s("courseName")
                    .ok_or_else(|| serde::de::Error::missing_field("courseName"))?,
                course_type: s("courseType"),
            })
        }
    }

    pub(crate) fn course() -> Course {
        Course {
            course_id: 123,
            course_name: "New Managers".into(),
            course_type: None,
        }
    }
}
