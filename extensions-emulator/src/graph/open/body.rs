//! Extension bodies as Graph reads them: `@odata.type`, the name, the properties.

use extensions_core::ResourceClass;
use extensions_core::name::{NamePolicy, name_from_id, validate_name};
use serde_json::{Map, Value};

use super::{Reply, error};

/// Checks `@odata.type` of a request body. Missing is refused on Outlook items always, and
/// elsewhere on create; a PATCH of a directory object (or to-do item) may leave it out.
pub(crate) fn check_odata_type(
    body: &Map<String, Value>,
    class: ResourceClass,
    is_patch: bool,
) -> Result<(), Reply> {
    match body.get("@odata.type") {
        None if is_patch && class != ResourceClass::OutlookItem => Ok(()),
        None => Err(error(
            400,
            "BadRequest",
            "Cannot process input of abstract type 'microsoft.graph.extension'",
        )),
        Some(Value::String(t)) => {
            let t = t.strip_prefix('#').unwrap_or(t);
            if t.eq_ignore_ascii_case("microsoft.graph.openTypeExtension")
                || t.eq_ignore_ascii_case("Microsoft.OutlookServices.OpenTypeExtension")
            {
                Ok(())
            } else {
                Err(error(
                    400,
                    "RequestBodyRead",
                    &format!(
                        "A type named '{t}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type."
                    ),
                ))
            }
        }
        Some(_) => Err(error(
            400,
            "RequestBodyRead",
            "The value of '@odata.type' must be a string.",
        )),
    }
}

/// The name and the properties of an extension body. `allow_id_only`: directory objects accept
/// a body with only `id`. Names follow core's rules (unqualified names allowed, as Graph has
/// them). Property values may be any JSON value: Graph documents primitives and arrays of
/// primitives, and stores nested objects too in practice, so the emulator does.
pub(crate) fn extension_parts(
    body: &Map<String, Value>,
    allow_id_only: bool,
) -> Result<(String, Map<String, Value>), Reply> {
    let mut name = None;
    let mut id = None;
    let mut props = Map::new();
    for (k, v) in body {
        if k.eq_ignore_ascii_case("extensionName") {
            name = v.as_str().map(str::to_owned);
            if name.is_none() {
                return Err(error(400, "BadRequest", "extensionName must be a string."));
            }
        } else if k.eq_ignore_ascii_case("id") {
            id = v.as_str().map(str::to_owned);
        } else if k.contains('@') {
            // Annotations (`@odata.type`, `x@odata.type`) are not stored as properties.
        } else {
            props.insert(k.clone(), v.clone());
        }
    }
    let name = match (name, id) {
        (Some(n), _) => n,
        (None, Some(i)) if allow_id_only => name_from_id(&i).to_owned(),
        _ => {
            return Err(error(
                400,
                "BadRequest",
                "An open extension needs an extensionName.",
            ));
        }
    };
    if let Err(e) = validate_name(&name, NamePolicy::AllowUnqualified) {
        return Err(error(
            400,
            "BadRequest",
            &format!("Invalid extension name '{name}': {e}."),
        ));
    }
    Ok((name, props))
}
