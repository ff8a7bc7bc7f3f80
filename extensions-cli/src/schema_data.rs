//! `graph-ext schema data …`: a schema extension's data on one resource, typed by its
//! definition (read first), refused before sending where the definition can tell.

use extensions_core::resource::encode_component;
use extensions_core::schema::{Definition, target_of};
use extensions_core::{Error, Resource};
use serde_json::{Map, Value};

use crate::exec::Runner;
use crate::fail::{Fail, Outcome};
use crate::open::resource;
use crate::output::{print, say};
use crate::raw::Raw;
use crate::schema::{current, declared};
use crate::typed::{of_schema, scalar};

/// The definition `id` and the resource `on`, checked against each other: the definition must
/// target the resource's type, and its id (from Graph's answer) must be an identifier.
async fn definition_on(r: &Runner, id: &str, on: &str) -> Result<(Definition, Resource), Fail> {
    let res = resource(on)?;
    let def = current(r, id).await?;
    def.id.check_usable().map_err(Fail::Api)?;
    let listed = target_of(res.kind()).is_some_and(|t| def.lists(t));
    if !listed {
        return Err(Fail::Api(Error::SchemaTargetNotListed {
            id: def.id.to_string(),
            kind: res.kind(),
            targets: def.target_types.join(", "),
        }));
    }
    Ok((def, res))
}

/// Prints the data of `id` on `on` (`$select`ed, as Graph shows it only then); exit 3 when the
/// resource has none.
pub(crate) async fn get(r: &Runner, id: &str, on: &str) -> Outcome {
    let (def, res) = definition_on(r, id, on).await?;
    let uri = format!(
        "{}?%24select={}",
        res.path(),
        encode_component(&format!("id,{}", def.id))
    );
    let got = r
        .run(&Raw::get(&uri))
        .await?
        .ok_or_else(|| Fail::NotFound(format!("no resource {on}")))?;
    let Some(Value::Object(data)) = got.get(def.id.as_str()) else {
        return Err(Fail::NotFound(format!("{on} has no data of {}", def.id)));
    };
    let mut data = data.clone();
    data.shift_remove("@odata.type");
    let mut out = Map::new();
    out.insert("on".into(), Value::from(on));
    out.insert("id".into(), Value::from(def.id.as_str()));
    out.insert("properties".into(), Value::Object(data));
    print(&Value::Object(out))
}

/// Writes `NAME=VALUE` assignments, each typed by the definition; Graph merges them into the
/// stored data (the properties not named keep their values).
pub(crate) async fn set(r: &Runner, id: &str, on: &str, assignments: &[String]) -> Outcome {
    if assignments.is_empty() {
        return Err(Fail::Input(
            "give at least one NAME=VALUE, such as courseName=Leadership".into(),
        ));
    }
    let (def, res) = definition_on(r, id, on).await?;
    let mut props = Map::new();
    for a in assignments {
        let (name, text) = a.split_once('=').ok_or_else(|| {
            Fail::Input(format!(
                "{a:?}: expected NAME=VALUE, such as courseName=Leadership"
            ))
        })?;
        let p = declared(&def, name)?;
        if props.contains_key(&p.name) {
            return Err(Fail::Input(format!("{name} is given twice")));
        }
        props.insert(
            p.name.clone(),
            scalar(name, of_schema(p.ty), &Value::from(text))?,
        );
    }
    let count = props.len();
    let mut body = Map::new();
    body.insert(def.id.to_string(), Value::Object(props));
    r.run(&Raw::patch(&res.path(), &Value::Object(body)))
        .await?;
    say!("set {count} of {} on {on}", def.id);
    Ok(())
}

/// Clears the named properties (`null` each), or the whole data when none is named.
pub(crate) async fn clear(r: &Runner, id: &str, on: &str, names: &[String]) -> Outcome {
    let (def, res) = definition_on(r, id, on).await?;
    let value = if names.is_empty() {
        Value::Null
    } else {
        let mut props = Map::new();
        for name in names {
            if props
                .insert(declared(&def, name)?.name.clone(), Value::Null)
                .is_some()
            {
                return Err(Fail::Input(format!("{name} is given twice")));
            }
        }
        Value::Object(props)
    };
    let mut body = Map::new();
    body.insert(def.id.to_string(), value);
    r.run(&Raw::patch(&res.path(), &Value::Object(body)))
        .await?;
    if names.is_empty() {
        say!("cleared {} on {on}", def.id);
    } else {
        say!("cleared {} of {} on {on}", names.len(), def.id);
    }
    Ok(())
}
