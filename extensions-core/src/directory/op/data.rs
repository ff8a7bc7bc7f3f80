//! Directory extension values on a resource: write (`PATCH {resource}`), clear, read with
//! `$select`, and find resources by them.

use std::borrow::Cow;
use std::marker::PhantomData;

use http::{Method, StatusCode};
use serde_json::{Map, Value};

use super::not_success;
use crate::directory::data::read_object;
use crate::directory::data::write_body;
use crate::directory::{Condition, DirectoryExtension, OwnerApp, read_body, target_of};
use crate::error::Error;
use crate::operation::patch::{ResourcePatch, resource_patch_operation};
use crate::operation::read::{Page, read_page_json};
use crate::operation::{Built, Operation, Repeat, Request, Response, empty};
use crate::resource::{FindIn, Resource, ResourceKind, RouteTail, encode_component};

/// Refuses a resource of a kind `T`'s definitions do not target.
fn check_target<T: DirectoryExtension>(app: &OwnerApp, kind: ResourceKind) -> Result<(), Error> {
    match target_of(kind) {
        Some(t) if T::TARGETS.contains(&t) => Ok(()),
        _ => Err(Error::DirectoryTargetNotListed {
            property: T::PROPERTIES.first().map_or_else(String::new, |p| {
                app.property(p.name)
                    .map_or_else(|_| p.name.to_owned(), |n| n.to_string())
            }),
            kind,
            targets: T::TARGETS
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// `$select=id,{every field's full name}`.
fn select<T: DirectoryExtension>(app: &OwnerApp) -> Result<String, Error> {
    let mut s = String::from("id");
    for p in T::PROPERTIES {
        s.push(',');
        s.push_str(app.property(p.name)?.as_str());
    }
    Ok(encode_component(&s))
}

/// Writes `T`'s extensions on a resource: `PATCH {resource}` `{"extension_{appId}_{name}": …}`,
/// every field (a `None` or an empty `Vec` as `null`, which removes the value), so what is
/// stored afterwards is exactly `self`. Graph's PATCH touches only the properties it names,
/// so other apps' extensions and the resource's own properties are kept. Refused before
/// sending: a String over 256 characters, Binary over 256 bytes (each value of a multi-valued
/// one), more than 100 values, a resource kind the definitions do not target. Repeat class
/// [`Repeat::Safe`]. Output: `()` (Graph answers 204).
#[derive(Debug, Clone)]
pub struct WriteValues(ResourcePatch);

impl WriteValues {
    /// `PATCH {resource}` with `data`'s extensions of `app`.
    pub fn new<T: DirectoryExtension>(
        app: &OwnerApp,
        resource: impl AsRef<Resource>,
        data: &T,
    ) -> Self {
        let resource = resource.as_ref();
        let body = resource
            .validate()
            .and_then(|()| check_target::<T>(app, resource.kind()))
            .and_then(|()| write_body(app.app_id(), data));
        Self(ResourcePatch::new(resource, body))
    }
}

/// Removes every extension of `T` from a resource: `PATCH {resource}` with each full name
/// `null`. Repeat class [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct ClearValues(ResourcePatch);

impl ClearValues {
    /// `PATCH {resource}` `{"extension_…": null, …}`.
    pub fn new<T: DirectoryExtension>(app: &OwnerApp, resource: impl AsRef<Resource>) -> Self {
        let resource = resource.as_ref();
        let body = resource
            .validate()
            .and_then(|()| check_target::<T>(app, resource.kind()))
            .and_then(|()| {
                let mut body = Map::new();
                for p in T::PROPERTIES {
                    body.insert(app.property(p.name)?.to_string(), Value::Null);
                }
                Ok(Value::Object(body).to_string().into_bytes())
            });
        Self(ResourcePatch::new(resource, body))
    }
}

resource_patch_operation!(WriteValues, ClearValues);

/// Reads `T`'s extensions from a resource: `GET {resource}?$select=id,{full names}` (Graph v1.0
/// returns directory extensions only when selected). An extension the resource has no value
/// for is `None` (an empty `Vec`). Refused before sending for a resource kind the definitions
/// do not target. Repeat class [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct ReadValues<T> {
    built: Built,
    route: &'static str,
    app: OwnerApp,
    _t: PhantomData<fn() -> T>,
}

impl<T: DirectoryExtension> ReadValues<T> {
    /// `GET {resource}?$select=id,…`.
    pub fn new(app: &OwnerApp, resource: impl AsRef<Resource>) -> Self {
        let resource = resource.as_ref();
        let req = resource
            .validate()
            .and_then(|()| check_target::<T>(app, resource.kind()))
            .and_then(|()| select::<T>(app))
            .and_then(|s| empty(Method::GET, &format!("{}?%24select={s}", resource.path())));
        Self {
            built: Built::new(req),
            route: resource.route(RouteTail::Resource),
            app: app.clone(),
            _t: PhantomData,
        }
    }
}

impl<T: DirectoryExtension> Operation for ReadValues<T> {
    type Output = T;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<T, Error> {
        if response.status() != StatusCode::OK {
            return Err(not_success(&response, "a read answers 200"));
        }
        read_body(self.app.app_id(), response.body())
    }

    fn repeat(&self) -> Repeat {
        Repeat::Safe
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed(self.route)
    }
}

/// A resource found by its directory extensions: its `id` and its values.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<T> {
    /// The resource's `id`, if the answer has one.
    pub id: Option<String>,
    /// Its values.
    pub values: T,
}

/// Lists the resources of a collection whose extensions match a [`Condition`], each with its
/// `id` and its values (`$select=id,{full names}`), page by page. For an advanced condition
/// (`ne`, set/unset tests, `contains`) the request carries `$count=true` and
/// `ConsistencyLevel: eventual`, which Graph requires of one. Refused before sending: a
/// collection the definitions do not target, a value a write would refuse. Repeat class
/// [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct FindByValues<T> {
    built: Built,
    app: OwnerApp,
    route: &'static str,
    _t: PhantomData<fn() -> T>,
}

impl<T: DirectoryExtension> FindByValues<T> {
    /// The first page of the resources in `collection` matching `condition`.
    pub fn new(collection: FindIn, app: &OwnerApp, condition: &Condition<T>) -> Self {
        let req = check_target::<T>(app, collection.kind())
            .and_then(|()| condition.expression())
            .and_then(|expr| {
                let mut uri = format!(
                    "{}?%24filter={}&%24select={}",
                    collection.path(),
                    encode_component(expr),
                    select::<T>(app)?
                );
                if condition.is_advanced() {
                    uri.push_str("&%24count=true");
                    empty(Method::GET, &uri).map(|p| p.eventual())
                } else {
                    empty(Method::GET, &uri)
                }
            });
        Self {
            built: Built::new(req),
            app: app.clone(),
            route: collection.path(),
            _t: PhantomData,
        }
    }

    /// The page at `next_link` (the previous page's `@odata.nextLink`), with
    /// `ConsistencyLevel: eventual` if the first page was an advanced query.
    pub fn next(app: &OwnerApp, next_link: &str, advanced: bool) -> Self {
        let req = empty(Method::GET, next_link).map(|p| if advanced { p.eventual() } else { p });
        Self {
            built: Built::new(req),
            app: app.clone(),
            route: "{nextLink}",
            _t: PhantomData,
        }
    }
}

impl<T: DirectoryExtension> Operation for FindByValues<T> {
    type Output = Page<Found<T>>;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<Page<Found<T>>, Error> {
        let (items, next_link) = read_page_json(&response)?;
        let items = items
            .into_iter()
            .map(|item| match item {
                Value::Object(object) => Ok(Found {
                    id: object.get("id").and_then(Value::as_str).map(str::to_owned),
                    values: read_object(self.app.app_id(), object)?,
                }),
                _ => Err(Error::UnexpectedResponse {
                    status: response.status(),
                    detail: "an item of the page is not a JSON object".into(),
                }),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::data::tests::{Profile, app};
    use crate::operation::tests::answer;

    #[test]
    fn write_read_clear() {
        let p = Profile {
            job_group: Some("E4".into()),
            ..Profile::default()
        };
        let op = WriteValues::new(&app(), Resource::user("u1"), &p);
        let req = op.request().unwrap();
        assert_eq!(
            (req.method(), req.uri().path()),
            (&Method::PATCH, "/users/u1")
        );
        let body: Map<String, Value> = serde_json::from_slice(req.body()).unwrap();
        assert_eq!(body.len(), 3);
        assert!(body.values().filter(|v| v.is_null()).count() == 2);
        assert!(matches!(
            WriteValues::new(&app(), Resource::group("g1"), &p).request(),
            Err(Error::DirectoryTargetNotListed {
                kind: ResourceKind::Group,
                ..
            })
        ));

        let read = ReadValues::<Profile>::new(&app(), Resource::user("u1"));
        assert_eq!(
            read.request().unwrap().uri(),
            "/users/u1?%24select=id%2Cextension_5bfc8fdacfc943a9a6de214ea9d15fdb_jobGroupTracker%2Cextension_5bfc8fdacfc943a9a6de214ea9d15fdb_permanent_pensionable%2Cextension_5bfc8fdacfc943a9a6de214ea9d15fdb_skills"
        );
        let got = read
            .read(answer(
                200,
                r#"{"id":"u1","extension_5bfc8fdacfc943a9a6de214ea9d15fdb_jobGroupTracker":"E4"}"#,
            ))
            .unwrap();
        assert_eq!(got, p);

        let clear = ClearValues::new::<Profile>(&app(), Resource::user("u1"));
        let body: Map<String, Value> =
            serde_json::from_slice(clear.request().unwrap().body()).unwrap();
        assert!(body.len() == 3 && body.values().all(Value::is_null));
    }

    #[test]
    fn find_adds_the_advanced_query_only_when_needed() {
        let plain = Profile::filter(&app()).job_group().eq("E4");
        let req = FindByValues::new(FindIn::Users, &app(), &plain)
            .request()
            .unwrap();
        assert!(req.headers().get("consistencylevel").is_none());
        assert!(!req.uri().to_string().contains("count"));

        let advanced = Profile::filter(&app()).job_group().is_set();
        let op = FindByValues::new(FindIn::Users, &app(), &advanced);
        let req = op.request().unwrap();
        assert_eq!(req.headers()["consistencylevel"], "eventual");
        assert!(req.uri().to_string().ends_with("&%24count=true"));
        let page = op
            .read(answer(
                200,
                r#"{"@odata.count":1,"value":[{"id":"u1","extension_5bfc8fdacfc943a9a6de214ea9d15fdb_skills":["a"]}]}"#,
            ))
            .unwrap();
        assert_eq!(page.items[0].values.skills, ["a"]);
        assert!(matches!(
            FindByValues::new(FindIn::Groups, &app(), &advanced).request(),
            Err(Error::DirectoryTargetNotListed { .. })
        ));
        let next = FindByValues::<Profile>::next(&app(), "https://h/v1.0/users?$skiptoken=x", true);
        assert_eq!(
            next.request().unwrap().headers()["consistencylevel"],
            "eventual"
        );
    }
}
