//! Schema extension data on resources: written by the resource's `PATCH` (or the `POST` that
//! creates it) and merged, checked against its definition, shown only when `$select`ed, and
//! filtered on with `$filter={id}/{property} eq …`.

use base64::Engine as _;
use extensions_core::ResourceKind;
use extensions_core::schema::{
    Definition, MAX_BINARY_BYTES, MAX_STRING_CHARS, PropertyType, SchemaId, SchemaIdForm, target_of,
};
use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::Schemas;
use crate::graph::{Caller, Node, Reply, error, split_and};

/// The annotation Graph puts on schema extension data it shows.
pub(crate) const COMPLEX_VALUE_TYPE: &str = "#microsoft.graph.ComplexExtensionValue";

fn bad(message: &str) -> Reply {
    error(400, "Request_BadRequest", message)
}

/// Whether a body key has the form of a schema extension id (`{prefix}_{name}`).
pub(crate) fn looks_like_schema_id(key: &str) -> bool {
    SchemaId::new(key).is_ok_and(|id| id.form() == SchemaIdForm::Prefixed)
}

/// What a `PATCH` or `POST` body asks: plain fields, and per schema id the data (or `None`
/// to remove it).
pub(crate) struct Split {
    pub(crate) fields: Map<String, Value>,
    pub(crate) data: Vec<(String, Option<Map<String, Value>>)>,
}

/// Sorts a body's keys and checks every schema extension value against its definition.
pub(crate) fn split_body(
    body: &Map<String, Value>,
    schemas: &Schemas,
    caller: &Caller,
    kind: ResourceKind,
) -> Result<Split, Reply> {
    let mut out = Split {
        fields: Map::new(),
        data: Vec::new(),
    };
    for (key, value) in body {
        if !looks_like_schema_id(key) {
            if key == "id" {
                return Err(error(
                    400,
                    "Request_BadRequest",
                    "The property 'id' is read-only.",
                ));
            }
            out.fields.insert(key.clone(), value.clone());
            continue;
        }
        let Some(def) = schemas.usable(key, caller) else {
            return Err(bad(&format!("Invalid property '{key}'.")));
        };
        let def = def.def;
        let listed = target_of(kind).is_some_and(|t| def.lists(t));
        if !listed {
            return Err(bad(&format!(
                "Schema extension '{key}' cannot be used on a {kind}: its target types are {}.",
                def.target_types.join(", ")
            )));
        }
        match value {
            Value::Null => out.data.push((key.clone(), None)),
            Value::Object(props) => {
                let mut checked = Map::new();
                for (p, v) in props {
                    if p == "@odata.type" {
                        continue;
                    }
                    checked.insert(p.clone(), check_value(&def, p, v)?);
                }
                out.data.push((key.clone(), Some(checked)));
            }
            _ => {
                return Err(bad(&format!(
                    "The value of '{key}' must be an object of its properties, or null."
                )));
            }
        }
    }
    Ok(out)
}

/// A property's value as stored: checked against its declared type and normalised (an Integer
/// given as a numeric string becomes a number; a DateTime is stored in UTC). `null` clears.
fn check_value(def: &Definition, name: &str, v: &Value) -> Result<Value, Reply> {
    let id = def.id.as_str();
    let Some(p) = def.property_named(name) else {
        return Err(bad(&format!(
            "Property '{name}' is not defined in schema extension '{id}'."
        )));
    };
    if v.is_null() {
        return Ok(Value::Null);
    }
    let wrong = || {
        bad(&format!(
            "Invalid value for property '{name}' of schema extension '{id}': expected {}.",
            p.ty.as_str()
        ))
    };
    let too_long = |limit: usize, unit: &str| {
        bad(&format!(
            "The value of property '{name}' of schema extension '{id}' is over the {limit}-{unit} limit of a {} property.",
            p.ty.as_str()
        ))
    };
    match p.ty {
        PropertyType::String => {
            let s = v.as_str().ok_or_else(wrong)?;
            if s.chars().count() > MAX_STRING_CHARS {
                return Err(too_long(MAX_STRING_CHARS, "character"));
            }
            Ok(v.clone())
        }
        PropertyType::Boolean => v.as_bool().map(Value::Bool).ok_or_else(wrong),
        PropertyType::Integer => integer(v).map(Value::from).ok_or_else(wrong),
        PropertyType::Binary => {
            let s = v.as_str().ok_or_else(wrong)?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(s)
                .map_err(|_| wrong())?;
            if bytes.len() > MAX_BINARY_BYTES {
                return Err(too_long(MAX_BINARY_BYTES, "byte"));
            }
            Ok(v.clone())
        }
        PropertyType::DateTime => {
            let s = v.as_str().ok_or_else(wrong)?;
            utc_text(s).map(Value::String).ok_or_else(wrong)
        }
    }
}

/// A 32-bit integer from a number or a numeric string.
fn integer(v: &Value) -> Option<i32> {
    match v {
        Value::Number(n) => n.as_i64().and_then(|n| i32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// An ISO 8601 date-time in UTC, as Graph stores it.
fn utc_text(s: &str) -> Option<String> {
    let d = OffsetDateTime::parse(s, &Rfc3339).ok()?;
    d.to_offset(time::UtcOffset::UTC).format(&Rfc3339).ok()
}

/// Applies checked data to a node: each property merged, `null` clearing it; a `None` (or an
/// object left empty) removes the whole value.
pub(crate) fn apply_data(node: &mut Node, data: Vec<(String, Option<Map<String, Value>>)>) {
    if data.is_empty() {
        return;
    }
    let mut all = node.data();
    for (id, value) in data {
        match value {
            None => {
                all.remove(&id);
            }
            Some(props) => {
                let entry = all
                    .entry(id.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(stored) = entry {
                    for (k, v) in props {
                        if v.is_null() {
                            stored.remove(&k);
                        } else {
                            stored.insert(k, v);
                        }
                    }
                    if stored.is_empty() {
                        all.remove(&id);
                    }
                }
            }
        }
    }
    node.set_data(&all);
}

/// The data of the selected schema ids, annotated as Graph shows it.
pub(crate) fn selected_data(node: &Node, select: &[String]) -> Vec<(String, Value)> {
    if !node.has_data() {
        return Vec::new();
    }
    let all = node.data();
    select
        .iter()
        .filter_map(|s| {
            let (k, v) = all.get_key_value(s.as_str())?;
            let mut o = Map::new();
            o.insert("@odata.type".into(), Value::from(COMPLEX_VALUE_TYPE));
            if let Value::Object(props) = v {
                o.extend(props.clone());
            }
            Some((k.clone(), Value::Object(o)))
        })
        .collect()
}

/// One `lhs eq literal` clause of a `$filter`.
#[derive(Debug)]
enum Clause {
    /// A schema extension property: `{id}/{name} eq …`, the literal normalised to the stored
    /// form.
    Data {
        id: String,
        name: String,
        value: Value,
    },
    /// A field of the resource itself.
    Field { name: String, value: Value },
}

/// A parsed `$filter`: clauses joined by `and`.
#[derive(Debug)]
pub(crate) struct Filter(Vec<Clause>);

fn invalid_filter(why: &str) -> Reply {
    error(400, "BadRequest", &format!("Invalid filter clause: {why}"))
}

/// A literal: `'text'` (quotes doubled inside), `true`/`false`, a number, or a bare date-time.
fn literal(s: &str) -> Result<Value, Reply> {
    let s = s.trim();
    if let Some(inner) = s.strip_prefix('\'').and_then(|l| l.strip_suffix('\'')) {
        return Ok(Value::String(inner.replace("''", "'")));
    }
    match s {
        "true" => return Ok(Value::Bool(true)),
        "false" => return Ok(Value::Bool(false)),
        "null" => return Ok(Value::Null),
        _ => {}
    }
    if let Ok(n) = s.parse::<i64>() {
        return Ok(Value::from(n));
    }
    if let Some(d) = utc_text(s) {
        return Ok(Value::String(d));
    }
    Err(invalid_filter(&format!("'{s}' is not a literal")))
}

/// Parses `$filter` for a collection of `kind`.
pub(crate) fn parse_filter(
    f: &str,
    schemas: &Schemas,
    caller: &Caller,
    kind: ResourceKind,
) -> Result<Filter, Reply> {
    let mut clauses = Vec::new();
    for part in split_and(f.trim()) {
        let mut words = part.trim().splitn(3, ' ');
        let (Some(lhs), Some(op), Some(rhs)) = (words.next(), words.next(), words.next()) else {
            return Err(invalid_filter(&format!("'{part}'")));
        };
        if !op.eq_ignore_ascii_case("eq") {
            return Err(invalid_filter(&format!(
                "the operator '{op}' is not supported here; use eq"
            )));
        }
        let value = literal(rhs)?;
        let no_property = |name: &str| {
            error(
                400,
                "BadRequest",
                &format!(
                    "Could not find a property named '{name}' on type 'microsoft.graph.{kind}'."
                ),
            )
        };
        match lhs.split_once('/') {
            Some((id, name)) => {
                let def = schemas
                    .usable(id, caller)
                    .ok_or_else(|| no_property(id))?
                    .def;
                let p = def.property_named(name).ok_or_else(|| no_property(lhs))?;
                let value = match (p.ty, &value) {
                    (PropertyType::Integer, v) => integer(v).map(Value::from),
                    (PropertyType::String, Value::String(_)) => Some(value.clone()),
                    (PropertyType::Boolean, Value::Bool(_)) => Some(value.clone()),
                    (PropertyType::DateTime, Value::String(s)) => utc_text(s).map(Value::String),
                    (PropertyType::Binary, _) => {
                        return Err(invalid_filter("Binary properties cannot be filtered on"));
                    }
                    _ => None,
                }
                .ok_or_else(|| {
                    invalid_filter(&format!(
                        "{rhs} is not a {} value for '{lhs}'",
                        p.ty.as_str()
                    ))
                })?;
                clauses.push(Clause::Data {
                    id: id.to_owned(),
                    name: name.to_owned(),
                    value,
                });
            }
            None => clauses.push(Clause::Field {
                name: lhs.to_owned(),
                value,
            }),
        }
    }
    Ok(Filter(clauses))
}

impl Filter {
    /// Whether `node` matches every clause.
    pub(crate) fn matches(&self, node: &Node) -> bool {
        let data = self
            .0
            .iter()
            .any(|c| matches!(c, Clause::Data { .. }))
            .then(|| node.data());
        let fields = self
            .0
            .iter()
            .any(|c| matches!(c, Clause::Field { .. }))
            .then(|| node.fields());
        self.0.iter().all(|c| match c {
            Clause::Data { id, name, value } => data
                .as_ref()
                .and_then(|d| d.get(id))
                .and_then(|o| o.get(name))
                .is_some_and(|v| v == value),
            Clause::Field { name, value } => fields
                .as_ref()
                .and_then(|f| f.get(name))
                .is_some_and(|v| v == value),
        })
    }
}

/// Data written in seeds: every key of a seeded resource in the form of a schema id whose value
/// is an object.
pub(crate) fn seeded_data(fields: &mut Map<String, Value>) -> Map<String, Value> {
    let keys: Vec<String> = fields
        .iter()
        .filter(|(k, v)| v.is_object() && looks_like_schema_id(k))
        .map(|(k, _)| k.clone())
        .collect();
    let mut data = Map::new();
    for k in keys {
        if let Some(v) = fields.remove(&k) {
            data.insert(k, v);
        }
    }
    data
}

/// Removes the data of a deleted definition from a node and its children.
pub(crate) fn purge(node: &mut Node, id: &str) {
    if node.has_data() {
        let mut d = node.data();
        if d.remove(id).is_some() {
            node.set_data(&d);
        }
    }
    for c in node.children.values_mut() {
        for child in c.iter_mut() {
            purge(child, id);
        }
    }
}
