//! The rules of Microsoft Graph **schema extensions** that the derive checks at compile time and
//! core checks at run time: the definition id, property names, property types and target types.
//!
//! Sources: [schemaExtension resource type](https://learn.microsoft.com/en-us/graph/api/resources/schemaextension),
//! [extensionSchemaProperty](https://learn.microsoft.com/en-us/graph/api/resources/extensionschemaproperty).

/// The form of a schema extension id, as [`check_schema_id`] found it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaIdForm {
    /// `{verifiedDomain}_{schemaName}` (`contoso_courses`): the id is used as given, and the
    /// prefix must name one of the tenant's verified domains.
    Prefixed,
    /// A bare `{schemaName}` (`courses`): Graph assigns the id `ext{8 letters or digits}_{name}`
    /// when the definition is created, so the id is known only afterwards.
    Bare,
}

/// Checks a schema extension id (or bare schema name): one or two parts joined by `_`, each
/// ASCII letters and digits, starting with a letter.
///
/// **Decision.** Graph's pages say the id is `{domainName}_{schemaName}` (from a verified domain
/// under `.com`, `.net`, `.gov`, `.edu` or `.org`) or a bare schema name that Graph prefixes with
/// `ext` and eight random characters, and that it starts with a letter; they give no character
/// set. We accept ASCII letters and digits in each part, which every documented example uses and
/// which is what an OData property name built from it (`contoso_courses/courseId` in `$filter`)
/// can carry.
///
/// ```
/// use extensions_rules::schema::{check_schema_id, SchemaIdForm};
/// assert_eq!(check_schema_id("contoso_courses"), Ok(SchemaIdForm::Prefixed));
/// assert_eq!(check_schema_id("courses"), Ok(SchemaIdForm::Bare));
/// assert!(check_schema_id("contoso.com_courses").is_err());
/// assert!(check_schema_id("1courses").is_err());
/// ```
pub const fn check_schema_id(id: &str) -> Result<SchemaIdForm, &'static str> {
    let b = id.as_bytes();
    if b.is_empty() {
        return Err("a schema extension id must not be empty");
    }
    let mut underscores = 0;
    let mut start = true;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'_' {
            if start {
                return Err(
                    "each part of a schema extension id (`{domain}_{name}`) must start with a letter",
                );
            }
            underscores += 1;
            if underscores > 1 {
                return Err(
                    "a schema extension id is `{verifiedDomain}_{schemaName}` or a bare `{schemaName}`: at most one `_`",
                );
            }
            start = true;
        } else if start {
            if !c.is_ascii_alphabetic() {
                return Err(
                    "each part of a schema extension id (`{domain}_{name}`) must start with a letter",
                );
            }
            start = false;
        } else if !c.is_ascii_alphanumeric() {
            return Err(
                "a schema extension id holds only ASCII letters and digits, and one `_` after the domain",
            );
        }
        i += 1;
    }
    if start {
        return Err("a schema extension id must not end with `_`");
    }
    Ok(if underscores == 1 {
        SchemaIdForm::Prefixed
    } else {
        SchemaIdForm::Bare
    })
}

/// The longest property name, as for any OData identifier
/// ([OData CSDL, SimpleIdentifier](https://docs.oasis-open.org/odata/odata-csdl-xml/v4.01/odata-csdl-xml-v4.01.html#sec_SimpleIdentifier)).
pub const MAX_PROPERTY_NAME_LEN: usize = 128;

/// Checks a schema extension property name: an OData simple identifier (a letter or `_`, then
/// letters, digits and `_`, at most 128), since Graph exposes each property as
/// `{id}/{name}` in `$filter`.
///
/// ```
/// use extensions_rules::schema::check_schema_property_name;
/// assert!(check_schema_property_name("courseId").is_ok());
/// assert!(check_schema_property_name("course id").is_err());
/// assert!(check_schema_property_name("@odata.type").is_err());
/// ```
pub const fn check_schema_property_name(name: &str) -> Result<(), &'static str> {
    let b = name.as_bytes();
    if b.is_empty() {
        return Err("a property name must not be empty");
    }
    if b.len() > MAX_PROPERTY_NAME_LEN {
        return Err("a property name is at most 128 characters");
    }
    if !(b[0].is_ascii_alphabetic() || b[0] == b'_') {
        return Err("a property name starts with a letter or `_`");
    }
    let mut i = 1;
    while i < b.len() {
        if !(b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            return Err("a property name holds only ASCII letters, digits and `_`");
        }
        i += 1;
    }
    Ok(())
}

/// The types a schema extension property may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PropertyType {
    /// Bytes, at most 256, sent base64-encoded.
    Binary,
    /// `true` or `false`; not on contacts, messages, events and posts.
    Boolean,
    /// An ISO 8601 date-time, stored in UTC.
    DateTime,
    /// A 32-bit signed integer; not on contacts, messages, events and posts.
    Integer,
    /// Text of at most 256 characters.
    String,
}

impl PropertyType {
    /// Every type.
    pub const ALL: [PropertyType; 5] = [
        Self::Binary,
        Self::Boolean,
        Self::DateTime,
        Self::Integer,
        Self::String,
    ];

    /// The name Graph uses (`"Integer"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Binary => "Binary",
            Self::Boolean => "Boolean",
            Self::DateTime => "DateTime",
            Self::Integer => "Integer",
            Self::String => "String",
        }
    }

    /// The type Graph names `name` (exact letter case, as Graph writes it).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// Whether a property of this type may be used on every target type of a definition.
    /// `Boolean` and `Integer` are not supported on contacts, messages, events and posts.
    pub const fn allowed_on(self, target: TargetType) -> bool {
        !(matches!(self, Self::Boolean | Self::Integer) && target.is_outlook_item())
    }
}

/// What a schema extension can be defined on (its `targetTypes`).
///
/// **Decision.** The current pages add `application`, `todoTask` and `todoTaskList`; this
/// library models the nine resource types the extensions overview lists for schema extensions
/// (`administrativeUnit`, `contact`, `device`, `event`, `group`, `message`, `organization`,
/// `post`, `user`), and keeps any other name it reads from Graph as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetType {
    /// `User`.
    User,
    /// `Group`.
    Group,
    /// `AdministrativeUnit`.
    AdministrativeUnit,
    /// `Contact` (a personal contact).
    Contact,
    /// `Device`.
    Device,
    /// `Event` (user and group calendars).
    Event,
    /// `Message`.
    Message,
    /// `Organization`.
    Organization,
    /// `Post` (a group conversation post).
    Post,
}

impl TargetType {
    /// Every target type this library models.
    pub const ALL: [TargetType; 9] = [
        Self::User,
        Self::Group,
        Self::AdministrativeUnit,
        Self::Contact,
        Self::Device,
        Self::Event,
        Self::Message,
        Self::Organization,
        Self::Post,
    ];

    /// The name in a definition, as the documentation writes it (`"Group"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::User => "User",
            Self::Group => "Group",
            Self::AdministrativeUnit => "AdministrativeUnit",
            Self::Contact => "Contact",
            Self::Device => "Device",
            Self::Event => "Event",
            Self::Message => "Message",
            Self::Organization => "Organization",
            Self::Post => "Post",
        }
    }

    /// The target type `name` names, ignoring ASCII letter case (Graph answers `"Group"` for
    /// `"group"`).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(name))
    }

    /// Contacts, messages, events and posts: Outlook items, where `Boolean` and `Integer`
    /// properties are not supported.
    pub const fn is_outlook_item(self) -> bool {
        matches!(
            self,
            Self::Contact | Self::Event | Self::Message | Self::Post
        )
    }
}

/// The longest String value, in characters (UTF-16 code units would differ for characters past
/// U+FFFF; **Decision:** we count Unicode scalar values, as the page says "characters").
pub const MAX_STRING_CHARS: usize = 256;

/// The longest Binary value, in bytes.
pub const MAX_BINARY_BYTES: usize = 256;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for ok in ["contoso_courses", "courses", "c1_c2", "extkvbmkofy_courses"] {
            assert!(check_schema_id(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "_courses",
            "contoso_",
            "a_b_c",
            "1x",
            "x_1y",
            "con-toso_x",
            "café",
            "a b",
        ] {
            assert!(check_schema_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn property_names() {
        assert!(check_schema_property_name("_x1").is_ok());
        assert!(check_schema_property_name(&"a".repeat(128)).is_ok());
        assert!(check_schema_property_name(&"a".repeat(129)).is_err());
        for bad in ["", "1a", "a-b", "a.b", "@odata.type"] {
            assert!(check_schema_property_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn outlook_items_take_no_booleans_or_integers() {
        for t in TargetType::ALL {
            assert_eq!(
                PropertyType::Integer.allowed_on(t),
                !matches!(
                    t,
                    TargetType::Contact
                        | TargetType::Event
                        | TargetType::Message
                        | TargetType::Post
                ),
                "{t:?}"
            );
            assert!(PropertyType::String.allowed_on(t));
            assert_eq!(TargetType::from_name(&t.as_str().to_lowercase()), Some(t));
        }
    }
}
