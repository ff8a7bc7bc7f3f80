//! Microsoft Graph **extension attributes**: the fifteen predefined strings
//! `extensionAttribute1` … `extensionAttribute15` (Exchange's custom attributes), on users as
//! `onPremisesExtensionAttributes` and on devices as `extensionAttributes`. No registration; at
//! most 1,024 characters each; read only with `$select`; read-only on a user synced from
//! on-premises Active Directory. See
//! [onPremisesExtensionAttributes](https://learn.microsoft.com/en-us/graph/api/resources/onpremisesextensionattributes)
//! and [Add custom data to resources using extensions](https://learn.microsoft.com/en-us/graph/extensibility-overview).
//!
//! - [`Attributes`]: some or all of the fifteen values, checked when set;
//! - [`ExtensionAttributes`]: a struct whose fields name attributes (`#[derive(ExtensionAttributes)]`),
//!   and its typed calls [`ExtensionAttributesExt`];
//! - the operations [`WriteAttributes`], [`ReadAttributes`] and [`FindByAttribute`], with
//!   [`AttributeCondition`].
//!
//! | rule | where it is checked |
//! |---|---|
//! | numbers 1 to 15, each once | compile time (derive), [`Attributes::set`] |
//! | at most 1,024 characters | before sending ([`Attributes::set`], [`AttributeCondition`]) |
//! | only on users and devices | before sending ([`WriteAttributes`], [`ReadAttributes`], [`FindByAttribute`]) |
//! | a write keeps the attributes it does not name | [`WriteAttributes`] names only the struct's |

use std::borrow::Cow;
use std::future::Future;

use http::{Method, StatusCode};
use serde_json::{Map, Value};

pub use extensions_rules::directory::{
    ATTRIBUTE_COUNT, MAX_ATTRIBUTE_CHARS, check_attribute_number,
};

use crate::error::Error;
use crate::operation::patch::{ResourcePatch, resource_patch_operation};
use crate::operation::read::{Page, not_success, read_page_json};
use crate::operation::{Built, Execute, Operation, Repeat, Request, Response, empty};
use crate::resource::{FindIn, Resource, ResourceKind, RouteTail, encode_component};

/// The property that holds the attributes on a resource of `kind`: `onPremisesExtensionAttributes`
/// on users, `extensionAttributes` on devices; `None` for every other kind.
pub fn property_of(kind: ResourceKind) -> Option<&'static str> {
    match kind {
        ResourceKind::User => Some("onPremisesExtensionAttributes"),
        ResourceKind::Device => Some("extensionAttributes"),
        _ => None,
    }
}

fn unsupported(kind: ResourceKind) -> Error {
    Error::Unsupported {
        operation: "extension attributes (users and devices only)",
        kind,
    }
}

fn check_number(number: u8) -> Result<(), Error> {
    check_attribute_number(number).map_err(|reason| Error::AttributeInvalid {
        number,
        reason: reason.to_owned(),
    })
}

fn check_value(number: u8, value: &str) -> Result<(), Error> {
    if value.len() > MAX_ATTRIBUTE_CHARS {
        let n = value.chars().count();
        if n > MAX_ATTRIBUTE_CHARS {
            return Err(Error::AttributeInvalid {
                number,
                reason: format!(
                    "{n} characters, over the limit of {MAX_ATTRIBUTE_CHARS} of an extension attribute"
                ),
            });
        }
    }
    Ok(())
}

/// Some of the fifteen extension attributes, each set to a value or to `None` (`null`: none).
/// An attribute not named is left as it is by a write.
///
/// ```
/// use extensions_core::attributes::Attributes;
/// let mut a = Attributes::new();
/// a.set(13, Some("CC-4410"))?.set(1, None)?;
/// assert_eq!(a.get(13), Some("CC-4410"));
/// assert!(a.set(16, Some("x")).is_err());
/// assert!(a.set(2, Some(&"x".repeat(1025))).is_err());
/// # Ok::<(), extensions_core::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attributes {
    values: [Option<Option<String>>; ATTRIBUTE_COUNT as usize],
}

impl Attributes {
    /// None named.
    pub fn new() -> Self {
        Self::default()
    }

    /// Names attribute `number` (1..=15) with `value` (`None` removes it), checked: at most
    /// 1,024 characters.
    pub fn set(&mut self, number: u8, value: Option<&str>) -> Result<&mut Self, Error> {
        check_number(number)?;
        if let Some(v) = value {
            check_value(number, v)?;
        }
        self.values[usize::from(number - 1)] = Some(value.map(str::to_owned));
        Ok(self)
    }

    /// The value of attribute `number`, if it is named and set.
    pub fn get(&self, number: u8) -> Option<&str> {
        self.values
            .get(usize::from(number).wrapping_sub(1))?
            .as_ref()?
            .as_deref()
    }

    /// Whether attribute `number` is named (set to a value or to `None`).
    pub fn is_named(&self, number: u8) -> bool {
        self.values
            .get(usize::from(number).wrapping_sub(1))
            .is_some_and(Option::is_some)
    }

    /// The named attributes, in number order.
    pub fn iter(&self) -> impl Iterator<Item = (u8, Option<&str>)> {
        (1..=ATTRIBUTE_COUNT)
            .zip(&self.values)
            .filter_map(|(n, v)| v.as_ref().map(|v| (n, v.as_deref())))
    }

    /// `{"extensionAttribute13": "…", "extensionAttribute1": null}`: the named ones.
    pub fn to_json(&self) -> Value {
        Value::Object(
            self.iter()
                .map(|(n, v)| {
                    (
                        format!("extensionAttribute{n}"),
                        v.map_or(Value::Null, Value::from),
                    )
                })
                .collect(),
        )
    }

    /// Reads the attributes object Graph answers (all fifteen, unset ones `null`). Every
    /// attribute is named in the result; one absent from the answer is `None`.
    pub fn from_json(object: &Value) -> Result<Self, Error> {
        let invalid = |reason: String| Error::DirectoryDataInvalid {
            property: "onPremisesExtensionAttributes".into(),
            reason,
        };
        let map = match object {
            Value::Object(m) => Some(m),
            Value::Null => None,
            other => return Err(invalid(format!("expected an object, found {other}"))),
        };
        let mut out = Self::new();
        for n in 1..=ATTRIBUTE_COUNT {
            let v = match map.and_then(|m| m.get(&format!("extensionAttribute{n}"))) {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => {
                    return Err(invalid(format!(
                        "extensionAttribute{n} is not a string: {other}"
                    )));
                }
            };
            out.values[usize::from(n - 1)] = Some(v);
        }
        Ok(out)
    }
}

/// A struct whose fields are extension attributes (`Option<String>`, each with its number).
/// Implement it with `#[derive(ExtensionAttributes)]`, which checks the numbers at compile time.
pub trait ExtensionAttributes: Sized {
    /// The numbers of the fields' attributes, in declaration order.
    const NUMBERS: &'static [u8];

    /// The fields as attributes: each named, `None` as `null`.
    fn to_attributes(&self) -> Result<Attributes, Error>;

    /// The fields from attributes read from a resource.
    fn from_attributes(attributes: &Attributes) -> Self;
}

/// Sets extension attributes on a user or a device: `PATCH /users/{id}`
/// `{"onPremisesExtensionAttributes": {"extensionAttribute13": "…"}}` (`extensionAttributes` on
/// a device). Only the attributes named are sent; Graph keeps the others. Refused before
/// sending on any other kind of resource. Repeat class [`Repeat::Safe`]. Output: `()`.
#[derive(Debug, Clone)]
pub struct WriteAttributes(ResourcePatch);

impl WriteAttributes {
    /// `PATCH {resource}` with the named `attributes`.
    pub fn new(resource: impl AsRef<Resource>, attributes: &Attributes) -> Self {
        let resource = resource.as_ref();
        let body = resource.validate().and_then(|()| {
            let property =
                property_of(resource.kind()).ok_or_else(|| unsupported(resource.kind()))?;
            let mut body = Map::new();
            body.insert(property.to_owned(), attributes.to_json());
            Ok(Value::Object(body).to_string().into_bytes())
        });
        Self(ResourcePatch::new(resource, body))
    }
}

resource_patch_operation!(WriteAttributes);

/// Reads the fifteen extension attributes of a user or a device:
/// `GET {resource}?$select=id,onPremisesExtensionAttributes`. Repeat class [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct ReadAttributes {
    built: Built,
    route: &'static str,
    property: &'static str,
}

impl ReadAttributes {
    /// `GET {resource}?$select=id,{property}`.
    pub fn new(resource: impl AsRef<Resource>) -> Self {
        let resource = resource.as_ref();
        let property = property_of(resource.kind()).unwrap_or("");
        let req = resource.validate().and_then(|()| {
            if property.is_empty() {
                return Err(unsupported(resource.kind()));
            }
            empty(
                Method::GET,
                &format!("{}?%24select=id%2C{property}", resource.path()),
            )
        });
        Self {
            built: Built::new(req),
            route: resource.route(RouteTail::Resource),
            property,
        }
    }
}

impl Operation for ReadAttributes {
    type Output = Attributes;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<Attributes, Error> {
        if response.status() != StatusCode::OK {
            return Err(not_success(&response, "a read answers 200"));
        }
        let object: Map<String, Value> =
            serde_json::from_slice(response.body()).map_err(|e| Error::UnexpectedResponse {
                status: response.status(),
                detail: format!("the body is not a JSON object: {e}"),
            })?;
        Attributes::from_json(object.get(self.property).unwrap_or(&Value::Null))
    }

    fn repeat(&self) -> Repeat {
        Repeat::Safe
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed(self.route)
    }
}

/// A `$filter` on one extension attribute: `eq` a value (a plain query), `ne`, set or unset
/// (advanced queries, sent with `$count=true` and `ConsistencyLevel: eventual`).
///
/// ```
/// use extensions_core::attributes::AttributeCondition;
/// let c = AttributeCondition::eq(13, "CC-4410")?;
/// assert_eq!(c.expression("onPremisesExtensionAttributes"),
///     "onPremisesExtensionAttributes/extensionAttribute13 eq 'CC-4410'");
/// assert!(!c.is_advanced());
/// assert!(AttributeCondition::is_set(13)?.is_advanced());
/// # Ok::<(), extensions_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeCondition {
    number: u8,
    test: String,
    advanced: bool,
}

impl AttributeCondition {
    fn new(number: u8, test: String, advanced: bool) -> Result<Self, Error> {
        check_number(number)?;
        Ok(Self {
            number,
            test,
            advanced,
        })
    }

    fn quoted(number: u8, value: &str) -> Result<String, Error> {
        check_value(number, value)?;
        Ok(format!("'{}'", value.replace('\'', "''")))
    }

    /// `extensionAttribute{n} eq '{value}'`.
    pub fn eq(number: u8, value: &str) -> Result<Self, Error> {
        Self::new(
            number,
            format!("eq {}", Self::quoted(number, value)?),
            false,
        )
    }

    /// `extensionAttribute{n} ne '{value}'` (an advanced query).
    pub fn ne(number: u8, value: &str) -> Result<Self, Error> {
        Self::new(number, format!("ne {}", Self::quoted(number, value)?), true)
    }

    /// `extensionAttribute{n} ne null` (an advanced query).
    pub fn is_set(number: u8) -> Result<Self, Error> {
        Self::new(number, "ne null".into(), true)
    }

    /// `extensionAttribute{n} eq null` (an advanced query).
    pub fn is_unset(number: u8) -> Result<Self, Error> {
        Self::new(number, "eq null".into(), true)
    }

    /// Whether Graph serves it only as an advanced query.
    pub fn is_advanced(&self) -> bool {
        self.advanced
    }

    /// The expression for a collection whose attributes are the property `property`.
    pub fn expression(&self, property: &str) -> String {
        format!("{property}/extensionAttribute{} {}", self.number, self.test)
    }
}

/// Lists the users or devices whose attribute matches a condition, each with its `id` and its
/// fifteen attributes, page by page. Repeat class [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct FindByAttribute {
    built: Built,
    property: &'static str,
    route: &'static str,
}

impl FindByAttribute {
    /// The first page of the resources in `collection` (users or devices) matching `condition`.
    pub fn new(collection: FindIn, condition: &AttributeCondition) -> Self {
        let property = property_of(collection.kind()).unwrap_or("");
        let req = if property.is_empty() {
            Err(unsupported(collection.kind()))
        } else {
            let mut uri = format!(
                "{}?%24filter={}&%24select=id%2C{property}",
                collection.path(),
                encode_component(&condition.expression(property)),
            );
            if condition.is_advanced() {
                uri.push_str("&%24count=true");
                empty(Method::GET, &uri).map(|p| p.eventual())
            } else {
                empty(Method::GET, &uri)
            }
        };
        Self {
            built: Built::new(req),
            property,
            route: collection.path(),
        }
    }

    /// The page at `next_link`, with `ConsistencyLevel: eventual` if the first page was an
    /// advanced query.
    pub fn next(collection: FindIn, next_link: &str, advanced: bool) -> Self {
        let req = empty(Method::GET, next_link).map(|p| if advanced { p.eventual() } else { p });
        Self {
            built: Built::new(req),
            property: property_of(collection.kind()).unwrap_or(""),
            route: "{nextLink}",
        }
    }
}

impl Operation for FindByAttribute {
    type Output = Page<(Option<String>, Attributes)>;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<Self::Output, Error> {
        let (items, next_link) = read_page_json(&response)?;
        let items = items
            .iter()
            .map(|item| {
                let id = item.get("id").and_then(Value::as_str).map(str::to_owned);
                Attributes::from_json(item.get(self.property).unwrap_or(&Value::Null))
                    .map(|a| (id, a))
            })
            .collect::<Result<_, _>>()?;
        Ok(Page { items, next_link })
    }

    fn repeat(&self) -> Repeat {
        Repeat::Safe
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed(self.route)
    }
}

/// The typed calls of every [`ExtensionAttributes`] type. In scope through the
/// [prelude](crate::prelude).
pub trait ExtensionAttributesExt: ExtensionAttributes + Send + Sync {
    /// Writes the struct's attributes on a user or a device (`None` removes a value); the
    /// attributes it does not name are kept.
    fn write<C: Execute + ?Sized, R: AsRef<Resource> + ?Sized>(
        &self,
        client: &C,
        resource: &R,
    ) -> impl Future<Output = Result<(), Error>> + Send {
        let op = self
            .to_attributes()
            .map(|a| WriteAttributes::new(resource.as_ref(), &a));
        async move { client.execute(&op?).await }
    }

    /// Reads the struct's attributes from a user or a device.
    fn read<C: Execute + ?Sized, R: AsRef<Resource> + ?Sized>(
        client: &C,
        resource: &R,
    ) -> impl Future<Output = Result<Self, Error>> + Send {
        let op = ReadAttributes::new(resource.as_ref());
        async move { Ok(Self::from_attributes(&client.execute(&op).await?)) }
    }
}

impl<T: ExtensionAttributes + Send + Sync> ExtensionAttributesExt for T {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::tests::answer;

    #[test]
    fn write_names_only_what_is_set() {
        let mut a = Attributes::new();
        a.set(13, Some("CC")).unwrap().set(15, None).unwrap();
        let op = WriteAttributes::new(Resource::user("u1"), &a);
        assert_eq!(
            std::str::from_utf8(op.request().unwrap().body()).unwrap(),
            r#"{"onPremisesExtensionAttributes":{"extensionAttribute13":"CC","extensionAttribute15":null}}"#
        );
        let op = WriteAttributes::new(Resource::device("d1"), &a);
        assert!(
            std::str::from_utf8(op.request().unwrap().body())
                .unwrap()
                .starts_with(r#"{"extensionAttributes":{"#)
        );
        assert!(matches!(
            WriteAttributes::new(Resource::group("g1"), &a).request(),
            Err(Error::Unsupported { .. })
        ));
        assert!(a.set(0, None).is_err());
    }

    #[test]
    fn read_and_find() {
        let op = ReadAttributes::new(Resource::user("u1"));
        assert_eq!(
            op.request().unwrap().uri(),
            "/users/u1?%24select=id%2ConPremisesExtensionAttributes"
        );
        let a = op
            .read(answer(
                200,
                r#"{"id":"u1","onPremisesExtensionAttributes":{"extensionAttribute1":null,"extensionAttribute13":"CC"}}"#,
            ))
            .unwrap();
        assert_eq!(a.get(13), Some("CC"));
        assert!(a.is_named(1) && a.get(1).is_none() && a.iter().count() == 15);
        assert!(
            op.read(answer(
                200,
                r#"{"onPremisesExtensionAttributes":{"extensionAttribute2":7}}"#
            ))
            .is_err()
        );

        let f = FindByAttribute::new(FindIn::Devices, &AttributeCondition::is_set(2).unwrap());
        let req = f.request().unwrap();
        assert_eq!(req.headers()["consistencylevel"], "eventual");
        assert!(req.uri().to_string().starts_with(
            "/devices?%24filter=extensionAttributes%2FextensionAttribute2%20ne%20null"
        ));
        assert!(
            FindByAttribute::new(FindIn::Groups, &AttributeCondition::eq(1, "x").unwrap())
                .request()
                .is_err()
        );
        assert!(AttributeCondition::eq(1, &"x".repeat(1025)).is_err());
    }
}
