//! `graph-ext schema …`: definitions, and resources found by their data (server-side
//! `$filter`).

use std::ops::ControlFlow;

use extensions_core::Error;
use extensions_core::paging::for_each_page;
use extensions_core::resource::encode_component;
use extensions_core::schema::op::{
    CreateDefinition, DefinitionQuery, DeleteDefinition, GetDefinition, ListDefinitions,
    UpdateDefinition,
};
use extensions_core::schema::{
    Definition, DefinitionChange, MAX_STRING_CHARS, Owner, PropertyType, SchemaId, Status,
    TargetType, check_schema_property_name,
};
use serde_json::{Map, Value};

use crate::exec::Runner;
use crate::fail::{Fail, Outcome};
use crate::output::{Format, Records, print, say, write_failed};
use crate::raw::RawList;

fn id(id: &str) -> Result<SchemaId, Fail> {
    SchemaId::new(id).map_err(Fail::Api)
}

fn target(t: &str) -> Result<TargetType, Fail> {
    TargetType::from_name(t).ok_or_else(|| {
        let all: Vec<&str> = TargetType::ALL.iter().map(|t| t.as_str()).collect();
        Fail::Input(format!("{t:?} is not a target type: {}", all.join(", ")))
    })
}

fn property(p: &str) -> Result<(String, PropertyType), Fail> {
    let (name, ty) = p.split_once(':').ok_or_else(|| {
        Fail::Input(format!(
            "{p:?}: expected NAME:TYPE, such as courseId:Integer"
        ))
    })?;
    let ty = PropertyType::from_name(ty).ok_or_else(|| {
        Fail::Input(format!(
            "{p:?}: the type is one of Binary, Boolean, DateTime, Integer, String"
        ))
    })?;
    Ok((name.to_owned(), ty))
}

/// The definition `i` as Graph holds it; an answer for another id is refused, so that what
/// follows (a change, a delete, a search) acts on the definition the user named.
pub(crate) async fn current(r: &Runner, i: &str) -> Result<Definition, Fail> {
    let def = r
        .run(&GetDefinition::new(&id(i)?))
        .await?
        .ok_or_else(|| Fail::NotFound(format!("no schema extension {i}")))?;
    if def.id.as_str() != i {
        return Err(Fail::Api(Error::UnexpectedResponse {
            status: http::StatusCode::OK,
            detail: format!(
                "asked for the definition {i:?}, the answer is the definition {:?}",
                def.id.as_str()
            ),
        }));
    }
    Ok(def)
}

/// A `--status` value.
fn status(st: &str) -> Result<Status, Fail> {
    serde_json::from_value(Value::String(st.to_owned())).map_err(|_| {
        Fail::Input(format!(
            "--status {st:?}: one of InDevelopment, Available, Deprecated"
        ))
    })
}

/// The definitions an owner app owns, or in a status, or both (Graph filters on one; the
/// status is then kept here), or all.
pub(crate) async fn list(r: &Runner, owner: Option<&str>, st: Option<&str>) -> Outcome {
    let st = st.map(status).transpose()?;
    let query = match (owner, st) {
        (Some(o), _) => DefinitionQuery::Owner(o.to_owned()),
        (None, Some(st)) => DefinitionQuery::Status(st),
        (None, None) => DefinitionQuery::All,
    };
    let mut all = Vec::new();
    for_each_page(
        r,
        ListDefinitions::new(&query),
        ListDefinitions::next,
        |page| {
            all.extend(
                page.into_iter()
                    .filter(|d| st.is_none_or(|s| d.status == Some(s))),
            );
            Ok::<_, Fail>(ControlFlow::Continue(()))
        },
    )
    .await?;
    print(&all)
}

pub(crate) async fn get(r: &Runner, i: &str) -> Outcome {
    print(&current(r, i).await?)
}

/// What `schema add` was asked.
pub(crate) struct Add<'a> {
    pub(crate) id: &'a str,
    pub(crate) targets: &'a [String],
    pub(crate) properties: &'a [String],
    pub(crate) description: Option<&'a str>,
    pub(crate) owner: Option<&'a str>,
}

pub(crate) async fn add(r: &Runner, a: Add<'_>) -> Outcome {
    let targets = a
        .targets
        .iter()
        .map(|t| target(t))
        .collect::<Result<Vec<_>, _>>()?;
    let mut def = Definition::new(a.id, targets).map_err(Fail::Api)?;
    for p in a.properties {
        let (name, ty) = property(p)?;
        def = def.property(name, ty);
    }
    if let Some(d) = a.description {
        def = def.description(d);
    }
    let owner = a.owner.map_or(Owner::Caller, |o| Owner::App(o.to_owned()));
    print(&r.run(&CreateDefinition::new(&def, owner)).await?)
}

/// What `schema set` was asked.
pub(crate) struct Set<'a> {
    pub(crate) id: &'a str,
    pub(crate) status: Option<&'a str>,
    pub(crate) add_properties: &'a [String],
    pub(crate) add_targets: &'a [String],
    pub(crate) description: Option<&'a str>,
}

pub(crate) async fn set(r: &Runner, s: Set<'_>) -> Outcome {
    let mut change = DefinitionChange::new();
    if let Some(st) = s.status {
        change = change.status(status(st)?);
    }
    for p in s.add_properties {
        let (name, ty) = property(p)?;
        change = change.add_property(name, ty);
    }
    for t in s.add_targets {
        change = change.add_target(target(t)?);
    }
    if let Some(d) = s.description {
        change = change.description(d);
    }
    if change == DefinitionChange::new() {
        return Err(Fail::Input(
            "nothing to change: give --status, --add-property, --add-target or --description"
                .into(),
        ));
    }
    let def = current(r, s.id).await?;
    print(&r.run(&UpdateDefinition::new(&def, &change)).await?)
}

pub(crate) async fn remove(r: &Runner, i: &str) -> Outcome {
    let def = current(r, i).await?;
    if r.run(&DeleteDefinition::of(&def)).await? {
        say!("removed {i}");
        Ok(())
    } else {
        Err(Fail::NotFound(format!("no schema extension {i}")))
    }
}

/// The collections a schema extension filter searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Collection {
    Users,
    Groups,
    Devices,
    AdministrativeUnits,
}

impl Collection {
    /// The target type of the resources in the collection.
    fn target(self) -> TargetType {
        match self {
            Self::Users => TargetType::User,
            Self::Groups => TargetType::Group,
            Self::Devices => TargetType::Device,
            Self::AdministrativeUnits => TargetType::AdministrativeUnit,
        }
    }

    /// The collection of a target type's resources, if `find` searches one.
    fn of(target: &str) -> Option<Self> {
        [
            Self::Users,
            Self::Groups,
            Self::Devices,
            Self::AdministrativeUnits,
        ]
        .into_iter()
        .find(|c| c.target().as_str().eq_ignore_ascii_case(target))
    }

    /// The value `--in` takes.
    fn name(self) -> &'static str {
        match self {
            Self::Users => "users",
            Self::Groups => "groups",
            Self::Devices => "devices",
            Self::AdministrativeUnits => "administrative-units",
        }
    }

    fn path(self) -> &'static str {
        match self {
            Self::Users => "users",
            Self::Groups => "groups",
            Self::Devices => "devices",
            Self::AdministrativeUnits => "directory/administrativeUnits",
        }
    }
}

/// The property `name` of `def`, or a refusal that lists the ones it has.
pub(crate) fn declared<'d>(
    def: &'d Definition,
    name: &str,
) -> Result<&'d extensions_core::schema::PropertyDefinition, Fail> {
    let p = def.property_named(name).ok_or_else(|| {
        let names: Vec<&str> = def.properties.iter().map(|p| p.name.as_str()).collect();
        Fail::Input(format!(
            "{} has no property {name:?} (it has {})",
            def.id,
            names.join(", ")
        ))
    })?;
    check_schema_property_name(&p.name).map_err(|reason| {
        Fail::Api(Error::SchemaDefinitionInvalid {
            id: def.id.to_string(),
            reason: format!("Graph lists a property {:?}: {reason}", p.name),
        })
    })?;
    Ok(p)
}

/// `prop=value` as an OData comparison, the value typed by the definition.
fn clause(def: &Definition, w: &str) -> Result<String, Fail> {
    let only_eq = || {
        Fail::Input(format!(
            "--where {w:?}: find compares with = only (Graph filters schema extension data with eq): PROPERTY=VALUE, such as courseId=123"
        ))
    };
    let (name, value) = w.split_once('=').ok_or_else(|| {
        if w.contains(['<', '>', '!']) {
            only_eq()
        } else {
            Fail::Input(format!(
                "--where {w:?}: expected PROPERTY=VALUE, such as courseId=123"
            ))
        }
    })?;
    if name.ends_with(['<', '>', '!']) {
        return Err(only_eq());
    }
    let p = declared(def, name).map_err(|f| match f {
        Fail::Input(m) => Fail::Input(format!("--where {w:?}: {m}")),
        f => f,
    })?;
    // `courseId==1` reads as the value "=1": only a String can hold it, so elsewhere it is the
    // operator someone meant.
    if value.starts_with('=') && p.ty != PropertyType::String {
        return Err(only_eq());
    }
    // The id comes from Graph's answer (the name was checked with it): only identifiers enter
    // the filter.
    def.id.check_usable().map_err(Fail::Api)?;
    let literal = match p.ty {
        PropertyType::Integer => value
            .trim()
            .parse::<i32>()
            .map(|n| n.to_string())
            .map_err(|_| Fail::Input(format!("--where {w:?}: {name} is an Integer (32-bit)")))?,
        PropertyType::Boolean => match value {
            "true" | "false" => value.to_owned(),
            _ => {
                return Err(Fail::Input(format!(
                    "--where {w:?}: {name} is a Boolean: true or false"
                )));
            }
        },
        PropertyType::String => {
            if value.chars().count() > MAX_STRING_CHARS {
                return Err(Fail::Input(format!(
                    "--where {w:?}: a String property holds at most {MAX_STRING_CHARS} characters"
                )));
            }
            format!("'{}'", value.replace('\'', "''"))
        }
        PropertyType::DateTime => {
            if value.is_empty() || value.contains([' ', '\'']) {
                return Err(Fail::Input(format!(
                    "--where {w:?}: {name} is a DateTime, such as 2024-03-01T09:00:00Z"
                )));
            }
            value.to_owned()
        }
        PropertyType::Binary => {
            return Err(Fail::Input(format!(
                "--where {w:?}: Binary properties cannot be filtered on"
            )));
        }
    };
    Ok(format!("{}/{name} eq {literal}", def.id))
}

/// What `schema find` was asked.
pub(crate) struct Find<'a> {
    pub(crate) id: &'a str,
    pub(crate) collection: Collection,
    pub(crate) conditions: &'a [String],
    pub(crate) format: Format,
}

/// Resources whose data matches every `--where`, with their data, page by page.
pub(crate) async fn find(r: &Runner, f: Find<'_>) -> Outcome {
    let def = current(r, f.id).await?;
    // A collection the definition does not target holds none of its data: Graph would answer
    // an empty list, which reads as "nothing matched".
    let target = f.collection.target();
    if !def.lists(target) {
        return Err(Fail::Input(format!(
            "{} does not target {} (its targets: {}): nothing there holds its data; give --in {}",
            def.id,
            f.collection.path(),
            def.target_types.join(", "),
            def.target_types
                .iter()
                .find_map(|t| Collection::of(t))
                .map_or("with one of its targets", |c| c.name())
        )));
    }
    if f.conditions.is_empty() {
        return Err(Fail::Input(
            "give at least one --where PROPERTY=VALUE".into(),
        ));
    }
    let expr = f
        .conditions
        .iter()
        .map(|w| clause(&def, w))
        .collect::<Result<Vec<_>, _>>()?
        .join(" and ");
    let uri = format!(
        "/{}?%24filter={}&%24select={}",
        f.collection.path(),
        encode_component(&expr),
        encode_component(&format!("id,{}", def.id))
    );
    let mut out = Records::new(f.format, &[]);
    let mut count = 0usize;
    for_each_page(
        r,
        RawList::new(&uri, false),
        |l| RawList::new(l, false),
        |items| {
            for item in items {
                let id = item.get("id").and_then(Value::as_str).unwrap_or_default();
                let mut data = item
                    .get(def.id.as_str())
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                data.shift_remove("@odata.type");
                let mut record = Map::new();
                record.insert(
                    "on".into(),
                    Value::String(format!("{}/{id}", f.collection.path())),
                );
                record.insert("properties".into(), Value::Object(data));
                out.write(&record).map_err(|e| write_failed(&e))?;
                count += 1;
            }
            Ok::<_, Fail>(ControlFlow::Continue(()))
        },
    )
    .await?;
    out.finish().map_err(|e| write_failed(&e))?;
    say!("{count} found");
    Ok(())
}
