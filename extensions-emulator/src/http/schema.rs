//! `/schemaExtensions`: definitions are shared by every tenant, so they are handled here, with
//! the caller's tenant's verified domains and apps, rather than against one tenant's store.

use std::collections::BTreeMap;

use serde_json::Value;

use super::Shared;
use crate::config::DEFAULT_TENANT_ID;
use crate::graph::{self, Caller, Reply};

/// `/schemaExtensions[/{id}]`, with what the caller's tenant has (verified domains, apps); a
/// deleted definition's data leaves every resource of its tenant.
pub(super) fn schema_definitions(
    s: &Shared,
    caller: &Caller,
    method: &str,
    rest: &str,
    query: &BTreeMap<String, String>,
    body: Option<&Value>,
) -> Reply {
    let (domains, apps): (&[String], Vec<&str>) = if caller.tenant == DEFAULT_TENANT_ID {
        (
            &s.config.verified_domains,
            s.config.apps.iter().map(|a| a.app_id.as_str()).collect(),
        )
    } else {
        match s.config.tenants.iter().find(|t| t.id == caller.tenant) {
            Some(t) => (
                &t.verified_domains,
                t.apps.iter().map(|a| a.app_id.as_str()).collect(),
            ),
            None => (&[], Vec::new()),
        }
    };
    let view = graph::schema::TenantView {
        domains,
        app_ids: apps,
    };
    // A delete waits for the data writes in flight and keeps new ones out until its data is
    // purged: none checked against the definition can land after the purge.
    let _gate = (method == "DELETE").then(|| s.schemas.definition_delete());
    let (reply, deleted) = s.schemas.handle(caller, &view, method, rest, query, body);
    if let Some(id) = deleted {
        s.with_store(&caller.tenant, |st| graph::purge_schema_data(st, &id));
    }
    reply
}
