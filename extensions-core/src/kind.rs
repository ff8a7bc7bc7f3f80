//! The kinds of resource that carry open extensions, and the class (and so the limits) of each.

use std::fmt;

use crate::limits;

/// The limits that apply to a resource follow from its class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceClass {
    /// Users, groups, devices, organizations, administrative units: 2 KB per extension and two
    /// extensions per app per resource.
    DirectoryObject,
    /// Messages, events, contacts and group posts: no documented size limit, each extension is a
    /// MAPI named property; listing extensions is not supported and `$expand` needs a filter.
    OutlookItem,
    /// To-do task lists and tasks.
    TodoItem,
}

impl ResourceClass {
    /// The size limit in bytes for one extension, if this class has one.
    pub const fn size_limit(self) -> Option<usize> {
        match self {
            Self::DirectoryObject => Some(limits::DIRECTORY_OBJECT_MAX_EXTENSION_BYTES),
            Self::OutlookItem | Self::TodoItem => None,
        }
    }

    /// How many open extensions one app may put on one resource, if limited.
    pub const fn extensions_per_app_limit(self) -> Option<usize> {
        match self {
            Self::DirectoryObject => Some(limits::DIRECTORY_OBJECT_MAX_EXTENSIONS_PER_APP),
            Self::OutlookItem | Self::TodoItem => None,
        }
    }

    /// Whether `GET {resource}/extensions` (listing) is supported.
    pub const fn supports_list(self) -> bool {
        !matches!(self, Self::OutlookItem)
    }

    /// Whether an extension's `id` equals its name (directory objects and to-do items) rather
    /// than a qualified form assigned by the server (Outlook items).
    pub const fn id_is_name(self) -> bool {
        !matches!(self, Self::OutlookItem)
    }
}

/// The twelve resource kinds that carry open extensions
/// ([Open extensions](https://learn.microsoft.com/en-us/graph/extensibility-open-users), "Supported resources").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    /// `/users/{id or userPrincipalName}` or `/me`.
    User,
    /// `/groups/{id}`.
    Group,
    /// `/devices/{id}`.
    Device,
    /// `/organization/{id}`.
    Organization,
    /// `/administrativeUnits/{id}` (beta in the seeds).
    AdministrativeUnit,
    /// `/users/{id}/events/{id}` or `/me/events/{id}`.
    Event,
    /// `/groups/{id}/events/{id}`.
    GroupEvent,
    /// `/groups/{id}/threads/{id}/posts/{id}`.
    GroupPost,
    /// `/users/{id}/messages/{id}` or `/me/messages/{id}`.
    Message,
    /// `/users/{id}/contacts/{id}` (a personal contact).
    Contact,
    /// `/users/{id}/todo/lists/{id}`.
    TodoTaskList,
    /// `/users/{id}/todo/lists/{id}/tasks/{id}`.
    TodoTask,
}

impl ResourceKind {
    /// Every kind: directory objects, then Outlook items, then to-do items.
    pub const ALL: [ResourceKind; 12] = [
        Self::User,
        Self::Group,
        Self::Device,
        Self::Organization,
        Self::AdministrativeUnit,
        Self::Event,
        Self::GroupEvent,
        Self::GroupPost,
        Self::Message,
        Self::Contact,
        Self::TodoTaskList,
        Self::TodoTask,
    ];

    /// The class, and so the limits, of this kind.
    pub const fn class(self) -> ResourceClass {
        match self {
            Self::User
            | Self::Group
            | Self::Device
            | Self::Organization
            | Self::AdministrativeUnit => ResourceClass::DirectoryObject,
            Self::Event | Self::GroupEvent | Self::GroupPost | Self::Message | Self::Contact => {
                ResourceClass::OutlookItem
            }
            Self::TodoTaskList | Self::TodoTask => ResourceClass::TodoItem,
        }
    }

    /// The Graph resource type name (`user`, `todoTaskList`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Group => "group",
            Self::Device => "device",
            Self::Organization => "organization",
            Self::AdministrativeUnit => "administrativeUnit",
            Self::Event => "event",
            Self::GroupEvent => "group event",
            Self::GroupPost => "group post",
            Self::Message => "message",
            Self::Contact => "contact",
            Self::TodoTaskList => "todoTaskList",
            Self::TodoTask => "todoTask",
        }
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
