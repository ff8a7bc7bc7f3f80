//! Route templates as static strings, for an operation's `route()` (logs, spans, errors): no
//! allocation when an operation is built or run. [`Resource::template`] builds the same text
//! from the path's grammar; a test holds the two equal for every kind of resource.

use super::{Path, Resource, UserRef};

/// What follows the resource in a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RouteTail {
    /// The resource itself.
    Resource,
    /// `/extensions`.
    Extensions,
    /// `/extensions/{name}`.
    Extension,
}

impl Resource {
    /// The route of `self` followed by `tail`, with every id as `{id}`:
    /// `/users/{id}/extensions/{name}`.
    pub(crate) fn route(&self, tail: RouteTail) -> &'static str {
        macro_rules! t {
            ($p:literal) => {
                match tail {
                    RouteTail::Resource => $p,
                    RouteTail::Extensions => concat!($p, "/extensions"),
                    RouteTail::Extension => concat!($p, "/extensions/{name}"),
                }
            };
        }
        macro_rules! by_user {
            ($u:expr, $me:literal, $id:literal) => {
                match $u {
                    UserRef::Me => t!($me),
                    UserRef::Id(_) => t!($id),
                }
            };
        }
        match &self.path {
            Path::User(u) => by_user!(u, "/me", "/users/{id}"),
            Path::Group(_) => t!("/groups/{id}"),
            Path::Device(_) => t!("/devices/{id}"),
            Path::Organization(_) => t!("/organization/{id}"),
            Path::AdministrativeUnit(_) => t!("/directory/administrativeUnits/{id}"),
            Path::Event(u, _) => by_user!(u, "/me/events/{id}", "/users/{id}/events/{id}"),
            Path::Message(u, _) => by_user!(u, "/me/messages/{id}", "/users/{id}/messages/{id}"),
            Path::Contact(u, _) => by_user!(u, "/me/contacts/{id}", "/users/{id}/contacts/{id}"),
            Path::TodoTaskList(u, _) => {
                by_user!(u, "/me/todo/lists/{id}", "/users/{id}/todo/lists/{id}")
            }
            Path::TodoTask(u, _, _) => by_user!(
                u,
                "/me/todo/lists/{id}/tasks/{id}",
                "/users/{id}/todo/lists/{id}/tasks/{id}"
            ),
            Path::GroupEvent(_, _) => t!("/groups/{id}/events/{id}"),
            Path::GroupPost(_, _, _) => t!("/groups/{id}/threads/{id}/posts/{id}"),
        }
    }
}
