//! The in-memory tenant: resources, their extensions and children, and the seed format.
//!
//! Built for 100,000 users and more: every resource is found by id (and a user by
//! `userPrincipalName`, ignoring case) through a hash index, so a request costs the same at any
//! size; a top-level resource (a user, a group…) sits behind a lock of its own, so concurrent
//! requests on different resources never wait for each other, and the collections themselves
//! are only written by seeding and reset; fields and extension properties are kept as compact
//! JSON text (parsed when a request reads them), about a tenth of the memory of parsed values;
//! and a seed is read one resource at a time, from a file or from memory, without being kept.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};

use extensions_core::limits::OPEN_TYPE_EXTENSION_TYPE;
use extensions_core::name::name_from_id;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::Reply;
use super::open::{extension_parts, stored_object};

/// Compact JSON text of an object.
fn to_text(map: &Map<String, Value>) -> Box<str> {
    serde_json::to_string(map)
        .unwrap_or_else(|_| "{}".into())
        .into_boxed_str()
}

/// The object `text` holds (written by [`to_text`], so it parses).
fn from_text(text: &str) -> Map<String, Value> {
    match serde_json::from_str(text) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// One stored open extension.
#[derive(Clone, PartialEq)]
pub(crate) struct StoredExtension {
    /// The app that created it (for the two-per-app limit).
    pub(crate) app: Box<str>,
    id: Box<str>,
    /// `extensionName`, unless a patch that named only `id` removed it.
    name: Option<Box<str>>,
    /// The properties (everything but `@odata.type`, `extensionName` and `id`), in order.
    props: Box<str>,
}

impl fmt::Debug for StoredExtension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.object()).finish()
    }
}

impl StoredExtension {
    /// From its stored form: `@odata.type`, `extensionName` (unless removed), `id`, then the
    /// properties.
    pub(crate) fn new(app: &str, object: &Map<String, Value>) -> Self {
        let mut props = Map::new();
        let (mut id, mut name) = ("", None);
        for (k, v) in object {
            match k.as_str() {
                "@odata.type" => {}
                "id" => id = v.as_str().unwrap_or_default(),
                "extensionName" => name = v.as_str(),
                _ => {
                    props.insert(k.clone(), v.clone());
                }
            }
        }
        Self {
            app: app.into(),
            id: id.into(),
            name: name.map(Into::into),
            props: to_text(&props),
        }
    }

    /// The stored form, as Graph answers it.
    pub(crate) fn object(&self) -> Map<String, Value> {
        let mut o = Map::new();
        o.insert("@odata.type".into(), OPEN_TYPE_EXTENSION_TYPE.into());
        if let Some(name) = &self.name {
            o.insert("extensionName".into(), Value::from(&**name));
        }
        o.insert("id".into(), Value::from(&*self.id));
        o.extend(from_text(&self.props));
        o
    }

    /// Replaces the stored form, keeping the app.
    pub(crate) fn set(&mut self, object: &Map<String, Value>) {
        let app = std::mem::take(&mut self.app);
        *self = Self::new(&app, object);
    }

    pub(super) fn id(&self) -> &str {
        &self.id
    }

    pub(super) fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Whether `key` (a name or any form of id) addresses this extension.
    pub(super) fn matches(&self, key: &str) -> bool {
        let key_name = name_from_id(key);
        self.id.eq_ignore_ascii_case(key)
            || name_from_id(&self.id).eq_ignore_ascii_case(key_name)
            || self
                .name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(key_name))
    }
}

/// A resource: its own fields, its extensions, its child collections.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Node {
    id: Box<str>,
    /// `userPrincipalName`, if it has one.
    upn: Option<Box<str>>,
    /// Its own fields (`id` included), in order.
    fields: Box<str>,
    pub(crate) extensions: Vec<StoredExtension>,
    pub(crate) children: BTreeMap<String, Collection<Node>>,
    /// Schema extension data, by schema id, as compact JSON text (`None`: no data).
    data: Option<Box<str>>,
    /// Directory extension values by full name, and extension attributes under their
    /// property's name, as compact JSON text (`None`: none).
    dir: Option<Box<str>>,
}

impl Node {
    /// A resource with these fields (which hold its `id`) and nothing else yet.
    pub(crate) fn new(fields: &Map<String, Value>) -> Self {
        let text = |k: &str| fields.get(k).and_then(Value::as_str);
        Self {
            id: text("id").unwrap_or_default().into(),
            upn: text("userPrincipalName").map(Into::into),
            fields: to_text(fields),
            extensions: Vec::new(),
            children: BTreeMap::new(),
            data: None,
            dir: None,
        }
    }

    /// Its own fields, parsed.
    pub(crate) fn fields(&self) -> Map<String, Value> {
        from_text(&self.fields)
    }

    /// Replaces its own fields (`id` and `userPrincipalName` stay as indexed).
    pub(crate) fn set_fields(&mut self, fields: &Map<String, Value>) {
        self.fields = to_text(fields);
    }

    /// Whether it holds schema extension data.
    pub(crate) fn has_data(&self) -> bool {
        self.data.is_some()
    }

    /// Its schema extension data, by schema id.
    pub(crate) fn data(&self) -> Map<String, Value> {
        self.data.as_deref().map(from_text).unwrap_or_default()
    }

    /// Replaces its schema extension data.
    pub(crate) fn set_data(&mut self, data: &Map<String, Value>) {
        self.data = (!data.is_empty()).then(|| to_text(data));
    }

    /// Its directory extension values and extension attributes.
    pub(crate) fn dir(&self) -> Map<String, Value> {
        self.dir.as_deref().map(from_text).unwrap_or_default()
    }

    /// Whether it holds directory extension values or extension attributes.
    pub(crate) fn has_dir(&self) -> bool {
        self.dir.is_some()
    }

    /// Replaces its directory extension values and extension attributes.
    pub(crate) fn set_dir(&mut self, dir: &Map<String, Value>) {
        self.dir = (!dir.is_empty()).then(|| to_text(dir));
    }
}

/// Resources of one collection, in insertion order, indexed by id and by user principal name
/// (ASCII letter case ignored, as Graph does for sign-in names).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Collection<T> {
    items: Vec<T>,
    by_id: HashMap<Box<str>, u32>,
    by_upn: HashMap<Box<str>, u32>,
}

impl<T> Default for Collection<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            by_id: HashMap::new(),
            by_upn: HashMap::new(),
        }
    }
}

impl<T> Collection<T> {
    /// Adds `item` with this id (and user principal name), replacing the one with the same id.
    fn insert(&mut self, id: &str, upn: Option<&str>, item: T) {
        let at = match self.by_id.get(id) {
            Some(&i) => {
                self.items[i as usize] = item;
                self.by_upn.retain(|_, v| *v != i);
                i
            }
            None => {
                let i = u32::try_from(self.items.len()).unwrap_or(u32::MAX);
                self.items.push(item);
                self.by_id.insert(id.into(), i);
                i
            }
        };
        if let Some(upn) = upn {
            self.by_upn.insert(upn.to_ascii_lowercase().into(), at);
        }
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.by_id
            .get(key)
            .or_else(|| {
                if self.by_upn.is_empty() {
                    None
                } else {
                    self.by_upn.get(key.to_ascii_lowercase().as_str())
                }
            })
            .map(|&i| i as usize)
    }

    /// The item with this id (or user principal name).
    pub(crate) fn get(&self, key: &str) -> Option<&T> {
        self.position(key).and_then(|i| self.items.get(i))
    }

    /// The item with this id (or user principal name), to change.
    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut T> {
        self.position(key).and_then(|i| self.items.get_mut(i))
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    pub(crate) fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    pub(crate) fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.items.iter_mut()
    }

    /// Frees what growing left over.
    fn shrink(&mut self) {
        self.items.shrink_to_fit();
        self.by_id.shrink_to_fit();
        self.by_upn.shrink_to_fit();
    }
}

impl Collection<Node> {
    /// Adds a node, replacing the one with the same id.
    pub(crate) fn add(&mut self, node: Node) {
        let (id, upn) = (node.id.clone(), node.upn.clone());
        self.insert(&id, upn.as_deref(), node);
    }
}

/// The app a seeded open extension is stored under: no configured app's.
const SEEDED: &str = "seed";

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

/// A top-level resource behind its own lock.
pub(crate) type Locked = Mutex<Node>;

/// Locks a top-level resource. A panic while it was held cannot have left a half-applied
/// write (every write is one assignment after validation), so the data is taken back.
pub(crate) fn lock(node: &Locked) -> MutexGuard<'_, Node> {
    node.lock().unwrap_or_else(|e| e.into_inner())
}

/// The whole tenant.
#[derive(Debug, Default)]
pub(crate) struct Store {
    pub(crate) roots: BTreeMap<String, Collection<Locked>>,
    next_id: AtomicU64,
    /// Schema extension definitions a seed declared (`"schemaExtensions": [...]`), moved to
    /// the shared registry once the store is built.
    pub(crate) seeded_schemas: Vec<extensions_core::schema::Definition>,
    /// Applications, service principals and directory extension definitions.
    /// Taken before any resource's lock, never after one.
    pub(crate) directory: RwLock<super::directory::Registry>,
}

/// Reads the directory registry. A panic while it was written left no half-applied change
/// (every change is one push or removal after validation), so the data is taken back.
pub(crate) fn registry(store: &Store) -> RwLockReadGuard<'_, super::directory::Registry> {
    store.directory.read().unwrap_or_else(|e| e.into_inner())
}

/// Changes the directory registry.
pub(crate) fn registry_mut(store: &Store) -> RwLockWriteGuard<'_, super::directory::Registry> {
    store.directory.write().unwrap_or_else(|e| e.into_inner())
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
    let mut fields = Map::new();
    let mut children = BTreeMap::new();
    let mut extensions = Vec::new();
    for (k, v) in obj {
        if let Some((_, coll)) = SEED_CHILDREN.iter().find(|(seed, _)| seed == k) {
            let items = v
                .as_array()
                .ok_or_else(|| format!("`{k}` must be an array"))?;
            let mut nodes = Collection::default();
            for item in items {
                nodes.add(node_from_seed(item)?);
            }
            nodes.shrink();
            children.insert((*coll).to_owned(), nodes);
        } else if k == "extensions" {
            let items = v.as_array().ok_or("`extensions` must be an array")?;
            for e in items {
                let e = e.as_object().ok_or("an extension must be an object")?;
                let (name, props) = extension_parts(e, false)
                    .map_err(|r| format!("seeded extension: {}", reply_message(&r)))?;
                extensions.push(StoredExtension::new(
                    SEEDED,
                    &stored_object(&name, &name, props),
                ));
            }
        } else {
            fields.insert(k.clone(), v.clone());
        }
    }
    extensions.shrink_to_fit();
    let data = super::schema::data::seeded_data(&mut fields);
    let dir = super::directory::data::seeded(&mut fields);
    let mut node = Node {
        extensions,
        children,
        ..Node::new(&fields)
    };
    node.set_data(&data);
    node.set_dir(&dir);
    Ok(node)
}

fn node_to_seed(n: &Node) -> Value {
    node_to_value(n, false)
}

/// A node in the seed format; with `console`, for the console (not the seed format): schema
/// extension data under `"@emulator.schema"`, directory extension values and extension
/// attributes under `"@emulator.directory"`, and each open extension with the app that created
/// it (`"@emulator.app"`; `null` for a seeded one, which belongs to no app).
fn node_to_value(n: &Node, console: bool) -> Value {
    let mut obj = n.fields();
    if console {
        obj.insert("@emulator.schema".into(), Value::Object(n.data()));
        obj.insert("@emulator.directory".into(), Value::Object(n.dir()));
    } else {
        obj.extend(n.data());
        obj.extend(n.dir());
    }
    for (seed, coll) in SEED_CHILDREN {
        if let Some(items) = n.children.get(coll) {
            obj.insert(
                seed.into(),
                Value::Array(items.iter().map(|c| node_to_value(c, console)).collect()),
            );
        }
    }
    if !n.extensions.is_empty() {
        obj.insert(
            "extensions".into(),
            Value::Array(
                n.extensions
                    .iter()
                    .map(|e| {
                        let mut o = e.object();
                        if console {
                            let app = (&*e.app != SEEDED).then(|| Value::from(&*e.app));
                            o.insert("@emulator.app".into(), app.unwrap_or(Value::Null));
                        }
                        Value::Object(o)
                    })
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
    /// Adds one seeded resource of the top-level collection `root`, replacing one with the
    /// same id.
    fn add_seeded(&mut self, root: &str, item: &Value) -> Result<(), String> {
        let node = node_from_seed(item)?;
        let (id, upn) = (node.id.clone(), node.upn.clone());
        self.roots.entry(root.to_owned()).or_default().insert(
            &id,
            upn.as_deref(),
            Mutex::new(node),
        );
        Ok(())
    }

    /// Adds the resources of seed JSON read from `reader` (a file, say), one resource at a
    /// time: the seed is never held whole, and each resource costs the same at any size.
    pub(crate) fn seed_from_reader(&mut self, reader: impl std::io::Read) -> Result<(), String> {
        let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
        let result = de
            .deserialize_map(SeedVisitor(self))
            .and_then(|()| de.end());
        for c in self.roots.values_mut() {
            c.shrink();
        }
        result.map_err(|e| {
            let text = e.to_string();
            // A rule of ours, carried through serde's error.
            text.strip_prefix("seed: ").map_or_else(
                || format!("the seed is not valid JSON: {text}"),
                str::to_owned,
            )
        })
    }

    /// Adds the resources of seed JSON in memory.
    pub(crate) fn seed_from_slice(&mut self, json: &[u8]) -> Result<(), String> {
        self.seed_from_reader(json)
    }

    /// The whole state, in the seed format.
    pub(crate) fn dump(&self) -> Value {
        let mut obj = Map::new();
        registry(self).dump(&mut obj);
        for (k, nodes) in &self.roots {
            obj.insert(
                k.clone(),
                Value::Array(nodes.iter().map(|n| node_to_seed(&lock(n))).collect()),
            );
        }
        Value::Object(obj)
    }

    /// The console's list: top-level resources whose id, `userPrincipalName` or display name
    /// contains `query` (ignoring case), at most `limit`, each as `{collection, id, name}`,
    /// and how many matched in all.
    pub(crate) fn console_list(&self, query: &str, limit: usize) -> (Vec<Value>, usize) {
        let query = query.trim().to_lowercase();
        let mut out = Vec::new();
        let mut matched = 0;
        for (root, nodes) in &self.roots {
            for node in nodes.iter() {
                let n = lock(node);
                let fields = n.fields();
                let name = fields
                    .get("displayName")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let upn = n.upn.as_deref().unwrap_or_default();
                let hit = query.is_empty()
                    || [&*n.id, upn, name]
                        .iter()
                        .any(|t| t.to_lowercase().contains(&query));
                if !hit {
                    continue;
                }
                matched += 1;
                if out.len() < limit {
                    out.push(serde_json::json!({
                        "collection": root,
                        "id": &*n.id,
                        "name": if upn.is_empty() { name } else { upn },
                    }));
                }
            }
        }
        (out, matched)
    }

    /// One top-level resource for the console: the seed format, with its items, and the app
    /// of each open extension.
    pub(crate) fn console_resource(&self, root: &str, id: &str) -> Option<Value> {
        let node = self.roots.get(root)?.get(id)?;
        Some(node_to_value(&lock(node), true))
    }

    /// Adds a new top-level resource (`POST /groups`).
    pub(crate) fn add_root(&mut self, root: &str, node: Node) {
        let (id, upn) = (node.id.clone(), node.upn.clone());
        self.roots.entry(root.to_owned()).or_default().insert(
            &id,
            upn.as_deref(),
            Mutex::new(node),
        );
    }

    /// A directory object id, GUID-shaped.
    pub(crate) fn new_guid(&self) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        format!(
            "{:08x}-0000-4000-8000-{n:012x}",
            n.wrapping_mul(2_654_435_761) as u32
        )
    }

    pub(super) fn new_id(&self, prefix: &str) -> String {
        let n = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        // Outlook-like ids with characters that need encoding in a path.
        format!("{prefix}{n:06}+/=")
    }
}

/// Reads the top-level object of a seed: each collection's array, one resource at a time.
struct SeedVisitor<'a>(&'a mut Store);

impl<'de> Visitor<'de> for SeedVisitor<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a seed: a JSON object of collections")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "schemaExtensions" {
                let defs: Vec<extensions_core::schema::Definition> = map.next_value()?;
                self.0.seeded_schemas.extend(defs);
                continue;
            }
            if matches!(
                key.as_str(),
                "applications" | "servicePrincipals" | "extensionProperties"
            ) {
                let items: Vec<Value> = map.next_value()?;
                registry_mut(self.0)
                    .seed(&key, items)
                    .map_err(|e| serde::de::Error::custom(format!("seed: {e}")))?;
                continue;
            }
            if !ROOTS.contains(&key.as_str()) {
                // Read past it, then say what is wrong.
                map.next_value::<IgnoredAny>()?;
                return Err(serde::de::Error::custom(format!(
                    "seed: unknown top-level collection `{key}`; expected one of {ROOTS:?}"
                )));
            }
            map.next_value_seed(Resources {
                store: &mut *self.0,
                root: &key,
            })?;
        }
        Ok(())
    }
}

/// One top-level collection's array of a seed.
struct Resources<'a> {
    store: &'a mut Store,
    root: &'a str,
}

impl<'de> DeserializeSeed<'de> for Resources<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Resources<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` as an array of resources", self.root)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element::<Value>()? {
            self.store
                .add_seeded(self.root, &item)
                .map_err(|e| serde::de::Error::custom(format!("seed: {e}")))?;
        }
        Ok(())
    }
}
