//! `graph-ext open …`: one extension on one resource, and the scan of every user.

use std::ops::ControlFlow;

use extensions_core::op::{Create, Delete, GetUntyped, List, NextPage, Patch, UsersPage};
use extensions_core::paging::for_each_page;
use extensions_core::response::ExtensionObject;
use extensions_core::{ExtensionName, Resource};
use serde_json::{Map, Value};

use crate::exec::Runner;
use crate::fail::{Fail, Outcome};
use crate::output::{Format, Records, print, say, write_failed};
use crate::props;
use crate::{expr, input};

/// A resource from the path users type: `users/adele@contoso.com`, `me/messages/AAMk…`,
/// `groups/{id}/events/{id}`, `/directory/administrativeUnits/{id}`.
pub(crate) fn resource(on: &str) -> Result<Resource, Fail> {
    let path = format!("/{}", on.trim_start_matches('/'));
    Resource::parse(&path).map_err(|e| {
        Fail::Input(format!(
            "--on {on:?} is not a resource that carries extensions ({e}); for example users/adele@contoso.com, me/messages/ID, groups/ID, devices/ID, users/ID/todo/lists/ID/tasks/ID"
        ))
    })
}

/// A checked extension name.
pub(crate) fn name(name: &str) -> Result<ExtensionName, Fail> {
    ExtensionName::new(name.to_owned()).map_err(|e| match e {
        // The library's text names an opt-in graph-ext does not offer.
        extensions_core::NameError::NotReverseDns => Fail::Input(format!(
            "--name {name:?}: an extension name is reverse-DNS, such as com.contoso.{name} (graph-ext reads and writes reverse-DNS names only)"
        )),
        extensions_core::NameError::MicrosoftDomain => Fail::Input(format!(
            "--name {name:?}: extension names in the Microsoft domain (com.microsoft, com.onmicrosoft) are reserved; use your own domain, reversed, such as com.contoso.{}",
            name.rsplit('.').next().unwrap_or(name)
        )),
        e => Fail::Api(e.into()),
    })
}

/// An extension as JSON: `id`, `extensionName`, then its properties.
pub(crate) fn extension_json(e: &ExtensionObject) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("id".into(), Value::String(e.id.clone()));
    if let Some(n) = &e.extension_name {
        o.insert("extensionName".into(), Value::String(n.clone()));
    }
    o.extend(props::to_json(&e.properties));
    o
}

pub(crate) async fn get(r: &Runner, on: &str, ext: &str) -> Outcome {
    let (res, name) = (resource(on)?, name(ext)?);
    match r.run(&GetUntyped::new(&res, &name)).await? {
        Some(e) => print(&Value::Object(extension_json(&e))),
        None => Err(Fail::NotFound(format!("{on} has no extension {ext}"))),
    }
}

pub(crate) async fn list(r: &Runner, on: &str) -> Outcome {
    let res = resource(on)?;
    let page = r.run(&List::new(&res)).await?;
    let items: Vec<Value> = page
        .items
        .iter()
        .map(|e| Value::Object(extension_json(e)))
        .collect();
    print(&Value::Array(items))
}

pub(crate) async fn add(
    r: &Runner,
    on: &str,
    ext: &str,
    items: &[String],
    json: Option<&str>,
) -> Outcome {
    let (res, name) = (resource(on)?, name(ext)?);
    let text = match json {
        Some(path) => Some((path, input::read_text(path).await?)),
        None => None,
    };
    let props = props::parse(items, text.as_ref().map(|(p, t)| (*p, t.as_str())))?;
    let stored = r
        .run(&Create::untyped(&res, &name, &props))
        .await
        .map_err(|e| {
            if crate::bulk::is_there(&e) {
                Fail::Hinted(
                    e,
                    format!(
                        "{on} already has {ext}: `graph-ext open set` changes it (add only creates)"
                    ),
                )
            } else {
                Fail::Api(e)
            }
        })?;
    print(&Value::Object(extension_json(&stored)))
}

/// `set`: the whole property set (a PATCH replaces it on directory objects), or with
/// `keep_unchanged` the stored set with these properties changed (read, merge, write); created
/// where absent, as `bulk set` does.
pub(crate) async fn set(
    r: &Runner,
    on: &str,
    ext: &str,
    items: &[String],
    json: Option<&str>,
    keep_unchanged: bool,
) -> Outcome {
    let (res, name) = (resource(on)?, name(ext)?);
    let text = match json {
        Some(path) => Some((path, input::read_text(path).await?)),
        None => None,
    };
    let given = props::parse(items, text.as_ref().map(|(p, t)| (*p, t.as_str())))?;
    let stored = if keep_unchanged {
        r.run(&GetUntyped::new(&res, &name)).await?
    } else {
        None
    };
    let props = match stored {
        Some(stored) => {
            let mut merged = stored.properties;
            for (k, v) in given.iter() {
                merged.insert(k, v.clone());
            }
            merged
        }
        None => given,
    };
    let patched = match r.run(&Patch::untyped(&res, &name, &props)).await {
        Ok(p) => p,
        // Not there: created with the set, as `bulk set` does.
        Err(e) if crate::bulk::is_absent(&e) => {
            let created = r.run(&Create::untyped(&res, &name, &props)).await?;
            say!("created {ext} on {on}");
            Some(created)
        }
        Err(e) => return Err(e.into()),
    };
    match patched {
        Some(e) => print(&Value::Object(extension_json(&e))),
        None => {
            // Directory objects answer 204; the id of their extensions is the name.
            let mut o = Map::new();
            o.insert("id".into(), Value::String(ext.to_owned()));
            o.insert("extensionName".into(), Value::String(ext.to_owned()));
            o.extend(props::to_json(&props));
            print(&Value::Object(o))
        }
    }
}

pub(crate) async fn remove(r: &Runner, on: &str, ext: &str) -> Outcome {
    let (res, name) = (resource(on)?, name(ext)?);
    if r.run(&Delete::new(&res, &name)).await? {
        say!("removed {ext} from {on}");
        Ok(())
    } else {
        Err(Fail::NotFound(format!("{on} has no extension {ext}")))
    }
}

/// What `scan` was asked.
pub(crate) struct Scan<'a> {
    pub(crate) name: &'a str,
    pub(crate) filter: Option<&'a str>,
    pub(crate) select: &'a [String],
    pub(crate) format: Format,
    pub(crate) page_size: u32,
}

/// Every user holding the extension (and matching `--where`), page by page through
/// `$expand=extensions`, written as it is read: one page of users in memory at a time.
pub(crate) async fn scan(r: &Runner, s: Scan<'_>) -> Outcome {
    let name = name(s.name)?;
    let filter = s.filter.map(expr::parse).transpose().map_err(Fail::Input)?;
    let bar = crate::fail::Bar(indicatif::ProgressBar::with_draw_target(
        None,
        indicatif::ProgressDrawTarget::stderr(),
    ));
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} users scanned, {msg} [{elapsed}]")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    let mut out = Records::new(s.format, s.select);
    let (mut scanned, mut matched) = (0u64, 0u64);
    // What `--where` names, and the types each was held with: a name no user holds, or a
    // comparison with a type no stored value has, matches nothing, which is said at the end.
    let named = filter
        .as_ref()
        .map(expr::Expr::properties)
        .unwrap_or_default();
    let mut held: std::collections::BTreeMap<&str, std::collections::BTreeSet<&'static str>> =
        named
            .iter()
            .map(|(p, _)| (p.as_str(), Default::default()))
            .collect();
    let mut holders = 0u64;
    // Page by page through the runner (so --verbose shows each page), one page in memory; a
    // link already followed, or pages without users that never end, stop the scan.
    let first = UsersPage::new(Some(s.page_size));
    for_each_page(r, first, NextPage::new, |users| {
        for user in users {
            scanned += 1;
            bar.set_position(scanned);
            let Some(ext) = user.extensions.iter().find(|e| e.has_name(name.as_str())) else {
                continue;
            };
            let props = props::to_json(&ext.properties);
            holders += 1;
            for (p, kinds) in held.iter_mut() {
                if let Some(v) = props.get(*p) {
                    kinds.insert(expr::kind(v));
                }
            }
            if filter.as_ref().is_some_and(|f| !f.matches(&props)) {
                continue;
            }
            matched += 1;
            bar.set_message(format!("{matched} matched"));
            let id = user.id.clone().unwrap_or_default();
            let mut record = Map::new();
            record.insert("on".into(), Value::String(format!("users/{id}")));
            // Always there (null when Graph gave none), so that every record has the same
            // top-level columns.
            record.insert(
                "userPrincipalName".into(),
                user.fields
                    .get("userPrincipalName")
                    .cloned()
                    .unwrap_or(Value::Null),
            );
            let selected: Map<String, Value> = if s.select.is_empty() {
                props
            } else {
                s.select
                    .iter()
                    .map(|k| (k.clone(), props.get(k).cloned().unwrap_or(Value::Null)))
                    .collect()
            };
            record.insert("properties".into(), Value::Object(selected));
            out.write(&record).map_err(|e| write_failed(&e))?;
        }
        Ok::<_, Fail>(ControlFlow::Continue(()))
    })
    .await?;
    bar.finish_and_clear();
    out.finish().map_err(|e| write_failed(&e))?;
    say!("{scanned} users scanned, {matched} with {} matched", s.name);
    if holders > 0 {
        for warning in where_warnings(s.name, &named, &held) {
            say!("warning: {warning}");
        }
    }
    Ok(())
}

/// Why a `--where` may have matched nothing: a property no user's extension holds, or a
/// comparison with a literal of a type no stored value of the property has.
fn where_warnings(
    ext: &str,
    named: &[(String, Option<&'static str>)],
    held: &std::collections::BTreeMap<&str, std::collections::BTreeSet<&'static str>>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (p, kinds) in held {
        if kinds.is_empty() {
            out.push(format!(
                "--where names {p:?}, which no user's {ext} holds (property names are case-sensitive)"
            ));
        }
    }
    let mut said = std::collections::BTreeSet::new();
    for (p, literal) in named {
        let (Some(literal), Some(kinds)) = (literal, held.get(p.as_str())) else {
            continue;
        };
        if !kinds.is_empty() && !kinds.contains(literal) && said.insert((p.as_str(), *literal)) {
            let stored: Vec<&str> = kinds.iter().copied().collect();
            out.push(format!(
                "--where compares {p:?} with a {literal}, but every stored {p:?} is a {}: such a comparison never holds (compare with a {})",
                stored.join(" or "),
                stored.join(" or a ")
            ));
        }
    }
    out
}
