//! `graph-ext attributes …`: the fifteen extension attributes of users
//! (`onPremisesExtensionAttributes`) and devices (`extensionAttributes`).

use std::ops::ControlFlow;

use extensions_core::attributes::{
    AttributeCondition, Attributes, FindByAttribute, ReadAttributes, WriteAttributes,
};
use extensions_core::directory::op::FindIn;
use extensions_core::paging::for_each_page;
use serde_json::{Map, Value};

use crate::exec::Runner;
use crate::fail::{Fail, Outcome};
use crate::open::resource;
use crate::output::{Format, Records, print, say, write_failed};
use crate::props::condition;

/// `13` or `extensionAttribute13`: the number.
fn attribute_number(text: &str) -> Result<u8, Fail> {
    let digits = text
        .strip_prefix("extensionAttribute")
        .unwrap_or(text)
        .trim();
    digits
        .parse::<u8>()
        .ok()
        .filter(|n| (1..=15).contains(n))
        .ok_or_else(|| {
            Fail::Input(format!(
                "{text:?}: an extension attribute is 1 to 15 (or extensionAttribute1 … extensionAttribute15)"
            ))
        })
}

pub(crate) async fn get(r: &Runner, on: &str) -> Outcome {
    let res = resource(on)?;
    let a = r.run(&ReadAttributes::new(&res)).await?;
    print(&a.to_json())
}

pub(crate) async fn set(r: &Runner, on: &str, assignments: &[String]) -> Outcome {
    let res = resource(on)?;
    if assignments.is_empty() {
        return Err(Fail::Input(
            "give at least one N=VALUE (N=null removes a value)".into(),
        ));
    }
    let mut a = Attributes::new();
    for s in assignments {
        let (n, v) = s
            .split_once('=')
            .ok_or_else(|| Fail::Input(format!("{s:?}: expected N=VALUE, such as 13=CC-4410")))?;
        let n = attribute_number(n)?;
        if a.is_named(n) {
            return Err(Fail::Input(format!("extensionAttribute{n} is given twice")));
        }
        a.set(n, (v != "null").then_some(v)).map_err(Fail::Api)?;
    }
    r.run(&WriteAttributes::new(&res, &a)).await?;
    say!("set {} on {on}", assignments.len());
    Ok(())
}

/// The collections extension attributes are found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum AttributeCollection {
    Users,
    Devices,
}

pub(crate) async fn find(
    r: &Runner,
    collection: AttributeCollection,
    w: &str,
    format: Format,
) -> Outcome {
    let (n, negated, value) = condition(w)?;
    let n = attribute_number(n)?;
    let cond = match (value, negated) {
        (None, false) => AttributeCondition::is_unset(n),
        (None, true) => AttributeCondition::is_set(n),
        (Some(v), false) => AttributeCondition::eq(n, v),
        (Some(v), true) => AttributeCondition::ne(n, v),
    }
    .map_err(Fail::Api)?;
    let (find_in, prefix) = match collection {
        AttributeCollection::Users => (FindIn::Users, "users"),
        AttributeCollection::Devices => (FindIn::Devices, "devices"),
    };
    let advanced = cond.is_advanced();
    let mut out = Records::new(format, &[format!("extensionAttribute{n}")]);
    let mut count = 0usize;
    for_each_page(
        r,
        FindByAttribute::new(find_in, &cond),
        move |l| FindByAttribute::next(find_in, l, advanced),
        |items| {
            for (id, attrs) in items {
                let mut record = Map::new();
                record.insert(
                    "on".into(),
                    Value::String(format!("{prefix}/{}", id.unwrap_or_default())),
                );
                let Value::Object(props) = attrs.to_json() else {
                    continue;
                };
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
