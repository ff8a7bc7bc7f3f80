//! The in-memory tenant: resources, their extensions and children, and the seed format.

use std::collections::BTreeMap;

use extensions_core::name::name_from_id;
use serde_json::{Map, Value};

use super::{Reply, extension_parts, stored_object};
use crate::config::Seed;

/// One stored open extension.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StoredExtension {
    /// The app that created it (for the two-per-app limit).
    pub(crate) app: String,
    /// `@odata.type`, `extensionName` (unless removed), `id`, then the properties.
    pub(crate) object: Map<String, Value>,
}

impl StoredExtension {
    pub(super) fn id(&self) -> &str {
        self.object
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
    /// Whether `key` (a name or any form of id) addresses this extension.
    pub(super) fn matches(&self, key: &str) -> bool {
        let key_name = name_from_id(key);
        self.id().eq_ignore_ascii_case(key)
            || name_from_id(self.id()).eq_ignore_ascii_case(key_name)
            || self
                .object
                .get("extensionName")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case(key_name))
    }
}

/// A resource: its own fields, its extensions, its child collections.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Node {
    pub(crate) fields: Map<String, Value>,
    pub(crate) extensions: Vec<StoredExtension>,
    pub(crate) children: BTreeMap<String, Vec<Node>>,
}

impl Node {
    pub(super) fn id(&self) -> &str {
        self.fields
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }
}

/// Child collections in the seed JSON and in paths.
const SEED_CHILDREN: [(&str, &str); 7] = [
    ("messages", "messages"),
    ("events", "events"),
    ("contacts", "contacts"),
    ("todoLists", "todo/lists"),
    ("tasks", "tasks"),
    ("threads", "threads"),
    ("posts", "posts"),
];
/// Top-level collections.
pub(crate) const ROOTS: [&str; 5] = [
    "users",
    "groups",
    "devices",
    "organization",
    "administrativeUnits",
];

/// The whole tenant.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Store {
    pub(crate) roots: BTreeMap<String, Vec<Node>>,
    next_id: u64,
}

fn node_from_seed(v: &Value) -> Result<Node, String> {
    let obj = v
        .as_object()
        .ok_or("every seeded resource must be an object")?;
    let id = obj
        .get("id")
        .and_then(Value::as_str)
        .ok_or("every seeded resource needs a string `id`")?;
    if id.is_empty() {
        return Err("a seeded id must not be empty".into());
    }
    let mut node = Node::default();
    for (k, v) in obj {
        if let Some((_, coll)) = SEED_CHILDREN.iter().find(|(seed, _)| seed == k) {
            let items = v
                .as_array()
                .ok_or_else(|| format!("`{k}` must be an array"))?;
            let nodes = items.iter().map(node_from_seed).collect::<Result<_, _>>()?;
            node.children.insert((*coll).to_owned(), nodes);
        } else if k == "extensions" {
            let items = v.as_array().ok_or("`extensions` must be an array")?;
            for e in items {
                let e = e.as_object().ok_or("an extension must be an object")?;
                let (name, props) = extension_parts(e, false)
                    .map_err(|r| format!("seeded extension: {}", reply_message(&r)))?;
                node.extensions.push(StoredExtension {
                    app: "seed".into(),
                    object: stored_object(&name, &name, props),
                });
            }
        } else {
            node.fields.insert(k.clone(), v.clone());
        }
    }
    Ok(node)
}

fn node_to_seed(n: &Node) -> Value {
    let mut obj = n.fields.clone();
    for (seed, coll) in SEED_CHILDREN {
        if let Some(items) = n.children.get(coll) {
            obj.insert(
                seed.into(),
                Value::Array(items.iter().map(node_to_seed).collect()),
            );
        }
    }
    if !n.extensions.is_empty() {
        obj.insert(
            "extensions".into(),
            Value::Array(
                n.extensions
                    .iter()
                    .map(|e| Value::Object(e.object.clone()))
                    .collect(),
            ),
        );
    }
    Value::Object(obj)
}

fn reply_message(r: &Reply) -> String {
    r.body
        .as_ref()
        .and_then(|b| b["error"]["message"].as_str())
        .unwrap_or("invalid")
        .to_owned()
}

impl Store {
    /// Adds the resources of `seed` (replacing resources with the same id).
    pub(crate) fn seed(&mut self, seed: &Seed) -> Result<(), String> {
        for (k, v) in &seed.0 {
            if !ROOTS.contains(&k.as_str()) {
                return Err(format!(
                    "unknown top-level collection `{k}`; expected one of {ROOTS:?}"
                ));
            }
            let items = v
                .as_array()
                .ok_or_else(|| format!("`{k}` must be an array"))?;
            let list = self.roots.entry(k.clone()).or_default();
            for item in items {
                let node = node_from_seed(item)?;
                list.retain(|n| n.id() != node.id());
                list.push(node);
            }
        }
        Ok(())
    }

    /// The whole state, in the seed format.
    pub(crate) fn dump(&self) -> Value {
        let mut obj = Map::new();
        for (k, nodes) in &self.roots {
            obj.insert(
                k.clone(),
                Value::Array(nodes.iter().map(node_to_seed).collect()),
            );
        }
        Value::Object(obj)
    }

    pub(super) fn new_id(&mut self, prefix: &str) -> String {
        self.next_id += 1;
        // Outlook-like ids with characters that need encoding in a path.
        format!("{prefix}{:06}+/=", self.next_id)
    }
}
