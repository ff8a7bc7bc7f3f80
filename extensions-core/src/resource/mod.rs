//! The twelve kinds of Graph resources that carry open extensions, and their paths.
//!
//! Every id is data, not path: it is percent-encoded as exactly one path segment (everything but
//! ASCII letters, digits, `-`, `.`, `_` and `~` is encoded, so `@` becomes `%40`, `=` `%3D`, `/`
//! `%2F`, `%` `%25`). Ids that a URL parser would treat as dot segments (`.`, `..`) and empty ids
//! are refused when a request is built, with [`Error::InvalidResourceId`].
//!
//! ```
//! use extensions_core::{Resource, ResourceClass};
//!
//! let msg = Resource::me().message("AAMkAGE1M2==");
//! assert_eq!(msg.path(), "/me/messages/AAMkAGE1M2%3D%3D");
//! assert_eq!(msg.class(), ResourceClass::OutlookItem);
//!
//! let user = Resource::user("adele@contoso.com");
//! assert_eq!(user.as_ref().path(), "/users/adele%40contoso.com");
//! assert_eq!(user.as_ref().class(), ResourceClass::DirectoryObject);
//! ```

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::error::Error;
pub use crate::kind::{ResourceClass, ResourceKind};

mod path;
mod route;
pub use path::{PathError, RoutePath, Tail};
pub(crate) use route::RouteTail;

/// Everything but the RFC 3986 unreserved characters.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Appends `/` and `id` percent-encoded as one path segment.
pub(crate) fn push_segment(out: &mut String, id: &str) {
    out.push('/');
    // The encoder yields borrowed runs and escapes: pushed as they come, with no formatting.
    out.extend(utf8_percent_encode(id, SEGMENT));
}

/// Percent-encodes `s` as one path segment or query value: everything but ASCII letters, digits,
/// `-`, `.`, `_` and `~` (so a space is `%20`, as the SDKs send it).
///
/// ```
/// assert_eq!(extensions_core::resource::encode_component("id eq 'a@b'"), "id%20eq%20%27a%40b%27");
/// ```
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// Which user a user-scoped path starts from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum UserRef {
    Me,
    Id(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Path {
    User(UserRef),
    Group(String),
    Device(String),
    Organization(String),
    AdministrativeUnit(String),
    Event(UserRef, String),
    GroupEvent(String, String),
    GroupPost(String, String, String),
    Message(UserRef, String),
    Contact(UserRef, String),
    TodoTaskList(UserRef, String),
    TodoTask(UserRef, String, String),
}

/// One resource instance that can carry open extensions.
///
/// Build it from the constructors: `Resource::user(..)`, `Resource::me()`, `Resource::group(..)`,
/// `Resource::device(..)`, `Resource::organization(..)`, `Resource::administrative_unit(..)`, and
/// from a user or group for the items under them (`Resource::me().message(..)`,
/// `Resource::group(..).post(thread, post)`, `Resource::user(..).todo_list(..).task(..)`).
///
/// Ids are stored as given and encoded when a path is built.
///
/// `Resource::user` and `Resource::group` return [`UserResource`] and [`GroupResource`] (which
/// also build the items under them); each derefs to a `Resource`, and every call takes
/// `impl AsRef<Resource>`. To keep several kinds in one list, convert each with `.into()`:
///
/// ```
/// use extensions_core::Resource;
/// let targets: Vec<Resource> = vec![
///     Resource::user("adele@contoso.com").into(),
///     Resource::group("6f4b6a1c").into(),
///     Resource::device("d1"),
/// ];
/// assert_eq!(targets[1].path(), "/groups/6f4b6a1c");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Resource {
    path: Path,
}

impl AsRef<Resource> for Resource {
    fn as_ref(&self) -> &Resource {
        self
    }
}

macro_rules! scoped_resource {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(Resource);

        impl AsRef<Resource> for $name {
            fn as_ref(&self) -> &Resource {
                &self.0
            }
        }

        impl From<$name> for Resource {
            fn from(value: $name) -> Resource {
                value.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = Resource;
            fn deref(&self) -> &Resource {
                &self.0
            }
        }
    };
}

scoped_resource!(
    /// A user (by id or userPrincipalName, or `me`): a resource itself, and the parent of its
    /// messages, events, contacts and to-do lists.
    UserResource
);
scoped_resource!(
    /// A group: a resource itself, and the parent of its events and posts.
    GroupResource
);
scoped_resource!(
    /// A user's to-do task list: a resource itself, and the parent of its tasks.
    TodoListResource
);

/// The directory collections a filter on extension data (schema or directory extensions,
/// extension attributes) can search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FindIn {
    /// `/users`.
    Users,
    /// `/groups`.
    Groups,
    /// `/devices`.
    Devices,
    /// `/directory/administrativeUnits`.
    AdministrativeUnits,
}

impl FindIn {
    /// The kind of resource the collection holds.
    pub fn kind(self) -> ResourceKind {
        match self {
            Self::Users => ResourceKind::User,
            Self::Groups => ResourceKind::Group,
            Self::Devices => ResourceKind::Device,
            Self::AdministrativeUnits => ResourceKind::AdministrativeUnit,
        }
    }

    /// The collection's path.
    pub fn path(self) -> &'static str {
        match self {
            Self::Users => "/users",
            Self::Groups => "/groups",
            Self::Devices => "/devices",
            Self::AdministrativeUnits => "/directory/administrativeUnits",
        }
    }
}

impl Resource {
    /// A user by object id or userPrincipalName.
    pub fn user(id_or_upn: impl Into<String>) -> UserResource {
        UserResource(Resource {
            path: Path::User(UserRef::Id(id_or_upn.into())),
        })
    }

    /// The signed-in user (`/me`; delegated tokens only).
    pub fn me() -> UserResource {
        UserResource(Resource {
            path: Path::User(UserRef::Me),
        })
    }

    /// A group by id.
    pub fn group(id: impl Into<String>) -> GroupResource {
        GroupResource(Resource {
            path: Path::Group(id.into()),
        })
    }

    /// A device by object id.
    pub fn device(id: impl Into<String>) -> Resource {
        Resource {
            path: Path::Device(id.into()),
        }
    }

    /// An organization (tenant) by id.
    pub fn organization(id: impl Into<String>) -> Resource {
        Resource {
            path: Path::Organization(id.into()),
        }
    }

    /// An administrative unit by id. Its path is v1.0's `/directory/administrativeUnits/{id}`,
    /// which beta serves too ([Get administrativeUnit](https://learn.microsoft.com/en-us/graph/api/administrativeunit-get)).
    pub fn administrative_unit(id: impl Into<String>) -> Resource {
        Resource {
            path: Path::AdministrativeUnit(id.into()),
        }
    }

    /// The kind of this resource.
    pub fn kind(&self) -> ResourceKind {
        match &self.path {
            Path::User(_) => ResourceKind::User,
            Path::Group(_) => ResourceKind::Group,
            Path::Device(_) => ResourceKind::Device,
            Path::Organization(_) => ResourceKind::Organization,
            Path::AdministrativeUnit(_) => ResourceKind::AdministrativeUnit,
            Path::Event(..) => ResourceKind::Event,
            Path::GroupEvent(..) => ResourceKind::GroupEvent,
            Path::GroupPost(..) => ResourceKind::GroupPost,
            Path::Message(..) => ResourceKind::Message,
            Path::Contact(..) => ResourceKind::Contact,
            Path::TodoTaskList(..) => ResourceKind::TodoTaskList,
            Path::TodoTask(..) => ResourceKind::TodoTask,
        }
    }

    /// The class of this resource, which decides the limits.
    pub fn class(&self) -> ResourceClass {
        self.kind().class()
    }

    /// Every id in the path, outermost first (`me` contributes none).
    fn ids(&self) -> impl Iterator<Item = &str> {
        self.steps().filter_map(|(_, id)| id)
    }

    /// Refuses ids that cannot be one path segment: empty, `.` and `..` (URL parsers collapse
    /// dot segments even when percent-encoded).
    pub fn validate(&self) -> Result<(), Error> {
        for id in self.ids() {
            let reason = match id {
                "" => "an id must not be empty",
                "." | ".." => "an id must not be `.` or `..`",
                _ => continue,
            };
            return Err(Error::InvalidResourceId {
                kind: self.kind(),
                id: id.to_owned(),
                reason,
            });
        }
        Ok(())
    }

    /// The path of the resource relative to the API version root (`/users/…`), with every id
    /// percent-encoded as one segment.
    pub fn path(&self) -> String {
        let mut out = String::with_capacity(64);
        for (collection, id) in self.steps() {
            out.push('/');
            out.push_str(collection);
            if let Some(id) = id {
                push_segment(&mut out, id);
            }
        }
        out
    }

    /// The path with every id replaced by `{id}`, for logs and metrics:
    /// `/users/{id}/messages/{id}`. It holds no user data.
    ///
    /// ```
    /// use extensions_core::Resource;
    /// assert_eq!(Resource::me().message("AAMk").template(), "/me/messages/{id}");
    /// assert_eq!(Resource::user("adele@contoso.com").template(), "/users/{id}");
    /// ```
    pub fn template(&self) -> String {
        let mut out = String::with_capacity(48);
        for (collection, id) in self.steps() {
            out.push('/');
            out.push_str(collection);
            if id.is_some() {
                out.push_str("/{id}");
            }
        }
        out
    }

    /// The path as steps: each collection segment and the id under it (`me` has none). This is
    /// the one grammar that [`path`](Self::path), [`template`](Self::template) and
    /// the parser share.
    fn steps(&self) -> impl Iterator<Item = (&'static str, Option<&str>)> {
        fn user(u: &UserRef) -> (&'static str, Option<&str>) {
            match u {
                UserRef::Me => ("me", None),
                UserRef::Id(id) => ("users", Some(id)),
            }
        }
        fn step<'a>(coll: &'static str, id: &'a str) -> Option<(&'static str, Option<&'a str>)> {
            Some((coll, Some(id)))
        }
        // At most three steps: a fixed array, no allocation.
        let steps = match &self.path {
            Path::User(u) => [Some(user(u)), None, None],
            Path::Group(id) => [step("groups", id), None, None],
            Path::Device(id) => [step("devices", id), None, None],
            Path::Organization(id) => [step("organization", id), None, None],
            // The v1.0 path (`/directory/administrativeUnits/{id}`), which beta serves too.
            Path::AdministrativeUnit(id) => [step("directory/administrativeUnits", id), None, None],
            Path::Event(u, id) => [Some(user(u)), step("events", id), None],
            Path::Message(u, id) => [Some(user(u)), step("messages", id), None],
            Path::Contact(u, id) => [Some(user(u)), step("contacts", id), None],
            Path::TodoTaskList(u, id) => [Some(user(u)), step("todo/lists", id), None],
            Path::TodoTask(u, list, task) => {
                [Some(user(u)), step("todo/lists", list), step("tasks", task)]
            }
            Path::GroupEvent(g, id) => [step("groups", g), step("events", id), None],
            Path::GroupPost(g, thread, post) => [
                step("groups", g),
                step("threads", thread),
                step("posts", post),
            ],
        };
        steps.into_iter().flatten()
    }

    /// `{path}/extensions`.
    pub fn extensions_path(&self) -> String {
        let mut p = self.path();
        p.push_str("/extensions");
        p
    }

    /// `{path}/extensions/{name}`, the name encoded as one segment.
    pub fn extension_path(&self, name: &str) -> String {
        let mut p = self.extensions_path();
        push_segment(&mut p, name);
        p
    }
}

impl fmt::Display for Resource {
    /// The encoded path, as in a request line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path())
    }
}

impl UserResource {
    fn user_ref(&self) -> UserRef {
        match &self.0.path {
            Path::User(u) => u.clone(),
            _ => unreachable!("a UserResource always holds a user path"),
        }
    }

    /// One of this user's messages.
    pub fn message(&self, id: impl Into<String>) -> Resource {
        Resource {
            path: Path::Message(self.user_ref(), id.into()),
        }
    }

    /// One of this user's calendar events.
    pub fn event(&self, id: impl Into<String>) -> Resource {
        Resource {
            path: Path::Event(self.user_ref(), id.into()),
        }
    }

    /// One of this user's personal contacts.
    pub fn contact(&self, id: impl Into<String>) -> Resource {
        Resource {
            path: Path::Contact(self.user_ref(), id.into()),
        }
    }

    /// One of this user's to-do task lists (itself a resource, and the parent of its tasks).
    pub fn todo_list(&self, id: impl Into<String>) -> TodoListResource {
        TodoListResource(Resource {
            path: Path::TodoTaskList(self.user_ref(), id.into()),
        })
    }

    /// Where a new message is created (`POST …/messages`), for
    /// [`CreateWithItem`](crate::open::op::CreateWithItem).
    pub fn messages(&self) -> ItemCollection {
        ItemCollection::new(&self.0, "/messages", NewItemKind::Message)
    }

    /// Where a new event is created (`POST …/events`).
    pub fn events(&self) -> ItemCollection {
        ItemCollection::new(&self.0, "/events", NewItemKind::Event)
    }

    /// Where a new contact is created (`POST …/contacts`).
    pub fn contacts(&self) -> ItemCollection {
        ItemCollection::new(&self.0, "/contacts", NewItemKind::Contact)
    }

    /// Where a new to-do task list is created (`POST …/todo/lists`).
    pub fn todo_lists(&self) -> ItemCollection {
        ItemCollection::new(&self.0, "/todo/lists", NewItemKind::TodoTaskList)
    }
}

impl GroupResource {
    fn group_id(&self) -> &str {
        match &self.0.path {
            Path::Group(g) => g,
            _ => unreachable!("a GroupResource always holds a group path"),
        }
    }

    /// One of this group's calendar events.
    pub fn event(&self, id: impl Into<String>) -> Resource {
        Resource {
            path: Path::GroupEvent(self.group_id().to_owned(), id.into()),
        }
    }

    /// A post in one of this group's conversation threads.
    pub fn post(&self, thread_id: impl Into<String>, post_id: impl Into<String>) -> Resource {
        Resource {
            path: Path::GroupPost(self.group_id().to_owned(), thread_id.into(), post_id.into()),
        }
    }

    /// Where a new group event is created (`POST /groups/{id}/events`).
    pub fn events(&self) -> ItemCollection {
        ItemCollection::new(&self.0, "/events", NewItemKind::Event)
    }

    /// Where a new conversation is created (`POST /groups/{id}/conversations`): a conversation,
    /// its first thread and its first post, which carries the extension.
    pub fn conversations(&self) -> ItemCollection {
        ItemCollection::new(&self.0, "/conversations", NewItemKind::Conversation)
    }

    /// A reply to a post (`POST …/posts/{id}/reply`), which creates a new post; the extension
    /// goes inside `post`, and Graph answers `202 Accepted` with no body.
    pub fn reply_to_post(
        &self,
        thread_id: impl Into<String>,
        post_id: impl Into<String>,
    ) -> ItemCollection {
        ItemCollection::new(
            &self.post(thread_id, post_id),
            "/reply",
            NewItemKind::PostReply,
        )
    }
}

impl TodoListResource {
    /// One task of this list.
    pub fn task(&self, id: impl Into<String>) -> Resource {
        match &self.0.path {
            Path::TodoTaskList(u, l) => Resource {
                path: Path::TodoTask(u.clone(), l.clone(), id.into()),
            },
            _ => unreachable!("a TodoListResource always holds a to-do list path"),
        }
    }

    /// Where a new task is created (`POST …/todo/lists/{id}/tasks`).
    pub fn tasks(&self) -> ItemCollection {
        ItemCollection::new(&self.0, "/tasks", NewItemKind::TodoTask)
    }
}

/// What kind of item a [`ItemCollection`] creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NewItemKind {
    /// A message (`201 Created`).
    Message,
    /// A user or group event (`201 Created`).
    Event,
    /// A personal contact (`201 Created`).
    Contact,
    /// A to-do task list (`201 Created`).
    TodoTaskList,
    /// A to-do task (`201 Created`).
    TodoTask,
    /// A group post created by replying to a post (`202 Accepted`, no body; the body wraps the
    /// item in `{"post": …}`).
    PostReply,
    /// A new group conversation with its first thread and post (`201 Created`); the extension
    /// goes on the post.
    Conversation,
}

impl NewItemKind {
    /// The kind of resource the new item is (which decides how its extension is encoded).
    pub const fn resource_kind(self) -> ResourceKind {
        match self {
            Self::Message => ResourceKind::Message,
            Self::Event => ResourceKind::Event,
            Self::Contact => ResourceKind::Contact,
            Self::TodoTaskList => ResourceKind::TodoTaskList,
            Self::TodoTask => ResourceKind::TodoTask,
            Self::PostReply | Self::Conversation => ResourceKind::GroupPost,
        }
    }
}

/// A collection where a new item can be created together with an extension ("Create
/// with a new item"). Directory objects have none: they cannot get an extension in their create
/// request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ItemCollection {
    parent: Resource,
    path: String,
    suffix: &'static str,
    kind: NewItemKind,
}

impl ItemCollection {
    fn new(parent: &Resource, suffix: &'static str, kind: NewItemKind) -> Self {
        let mut path = parent.path();
        path.push_str(suffix);
        ItemCollection {
            parent: parent.clone(),
            path,
            suffix,
            kind,
        }
    }

    /// The path with ids replaced by `{id}`, for logs: `/me/todo/lists/{id}/tasks`.
    pub fn template(&self) -> String {
        let mut t = self.parent.template();
        t.push_str(self.suffix);
        t
    }

    /// The encoded path the POST goes to.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What kind of item is created.
    pub fn kind(&self) -> NewItemKind {
        self.kind
    }

    /// The resource under which the item is created (a user, group, to-do list or post).
    pub fn parent(&self) -> &Resource {
        &self.parent
    }
}

#[cfg(test)]
mod tests;
