//! Directory extensions and the applications that own them: `/applications` (by object id and
//! by `(appId='…')`), `/servicePrincipals`, `…/extensionProperties` (create with the
//! transformed name, list with `$filter=name eq`, get, delete) and
//! `/directoryObjects/getAvailableExtensionProperties`. The values themselves live on the
//! resources (`data`), and extension attributes beside them.
//!
//! One registry per tenant, inside its store: a reset or a seed replaces it with the rest.

pub(crate) mod data;

use std::collections::BTreeMap;

use extensions_core::directory::{
    AppId, DataType, PropertyName, TargetObject, check_directory_name,
};
use serde_json::{Map, Value, json};

use super::{Reply, error};

/// An application registration.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct App {
    /// The object id.
    pub(crate) id: String,
    /// The `appId`, as written (hyphenated).
    pub(crate) app_id: String,
    pub(crate) display_name: String,
}

impl App {
    fn hex(&self) -> String {
        AppId::new(&self.app_id)
            .map(|a| a.hex().to_owned())
            .unwrap_or_default()
    }

    fn json(&self) -> Value {
        json!({ "id": self.id, "appId": self.app_id, "displayName": self.display_name })
    }
}

/// One directory extension definition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Def {
    pub(crate) id: String,
    /// The full name, `extension_{hex}_{name}`.
    pub(crate) name: String,
    /// The owner app's `appId` digits.
    pub(crate) app_hex: String,
    pub(crate) app_display_name: String,
    pub(crate) data_type: DataType,
    pub(crate) multi: bool,
    pub(crate) targets: Vec<TargetObject>,
    /// Synced from on-premises (seeded only): cannot be deleted.
    pub(crate) synced: bool,
}

impl Def {
    fn json(&self) -> Value {
        json!({
            "id": self.id,
            "deletedDateTime": null,
            "appDisplayName": self.app_display_name,
            "dataType": self.data_type.as_str(),
            "isMultiValued": self.multi,
            "isSyncedFromOnPremises": self.synced,
            "name": self.name,
            "targetObjects": self.targets.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
        })
    }

    /// The seed form: the definition plus its owner's `appId`.
    fn seed(&self) -> Value {
        let mut v = self.json();
        v["appId"] = json!(hyphenated(&self.app_hex));
        v
    }
}

fn hyphenated(hex: &str) -> String {
    AppId::new(hex).map(|a| a.to_string()).unwrap_or_default()
}

/// A tenant's applications, service principals and directory extension definitions.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    pub(crate) apps: Vec<App>,
    principals: Vec<Value>,
    pub(crate) defs: Vec<Def>,
    next: u64,
}

fn bad(message: &str) -> Reply {
    error(400, "Request_BadRequest", message)
}

fn not_found(id: &str) -> Reply {
    error(
        404,
        "Request_ResourceNotFound",
        &format!(
            "Resource '{id}' does not exist or one of its queried reference-property objects are not present."
        ),
    )
}

fn string_field<'a>(body: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    body.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str())
}

impl Registry {
    /// A GUID-shaped id, distinct from the store's (`…-8001-…`).
    fn guid(&mut self) -> String {
        self.next += 1;
        let n = self.next;
        format!(
            "{:08x}-0000-4000-8001-{n:012x}",
            n.wrapping_mul(2_654_435_761) as u32
        )
    }

    /// The live definition named `name` (letter case ignored).
    pub(crate) fn def(&self, name: &str) -> Option<&Def> {
        self.defs.iter().find(|d| d.name.eq_ignore_ascii_case(name))
    }

    /// The app a path's key names: `{objectId}` or `(appId='…')`.
    fn app(&self, key: &AppKey) -> Option<&App> {
        self.apps.iter().find(|a| match key {
            AppKey::Object(id) => a.id.eq_ignore_ascii_case(id),
            AppKey::AppId(app_id) => {
                AppId::new(app_id).is_ok_and(|k| AppId::new(&a.app_id).is_ok_and(|x| x == k))
            }
        })
    }

    /// Adds what a seed declares: `applications`, `servicePrincipals`, `extensionProperties`
    /// (each with its owner's `appId`; the owner need not be seeded, as a multi-tenant app's).
    pub(crate) fn seed(&mut self, key: &str, items: Vec<Value>) -> Result<(), String> {
        for item in items {
            let o = item
                .as_object()
                .ok_or_else(|| format!("every item of `{key}` must be an object"))?;
            match key {
                "applications" => {
                    let app_id =
                        string_field(o, "appId").ok_or("a seeded application needs an `appId`")?;
                    AppId::new(app_id).map_err(|e| format!("seeded application: {e}"))?;
                    let id = match string_field(o, "id") {
                        Some(id) => id.to_owned(),
                        None => self.guid(),
                    };
                    self.apps.push(App {
                        id,
                        app_id: app_id.to_ascii_lowercase(),
                        display_name: string_field(o, "displayName").unwrap_or("").to_owned(),
                    });
                }
                "servicePrincipals" => self.principals.push(item.clone()),
                _ => {
                    let app_id = string_field(o, "appId")
                        .ok_or("a seeded extension property needs its owner's `appId`")?;
                    let app = AppId::new(app_id)
                        .map_err(|e| format!("seeded extension property: {e}"))?;
                    let name = string_field(o, "name")
                        .ok_or("a seeded extension property needs a `name`")?;
                    let full = if name.starts_with("extension_") {
                        PropertyName::parse(name)
                    } else {
                        PropertyName::new(&app, name)
                    }
                    .map_err(|e| format!("seeded extension property: {e}"))?;
                    let (data_type, multi, targets) = parse_shape(o).map_err(|r| {
                        format!("seeded extension property {name}: {}", message(&r))
                    })?;
                    let id = match string_field(o, "id") {
                        Some(id) => id.to_owned(),
                        None => self.guid(),
                    };
                    let display = self
                        .apps
                        .iter()
                        .find(|a| a.hex() == app.hex())
                        .map(|a| a.display_name.clone())
                        .or_else(|| string_field(o, "appDisplayName").map(str::to_owned))
                        .unwrap_or_default();
                    self.defs.push(Def {
                        id,
                        name: full.to_string(),
                        app_hex: app.hex().to_owned(),
                        app_display_name: display,
                        data_type,
                        multi,
                        targets,
                        synced: o
                            .get("isSyncedFromOnPremises")
                            .and_then(Value::as_bool)
                            .unwrap_or(false),
                    });
                }
            }
        }
        Ok(())
    }

    /// The registry in the seed format, for `/_emulator/state`.
    pub(crate) fn dump(&self, into: &mut Map<String, Value>) {
        if !self.apps.is_empty() {
            into.insert(
                "applications".into(),
                self.apps.iter().map(App::json).collect(),
            );
        }
        if !self.principals.is_empty() {
            into.insert("servicePrincipals".into(), self.principals.clone().into());
        }
        if !self.defs.is_empty() {
            into.insert(
                "extensionProperties".into(),
                self.defs.iter().map(Def::seed).collect(),
            );
        }
    }
}

fn message(r: &Reply) -> String {
    r.body
        .as_ref()
        .and_then(|b| b["error"]["message"].as_str())
        .unwrap_or("invalid")
        .to_owned()
}

/// `dataType`, `isMultiValued` and `targetObjects` of a create body, checked.
fn parse_shape(o: &Map<String, Value>) -> Result<(DataType, bool, Vec<TargetObject>), Reply> {
    let data_type = string_field(o, "dataType")
        .and_then(DataType::from_name)
        .ok_or_else(|| {
            bad("Invalid value specified for property 'dataType' of resource 'ExtensionProperty'.")
        })?;
    let multi = match o.get("isMultiValued") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(bad(
                "Invalid value specified for property 'isMultiValued' of resource 'ExtensionProperty'.",
            ));
        }
    };
    let invalid_targets = || {
        bad("Invalid value specified for property 'targetObjects' of resource 'ExtensionProperty'.")
    };
    let targets = o
        .get("targetObjects")
        .and_then(Value::as_array)
        .ok_or_else(invalid_targets)?
        .iter()
        .map(|t| t.as_str().and_then(TargetObject::from_name))
        .collect::<Option<Vec<_>>>()
        .filter(|t| !t.is_empty())
        .ok_or_else(invalid_targets)?;
    let mut sorted = targets.clone();
    sorted.sort();
    sorted.dedup();
    if sorted.len() != targets.len() {
        return Err(invalid_targets());
    }
    Ok((data_type, multi, targets))
}

/// How a path names an application.
#[derive(Debug, PartialEq)]
enum AppKey {
    Object(String),
    AppId(String),
}

/// Splits `/applications…` after the version: the app's key (if any) and what follows it.
fn app_route(rest: &str) -> Result<(Option<AppKey>, Vec<String>), Reply> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    if rest.is_empty() {
        return Ok((None, Vec::new()));
    }
    let (key, tail) = if let Some(r) = rest.strip_prefix('(') {
        let (inside, tail) = r
            .split_once(')')
            .ok_or_else(|| bad("Invalid application key."))?;
        let inside = decode(inside);
        let value = inside
            .split_once('=')
            .filter(|(k, _)| k.trim().eq_ignore_ascii_case("appId"))
            .map(|(_, v)| v.trim().trim_matches('\'').to_owned())
            .ok_or_else(|| bad("Invalid application key: use (appId='…')."))?;
        (AppKey::AppId(value), tail)
    } else if let Some(r) = rest.strip_prefix('/') {
        let (id, tail) = r.split_once('/').unwrap_or((r, ""));
        (AppKey::Object(decode(id)), tail)
    } else {
        return Err(super::unknown_segment(rest));
    };
    let segments = tail
        .split('/')
        .filter(|s| !s.is_empty())
        .map(decode)
        .collect();
    Ok((Some(key), segments))
}

/// `/applications…`, `/servicePrincipals…`, `/directoryObjects/getAvailableExtensionProperties`
/// (the raw path after the version).
pub(crate) fn handle(
    registry: &mut Registry,
    method: &str,
    raw_path: &str,
    query: &BTreeMap<String, String>,
    body: Option<&Value>,
) -> Reply {
    let body = body.and_then(Value::as_object);
    if let Some(rest) = raw_path.strip_prefix("/applications") {
        return match app_route(rest) {
            Ok((key, segments)) => applications(registry, method, key, &segments, query, body),
            Err(r) => r,
        };
    }
    if let Some(rest) = raw_path.strip_prefix("/servicePrincipals") {
        return service_principals(registry, method, rest, body);
    }
    if raw_path.eq_ignore_ascii_case("/directoryObjects/getAvailableExtensionProperties") {
        if method != "POST" {
            return method_not_allowed(method);
        }
        let synced = body
            .and_then(|b| b.get("isSyncedFromOnPremises"))
            .and_then(Value::as_bool);
        let value: Vec<Value> = registry
            .defs
            .iter()
            .filter(|d| synced.is_none_or(|s| d.synced == s))
            .map(Def::json)
            .collect();
        return Reply::json(200, json!({ "value": value }));
    }
    super::unknown_segment(raw_path.trim_start_matches('/'))
}

fn method_not_allowed(method: &str) -> Reply {
    error(
        405,
        "Request_BadRequest",
        &format!("The method {method} is not supported here."),
    )
}

fn applications(
    registry: &mut Registry,
    method: &str,
    key: Option<AppKey>,
    segments: &[String],
    query: &BTreeMap<String, String>,
    body: Option<&Map<String, Value>>,
) -> Reply {
    let Some(key) = key else {
        return match method {
            "GET" => {
                // `$filter=displayName eq '…'` or `appId eq '…'`.
                let wanted = match query.get("$filter") {
                    None => None,
                    Some(f) => match app_filter(f) {
                        Some(w) => Some(w),
                        None => {
                            return error(
                                400,
                                "Request_UnsupportedQuery",
                                "Unsupported query: applications are filtered here with displayName eq '…' or appId eq '…'.",
                            );
                        }
                    },
                };
                let value: Vec<Value> = registry
                    .apps
                    .iter()
                    .filter(|a| match &wanted {
                        None => true,
                        Some((true, v)) => a.display_name == *v,
                        Some((false, v)) => a.app_id.eq_ignore_ascii_case(v),
                    })
                    .map(App::json)
                    .collect();
                Reply::json(200, json!({ "value": value }))
            }
            "POST" => {
                let Some(name) = body.and_then(|b| string_field(b, "displayName")) else {
                    return bad("A new application needs a displayName.");
                };
                let app = App {
                    id: registry.guid(),
                    app_id: registry.guid(),
                    display_name: name.to_owned(),
                };
                let reply = Reply::json(201, app.json());
                registry.apps.push(app);
                reply
            }
            m => method_not_allowed(m),
        };
    };
    let Some(app) = registry.app(&key).cloned() else {
        return not_found(match &key {
            AppKey::Object(id) | AppKey::AppId(id) => id,
        });
    };
    match (method, segments) {
        ("GET", []) => Reply::json(200, app.json()),
        (_, []) => method_not_allowed(method),
        (_, [coll, rest @ ..]) if coll.eq_ignore_ascii_case("extensionProperties") => {
            extension_properties(registry, &app, method, rest, query, body)
        }
        (_, [seg, ..]) => super::unknown_segment(seg),
    }
}

fn extension_properties(
    registry: &mut Registry,
    app: &App,
    method: &str,
    rest: &[String],
    query: &BTreeMap<String, String>,
    body: Option<&Map<String, Value>>,
) -> Reply {
    let hex = app.hex();
    match (method, rest) {
        ("GET", []) => {
            let name = match query.get("$filter") {
                None => None,
                Some(f) => match name_filter(f) {
                    Some(n) => Some(n),
                    None => {
                        return error(
                            400,
                            "Request_UnsupportedQuery",
                            "Unsupported query: extension properties are filtered with name eq '…'.",
                        );
                    }
                },
            };
            let value: Vec<Value> = registry
                .defs
                .iter()
                .filter(|d| d.app_hex == hex)
                .filter(|d| {
                    name.as_deref()
                        .is_none_or(|n| d.name.eq_ignore_ascii_case(n))
                })
                .map(Def::json)
                .collect();
            Reply::json(200, json!({ "value": value }))
        }
        ("POST", []) => {
            let Some(body) = body else {
                return bad("A request body is required.");
            };
            let Some(name) = string_field(body, "name") else {
                return bad(
                    "Invalid value specified for property 'name' of resource 'ExtensionProperty'.",
                );
            };
            if let Err(reason) = check_directory_name(name) {
                return bad(&format!(
                    "Invalid value specified for property 'name' of resource 'ExtensionProperty': {reason}."
                ));
            }
            let (data_type, multi, targets) = match parse_shape(body) {
                Ok(s) => s,
                Err(r) => return r,
            };
            let full = format!("extension_{hex}_{name}");
            if registry.def(&full).is_some() {
                return bad(&format!(
                    "An extension property named {full} already exists on this application."
                ));
            }
            let def = Def {
                id: registry.guid(),
                name: full,
                app_hex: hex,
                app_display_name: app.display_name.clone(),
                data_type,
                multi,
                targets,
                synced: false,
            };
            let reply = Reply::json(201, def.json());
            registry.defs.push(def);
            reply
        }
        (_, []) => method_not_allowed(method),
        (m, [id]) => {
            let Some(at) = registry
                .defs
                .iter()
                .position(|d| d.app_hex == hex && d.id.eq_ignore_ascii_case(id))
            else {
                return not_found(id);
            };
            match m {
                "GET" => Reply::json(200, registry.defs[at].json()),
                "DELETE" if registry.defs[at].synced => bad(
                    "A directory extension synced from on-premises Active Directory cannot be deleted.",
                ),
                "DELETE" => {
                    // The values stay on the resources, hidden: they still count, and show
                    // again if the same name is created again on this app.
                    registry.defs.remove(at);
                    Reply::empty(204)
                }
                m => method_not_allowed(m),
            }
        }
        (_, [_, seg, ..]) => super::unknown_segment(seg),
    }
}

/// `{field} eq '…'`: the field and the literal.
fn eq_filter(f: &str) -> Option<(&str, String)> {
    let mut words = f.trim().splitn(3, ' ');
    let (lhs, op, lit) = (words.next()?, words.next()?, words.next()?.trim());
    if !op.eq_ignore_ascii_case("eq") {
        return None;
    }
    let lit = lit
        .strip_prefix('\'')
        .and_then(|l| l.strip_suffix('\''))
        .map(|l| l.replace("''", "'"))?;
    Some((lhs, lit))
}

/// `name eq '…'`: the name.
fn name_filter(f: &str) -> Option<String> {
    eq_filter(f).and_then(|(lhs, lit)| lhs.eq_ignore_ascii_case("name").then_some(lit))
}

/// `displayName eq '…'` (`true`) or `appId eq '…'` (`false`), and the literal.
fn app_filter(f: &str) -> Option<(bool, String)> {
    let (lhs, lit) = eq_filter(f)?;
    if lhs.eq_ignore_ascii_case("displayName") {
        Some((true, lit))
    } else if lhs.eq_ignore_ascii_case("appId") {
        Some((false, lit))
    } else {
        None
    }
}

fn service_principals(
    registry: &mut Registry,
    method: &str,
    rest: &str,
    body: Option<&Map<String, Value>>,
) -> Reply {
    match (method, rest) {
        ("GET", "") => Reply::json(200, json!({ "value": registry.principals })),
        ("POST", "") => {
            let Some(app_id) = body.and_then(|b| string_field(b, "appId")) else {
                return bad("A new service principal needs the appId of its application.");
            };
            let Some(app) = registry.app(&AppKey::AppId(app_id.to_owned())).cloned() else {
                return not_found(app_id);
            };
            let sp = json!({
                "id": registry.guid(),
                "appId": app.app_id,
                "appDisplayName": app.display_name,
                "displayName": app.display_name,
            });
            registry.principals.push(sp.clone());
            Reply::json(201, sp)
        }
        ("GET" | "POST", _) => super::unknown_segment(rest.trim_start_matches('/')),
        (m, _) => method_not_allowed(m),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_names() {
        assert_eq!(
            app_route("(appId='5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb')/extensionProperties")
                .unwrap(),
            (
                Some(AppKey::AppId("5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb".into())),
                vec!["extensionProperties".to_owned()]
            )
        );
        assert_eq!(
            app_route("/o1/extensionProperties/d1").unwrap(),
            (
                Some(AppKey::Object("o1".into())),
                vec!["extensionProperties".to_owned(), "d1".to_owned()]
            )
        );
        assert_eq!(app_route("/o1").unwrap().1, Vec::<String>::new());
        assert_eq!(name_filter("name eq 'a''b'"), Some("a'b".into()));
        assert_eq!(name_filter("id eq 'x'"), None);
    }
}
