//! Directory extension values and extension attributes on resources: taken out of a `PATCH` or
//! `POST` body and checked against the definitions, applied under the 100-values limit, shown
//! only when `$select`ed, and filtered on (`eq` plain; `ne`, `null` tests and `any` only as an
//! advanced query).

use base64::Engine as _;
use extensions_core::ResourceKind;
use extensions_core::attributes::{ATTRIBUTE_COUNT, MAX_ATTRIBUTE_CHARS, property_of};
use extensions_core::directory::{
    DataType, MAX_BINARY_BYTES, MAX_STRING_CHARS, MAX_VALUES_PER_RESOURCE, target_of,
};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::Registry;
use crate::graph::{Node, Reply, error, split_and, split_on};

fn bad(message: &str) -> Reply {
    error(400, "Request_BadRequest", message)
}

/// Whether a body key names a directory extension.
pub(crate) fn is_extension_key(key: &str) -> bool {
    key.get(..10)
        .is_some_and(|p| p.eq_ignore_ascii_case("extension_"))
}

/// Whether a key is an attributes property (of any kind).
pub(crate) fn is_attributes_key(key: &str) -> bool {
    key.eq_ignore_ascii_case("onPremisesExtensionAttributes")
        || key.eq_ignore_ascii_case("extensionAttributes")
}

/// What a body asks of directory extensions and attributes, checked.
#[derive(Debug, Default)]
pub(crate) struct Write {
    /// Full name (as defined) → value, `None` to remove.
    values: Vec<(String, Option<Value>)>,
    /// Attribute number → value, `None` to remove.
    attributes: Vec<(u8, Option<String>)>,
}

impl Write {
    pub(crate) fn is_empty(&self) -> bool {
        self.values.is_empty() && self.attributes.is_empty()
    }
}

/// Takes the directory extension values and the extension attributes out of `fields` (a body's
/// plain fields) and checks them: each name must be a definition that targets `kind` ("The
/// following extension properties are not available: …", naming every one), each value of its
/// type and within its limit ("Invalid property '…'."); attributes only on users and devices,
/// strings of at most 1,024 characters.
pub(crate) fn split(
    fields: &mut Map<String, Value>,
    registry: &Registry,
    kind: ResourceKind,
) -> Result<Write, Reply> {
    let mut out = Write::default();
    let keys: Vec<String> = fields
        .keys()
        .filter(|k| is_extension_key(k) || is_attributes_key(k))
        .cloned()
        .collect();
    let mut unavailable = Vec::new();
    for key in keys {
        let Some(value) = fields.remove(&key) else {
            continue;
        };
        if is_attributes_key(&key) {
            if property_of(kind).is_none_or(|p| !p.eq_ignore_ascii_case(&key)) {
                return Err(bad(&format!("Invalid property '{key}'.")));
            }
            out.attributes.extend(attributes(&key, &value)?);
            continue;
        }
        let target = target_of(kind);
        let Some(def) = registry
            .def(&key)
            .filter(|d| target.is_some_and(|t| d.targets.contains(&t)))
        else {
            unavailable.push(key);
            continue;
        };
        let invalid = || bad(&format!("Invalid property '{}'.", def.name));
        let stored = match (&value, def.multi) {
            (Value::Null, _) => None,
            (Value::Array(items), true) if items.is_empty() => None,
            (Value::Array(items), true) => Some(Value::Array(
                items
                    .iter()
                    .map(|v| scalar(def.data_type, v).ok_or_else(invalid))
                    .collect::<Result<_, _>>()?,
            )),
            (v, false) => Some(scalar(def.data_type, v).ok_or_else(invalid)?),
            (_, true) => return Err(invalid()),
        };
        out.values.push((def.name.clone(), stored));
    }
    if !unavailable.is_empty() {
        return Err(bad(&format!(
            "The following extension properties are not available: {}.",
            unavailable.join(",")
        )));
    }
    Ok(out)
}

/// One value as stored, or `None` if it is not of `ty` or over its limit. A DateTime is stored
/// in UTC; an Integer or LargeInteger may come as a numeric string.
fn scalar(ty: DataType, v: &Value) -> Option<Value> {
    match (ty, v) {
        (DataType::String, Value::String(s)) => {
            (s.chars().count() <= MAX_STRING_CHARS).then(|| v.clone())
        }
        (DataType::Boolean, Value::Bool(_)) => Some(v.clone()),
        (DataType::Integer, _) => integer(v)
            .and_then(|i| i32::try_from(i).ok())
            .map(Value::from),
        (DataType::LargeInteger, _) => integer(v).map(Value::from),
        (DataType::DateTime, Value::String(s)) => utc(s).map(Value::String),
        (DataType::Binary, Value::String(s)) => base64::engine::general_purpose::STANDARD
            .decode(s)
            .ok()
            .filter(|b| b.len() <= MAX_BINARY_BYTES)
            .map(|_| v.clone()),
        _ => None,
    }
}

fn integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn utc(s: &str) -> Option<String> {
    let d = OffsetDateTime::parse(s, &Rfc3339).ok()?;
    d.to_offset(time::UtcOffset::UTC).format(&Rfc3339).ok()
}

/// `{"extensionAttribute13": "…" | null, …}`, checked.
fn attributes(key: &str, v: &Value) -> Result<Vec<(u8, Option<String>)>, Reply> {
    let Value::Object(o) = v else {
        return Err(bad(&format!("Invalid property '{key}'.")));
    };
    let mut out = Vec::new();
    for (k, v) in o {
        let n = k
            .get(..18)
            .filter(|p| p.eq_ignore_ascii_case("extensionAttribute"))
            .and_then(|_| k[18..].parse::<u8>().ok())
            .filter(|n| (1..=ATTRIBUTE_COUNT).contains(n))
            .ok_or_else(|| bad(&format!("Invalid property '{k}'.")))?;
        let value = match v {
            Value::Null => None,
            Value::String(s) if s.chars().count() <= MAX_ATTRIBUTE_CHARS => Some(s.clone()),
            _ => return Err(bad(&format!("Invalid property '{k}'."))),
        };
        out.push((n, value));
    }
    Ok(out)
}

/// How many extension values a stored map holds (every definition's, live or deleted; each
/// value of a multi-valued one counts).
fn count(dir: &Map<String, Value>) -> usize {
    dir.iter()
        .filter(|(k, _)| is_extension_key(k))
        .map(|(_, v)| match v {
            Value::Array(a) => a.len(),
            Value::Null => 0,
            _ => 1,
        })
        .sum()
}

/// Schema extension values on a node: each property that holds a value counts.
fn schema_count(node: &Node) -> usize {
    if !node.has_data() {
        return 0;
    }
    node.data()
        .values()
        .filter_map(Value::as_object)
        .map(|props| props.values().filter(|v| !v.is_null()).count())
        .sum()
}

/// Applies a checked write to `node` of `kind` (whose schema data a write may just have
/// changed: `schema_written`): refused whole if it would leave more than 100 extension values
/// on the resource, across schema and directory extensions, or if it sets attributes of a user
/// synced from on-premises.
pub(crate) fn apply(
    node: &mut Node,
    kind: ResourceKind,
    write: Write,
    schema_written: bool,
) -> Result<(), Reply> {
    if write.is_empty() && !schema_written {
        return Ok(());
    }
    let mut dir = node.dir();
    if !write.attributes.is_empty() {
        let synced = node
            .fields()
            .get("onPremisesSyncEnabled")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if synced {
            return Err(bad(
                "Unable to update the specified properties for objects that have originated within an external service.",
            ));
        }
        let property = property_of(kind).unwrap_or("onPremisesExtensionAttributes");
        let mut attrs = match dir.remove(property) {
            Some(Value::Object(o)) => o,
            _ => Map::new(),
        };
        for (n, v) in write.attributes {
            let k = format!("extensionAttribute{n}");
            match v {
                Some(s) => attrs.insert(k, Value::String(s)),
                None => attrs.remove(&k),
            };
        }
        if !attrs.is_empty() {
            dir.insert(property.to_owned(), Value::Object(attrs));
        }
    }
    for (name, v) in write.values {
        // One stored key per name, whatever letter case wrote it before.
        let old: Vec<String> = dir
            .keys()
            .filter(|k| k.eq_ignore_ascii_case(&name))
            .cloned()
            .collect();
        for k in old {
            dir.remove(&k);
        }
        if let Some(v) = v {
            dir.insert(name, v);
        }
    }
    let n = count(&dir) + schema_count(node);
    if n > MAX_VALUES_PER_RESOURCE {
        return Err(bad(&format!(
            "The resource would hold {n} extension values, over the limit of {MAX_VALUES_PER_RESOURCE} across every type and every application."
        )));
    }
    node.set_dir(&dir);
    Ok(())
}

/// What `$select` shows of a node of `kind`: each selected directory extension with a value and
/// a live definition, and the attributes property (all fifteen, unset ones `null`).
pub(crate) fn selected(
    node: &Node,
    kind: ResourceKind,
    select: &[String],
    registry: &Registry,
) -> Vec<(String, Value)> {
    let attributes = property_of(kind);
    let wanted =
        |s: &String| is_extension_key(s) || attributes.is_some_and(|p| p.eq_ignore_ascii_case(s));
    if !select.iter().any(wanted) {
        return Vec::new();
    }
    let dir = node.dir();
    let mut out = Vec::new();
    for s in select {
        if let Some(p) = attributes.filter(|p| p.eq_ignore_ascii_case(s)) {
            out.push((p.to_owned(), all_attributes(dir.get(p))));
        } else if is_extension_key(s)
            && let Some(def) = registry.def(s)
            && let Some((_, v)) = dir.iter().find(|(k, _)| k.eq_ignore_ascii_case(&def.name))
        {
            out.push((def.name.clone(), v.clone()));
        }
    }
    out
}

fn all_attributes(stored: Option<&Value>) -> Value {
    let mut o = Map::new();
    for n in 1..=ATTRIBUTE_COUNT {
        let k = format!("extensionAttribute{n}");
        let v = stored
            .and_then(|s| s.get(&k))
            .cloned()
            .unwrap_or(Value::Null);
        o.insert(k, v);
    }
    Value::Object(o)
}

/// Values and attributes written in seeds: every `extension_…` key, and the attributes
/// properties.
pub(crate) fn seeded(fields: &mut Map<String, Value>) -> Map<String, Value> {
    let keys: Vec<String> = fields
        .keys()
        .filter(|k| is_extension_key(k) || is_attributes_key(k))
        .cloned()
        .collect();
    let mut out = Map::new();
    for k in keys {
        if let Some(v) = fields.remove(&k)
            && !v.is_null()
        {
            out.insert(k, v);
        }
    }
    out
}

/// One clause of a `$filter` on directory extensions or extension attributes.
#[derive(Debug)]
enum Test {
    Eq(Value),
    Ne(Value),
    Any(Value),
}

#[derive(Debug)]
struct Clause {
    /// The stored key: a full name, or the attributes property.
    key: String,
    /// The attribute, for an attributes clause.
    attribute: Option<String>,
    test: Test,
}

/// A parsed `$filter` on directory extensions and attributes: groups joined by `or`, each of
/// clauses joined by `and` (which binds tighter, as in OData).
#[derive(Debug)]
pub(crate) struct Filter(Vec<Vec<Clause>>);

/// Whether a `$filter` is about directory extensions or attributes (so this module parses it).
pub(crate) fn is_directory_filter(f: &str) -> bool {
    let l = f.to_ascii_lowercase();
    l.contains("extension_") || l.contains("extensionattributes/")
}

fn invalid(why: &str) -> Reply {
    error(400, "BadRequest", &format!("Invalid filter clause: {why}"))
}

fn unsupported(name: &str, kind: ResourceKind) -> Reply {
    error(
        400,
        "Request_UnsupportedQuery",
        &format!(
            "Unsupported or invalid query filter clause specified for property '{name}' of resource '{kind}'. This filter needs an advanced query: $count=true and the header ConsistencyLevel: eventual."
        ),
    )
}

fn literal(s: &str) -> Result<Value, Reply> {
    let s = s.trim();
    if let Some(inner) = s.strip_prefix('\'').and_then(|l| l.strip_suffix('\'')) {
        return Ok(Value::String(inner.replace("''", "'")));
    }
    match s {
        "true" => Ok(Value::Bool(true)),
        "false" => Ok(Value::Bool(false)),
        "null" => Ok(Value::Null),
        _ => s
            .parse::<i64>()
            .map(Value::from)
            .ok()
            .or_else(|| utc(s).map(Value::String))
            .ok_or_else(|| invalid(&format!("'{s}' is not a literal"))),
    }
}

/// Parses `$filter` for a collection of `kind`; `advanced` says whether the request is an
/// advanced query (`$count=true` and `ConsistencyLevel: eventual`).
pub(crate) fn parse_filter(
    f: &str,
    registry: &Registry,
    kind: ResourceKind,
    advanced: bool,
) -> Result<Filter, Reply> {
    let mut groups = Vec::new();
    for group in split_on(f.trim(), " or ") {
        groups.push(parse_and(group, registry, kind, advanced)?);
    }
    Ok(Filter(groups))
}

/// Clauses joined by `and`.
fn parse_and(
    f: &str,
    registry: &Registry,
    kind: ResourceKind,
    advanced: bool,
) -> Result<Vec<Clause>, Reply> {
    let mut clauses = Vec::new();
    for part in split_and(f.trim()) {
        let part = part.trim();
        let no_property = |name: &str| {
            error(
                400,
                "BadRequest",
                &format!(
                    "Could not find a property named '{name}' on type 'microsoft.graph.{kind}'."
                ),
            )
        };
        // `{name}/any(v:v eq {literal})`
        if let Some((name, rest)) = part.split_once("/any(")
            && is_extension_key(name)
        {
            let def = registry
                .def(name)
                .filter(|d| d.multi)
                .ok_or_else(|| no_property(name))?;
            let inner = rest
                .strip_suffix(')')
                .ok_or_else(|| invalid(&format!("'{part}'")))?;
            let (var, cond) = inner
                .split_once(':')
                .ok_or_else(|| invalid(&format!("'{part}'")))?;
            let lit = cond
                .trim()
                .strip_prefix(var.trim())
                .map(str::trim_start)
                .and_then(|c| {
                    c.get(..2)
                        .filter(|op| op.eq_ignore_ascii_case("eq"))
                        .map(|_| &c[2..])
                })
                .ok_or_else(|| invalid(&format!("'{part}'")))?;
            if !advanced {
                return Err(unsupported(&def.name, kind));
            }
            let value = typed(def.data_type, literal(lit)?, part)?;
            clauses.push(Clause {
                key: def.name.clone(),
                attribute: None,
                test: Test::Any(value),
            });
            continue;
        }
        let mut words = part.splitn(3, ' ');
        let (Some(lhs), Some(op), Some(rhs)) = (words.next(), words.next(), words.next()) else {
            return Err(invalid(&format!("'{part}'")));
        };
        let value = literal(rhs)?;
        let (key, attribute, ty) = if let Some((prop, attr)) = lhs.split_once('/') {
            let p = property_of(kind)
                .filter(|p| p.eq_ignore_ascii_case(prop))
                .ok_or_else(|| no_property(prop))?;
            let n = attr
                .get(..18)
                .filter(|x| x.eq_ignore_ascii_case("extensionAttribute"))
                .and_then(|_| attr[18..].parse::<u8>().ok())
                .filter(|n| (1..=ATTRIBUTE_COUNT).contains(n))
                .ok_or_else(|| no_property(lhs))?;
            (
                p.to_owned(),
                Some(format!("extensionAttribute{n}")),
                DataType::String,
            )
        } else {
            let target = target_of(kind);
            let def = registry
                .def(lhs)
                .filter(|d| target.is_some_and(|t| d.targets.contains(&t)))
                .ok_or_else(|| no_property(lhs))?;
            if def.multi {
                return Err(invalid(&format!(
                    "'{lhs}' is multi-valued: compare it with {lhs}/any(v:v eq …)"
                )));
            }
            (def.name.clone(), None, def.data_type)
        };
        let value = if value.is_null() {
            value
        } else {
            typed(ty, value, part)?
        };
        let test = if op.eq_ignore_ascii_case("eq") {
            if value.is_null() && !advanced {
                return Err(unsupported(lhs, kind));
            }
            Test::Eq(value)
        } else if op.eq_ignore_ascii_case("ne") {
            if !advanced {
                return Err(unsupported(lhs, kind));
            }
            Test::Ne(value)
        } else {
            return Err(invalid(&format!(
                "the operator '{op}' is not supported here; use eq or ne"
            )));
        };
        clauses.push(Clause {
            key,
            attribute,
            test,
        });
    }
    Ok(clauses)
}

/// A literal as stored for `ty`, or the refusal.
fn typed(ty: DataType, value: Value, part: &str) -> Result<Value, Reply> {
    if ty == DataType::Binary {
        return Err(invalid("Binary properties cannot be filtered on"));
    }
    scalar(ty, &value).ok_or_else(|| {
        invalid(&format!(
            "'{part}' compares a {} property with another type",
            ty.as_str()
        ))
    })
}

impl Filter {
    /// Whether `node` matches every clause (a value whose definition was deleted matches
    /// nothing: the filter names only live definitions).
    pub(crate) fn matches(&self, node: &Node) -> bool {
        let dir = if node.has_dir() {
            node.dir()
        } else {
            Map::new()
        };
        self.0.iter().any(|group| {
            group.iter().all(|c| {
                let stored = dir
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(&c.key))
                    .map(|(_, v)| v);
                let stored = match &c.attribute {
                    Some(a) => stored.and_then(|o| o.get(a)),
                    None => stored,
                }
                .filter(|v| !v.is_null());
                match &c.test {
                    Test::Eq(Value::Null) => stored.is_none(),
                    Test::Eq(v) => stored == Some(v),
                    Test::Ne(Value::Null) => stored.is_some(),
                    Test::Ne(v) => stored != Some(v),
                    Test::Any(v) => stored
                        .and_then(Value::as_array)
                        .is_some_and(|a| a.contains(v)),
                }
            })
        })
    }
}
