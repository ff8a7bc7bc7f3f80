//! Extension names: Graph's naming rules for open extensions, checked once, usable in `const`
//! context.
//!
//! A name is the `extensionName` of an open extension and also the last path segment that
//! addresses it (`…/extensions/{name}`), so the rules are the union of Graph's naming advice and
//! what is safe in a URL path segment:
//!
//! - not empty;
//! - only the characters that never need percent-encoding in a path segment: ASCII letters,
//!   digits, `-`, `.`, `_` and `~` (so no whitespace, no control characters, no `/`, `?`, `#`,
//!   `%`, quotes, and no non-ASCII). *Assumption:* Graph documents no character set for names;
//!   this is the conservative set every documented name uses;
//! - no empty label: no leading or trailing dot and no `..` (this also rules out the dot
//!   segments `.` and `..`, which URL parsers collapse);
//! - not in the Microsoft domain: the first two labels are never `com.microsoft` or
//!   `com.onmicrosoft`, in any letter case (a whole label: `com.microsoftee.X` is fine);
//! - reverse-DNS, at least two labels (`com.contoso.Referral`), unless the caller opts out with
//!   [`NamePolicy::AllowUnqualified`] (to read short names such as `socialSettings`).

use std::borrow::Cow;
use std::fmt;

/// Whether a name must be reverse-DNS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum NamePolicy {
    /// The default: at least two dot-separated labels, as in `com.contoso.Referral`.
    #[default]
    ReverseDns,
    /// Also accept a single label such as `socialSettings` (names that exist in the wild).
    /// Every other rule, including the Microsoft-domain refusal, still applies.
    AllowUnqualified,
}

/// Why a name was refused. Every variant is something the caller can fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum NameError {
    /// The name is the empty string.
    #[error("an extension name must not be empty")]
    Empty,
    /// A character outside ASCII letters, digits, `-`, `.`, `_` and `~`.
    #[error(
        "an extension name may only contain ASCII letters, digits, `-`, `.`, `_` and `~`, found {ch:?} at byte {index}"
    )]
    InvalidCharacter {
        /// The refused character.
        ch: char,
        /// Its byte offset in the name.
        index: usize,
    },
    /// A leading or trailing dot, or two dots in a row.
    #[error("an extension name must not have an empty label (leading, trailing or double dot)")]
    EmptyLabel,
    /// The name starts with `com.microsoft` or `com.onmicrosoft` (any case).
    #[error(
        "extension names in the Microsoft domain (com.microsoft, com.onmicrosoft) are reserved: use your own domain, reversed, such as com.contoso.Settings"
    )]
    MicrosoftDomain,
    /// A single label where a reverse-DNS name is required.
    #[error(
        "an extension name must be reverse-DNS such as `com.contoso.Referral` (at least two dot-separated labels), unless unqualified names are allowed explicitly"
    )]
    NotReverseDns,
}

/// Checks `name` against every naming rule, in `const` context if needed.
///
/// This is the one implementation of the rules: [`ExtensionName`], the derive macro (at
/// expansion time) and the emulator all call it.
///
/// ```
/// use extensions_rules::name::{validate_name, NameError, NamePolicy};
///
/// const _: () = assert!(validate_name("com.contoso.Referral", NamePolicy::ReverseDns).is_ok());
/// assert_eq!(validate_name("Com.Microsoft.X", NamePolicy::ReverseDns), Err(NameError::MicrosoftDomain));
/// assert_eq!(validate_name("socialSettings", NamePolicy::ReverseDns), Err(NameError::NotReverseDns));
/// assert!(validate_name("socialSettings", NamePolicy::AllowUnqualified).is_ok());
/// ```
pub const fn validate_name(name: &str, policy: NamePolicy) -> Result<(), NameError> {
    let bytes = name.as_bytes();
    if bytes.is_empty() {
        return Err(NameError::Empty);
    }
    // Characters first, so the error names the first offending character.
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let ok = b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_' || b == b'~';
        if !ok {
            return Err(NameError::InvalidCharacter {
                ch: decode_char_at(bytes, i),
                index: i,
            });
        }
        i += 1;
    }
    // Labels.
    let mut labels = 1;
    let mut label_start = 0;
    let mut i = 0;
    while i <= bytes.len() {
        if i == bytes.len() || bytes[i] == b'.' {
            if i == label_start {
                return Err(NameError::EmptyLabel);
            }
            if i < bytes.len() {
                labels += 1;
            }
            label_start = i + 1;
        }
        i += 1;
    }
    if in_microsoft_domain(bytes) {
        return Err(NameError::MicrosoftDomain);
    }
    if labels < 2 && matches!(policy, NamePolicy::ReverseDns) {
        return Err(NameError::NotReverseDns);
    }
    Ok(())
}

/// `com.microsoft` or `com.onmicrosoft` as the first two whole labels, any case.
const fn in_microsoft_domain(bytes: &[u8]) -> bool {
    starts_with_labels(bytes, b"com.microsoft") || starts_with_labels(bytes, b"com.onmicrosoft")
}

const fn starts_with_labels(bytes: &[u8], prefix: &[u8]) -> bool {
    if bytes.len() < prefix.len() {
        return false;
    }
    let mut i = 0;
    while i < prefix.len() {
        if bytes[i].to_ascii_lowercase() != prefix[i] {
            return false;
        }
        i += 1;
    }
    bytes.len() == prefix.len() || bytes[prefix.len()] == b'.'
}

/// Decodes the UTF-8 character that starts at `i` (a `str` is valid UTF-8, and `i` is the first
/// non-ASCII-allowed byte, which is always a character boundary because every byte before it is
/// ASCII).
const fn decode_char_at(bytes: &[u8], i: usize) -> char {
    let b0 = bytes[i] as u32;
    let (len, init) = if b0 < 0x80 {
        (1, b0)
    } else if b0 < 0xE0 {
        (2, b0 & 0x1F)
    } else if b0 < 0xF0 {
        (3, b0 & 0x0F)
    } else {
        (4, b0 & 0x07)
    };
    let mut cp = init;
    let mut k = 1;
    while k < len && i + k < bytes.len() {
        cp = (cp << 6) | (bytes[i + k] as u32 & 0x3F);
        k += 1;
    }
    match char::from_u32(cp) {
        Some(c) => c,
        None => char::REPLACEMENT_CHARACTER,
    }
}

/// A validated extension name, such as `com.contoso.Referral`.
///
/// Construct it with [`ExtensionName::new`] (reverse-DNS required),
/// [`ExtensionName::new_unqualified`] (for existing short names), or in a `const` with
/// [`ExtensionName::from_static`], which fails the build on an invalid name.
///
/// Names are meant to be fixed per type: on Outlook items every new name costs a MAPI named
/// property in the mailbox forever, so never build names from user input.
///
/// ```
/// use extensions_rules::name::ExtensionName;
///
/// const REFERRAL: ExtensionName = ExtensionName::from_static("com.contoso.Referral");
/// assert_eq!(REFERRAL.as_str(), "com.contoso.Referral");
///
/// let social = ExtensionName::new_unqualified("socialSettings").unwrap();
/// assert_eq!(social.as_str(), "socialSettings");
/// assert!(ExtensionName::new("com.onmicrosoft.Foo").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExtensionName(Cow<'static, str>);

impl ExtensionName {
    /// Validates a reverse-DNS name.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Result<Self, NameError> {
        Self::with_policy(name, NamePolicy::ReverseDns)
    }

    /// Validates a name that may be a single label (`socialSettings`). The other rules still
    /// apply, the Microsoft-domain refusal included.
    pub fn new_unqualified(name: impl Into<Cow<'static, str>>) -> Result<Self, NameError> {
        Self::with_policy(name, NamePolicy::AllowUnqualified)
    }

    /// Validates a name under an explicit [`NamePolicy`].
    pub fn with_policy(
        name: impl Into<Cow<'static, str>>,
        policy: NamePolicy,
    ) -> Result<Self, NameError> {
        let name = name.into();
        validate_name(&name, policy)?;
        Ok(Self(name))
    }

    /// A reverse-DNS name known at compile time. In a `const` or `static`, an invalid name is a
    /// compile error; elsewhere it panics, so prefer [`ExtensionName::new`] for runtime input.
    ///
    /// ```compile_fail
    /// use extensions_rules::name::ExtensionName;
    /// const BAD: ExtensionName = ExtensionName::from_static("com.microsoft.Foo");
    /// let _ = BAD;
    /// ```
    pub const fn from_static(name: &'static str) -> Self {
        Self::from_static_with_policy(name, NamePolicy::ReverseDns)
    }

    /// Like [`ExtensionName::from_static`], under an explicit [`NamePolicy`].
    pub const fn from_static_with_policy(name: &'static str, policy: NamePolicy) -> Self {
        match validate_name(name, policy) {
            Ok(()) => Self(Cow::Borrowed(name)),
            Err(NameError::Empty) => panic!("invalid extension name: empty"),
            Err(NameError::InvalidCharacter { .. }) => panic!(
                "invalid extension name: only ASCII letters, digits, `-`, `.`, `_` and `~` are allowed"
            ),
            Err(NameError::EmptyLabel) => panic!("invalid extension name: empty label"),
            Err(NameError::MicrosoftDomain) => {
                panic!("invalid extension name: the Microsoft domain is reserved")
            }
            Err(NameError::NotReverseDns) => {
                panic!("invalid extension name: must be reverse-DNS such as com.contoso.Referral")
            }
        }
    }

    /// The name as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ExtensionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for ExtensionName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ExtensionName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for ExtensionName {
    type Err = NameError;

    /// Parses a reverse-DNS name (the default policy).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s.to_owned())
    }
}

impl PartialEq<str> for ExtensionName {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for ExtensionName {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

/// The prefixes Graph puts before a name in an extension's `id` (three forms are seen).
pub const ID_PREFIXES: [&str; 2] = [
    "Microsoft.OutlookServices.OpenTypeExtension.",
    "microsoft.graph.openTypeExtension.",
];

/// The name part of an extension `id`, in any of the three forms Graph uses:
/// `Microsoft.OutlookServices.OpenTypeExtension.{name}`, `microsoft.graph.openTypeExtension.{name}`
/// or the bare `{name}`. The prefixes are matched without regard to letter case.
///
/// ```
/// use extensions_rules::name::name_from_id;
/// assert_eq!(name_from_id("Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.Referral"), "Com.Contoso.Referral");
/// assert_eq!(name_from_id("microsoft.graph.openTypeExtension.com.contoso.X"), "com.contoso.X");
/// assert_eq!(name_from_id("com.contoso.X"), "com.contoso.X");
/// ```
pub fn name_from_id(id: &str) -> &str {
    for prefix in ID_PREFIXES {
        if id.len() > prefix.len()
            && id.is_char_boundary(prefix.len())
            && id[..prefix.len()].eq_ignore_ascii_case(prefix)
        {
            return &id[prefix.len()..];
        }
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str) -> Result<(), NameError> {
        validate_name(name, NamePolicy::ReverseDns)
    }

    #[test]
    fn accepts_reverse_dns_names() {
        for name in [
            "com.contoso.Referral",
            "Com.Contoso.Referral",
            "org.example.a-b_c~d",
            "a.b",
            "com.microsoftee.Thing",
            "com.onmicrosoftx.Thing",
            "net.microsoft.Thing",
            "microsoft.com.Thing",
        ] {
            assert_eq!(check(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn refuses_empty() {
        assert_eq!(check(""), Err(NameError::Empty));
        assert_eq!(
            validate_name("", NamePolicy::AllowUnqualified),
            Err(NameError::Empty)
        );
    }

    #[test]
    fn refuses_whitespace_control_and_url_unsafe_characters() {
        let cases = [
            ("com.contoso. Referral", ' ', 12),
            ("com.contoso.\tX", '\t', 12),
            ("com.contoso.\u{7f}X", '\u{7f}', 12),
            ("com.contoso.\0X", '\0', 12),
            ("com/contoso.X", '/', 3),
            ("com.contoso.X?a", '?', 13),
            ("com.contoso.X#a", '#', 13),
            ("com.contoso.X%41", '%', 13),
            ("com.con'toso.X", '\'', 7),
            ("com.contoso.Référral", 'é', 13),
            ("com.contoso.X\u{2028}", '\u{2028}', 13),
            ("com.contoso.😀", '😀', 12),
        ];
        for (name, ch, index) in cases {
            assert_eq!(
                check(name),
                Err(NameError::InvalidCharacter { ch, index }),
                "{name:?}"
            );
        }
    }

    #[test]
    fn refuses_empty_labels_and_dot_segments() {
        for name in [".", "..", ".com.contoso", "com.contoso.", "com..contoso"] {
            assert_eq!(check(name), Err(NameError::EmptyLabel), "{name}");
            assert_eq!(
                validate_name(name, NamePolicy::AllowUnqualified),
                Err(NameError::EmptyLabel),
                "{name}"
            );
        }
    }

    #[test]
    fn refuses_the_microsoft_domain_in_any_case_even_when_unqualified_names_are_allowed() {
        for name in [
            "com.microsoft",
            "com.microsoft.Foo",
            "Com.Microsoft.Foo",
            "COM.MICROSOFT.FOO",
            "cOm.mIcRoSoFt.x.y",
            "com.onmicrosoft",
            "com.onmicrosoft.Foo",
            "Com.OnMicrosoft.Foo",
        ] {
            assert_eq!(check(name), Err(NameError::MicrosoftDomain), "{name}");
            assert_eq!(
                validate_name(name, NamePolicy::AllowUnqualified),
                Err(NameError::MicrosoftDomain),
                "{name}"
            );
        }
    }

    #[test]
    fn single_label_needs_the_explicit_opt_out() {
        assert_eq!(check("socialSettings"), Err(NameError::NotReverseDns));
        assert_eq!(
            validate_name("socialSettings", NamePolicy::AllowUnqualified),
            Ok(())
        );
        assert_eq!(
            ExtensionName::new("socialSettings"),
            Err(NameError::NotReverseDns)
        );
        assert_eq!(
            ExtensionName::new_unqualified("socialSettings")
                .unwrap()
                .as_str(),
            "socialSettings"
        );
    }

    #[test]
    fn const_construction_and_from_str() {
        const N: ExtensionName = ExtensionName::from_static("com.contoso.Referral");
        assert_eq!(N, "com.contoso.Referral");
        assert_eq!("com.contoso.Referral".parse::<ExtensionName>().unwrap(), N);
        assert_eq!(
            "com.microsoft.X".parse::<ExtensionName>(),
            Err(NameError::MicrosoftDomain)
        );
        assert_eq!(format!("{N}"), "com.contoso.Referral");
        assert_eq!(format!("{N:?}"), "\"com.contoso.Referral\"");
    }

    #[test]
    #[should_panic(expected = "Microsoft domain")]
    fn from_static_panics_at_runtime_on_a_bad_name() {
        let name: &'static str = Box::leak(String::from("com.microsoft.X").into_boxed_str());
        let _ = ExtensionName::from_static(name);
    }

    #[test]
    fn id_forms() {
        assert_eq!(
            name_from_id("Microsoft.OutlookServices.OpenTypeExtension.a.b"),
            "a.b"
        );
        assert_eq!(
            name_from_id("microsoft.outlookservices.opentypeextension.a.b"),
            "a.b"
        );
        assert_eq!(name_from_id("microsoft.graph.openTypeExtension.a.b"), "a.b");
        assert_eq!(name_from_id("a.b"), "a.b");
        // A prefix alone is not an id with a name.
        assert_eq!(
            name_from_id("microsoft.graph.openTypeExtension."),
            "microsoft.graph.openTypeExtension."
        );
    }
}
