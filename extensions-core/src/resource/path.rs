//! The one path grammar: [`Resource::path`] formats it, [`RoutePath::parse`] reads it back.
//! The client's route templates and the emulator's router use it; nothing else splits paths.
//!
//! A path (relative to the version root, percent-encoded, without the query) is a list of
//! *steps*, each a collection segment and the id under it (`/users/{id}`, `/me`,
//! `/todo/lists/{id}`), then a *tail*: nothing (the resource itself), a collection
//! (`/messages`, to create an item; `/users`, to list), `/extensions`, `/extensions/{name}`, or
//! `/reply`. Ids are percent-decoded one segment at a time, so an encoded `/` (`%2F`) stays
//! inside its id. Graph's OData key syntax, `messages('AAMk…')`, is read where it appears
//! literally; the formatter never writes it (it encodes `(`, `)` and `'`), so a formatted id
//! holding parentheses is never mistaken for it.
//!
//! ```
//! use extensions_core::resource::{RoutePath, Tail};
//! use extensions_core::{Resource, ResourceKind};
//!
//! let r = Resource::user("adele@contoso.com").message("AAMk+/=");
//! let route = RoutePath::parse(&r.extension_path("com.contoso.Referral"))?;
//! assert_eq!(route.kind(), Some(ResourceKind::Message));
//! assert_eq!(route.resource().as_ref(), Some(&r));
//! assert_eq!(route.tail, Tail::Extension("com.contoso.Referral".into()));
//! assert_eq!(route.template(), "/users/{id}/messages/{id}/extensions/{name}");
//! assert_eq!(Resource::parse(&r.path())?, r);
//! # Ok::<(), extensions_core::resource::PathError>(())
//! ```

use std::borrow::Cow;

use percent_encoding::percent_decode_str;

use super::{Path, Resource, ResourceKind, UserRef};

/// What a path addresses after its steps.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Tail {
    /// The resource itself (`GET …?$expand=extensions`).
    Resource,
    /// A collection under the steps (`POST …/messages`, `GET /users`, `GET …/posts`).
    Collection(String),
    /// `…/extensions`.
    Extensions,
    /// `…/extensions/{name}` or `…/extensions('{name}')`: the name or id, decoded.
    Extension(String),
    /// `…/posts/{id}/reply`.
    Reply,
}

/// A path split by the grammar.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoutePath {
    /// Each collection segment and the id under it, decoded: `("users", Some("adele@…"))`,
    /// `("me", None)`, `("todo/lists", Some("L1"))`.
    pub steps: Vec<(String, Option<String>)>,
    /// What follows the steps.
    pub tail: Tail,
}

/// Why a path does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PathError {
    /// The path does not start with `/`.
    #[error("a path starts with `/`: {0:?}")]
    NotAbsolute(String),
    /// A segment is not valid percent-encoded UTF-8.
    #[error("segment {0:?} is not percent-encoded UTF-8")]
    Encoding(String),
    /// A segment the grammar does not allow where it stands (`/users/u/extensions/a/b`).
    #[error("resource not found for the segment {0:?}")]
    Segment(String),
    /// The path is well formed but does not address one resource (for [`Resource::parse`]).
    #[error("the path does not address a resource that carries extensions")]
    NotAResource,
}

fn decode(raw: &str) -> Result<String, PathError> {
    percent_decode_str(raw)
        .decode_utf8()
        .map(Cow::into_owned)
        .map_err(|_| PathError::Encoding(raw.to_owned()))
}

/// One raw segment: `name`, or `name('key')` (OData key syntax; `''` is a quote in the key)
/// split into the name and the key.
fn segment(raw: &str) -> Result<(String, Option<String>), PathError> {
    if let Some(open) = raw.find('(')
        && let Some(inner) = raw[open + 1..].strip_suffix(')')
    {
        let key = match inner.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')) {
            Some(k) => decode(k)?.replace("''", "'"),
            None => decode(inner)?,
        };
        return Ok((decode(&raw[..open])?, Some(key)));
    }
    Ok((decode(raw)?, None))
}

impl RoutePath {
    /// Splits `path` (relative to the version root, percent-encoded, no query).
    pub fn parse(path: &str) -> Result<RoutePath, PathError> {
        let rest = path
            .strip_prefix('/')
            .ok_or_else(|| PathError::NotAbsolute(path.to_owned()))?;
        // Key syntax puts a key in the same raw segment as its collection; flatten it.
        let mut flat: Vec<String> = Vec::new();
        for raw in rest.split('/') {
            let (name, key) = segment(raw)?;
            flat.push(name);
            flat.extend(key);
        }
        if flat.len() == 1 && flat[0].is_empty() {
            return Err(PathError::Segment(String::new()));
        }
        let mut steps = Vec::new();
        let mut i = 0;
        if flat[0] == "me" {
            steps.push(("me".to_owned(), None));
            i = 1;
        }
        while i < flat.len() {
            let mut coll = flat[i].clone();
            if coll == "todo" && flat.get(i + 1).map(String::as_str) == Some("lists") {
                coll = "todo/lists".into();
                i += 1;
            }
            // Administrative units: `/directory/administrativeUnits/{id}` on v1.0 (the path the
            // SDKs build), `/administrativeUnits/{id}` on beta; both are the same unit.
            if i == 0
                && coll == "directory"
                && flat.get(1).map(String::as_str) == Some("administrativeUnits")
            {
                coll = "administrativeUnits".into();
                i += 1;
            }
            // A post through its conversation: `/groups/{g}/conversations/{c}/threads/{t}/…`
            // reaches the same thread as `/groups/{g}/threads/{t}/…` (thread ids are unique in
            // a group), so the conversation step is read past.
            if coll == "conversations"
                && steps.len() == 1
                && steps[0].0 == "groups"
                && flat.get(i + 2).map(String::as_str) == Some("threads")
            {
                i += 2;
                continue;
            }
            let tail = match (coll.as_str(), flat.get(i + 1)) {
                ("extensions", None) => Some(Tail::Extensions),
                ("extensions", Some(k)) if i + 2 == flat.len() => Some(Tail::Extension(k.clone())),
                ("extensions", Some(_)) => {
                    let extra = flat.get(i + 2).cloned().unwrap_or_default();
                    return Err(PathError::Segment(extra));
                }
                ("reply", None) if !steps.is_empty() => Some(Tail::Reply),
                (_, None) => Some(Tail::Collection(coll.clone())),
                _ => None,
            };
            if let Some(tail) = tail {
                return Ok(RoutePath { steps, tail });
            }
            steps.push((coll, flat.get(i + 1).cloned()));
            i += 2;
        }
        Ok(RoutePath {
            steps,
            tail: Tail::Resource,
        })
    }

    /// The kind of resource the steps address, if they address one that carries extensions.
    pub fn kind(&self) -> Option<ResourceKind> {
        let colls: Vec<&str> = self
            .steps
            .iter()
            .map(|(c, _)| if c == "me" { "users" } else { c.as_str() })
            .collect();
        Some(match colls.as_slice() {
            ["users"] => ResourceKind::User,
            ["groups"] => ResourceKind::Group,
            ["devices"] => ResourceKind::Device,
            ["organization"] => ResourceKind::Organization,
            ["administrativeUnits"] => ResourceKind::AdministrativeUnit,
            ["users", "events"] => ResourceKind::Event,
            ["users", "messages"] => ResourceKind::Message,
            ["users", "contacts"] => ResourceKind::Contact,
            ["users", "todo/lists"] => ResourceKind::TodoTaskList,
            ["users", "todo/lists", "tasks"] => ResourceKind::TodoTask,
            ["groups", "events"] => ResourceKind::GroupEvent,
            ["groups", "threads", "posts"] => ResourceKind::GroupPost,
            _ => return None,
        })
    }

    /// The resource the steps address, if they address one that carries extensions.
    pub fn resource(&self) -> Option<Resource> {
        let kind = self.kind()?;
        let user = match self.steps.first()? {
            (c, None) if c == "me" => UserRef::Me,
            (_, Some(id)) => UserRef::Id(id.clone()),
            _ => return None,
        };
        let id = |i: usize| -> Option<String> { self.steps.get(i)?.1.clone() };
        let path = match kind {
            ResourceKind::User => Path::User(user),
            ResourceKind::Group => Path::Group(id(0)?),
            ResourceKind::Device => Path::Device(id(0)?),
            ResourceKind::Organization => Path::Organization(id(0)?),
            ResourceKind::AdministrativeUnit => Path::AdministrativeUnit(id(0)?),
            ResourceKind::Event => Path::Event(user, id(1)?),
            ResourceKind::Message => Path::Message(user, id(1)?),
            ResourceKind::Contact => Path::Contact(user, id(1)?),
            ResourceKind::TodoTaskList => Path::TodoTaskList(user, id(1)?),
            ResourceKind::TodoTask => Path::TodoTask(user, id(1)?, id(2)?),
            ResourceKind::GroupEvent => Path::GroupEvent(id(0)?, id(1)?),
            ResourceKind::GroupPost => Path::GroupPost(id(0)?, id(1)?, id(2)?),
        };
        Some(Resource { path })
    }

    /// The route with ids left out, for logs and metrics:
    /// `/users/{id}/messages/{id}/extensions/{name}`.
    pub fn template(&self) -> String {
        let mut out = String::new();
        for (coll, id) in &self.steps {
            out.push('/');
            // Administrative units in the form `Resource` builds (v1.0's, which beta serves).
            out.push_str(if coll == "administrativeUnits" {
                "directory/administrativeUnits"
            } else {
                coll
            });
            if id.is_some() {
                out.push_str("/{id}");
            }
        }
        match &self.tail {
            Tail::Resource => {}
            Tail::Collection(c) => {
                out.push('/');
                out.push_str(c);
            }
            Tail::Extensions => out.push_str("/extensions"),
            Tail::Extension(_) => out.push_str("/extensions/{name}"),
            Tail::Reply => out.push_str("/reply"),
        }
        if out.is_empty() {
            out.push('/');
        }
        out
    }
}

impl Resource {
    /// Reads a resource back from its path ([`path`](Self::path) in reverse): the path must
    /// address exactly one resource that carries extensions.
    pub fn parse(path: &str) -> Result<Resource, PathError> {
        let route = RoutePath::parse(path)?;
        match route.tail {
            Tail::Resource => route.resource().ok_or(PathError::NotAResource),
            _ => Err(PathError::NotAResource),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ids() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("/".to_owned()),
            Just("%2F".to_owned()),
            Just("..".to_owned()),
            Just("?".to_owned()),
            Just("#".to_owned()),
            Just("'".to_owned()),
            Just("+".to_owned()),
            Just("a b".to_owned()),
            Just("me".to_owned()),
            Just("extensions".to_owned()),
            Just("todo".to_owned()),
            Just("a(b)".to_owned()),
            Just("users('u2')".to_owned()),
            Just("zoë@contoso.com".to_owned()),
            Just("AAMkAGE1M2==".to_owned()),
            Just("x".repeat(1000)),
            any::<String>(),
        ]
    }

    fn resources() -> impl Strategy<Value = Resource> {
        (0..15usize, ids(), ids(), ids()).prop_map(|(k, a, b, c)| {
            let u = Resource::user(a.clone());
            let me = Resource::me();
            let g = Resource::group(a.clone());
            match k {
                0 => u.into(),
                1 => me.into(),
                2 => g.into(),
                3 => Resource::device(a),
                4 => Resource::organization(a),
                5 => Resource::administrative_unit(a),
                6 => u.event(b),
                7 => me.message(b),
                8 => u.contact(b),
                9 => u.todo_list(b).into(),
                10 => me.todo_list(b).task(c),
                11 => g.event(b),
                12 => g.post(b, c),
                13 => u.message(b),
                _ => me.event(b),
            }
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn parse_reads_back_what_path_formats(r in resources(), name in ids()) {
            prop_assert_eq!(Resource::parse(&r.path()), Ok(r.clone()));
            let route = RoutePath::parse(&r.extension_path(&name)).unwrap();
            prop_assert_eq!(route.resource(), Some(r.clone()));
            prop_assert_eq!(route.kind(), Some(r.kind()));
            prop_assert_eq!(&route.tail, &Tail::Extension(name));
            prop_assert_eq!(route.template(), format!("{}/extensions/{{name}}", r.template()));
            let route = RoutePath::parse(&r.extensions_path()).unwrap();
            prop_assert_eq!(route.resource(), Some(r.clone()));
            prop_assert_eq!(route.tail, Tail::Extensions);
        }
    }

    #[test]
    fn key_syntax_and_collections() {
        let route = RoutePath::parse(
            "/groups('37df')/threads('AAQk==')/posts('AAMk''s')/extensions('Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Estimate')",
        )
        .unwrap();
        assert_eq!(
            route.resource(),
            Some(Resource::group("37df").post("AAQk==", "AAMk's"))
        );
        assert_eq!(
            route.tail,
            Tail::Extension(
                "Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Estimate".into()
            )
        );
        let users = RoutePath::parse("/users").unwrap();
        assert_eq!(
            (users.steps.len(), users.tail),
            (0, Tail::Collection("users".into()))
        );
        let reply = RoutePath::parse("/groups/g/threads/t/posts/p/reply").unwrap();
        assert_eq!(reply.tail, Tail::Reply);
        assert_eq!(
            reply.template(),
            "/groups/{id}/threads/{id}/posts/{id}/reply"
        );
        let through =
            RoutePath::parse("/groups/g/conversations/c/threads/t/posts/p/extensions").unwrap();
        assert_eq!(
            through,
            RoutePath::parse("/groups/g/threads/t/posts/p/extensions").unwrap()
        );
        assert_eq!(through.kind(), Some(ResourceKind::GroupPost));
        let new_conversation = RoutePath::parse("/groups/g/conversations").unwrap();
        assert_eq!(
            new_conversation.tail,
            Tail::Collection("conversations".into())
        );
        let posts = RoutePath::parse("/groups/g/threads/t/posts").unwrap();
        assert_eq!(posts.tail, Tail::Collection("posts".into()));
        assert_eq!(posts.kind(), None, "a thread carries no extensions");
        let tasks = RoutePath::parse("/me/todo/lists/L/tasks").unwrap();
        assert_eq!(tasks.template(), "/me/todo/lists/{id}/tasks");
        // An encoded parenthesis is data, not key syntax.
        let r = RoutePath::parse("/users/a%28b%29/extensions/x").unwrap();
        assert_eq!(r.resource(), Some(Resource::user("a(b)").into()));
    }

    #[test]
    fn both_administrative_unit_paths_reach_the_unit() {
        let au = Resource::administrative_unit("a1");
        for p in [
            "/directory/administrativeUnits/a1",
            "/administrativeUnits/a1",
        ] {
            assert_eq!(Resource::parse(p), Ok(au.clone()), "{p}");
            let r = RoutePath::parse(&format!("{p}/extensions/com.contoso.X")).unwrap();
            assert_eq!(r.resource(), Some(au.clone()));
        }
    }

    #[test]
    fn refusals() {
        assert!(matches!(
            RoutePath::parse("users"),
            Err(PathError::NotAbsolute(_))
        ));
        assert!(matches!(
            RoutePath::parse("/users/u/extensions/a/b"),
            Err(PathError::Segment(_))
        ));
        assert!(matches!(
            RoutePath::parse("/users/%FF"),
            Err(PathError::Encoding(_))
        ));
        assert!(matches!(RoutePath::parse("/"), Err(PathError::Segment(_))));
        assert_eq!(Resource::parse("/users"), Err(PathError::NotAResource));
        assert_eq!(
            Resource::parse("/users/u/extensions"),
            Err(PathError::NotAResource)
        );
        assert_eq!(Resource::parse("/planets/p"), Err(PathError::NotAResource));
    }
}
