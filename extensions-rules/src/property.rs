//! Property names: what a wire name of a property may be.

/// Checks a property's wire name: not empty, no `@` (OData annotations) and no control
/// characters, and not one of Graph's own names `id` or `extensionName` in any letter case.
///
/// ```
/// use extensions_rules::property::validate_property_name;
/// assert!(validate_property_name("companyName").is_ok());
/// assert!(validate_property_name("ExtensionName").is_err());
/// assert!(validate_property_name("@odata.type").is_err());
/// ```
pub const fn validate_property_name(name: &str) -> Result<(), &'static str> {
    let b = name.as_bytes();
    if b.is_empty() {
        return Err("a property name must not be empty");
    }
    if eq_ignore_case(b, b"id") || eq_ignore_case(b, b"extensionname") {
        return Err("`id` and `extensionName` are Graph's own properties");
    }
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'@' {
            return Err("`@` starts an OData annotation (`@odata.type`, `name@odata.type`)");
        }
        if b[i] < 0x20 || b[i] == 0x7f {
            return Err("a property name must not contain control characters");
        }
        i += 1;
    }
    Ok(())
}

const fn eq_ignore_case(a: &[u8], lower: &[u8]) -> bool {
    if a.len() != lower.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i].to_ascii_lowercase() != lower[i] {
            return false;
        }
        i += 1;
    }
    true
}
