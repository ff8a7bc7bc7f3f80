//! A stored open extension as Graph answers it ([`ExtensionObject`]), and a resource read with
//! its extensions ([`Expanded`]).

use http::StatusCode;

use crate::error::Error;
use crate::graph_error::GraphErrorKind;
use crate::name::name_from_id;
use crate::open::extension::OpenExtension;
use crate::operation::Response;
use crate::operation::read::{read_error, unexpected};
use crate::value::{Properties, Value};

/// One stored open extension, untyped: what a response holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ExtensionObject {
    /// `id`: the name, or a qualified form on Outlook items.
    pub id: String,
    /// `extensionName`, absent when the extension was created with only an `id`.
    pub extension_name: Option<String>,
    /// Every custom property.
    pub properties: Properties,
    /// `@odata.*` and `property@odata.*` annotations, as received.
    pub annotations: serde_json::Map<String, serde_json::Value>,
}

impl ExtensionObject {
    /// The extension's name: `extensionName`, else the name part of `id` (any of the three id
    /// forms: `Microsoft.OutlookServices.OpenTypeExtension.{name}`,
    /// `microsoft.graph.openTypeExtension.{name}`, `{name}`).
    pub fn name(&self) -> &str {
        self.extension_name
            .as_deref()
            .unwrap_or_else(|| name_from_id(&self.id))
    }

    /// Whether this is the extension called `name`. *Assumption:* Graph compares names without
    /// regard to ASCII letter case (documentation examples mix `Com.Contoso` and `com.contoso`).
    pub fn has_name(&self, name: &str) -> bool {
        self.name().eq_ignore_ascii_case(name) || name_from_id(&self.id).eq_ignore_ascii_case(name)
    }

    /// Decodes the properties as `T`.
    pub fn decode<T: OpenExtension>(&self) -> Result<T, Error> {
        T::from_properties(&self.properties)
    }

    /// Reads an extension object from JSON. `id`, `extensionName` (any letter case) and keys
    /// holding `@` are not properties. A property may hold any JSON value (Graph stores nested
    /// objects too): it is kept as is, and written back unchanged.
    pub fn from_json(json: &serde_json::Value) -> Result<Self, String> {
        let obj = json
            .as_object()
            .ok_or("an extension must be a JSON object")?;
        let mut id = None;
        let mut extension_name = None;
        let mut properties = Properties::new();
        let mut annotations = serde_json::Map::new();
        for (k, v) in obj {
            if k.eq_ignore_ascii_case("id") {
                id = Some(v.as_str().ok_or("`id` is not a string")?.to_owned());
            } else if k.eq_ignore_ascii_case("extensionName") {
                extension_name = match v {
                    serde_json::Value::Null => None,
                    serde_json::Value::String(s) => Some(s.clone()),
                    _ => return Err("`extensionName` is not a string".into()),
                };
            } else if k.contains('@') {
                annotations.insert(k.clone(), v.clone());
            } else {
                let value = Value::from_json(v);
                properties.insert(k.clone(), value);
            }
        }
        let id = match (id, &extension_name) {
            (Some(id), _) => id,
            (None, Some(name)) => name.clone(),
            (None, None) => return Err("the extension has neither `id` nor `extensionName`".into()),
        };
        Ok(Self {
            id,
            extension_name,
            properties,
            annotations,
        })
    }
}

pub(crate) fn extension_from(
    resp: &Response,
    json: &serde_json::Value,
) -> Result<ExtensionObject, Error> {
    ExtensionObject::from_json(json).map_err(|detail| Error::UnexpectedResponse {
        status: resp.status(),
        detail,
    })
}

/// Whether `resp` is a 404 for the extension (not for the resource that holds it).
pub(crate) fn is_extension_not_found(resp: &Response) -> bool {
    resp.status() == StatusCode::NOT_FOUND
        && read_error(resp)
            .graph_error()
            .is_some_and(|g| g.kind == GraphErrorKind::ExtensionNotFound)
}

/// A resource read with `$expand=extensions`: its own fields and its extensions.
#[derive(Debug, Clone, PartialEq)]
pub struct Expanded {
    /// The resource's `id`, if the answer has one.
    pub id: Option<String>,
    /// Every other field of the resource, as received.
    pub fields: serde_json::Map<String, serde_json::Value>,
    /// The expanded extensions (empty if none or not expanded).
    pub extensions: Vec<ExtensionObject>,
}

impl Expanded {
    /// The extension called `T::NAME`, decoded, if present.
    pub fn extension<T: OpenExtension>(&self) -> Result<Option<T>, Error> {
        self.extensions
            .iter()
            .find(|e| e.has_name(T::NAME.as_str()))
            .map(ExtensionObject::decode)
            .transpose()
    }

    pub(crate) fn from_json(resp: &Response, json: &serde_json::Value) -> Result<Self, Error> {
        let obj = json
            .as_object()
            .ok_or_else(|| unexpected(resp.status(), "a resource must be a JSON object"))?;
        let mut fields = obj.clone();
        let extensions = match fields.remove("extensions") {
            None | Some(serde_json::Value::Null) => Vec::new(),
            Some(serde_json::Value::Array(items)) => items
                .iter()
                .map(|i| extension_from(resp, i))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(unexpected(resp.status(), "`extensions` is not an array")),
        };
        let id = fields.get("id").and_then(|v| v.as_str()).map(str::to_owned);
        Ok(Self {
            id,
            fields,
            extensions,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_all_three_id_forms_without_extension_name() {
        for id in [
            "Microsoft.OutlookServices.OpenTypeExtension.com.contoso.X",
            "microsoft.graph.openTypeExtension.com.contoso.X",
            "com.contoso.X",
        ] {
            let json: serde_json::Value =
                serde_json::from_str(&format!(r#"{{"id":"{id}","a":1}}"#)).unwrap();
            let e = ExtensionObject::from_json(&json).unwrap();
            assert_eq!(e.name(), "com.contoso.X");
            assert_eq!(e.extension_name, None);
        }
    }
}
