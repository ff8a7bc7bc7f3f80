//! The rules of Microsoft Graph **directory extensions** and **extension attributes** that the
//! derives check at compile time and core checks at run time: names, data types, target
//! objects, value limits and attribute numbers.
//!
//! Sources: [extensionProperty resource type](https://learn.microsoft.com/en-us/graph/api/resources/extensionproperty),
//! [Add custom data to resources using extensions](https://learn.microsoft.com/en-us/graph/extensibility-overview),
//! [onPremisesExtensionAttributes](https://learn.microsoft.com/en-us/graph/api/resources/onpremisesextensionattributes).

/// The longest String value of a directory extension, in characters (Unicode scalar values;
/// for a multi-valued property, the limit of each value).
pub const MAX_STRING_CHARS: usize = 256;

/// The longest Binary value of a directory extension, in bytes (of each value, for a
/// multi-valued property).
pub const MAX_BINARY_BYTES: usize = 256;

/// At most 100 extension values on one resource, across every type and every app, each value
/// of a multi-valued property counting ("Only 100 extension values, across *all* types and
/// *all* applications, can be written to any single Microsoft Entra resource", the
/// extensionProperty resource page).
pub const MAX_VALUES_PER_RESOURCE: usize = 100;

/// The longest extension attribute value, in characters.
pub const MAX_ATTRIBUTE_CHARS: usize = 1024;

/// The number of extension attributes (`extensionAttribute1` … `extensionAttribute15`).
pub const ATTRIBUTE_COUNT: u8 = 15;

/// The longest name a definition may be created with (the part after
/// `extension_{appId}_`).
///
/// **Decision.** Graph's pages give no character set and no length for a directory extension's
/// name. The full name (`extension_` + 32 hex digits + `_` + name) is a property of the
/// resource, written in `$select` and `$filter`, so we take the OData simple identifier's
/// limit of 128 characters for it: 43 for the prefix leaves 85 for the name.
pub const MAX_NAME_CHARS: usize = 128 - FULL_NAME_PREFIX_LEN;

/// `extension_` + 32 hex digits + `_`.
pub const FULL_NAME_PREFIX_LEN: usize = "extension_".len() + 32 + 1;

/// Checks the name a directory extension is created with (`jobGroup`; Graph prefixes it with
/// `extension_{appId without hyphens}_`).
///
/// **Decision.** Graph's pages are silent on the character set; every documented name is
/// ASCII letters and digits, with `_` in some (`permanent_pensionable`). We accept a letter, then ASCII
/// letters, digits and `_`, at most [`MAX_NAME_CHARS`]: what an OData property name built
/// from it can carry.
///
/// ```
/// use extensions_rules::directory::check_directory_name;
/// assert!(check_directory_name("jobGroupTracker").is_ok());
/// assert!(check_directory_name("permanent_pensionable").is_ok());
/// assert!(check_directory_name("job group").is_err());
/// assert!(check_directory_name("1st").is_err());
/// ```
pub const fn check_directory_name(name: &str) -> Result<(), &'static str> {
    let b = name.as_bytes();
    if b.is_empty() {
        return Err("a directory extension name must not be empty");
    }
    if b.len() > MAX_NAME_CHARS {
        return Err(
            "a directory extension name is at most 85 characters (128 with its `extension_{appId}_` prefix)",
        );
    }
    if !b[0].is_ascii_alphabetic() {
        return Err("a directory extension name starts with an ASCII letter");
    }
    let mut i = 1;
    while i < b.len() {
        if !(b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            return Err("a directory extension name holds only ASCII letters, digits and `_`");
        }
        i += 1;
    }
    Ok(())
}

/// Checks an application's `appId` (its client id): a GUID, with or without hyphens
/// (`5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb` or `5bfc8fdacfc943a9a6de214ea9d15fdb`), any
/// letter case.
///
/// ```
/// use extensions_rules::directory::check_app_id;
/// assert!(check_app_id("5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb").is_ok());
/// assert!(check_app_id("5BFC8FDACFC943A9A6DE214EA9D15FDB").is_ok());
/// assert!(check_app_id("5bfc8fda").is_err());
/// ```
pub const fn check_app_id(app_id: &str) -> Result<(), &'static str> {
    const MSG: &str = "an appId is a GUID: 32 hex digits, as 8-4-4-4-12 with hyphens or without";
    let b = app_id.as_bytes();
    let hyphens = b.len() == 36;
    if !(hyphens || b.len() == 32) {
        return Err(MSG);
    }
    let mut i = 0;
    while i < b.len() {
        let dash = hyphens && matches!(i, 8 | 13 | 18 | 23);
        if dash {
            if b[i] != b'-' {
                return Err(MSG);
            }
        } else if !b[i].is_ascii_hexdigit() {
            return Err(MSG);
        }
        i += 1;
    }
    Ok(())
}

/// The data type of a directory extension (its `dataType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataType {
    /// Bytes, at most 256 (of each value), sent base64-encoded.
    Binary,
    /// `true` or `false`.
    Boolean,
    /// An ISO 8601 date-time, stored in UTC.
    DateTime,
    /// A 32-bit signed integer.
    Integer,
    /// A 64-bit signed integer.
    LargeInteger,
    /// Text of at most 256 characters (of each value).
    String,
}

impl DataType {
    /// Every type.
    pub const ALL: [DataType; 6] = [
        Self::Binary,
        Self::Boolean,
        Self::DateTime,
        Self::Integer,
        Self::LargeInteger,
        Self::String,
    ];

    /// The name Graph uses (`"LargeInteger"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Binary => "Binary",
            Self::Boolean => "Boolean",
            Self::DateTime => "DateTime",
            Self::Integer => "Integer",
            Self::LargeInteger => "LargeInteger",
            Self::String => "String",
        }
    }

    /// The type `name` names, ignoring ASCII letter case.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(name))
    }
}

/// A kind of directory object a directory extension can be defined on (its `targetObjects`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetObject {
    /// `User`.
    User,
    /// `Group`.
    Group,
    /// `AdministrativeUnit`.
    AdministrativeUnit,
    /// `Application`.
    Application,
    /// `Device`.
    Device,
    /// `Organization`.
    Organization,
}

impl TargetObject {
    /// Every target object.
    pub const ALL: [TargetObject; 6] = [
        Self::User,
        Self::Group,
        Self::AdministrativeUnit,
        Self::Application,
        Self::Device,
        Self::Organization,
    ];

    /// The name in a definition (`"AdministrativeUnit"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::User => "User",
            Self::Group => "Group",
            Self::AdministrativeUnit => "AdministrativeUnit",
            Self::Application => "Application",
            Self::Device => "Device",
            Self::Organization => "Organization",
        }
    }

    /// The target object `name` names, ignoring ASCII letter case.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(name))
    }
}

/// Checks an extension attribute number: 1 to 15.
///
/// ```
/// use extensions_rules::directory::check_attribute_number;
/// assert!(check_attribute_number(13).is_ok());
/// assert!(check_attribute_number(0).is_err());
/// assert!(check_attribute_number(16).is_err());
/// ```
pub const fn check_attribute_number(n: u8) -> Result<(), &'static str> {
    if n >= 1 && n <= ATTRIBUTE_COUNT {
        Ok(())
    } else {
        Err(
            "extension attributes are numbered 1 to 15 (extensionAttribute1 … extensionAttribute15)",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(FULL_NAME_PREFIX_LEN, 43);
        assert!(check_directory_name(&"a".repeat(MAX_NAME_CHARS)).is_ok());
        assert!(check_directory_name(&"a".repeat(MAX_NAME_CHARS + 1)).is_err());
        for bad in ["", "_a", "a-b", "a.b", "café", "a b", "1a"] {
            assert!(check_directory_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn app_ids() {
        for bad in [
            "",
            "5bfc8fda-cfc9-43a9-a6de-214ea9d15fd",
            "5bfc8fda-cfc9-43a9-a6de-214ea9d15fdg",
            "5bfc8fdacfc9-43a9-a6de-214ea9d15fdb0",
            "5bfc8fdacfc943a9a6de214ea9d15fd",
        ] {
            assert!(check_app_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_round_trip() {
        for t in DataType::ALL {
            assert_eq!(DataType::from_name(&t.as_str().to_lowercase()), Some(t));
        }
        for t in TargetObject::ALL {
            assert_eq!(TargetObject::from_name(&t.as_str().to_uppercase()), Some(t));
        }
        assert!(check_attribute_number(1).is_ok() && check_attribute_number(15).is_ok());
    }
}
