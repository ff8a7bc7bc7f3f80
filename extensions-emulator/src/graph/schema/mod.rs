//! Schema extension definitions (`/schemaExtensions`): the registry shared by every tenant, the
//! lifecycle, who may do what, and Graph's refusals.
//!
//! Decisions where the public pages are silent are in `extensions_core::graph_behaviour`
//! ("Schema extensions: definitions"); the emulator answers the same way.

use std::collections::BTreeMap;
use std::sync::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use extensions_core::schema::{
    Definition, PropertyType, SchemaId, SchemaIdForm, Status, TargetType,
};
use serde_json::{Map, Value, json};

pub(crate) mod data;

use super::{Caller, Reply, error};

/// At most this many definitions per owner app (the extensions overview).
pub(crate) const MAX_PER_OWNER: usize = 5;

/// One definition and the tenant of its owner app.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StoredDef {
    pub(crate) def: Definition,
    pub(crate) tenant: String,
}

impl StoredDef {
    fn status(&self) -> Status {
        self.def.status.unwrap_or(Status::InDevelopment)
    }

    /// Whether `caller` may see and use it: an InDevelopment definition only in its owner's
    /// tenant.
    pub(crate) fn usable_by(&self, caller: &Caller) -> bool {
        self.status() != Status::InDevelopment || self.tenant == caller.tenant
    }

    /// Whether `caller` may manage it: its owner app, or (delegated) a user of the owner's
    /// tenant, who the pages say must own that app.
    fn managed_by(&self, caller: &Caller) -> bool {
        self.tenant == caller.tenant
            && (caller.me.is_some() || self.def.owner.as_deref() == Some(caller.app_id.as_str()))
    }
}

/// Every definition, across tenants (an Available one is usable everywhere).
#[derive(Debug, Default)]
pub(crate) struct Schemas {
    defs: Mutex<BTreeMap<String, StoredDef>>,
    next: Mutex<u64>,
    /// Held (shared) by each request that may write data, from the check of its definitions
    /// to the write, and (alone) by a definition's delete from the removal to the purge of its
    /// data: so no write checked against a definition lands after that definition's purge.
    data_gate: RwLock<()>,
}

/// What the definitions routes need of the caller's tenant.
pub(crate) struct TenantView<'a> {
    pub(crate) domains: &'a [String],
    pub(crate) app_ids: Vec<&'a str>,
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

fn denied() -> Reply {
    error(
        403,
        "Authorization_RequestDenied",
        "Cannot perform this extension schema write operation.",
    )
}

impl Schemas {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, StoredDef>> {
        self.defs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// For a request that may write schema data: taken before the tenant's store, held until
    /// its answer is ready.
    pub(crate) fn data_write(&self) -> RwLockReadGuard<'_, ()> {
        self.data_gate.read().unwrap_or_else(|e| e.into_inner())
    }

    /// For a definition's delete: taken before the tenant's store, held until its data is
    /// purged; waits for the writes in flight.
    pub(crate) fn definition_delete(&self) -> RwLockWriteGuard<'_, ()> {
        self.data_gate.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The definition `id` if `caller` may use it.
    pub(crate) fn usable(&self, id: &str, caller: &Caller) -> Option<StoredDef> {
        self.lock().get(id).filter(|d| d.usable_by(caller)).cloned()
    }

    /// Replaces the definitions of `tenant` (seeding and reset).
    pub(crate) fn replace_tenant(&self, tenant: &str, defs: Vec<Definition>) {
        let mut all = self.lock();
        all.retain(|_, d| d.tenant != tenant);
        for def in defs {
            all.insert(
                def.id.to_string(),
                StoredDef {
                    def,
                    tenant: tenant.to_owned(),
                },
            );
        }
    }

    /// Adds (or replaces) definitions owned in `tenant` (`POST /_emulator/seed`).
    pub(crate) fn add(&self, tenant: &str, defs: Vec<Definition>) {
        let mut all = self.lock();
        for def in defs {
            all.insert(
                def.id.to_string(),
                StoredDef {
                    def,
                    tenant: tenant.to_owned(),
                },
            );
        }
    }

    /// Every definition with the tenant it was registered in (for the console).
    pub(crate) fn dump_all(&self) -> Vec<(String, Value)> {
        self.lock()
            .values()
            .map(|d| {
                (
                    d.tenant.clone(),
                    serde_json::to_value(&d.def).unwrap_or(Value::Null),
                )
            })
            .collect()
    }

    /// The definitions of `tenant`, as JSON (for `/_emulator/state`).
    pub(crate) fn dump(&self, tenant: &str) -> Vec<Value> {
        self.lock()
            .values()
            .filter(|d| d.tenant == tenant)
            .map(|d| serde_json::to_value(&d.def).unwrap_or(Value::Null))
            .collect()
    }

    /// `ext` and eight lower-case letters and digits, distinct per call (deterministic, as the
    /// rest of the emulator).
    fn assigned_prefix(&self) -> String {
        let mut n = self.next.lock().unwrap_or_else(|e| e.into_inner());
        *n += 1;
        let mut x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5851_F42D_4C95_7F2D;
        let mut out = String::from("ext");
        for _ in 0..8 {
            let d = (x % 36) as u8;
            out.push(char::from(if d < 10 { b'0' + d } else { b'a' + d - 10 }));
            x /= 36;
        }
        out
    }

    /// Handles `/schemaExtensions{rest}`; `Err` carries the refusal. `Ok(Some(id))` for a
    /// deleted definition, whose data the caller then removes from resources.
    pub(crate) fn handle(
        &self,
        caller: &Caller,
        tenant: &TenantView<'_>,
        method: &str,
        rest: &str,
        query: &BTreeMap<String, String>,
        body: Option<&Value>,
    ) -> (Reply, Option<String>) {
        let result = match (rest.trim_end_matches('/'), method) {
            ("", "GET") => self.list(caller, query),
            ("", "POST") => self.create(caller, tenant, body),
            (id, m) if id.starts_with('/') && !id[1..].contains('/') => {
                let id = percent_encoding::percent_decode_str(&id[1..])
                    .decode_utf8_lossy()
                    .into_owned();
                match m {
                    "GET" => self
                        .usable(&id, caller)
                        .map(|d| Reply::json(200, def_json(&d.def)))
                        .ok_or_else(|| not_found(&id)),
                    "PATCH" => self.update(caller, &id, body),
                    "DELETE" => {
                        return match self.delete(caller, &id) {
                            Ok(r) => (r, Some(id)),
                            Err(r) => (r, None),
                        };
                    }
                    _ => Err(error(
                        405,
                        "MethodNotAllowed",
                        &format!("The method {m} is not supported on this resource."),
                    )),
                }
            }
            (other, _) => Err(super::unknown_segment(
                other
                    .trim_start_matches('/')
                    .split('/')
                    .nth(1)
                    .unwrap_or(other),
            )),
        };
        (result.unwrap_or_else(|r| r), None)
    }

    fn list(&self, caller: &Caller, query: &BTreeMap<String, String>) -> Result<Reply, Reply> {
        let filter = match query.get("$filter") {
            None => None,
            Some(f) => Some(parse_definition_filter(f)?),
        };
        let value: Vec<Value> = self
            .lock()
            .values()
            .filter(|d| d.usable_by(caller))
            .filter(|d| {
                filter
                    .iter()
                    .flatten()
                    .all(|(field, v)| match field.as_str() {
                        "id" => d.def.id.as_str() == v,
                        "owner" => d.def.owner.as_deref() == Some(v.as_str()),
                        "status" => d
                            .def
                            .status
                            .is_some_and(|s| s.as_str().eq_ignore_ascii_case(v)),
                        _ => d.def.description.as_deref() == Some(v.as_str()),
                    })
            })
            .map(|d| def_json(&d.def))
            .collect();
        Ok(Reply::json(200, json!({ "value": value })))
    }

    fn create(
        &self,
        caller: &Caller,
        tenant: &TenantView<'_>,
        body: Option<&Value>,
    ) -> Result<Reply, Reply> {
        let Some(Value::Object(body)) = body else {
            return Err(bad(
                "A request body with a schema extension definition is required.",
            ));
        };
        let id = body
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("The property 'id' is required."))?;
        let id = SchemaId::new(id)
            .map_err(|e| bad(&format!("Invalid value for property 'id': {e}.")))?;
        let id = match id.form() {
            SchemaIdForm::Prefixed => {
                let prefix = id.as_str().split('_').next().unwrap_or_default();
                let verified = tenant.domains.iter().any(|d| {
                    let mut labels = d.rsplit('.');
                    let tld = labels.next().unwrap_or_default().to_ascii_lowercase();
                    let name = d.split('.').next().unwrap_or_default();
                    ["com", "net", "gov", "edu", "org"].contains(&tld.as_str())
                        && name.eq_ignore_ascii_case(prefix)
                });
                if !verified {
                    return Err(bad(&format!(
                        "The schema extension id prefix '{prefix}' is not a verified domain of this tenant under .com, .net, .gov, .edu or .org; verify the domain or give a bare name."
                    )));
                }
                id
            }
            SchemaIdForm::Bare => SchemaId::new(format!("{}_{}", self.assigned_prefix(), id))
                .map_err(|e| bad(&e.to_string()))?,
        };
        let owner = match body.get("owner") {
            None | Some(Value::Null) => caller.app_id.clone(),
            Some(Value::String(o)) if tenant.app_ids.contains(&o.as_str()) => o.clone(),
            Some(_) => {
                return Err(error(
                    403,
                    "Authorization_RequestDenied",
                    "Insufficient privileges to complete the operation.",
                ));
            }
        };
        let targets = read_targets(body.get("targetTypes"))?;
        if targets.is_empty() {
            return Err(bad(
                "The property 'targetTypes' needs at least one target type.",
            ));
        }
        let properties = read_properties(body.get("properties"))?;
        let def = Definition {
            id,
            description: body
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned),
            target_types: targets.iter().map(|t| t.as_str().to_owned()).collect(),
            properties,
            status: Some(Status::InDevelopment),
            owner: Some(owner.clone()),
        };
        def.check().map_err(|e| bad(&e.to_string()))?;
        let mut all = self.lock();
        if all.contains_key(def.id.as_str()) {
            return Err(bad(
                "Another object with the same value for property id already exists.",
            ));
        }
        let owned = all
            .values()
            .filter(|d| d.def.owner.as_deref() == Some(owner.as_str()))
            .count();
        if owned >= MAX_PER_OWNER {
            // The text Graph answers (microsoftgraph/microsoft-graph-docs#9494).
            return Err(bad(&format!(
                "Limit of: {MAX_PER_OWNER} extension schema definitions can be written."
            )));
        }
        let reply = Reply::json(201, def_json(&def));
        all.insert(
            def.id.to_string(),
            StoredDef {
                def,
                tenant: caller.tenant.clone(),
            },
        );
        Ok(reply)
    }

    fn update(&self, caller: &Caller, id: &str, body: Option<&Value>) -> Result<Reply, Reply> {
        let Some(Value::Object(body)) = body else {
            return Err(bad("A request body is required."));
        };
        let mut all = self.lock();
        let stored = all
            .get_mut(id)
            .filter(|d| d.usable_by(caller))
            .ok_or_else(|| not_found(id))?;
        // The owner must be in the body, even unchanged (microsoft-graph-docs-contrib#4994).
        if body.get("owner").and_then(Value::as_str) != stored.def.owner.as_deref()
            || !stored.managed_by(caller)
        {
            return Err(denied());
        }
        let mut next = stored.def.clone();
        let from = stored.status();
        if let Some(s) = body.get("status") {
            let to: Status = serde_json::from_value(s.clone()).map_err(|_| {
                bad("Invalid value for property 'status': InDevelopment, Available or Deprecated.")
            })?;
            if !from.can_become(to) {
                return Err(bad(&format!(
                    "The status cannot change from {from} to {to}: InDevelopment -> Available -> Deprecated -> Available."
                )));
            }
            next.status = Some(to);
        }
        let changes_more = ["description", "targetTypes", "properties"]
            .iter()
            .any(|k| body.contains_key(*k));
        if from == Status::Deprecated && changes_more {
            return Err(bad(
                "A Deprecated schema extension takes no new properties and no changes but its status.",
            ));
        }
        if let Some(d) = body.get("description") {
            next.description = d.as_str().map(str::to_owned);
        }
        if body.contains_key("targetTypes") {
            let targets = read_targets(body.get("targetTypes"))?;
            for t in next.targets() {
                if !targets.contains(&t) {
                    return Err(bad(&format!(
                        "Schema extension updates are additive: the target type '{}' cannot be removed.",
                        t.as_str()
                    )));
                }
            }
            next.target_types = targets.iter().map(|t| t.as_str().to_owned()).collect();
        }
        if body.contains_key("properties") {
            let properties = read_properties(body.get("properties"))?;
            for p in &next.properties {
                match properties.iter().find(|q| q.name == p.name) {
                    None => {
                        return Err(bad(&format!(
                            "Schema extension updates are additive: the property '{}' cannot be removed.",
                            p.name
                        )));
                    }
                    Some(q) if q.ty != p.ty => {
                        return Err(bad(&format!(
                            "Schema extension updates are additive: the property '{}' cannot change its type.",
                            p.name
                        )));
                    }
                    Some(_) => {}
                }
            }
            next.properties = properties;
        }
        next.check().map_err(|e| bad(&e.to_string()))?;
        stored.def = next;
        Ok(Reply::empty(204))
    }

    fn delete(&self, caller: &Caller, id: &str) -> Result<Reply, Reply> {
        let mut all = self.lock();
        let stored = all
            .get(id)
            .filter(|d| d.usable_by(caller))
            .ok_or_else(|| not_found(id))?;
        if !stored.managed_by(caller) {
            return Err(denied());
        }
        if stored.status() != Status::InDevelopment {
            return Err(bad(&format!(
                "Only a schema extension in status InDevelopment can be deleted; '{id}' is {}.",
                stored.status()
            )));
        }
        all.remove(id);
        Ok(Reply::empty(204))
    }
}

fn def_json(def: &Definition) -> Value {
    serde_json::to_value(def).unwrap_or(Value::Null)
}

fn read_targets(v: Option<&Value>) -> Result<Vec<TargetType>, Reply> {
    let Some(Value::Array(items)) = v else {
        return Err(bad(
            "The property 'targetTypes' must be an array of target types.",
        ));
    };
    items
        .iter()
        .map(|t| {
            t.as_str().and_then(TargetType::from_name).ok_or_else(|| {
                bad(&format!(
                    "Invalid target type {t}: schema extensions target User, Group, AdministrativeUnit, Contact, Device, Event, Message, Organization or Post."
                ))
            })
        })
        .collect()
}

fn read_properties(
    v: Option<&Value>,
) -> Result<Vec<extensions_core::schema::PropertyDefinition>, Reply> {
    let items = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(bad("The property 'properties' must be an array.")),
    };
    items
        .iter()
        .map(|p| {
            let o: &Map<String, Value> = p
                .as_object()
                .ok_or_else(|| bad("Each property is an object with 'name' and 'type'."))?;
            let name = o
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("Each property needs a 'name'."))?;
            let ty = o
                .get("type")
                .and_then(Value::as_str)
                .and_then(PropertyType::from_name)
                .ok_or_else(|| {
                    bad(&format!(
                        "Invalid type for property '{name}': Binary, Boolean, DateTime, Integer or String."
                    ))
                })?;
            Ok(extensions_core::schema::PropertyDefinition::new(name, ty))
        })
        .collect()
}

/// Clauses `id eq 'x'`, `owner eq 'x'`, `description eq 'x'` or `status eq 'x'`, joined by
/// `and` (the CLI for Microsoft 365 sends `status eq 'Available' and owner eq '…'`).
fn parse_definition_filter(f: &str) -> Result<Vec<(String, String)>, Reply> {
    let invalid = || {
        error(
            400,
            "BadRequest",
            "Invalid filter clause: schema extensions are filtered with eq on id, owner, description or status, joined by and.",
        )
    };
    crate::graph::split_and(f.trim())
        .into_iter()
        .map(|clause| {
            let mut parts = clause.trim().splitn(3, ' ');
            let (Some(field), Some(op), Some(lit)) = (parts.next(), parts.next(), parts.next())
            else {
                return Err(invalid());
            };
            if !op.eq_ignore_ascii_case("eq")
                || !["id", "owner", "description", "status"].contains(&field)
            {
                return Err(invalid());
            }
            let v = lit
                .trim()
                .strip_prefix('\'')
                .and_then(|l| l.strip_suffix('\''))
                .ok_or_else(invalid)?;
            Ok((field.to_owned(), v.replace("''", "'")))
        })
        .collect()
}
