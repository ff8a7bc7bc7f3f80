//! `graph-ext directory …` (definitions on an app, values on resources, resources found by
//! them) and `graph-ext attributes …` (the fifteen extension attributes of users and devices).

use std::ops::ControlFlow;

use extensions_core::directory::op::FindIn;
use extensions_core::directory::{
    AppId, DataType, PropertyName, TargetObject, check_app_id, check_directory_name, target_of,
};
use extensions_core::paging::for_each_page;
use extensions_core::resource::encode_component;
use serde_json::{Map, Value, json};

use crate::exec::Runner;
use crate::fail::{Fail, Outcome};
use crate::open::resource;
use crate::output::{Format, Records, print, say, write_failed};
use crate::props::condition;
use crate::raw::{Raw, RawList};

/// The application `key` names: an `appId`, an object id, or a display name.
async fn app(r: &Runner, key: &str) -> Result<Map<String, Value>, Fail> {
    let object = |v: Option<Value>| match v {
        Some(Value::Object(o)) => Some(o),
        _ => None,
    };
    if check_app_id(key).is_ok() {
        let app_id = AppId::new(key).map_err(Fail::Api)?;
        if let Some(a) = object(
            r.run(&Raw::get(&format!("/applications(appId='{app_id}')")))
                .await?,
        ) {
            return Ok(a);
        }
        if let Some(a) = object(
            r.run(&Raw::get(&format!(
                "/applications/{}",
                encode_component(key)
            )))
            .await?,
        ) {
            return Ok(a);
        }
        return Err(Fail::NotFound(format!(
            "no application with the appId or object id {key}"
        )));
    }
    let filter = format!("displayName eq '{}'", key.replace('\'', "''"));
    let uri = format!("/applications?%24filter={}", encode_component(&filter));
    let mut found = Vec::new();
    for_each_page(
        r,
        RawList::new(&uri, false),
        |l| RawList::new(l, false),
        |page| {
            found.extend(page);
            Ok::<_, Fail>(ControlFlow::Continue(()))
        },
    )
    .await?;
    match found.len() {
        0 => Err(Fail::NotFound(format!("no application named {key:?}"))),
        1 => Ok(found.remove(0)),
        n => Err(Fail::Input(format!(
            "{n} applications are named {key:?}: give its appId or object id"
        ))),
    }
}

/// The app's path (by object id) and its `appId`.
fn app_parts(a: &Map<String, Value>) -> Result<(String, AppId), Fail> {
    let text = |k: &str| a.get(k).and_then(Value::as_str).unwrap_or_default();
    let app_id = AppId::new(text("appId")).map_err(Fail::Api)?;
    Ok((
        format!("/applications/{}", encode_component(text("id"))),
        app_id,
    ))
}

/// Every definition of the app at `path`.
async fn definitions_of(r: &Runner, path: &str) -> Result<Vec<Map<String, Value>>, Fail> {
    let mut all = Vec::new();
    let uri = format!("{path}/extensionProperties");
    for_each_page(
        r,
        RawList::new(&uri, false),
        |l| RawList::new(l, false),
        |page| {
            all.extend(page);
            Ok::<_, Fail>(ControlFlow::Continue(()))
        },
    )
    .await?;
    Ok(all)
}

/// Every definition in the tenant (`getAvailableExtensionProperties`).
async fn available(r: &Runner) -> Result<Vec<Map<String, Value>>, Fail> {
    let mut all = Vec::new();
    for_each_page(
        r,
        RawList::post(
            "/directoryObjects/getAvailableExtensionProperties",
            &json!({}),
        ),
        |l| RawList::new(l, false),
        |page| {
            all.extend(page);
            Ok::<_, Fail>(ControlFlow::Continue(()))
        },
    )
    .await?;
    Ok(all)
}

fn name_of(d: &Map<String, Value>) -> &str {
    d.get("name").and_then(Value::as_str).unwrap_or_default()
}

pub(crate) async fn list(r: &Runner, app_key: Option<&str>) -> Outcome {
    let defs = match app_key {
        Some(k) => {
            let (path, _) = app_parts(&app(r, k).await?)?;
            definitions_of(r, &path).await?
        }
        None => available(r).await?,
    };
    print(&defs)
}

/// The definition `name` (short or full) of the app.
async fn definition(
    r: &Runner,
    app_key: &str,
    name: &str,
) -> Result<(String, Map<String, Value>), Fail> {
    let (path, app_id) = app_parts(&app(r, app_key).await?)?;
    let full = full_name(&app_id, name)?;
    let def = definitions_of(r, &path)
        .await?
        .into_iter()
        .find(|d| name_of(d).eq_ignore_ascii_case(full.as_str()))
        .ok_or_else(|| Fail::NotFound(format!("no directory extension {full}")))?;
    Ok((path, def))
}

fn full_name(app: &AppId, name: &str) -> Result<PropertyName, Fail> {
    if name.starts_with("extension_") {
        let p = PropertyName::parse(name).map_err(Fail::Api)?;
        if p.app_hex() != app.hex() {
            return Err(Fail::Input(format!(
                "{name} belongs to another app than {app}"
            )));
        }
        Ok(p)
    } else {
        PropertyName::new(app, name).map_err(Fail::Api)
    }
}

pub(crate) async fn get(r: &Runner, app_key: &str, name: &str) -> Outcome {
    print(&definition(r, app_key, name).await?.1)
}

/// What `directory add` was asked.
pub(crate) struct Add<'a> {
    pub(crate) app: &'a str,
    pub(crate) name: &'a str,
    pub(crate) data_type: &'a str,
    pub(crate) multi_valued: bool,
    pub(crate) targets: &'a [String],
}

pub(crate) async fn add(r: &Runner, a: Add<'_>) -> Outcome {
    check_directory_name(a.name)
        .map_err(|reason| Fail::Input(format!("--name {:?}: {reason}", a.name)))?;
    let ty = DataType::from_name(a.data_type).ok_or_else(|| {
        let all: Vec<&str> = DataType::ALL.iter().map(|t| t.as_str()).collect();
        Fail::Input(format!(
            "--type {:?}: one of {}",
            a.data_type,
            all.join(", ")
        ))
    })?;
    let mut targets = Vec::new();
    for t in a.targets {
        let t = TargetObject::from_name(t).ok_or_else(|| {
            let all: Vec<&str> = TargetObject::ALL.iter().map(|t| t.as_str()).collect();
            Fail::Input(format!("--target {t:?}: one of {}", all.join(", ")))
        })?;
        if targets.contains(&t) {
            return Err(Fail::Input(format!("--target {} given twice", t.as_str())));
        }
        targets.push(t);
    }
    let (path, _) = app_parts(&app(r, a.app).await?)?;
    let body = json!({
        "name": a.name,
        "dataType": ty.as_str(),
        "isMultiValued": a.multi_valued,
        "targetObjects": targets.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
    });
    let created = r
        .run(&Raw::post(
            &format!("{path}/extensionProperties"),
            &body,
            false,
        ))
        .await?;
    print(&created)
}

pub(crate) async fn remove(r: &Runner, app_key: &str, name: &str) -> Outcome {
    let (path, def) = definition(r, app_key, name).await?;
    let id = def.get("id").and_then(Value::as_str).unwrap_or_default();
    let uri = format!("{path}/extensionProperties/{}", encode_component(id));
    r.run(&Raw::delete(&uri)).await?;
    say!("removed {}", name_of(&def));
    Ok(())
}

/// A definition read from Graph: its full name, type, multi-valuedness and targets.
struct Def {
    name: String,
    ty: DataType,
    multi: bool,
    targets: Vec<TargetObject>,
}

impl Def {
    fn from(d: &Map<String, Value>) -> Option<Def> {
        let name = PropertyName::parse(name_of(d)).ok()?.to_string();
        Some(Def {
            name,
            ty: DataType::from_name(d.get("dataType")?.as_str()?)?,
            multi: d
                .get("isMultiValued")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            targets: d
                .get("targetObjects")?
                .as_array()?
                .iter()
                .filter_map(|t| t.as_str().and_then(TargetObject::from_name))
                .collect(),
        })
    }
}

/// The definitions `names` name (full names, or short ones with `--app`), read from Graph.
async fn resolve(r: &Runner, app_key: Option<&str>, names: &[&str]) -> Result<Vec<Def>, Fail> {
    let app_id = match app_key {
        Some(k) => Some(app_parts(&app(r, k).await?)?.1),
        None => None,
    };
    let all: Vec<Def> = available(r).await?.iter().filter_map(Def::from).collect();
    names
        .iter()
        .map(|n| {
            let full = match (&app_id, n.starts_with("extension_")) {
                (_, true) => PropertyName::parse(n).map_err(Fail::Api)?,
                (Some(a), false) => full_name(a, n)?,
                (None, false) => {
                    return Err(Fail::Input(format!(
                        "{n:?}: give the full name (extension_{{appId}}_{n}) or --app"
                    )));
                }
            };
            all.iter()
                .find(|d| d.name.eq_ignore_ascii_case(full.as_str()))
                .map(|d| Def {
                    name: d.name.clone(),
                    ty: d.ty,
                    multi: d.multi,
                    targets: d.targets.clone(),
                })
                .ok_or_else(|| Fail::NotFound(format!("no directory extension {full}")))
        })
        .collect()
}

/// One value of the definition's type, from the command line or a JSON array's item.
fn scalar(def: &Def, given: &Value) -> Result<Value, Fail> {
    crate::typed::scalar(&def.name, def.ty, given)
}

/// `text` as the definition's value: one value, or for a multi-valued one a JSON array (or one
/// value, a list of one).
fn value(def: &Def, text: &str) -> Result<Value, Fail> {
    if def.multi {
        let items = if text.trim_start().starts_with('[') {
            match serde_json::from_str::<Value>(text) {
                Ok(Value::Array(items)) => items,
                _ => {
                    return Err(Fail::Input(format!(
                        "{}: a multi-valued extension takes a JSON array, such as [\"a\",\"b\"]",
                        def.name
                    )));
                }
            }
        } else {
            vec![Value::from(text)]
        };
        return items
            .iter()
            .map(|v| scalar(def, v))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::Array);
    }
    scalar(def, &Value::from(text))
}

/// Refuses a definition that does not target the resource's kind.
fn check_target(def: &Def, on: &str, kind: extensions_core::ResourceKind) -> Result<(), Fail> {
    match target_of(kind) {
        Some(t) if def.targets.contains(&t) => Ok(()),
        _ => Err(Fail::Input(format!(
            "{} does not target {on} (its targets: {})",
            def.name,
            def.targets
                .iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Writes `NAME=VALUE` assignments (typed by their definitions) on a resource.
pub(crate) async fn set(
    r: &Runner,
    on: &str,
    app_key: Option<&str>,
    assignments: &[String],
) -> Outcome {
    let res = resource(on)?;
    if assignments.is_empty() {
        return Err(Fail::Input("give at least one NAME=VALUE".into()));
    }
    let pairs = assignments
        .iter()
        .map(|a| {
            a.split_once('=').ok_or_else(|| {
                Fail::Input(format!("{a:?}: expected NAME=VALUE, such as jobGroup=E4"))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let names: Vec<&str> = pairs.iter().map(|(n, _)| *n).collect();
    let defs = resolve(r, app_key, &names).await?;
    let mut body = Map::new();
    let mut count = 0;
    for (def, (_, text)) in defs.iter().zip(&pairs) {
        check_target(def, on, res.kind())?;
        let v = value(def, text)?;
        count += v.as_array().map_or(1, Vec::len);
        body.insert(def.name.clone(), v);
    }
    if count > extensions_core::directory::MAX_VALUES_PER_RESOURCE {
        return Err(Fail::Input(format!(
            "{count} values in one write, over Graph's limit of 100 extension values on one resource"
        )));
    }
    r.run(&Raw::patch(&res.path(), &Value::Object(body)))
        .await?;
    say!("set {} on {on}", names.len());
    Ok(())
}

/// Removes the values of `names` from a resource.
pub(crate) async fn clear(
    r: &Runner,
    on: &str,
    app_key: Option<&str>,
    names: &[String],
) -> Outcome {
    let res = resource(on)?;
    if names.is_empty() {
        return Err(Fail::Input("give at least one NAME".into()));
    }
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let defs = resolve(r, app_key, &names).await?;
    let mut body = Map::new();
    for def in &defs {
        check_target(def, on, res.kind())?;
        body.insert(def.name.clone(), Value::Null);
    }
    r.run(&Raw::patch(&res.path(), &Value::Object(body)))
        .await?;
    say!("cleared {} on {on}", names.len());
    Ok(())
}

/// Prints the values of `names` (every definition that targets the resource, without names).
pub(crate) async fn show(r: &Runner, on: &str, app_key: Option<&str>, names: &[String]) -> Outcome {
    let res = resource(on)?;
    let defs: Vec<Def> = if names.is_empty() {
        let target = target_of(res.kind());
        available(r)
            .await?
            .iter()
            .filter_map(Def::from)
            .filter(|d| target.is_some_and(|t| d.targets.contains(&t)))
            .collect()
    } else {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        resolve(r, app_key, &names).await?
    };
    let mut select = String::from("id");
    for d in &defs {
        select.push(',');
        select.push_str(&d.name);
    }
    let uri = format!("{}?%24select={}", res.path(), encode_component(&select));
    let got = r
        .run(&Raw::get(&uri))
        .await?
        .ok_or_else(|| Fail::NotFound(format!("no resource {on}")))?;
    let mut out = Map::new();
    for d in &defs {
        out.insert(
            d.name.clone(),
            got.get(&d.name).cloned().unwrap_or(Value::Null),
        );
    }
    print(&out)
}

/// The collections a directory filter searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Collection {
    Users,
    Groups,
    Devices,
    AdministrativeUnits,
}

impl Collection {
    fn find_in(self) -> FindIn {
        match self {
            Self::Users => FindIn::Users,
            Self::Groups => FindIn::Groups,
            Self::Devices => FindIn::Devices,
            Self::AdministrativeUnits => FindIn::AdministrativeUnits,
        }
    }

    fn on(self, id: &str) -> String {
        format!("{}/{id}", self.find_in().path().trim_start_matches('/'))
    }
}

/// An OData literal of a value of type `ty` (a DateTime is written bare).
fn literal(ty: DataType, v: &Value) -> String {
    match v {
        Value::String(s) if ty == DataType::DateTime => s.clone(),
        Value::String(s) => format!("'{}'", s.replace('\'', "''")),
        other => other.to_string(),
    }
}

/// What `directory find` was asked.
pub(crate) struct Find<'a> {
    pub(crate) collection: Collection,
    pub(crate) app: Option<&'a str>,
    pub(crate) conditions: &'a [String],
    pub(crate) format: Format,
}

/// Resources whose directory extensions match every `--where`, with those values.
pub(crate) async fn find(r: &Runner, f: Find<'_>) -> Outcome {
    if f.conditions.is_empty() {
        return Err(Fail::Input("give at least one --where NAME=VALUE".into()));
    }
    let parsed = f
        .conditions
        .iter()
        .map(|w| condition(w))
        .collect::<Result<Vec<_>, _>>()?;
    let names: Vec<&str> = parsed.iter().map(|(n, _, _)| *n).collect();
    let defs = resolve(r, f.app, &names).await?;
    let kind = f.collection.find_in().kind();
    let mut clauses = Vec::new();
    let mut advanced = false;
    for (def, (_, negated, value)) in defs.iter().zip(&parsed) {
        if target_of(kind).is_none_or(|t| !def.targets.contains(&t)) {
            return Err(Fail::Input(format!(
                "{} does not target {}",
                def.name,
                f.collection.find_in().path()
            )));
        }
        if def.ty == DataType::Binary {
            return Err(Fail::Input(format!(
                "{}: Binary extensions cannot be filtered on",
                def.name
            )));
        }
        let clause = match (value, def.multi, negated) {
            (None, _, false) => format!("{} eq null", def.name),
            (None, _, true) => format!("{} ne null", def.name),
            (Some(_), true, true) => {
                return Err(Fail::Input(format!(
                    "{}: a multi-valued extension is matched with NAME=VALUE (one of its values)",
                    def.name
                )));
            }
            (Some(v), true, false) => {
                let v = scalar(def, &Value::from(*v))?;
                format!("{}/any(v:v eq {})", def.name, literal(def.ty, &v))
            }
            (Some(v), false, neg) => {
                let v = scalar(def, &Value::from(*v))?;
                format!(
                    "{} {} {}",
                    def.name,
                    if *neg { "ne" } else { "eq" },
                    literal(def.ty, &v)
                )
            }
        };
        advanced |= value.is_none() || *negated || def.multi;
        clauses.push(clause);
    }
    let mut select = String::from("id");
    for d in &defs {
        select.push(',');
        select.push_str(&d.name);
    }
    let mut uri = format!(
        "{}?%24filter={}&%24select={}",
        f.collection.find_in().path(),
        encode_component(&clauses.join(" and ")),
        encode_component(&select)
    );
    if advanced {
        uri.push_str("&%24count=true");
    }
    let columns: Vec<String> = defs.iter().map(|d| d.name.clone()).collect();
    let mut out = Records::new(f.format, &columns);
    let mut count = 0usize;
    for_each_page(
        r,
        RawList::new(&uri, advanced),
        move |l| RawList::new(l, advanced),
        |items| {
            for item in items {
                let id = item.get("id").and_then(Value::as_str).unwrap_or_default();
                let mut props = Map::new();
                for d in &defs {
                    props.insert(
                        d.name.clone(),
                        item.get(&d.name).cloned().unwrap_or(Value::Null),
                    );
                }
                let mut record = Map::new();
                record.insert("on".into(), Value::String(f.collection.on(id)));
                record.insert("properties".into(), Value::Object(props));
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
