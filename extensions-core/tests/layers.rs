//! The crate's layers, checked on its sources: no cycle among its modules, and each kind of
//! extension in a room of its own.
//!
//! - The shared layer (`error`, `graph_error`, `json`, `kind`, `limits`, `redact`, `resource`,
//!   `value`, `operation`, `batch`) imports no kind.
//! - Each kind (`open`, `schema`, and the kinds to come) imports the shared layer only, never
//!   another kind.
//! - `op`, `response` and `extension` (paths of earlier versions) and `lib.rs` only re-export;
//!   `__private` serves the derives. Nothing imports them from inside the crate.
//!
//! A module depends on another when its code (comments and `#[cfg(test)] mod tests` left out)
//! names a path into it with `crate::` or `super::`.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The kinds of extension, each a room under `src/`.
const KINDS: &[&str] = &["open", "schema", "directory", "attributes"];

/// Modules that only re-export (or serve the derives): importing them from inside would hide a
/// dependency.
const FACADES: &[&str] = &["op", "response", "extension", "__private"];

type Module = Vec<String>;

/// Every module of `src/` (`["open", "op", "create"]`) with its source.
fn modules(dir: &Path, prefix: &Module, out: &mut BTreeMap<Module, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            let mut p = prefix.clone();
            p.push(name);
            modules(&path, &p, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let mut p = prefix.clone();
            if name != "mod" && !(prefix.is_empty() && name == "lib") {
                p.push(name);
            }
            out.insert(p, std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// The code of a file: without its test module and its comment lines.
fn code(source: &str) -> String {
    let end = [
        "#[cfg(test)]\nmod tests",
        "#[cfg(test)]\npub(crate) mod tests",
    ]
    .iter()
    .filter_map(|m| source.find(m))
    .min()
    .unwrap_or(source.len());
    source[..end]
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths named after each `root::` (`crate` or `super`), `{a, b::c}` groups expanded.
fn paths(code: &str, root: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let needle = format!("{root}::");
    let mut rest = code;
    while let Some(at) = rest.find(&needle) {
        let before = &rest[..at];
        rest = &rest[at + needle.len()..];
        // Inside a longer path (`a::crate`, `super::super::x` seen from its second `super`),
        // or part of a longer name: not a path of its own.
        if before.ends_with("::")
            || before
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        expand(rest, Vec::new(), &mut out);
    }
    out
}

/// Reads `a::b::{c, d::e}` (or `{a, b}`) at the start of `text` into full paths.
fn expand(text: &str, base: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut path = base;
    let mut rest = text;
    loop {
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut start = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        expand(group[start..i].trim(), path.clone(), out);
                        return;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(group[start..i].trim(), path.clone(), out);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
            return;
        }
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        path.push(rest[..end].to_owned());
        rest = &rest[end..];
        match rest.strip_prefix("::") {
            Some(r) => rest = r,
            None => {
                out.push(path);
                return;
            }
        }
    }
}

/// The module a path names: its longest prefix that is a module.
fn resolve(path: &[String], mods: &BTreeMap<Module, String>) -> Option<Module> {
    (1..=path.len())
        .rev()
        .map(|k| path[..k].to_vec())
        .find(|p| mods.contains_key(p))
}

/// What the crate root re-exports (`pub use open::{OpenExtension, …}`, the prelude's
/// `pub use crate::…`): each name with the module that defines it, so `crate::OpenExtension`
/// counts as a dependency on `open`.
fn root_names(mods: &BTreeMap<Module, String>) -> BTreeMap<String, Module> {
    let lib = mods.get(&Vec::new()).map(|s| code(s)).unwrap_or_default();
    let mut names = BTreeMap::new();
    for statement in lib.split("pub use ").skip(1) {
        let statement = statement.split(';').next().unwrap_or("");
        let mut found = Vec::new();
        expand(statement.trim(), Vec::new(), &mut found);
        for mut path in found {
            if path.first().is_some_and(|f| f == "crate") {
                path.remove(0);
            }
            let Some(last) = path.last().cloned() else {
                continue;
            };
            // `open::object` re-exported as a module, or an item inside one.
            if let Some(module) = resolve(&path, mods) {
                names.insert(last, module);
            }
        }
    }
    names
}

fn dependencies(mods: &BTreeMap<Module, String>) -> BTreeMap<Module, BTreeSet<Module>> {
    let roots = root_names(mods);
    // `crate::a::b` names module `a::b` (or `a`); `crate::Name` and `crate::prelude::Name`,
    // what the root re-exports.
    let target = |path: &[String]| -> Option<Module> {
        resolve(path, mods).or_else(|| {
            let name = match path {
                [p, name, ..] if p == "prelude" => name,
                [name, ..] => name,
                [] => return None,
            };
            roots.get(name).cloned()
        })
    };
    let mut deps = BTreeMap::new();
    for (m, source) in mods {
        let code = code(source);
        let mut to = BTreeSet::new();
        for p in paths(&code, "crate") {
            to.extend(target(&p));
        }
        // `super::x` from the file of `a::b` (or `a::b::mod`) names `a::x`; each further
        // `super` goes one level up.
        for p in paths(&code, "super") {
            let ups = 1 + p.iter().take_while(|s| *s == "super").count();
            let mut full: Module = m[..m.len().saturating_sub(ups)].to_vec();
            full.extend(p.into_iter().skip(ups - 1));
            to.extend(target(&full));
        }
        to.remove(m);
        deps.insert(m.clone(), to);
    }
    deps
}

/// The same dependencies between top-level modules only (`open`, `error`, `value`, …), where a
/// cycle through a parent's re-export of its child (`value` re-exporting `untyped`) shows too.
fn top_level(deps: &BTreeMap<Module, BTreeSet<Module>>) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut top: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (m, to) in deps {
        let Some(first) = m.first() else { continue };
        let entry = top.entry(vec![first.clone()]).or_default();
        for t in to {
            if let Some(tf) = t.first().filter(|tf| *tf != first) {
                entry.insert(vec![tf.clone()]);
            }
        }
    }
    top
}

/// Imports across rooms: a kind importing another kind, or anyone importing a module that
/// only re-exports.
fn across_rooms(deps: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<String> {
    let mut wrong = Vec::new();
    for (m, to) in deps {
        if m.is_empty() || FACADES.contains(&m[0].as_str()) {
            continue;
        }
        for t in to {
            let facade = t.first().is_some_and(|f| FACADES.contains(&f.as_str()));
            let other_kind = kind_of(t).is_some() && kind_of(t) != kind_of(m);
            if facade || other_kind {
                wrong.push(format!("{} -> {}", name(m), name(t)));
            }
        }
    }
    wrong
}

fn name(m: &Module) -> String {
    if m.is_empty() {
        "lib".into()
    } else {
        m.join("::")
    }
}

fn kind_of(m: &Module) -> Option<&str> {
    m.first().map(String::as_str).filter(|f| KINDS.contains(f))
}

/// Strongly connected components with more than one module (Tarjan).
fn cycles(deps: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<String>> {
    struct T<'a> {
        deps: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        on: BTreeSet<&'a Module>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a Module) {
        let i = t.index.len();
        t.index.insert(v, i);
        t.low.insert(v, i);
        t.stack.push(v);
        t.on.insert(v);
        let deps = t.deps;
        for w in deps.get(v).into_iter().flatten() {
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(name(w));
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        deps,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in deps.keys() {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    t.out
}

fn crate_modules() -> BTreeMap<Module, String> {
    let mut mods = BTreeMap::new();
    modules(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &Vec::new(),
        &mut mods,
    );
    mods
}

#[test]
fn no_cycle_among_the_modules() {
    let mods = crate_modules();
    assert!(mods.len() > 40, "the sources were found: {}", mods.len());
    let deps = dependencies(&mods);
    let cycles = cycles(&deps);
    assert!(
        cycles.is_empty(),
        "modules that depend on each other: {cycles:?}"
    );
    let cycles = crate::cycles(&top_level(&deps));
    assert!(
        cycles.is_empty(),
        "top-level modules that depend on each other: {cycles:?}"
    );
}

#[test]
fn each_kind_imports_the_shared_layer_only() {
    let mods = crate_modules();
    let deps = dependencies(&mods);
    let wrong = across_rooms(&deps);
    assert!(wrong.is_empty(), "imports across rooms: {wrong:#?}");
    // The rule has something to hold: both kinds are there, and both use the shared layer.
    for kind in ["open", "schema"] {
        assert!(
            deps.iter()
                .any(|(m, to)| kind_of(m) == Some(kind) && to.iter().any(|t| t[0] == "operation")),
            "{kind}"
        );
    }
}

/// The checker sees what it must, on sources written here by hand: a cycle through a plain
/// import, through the crate root's re-export, through `super::super`, through a parent's
/// re-export of its child; imports across rooms by path, by the root, by the prelude and by
/// `super::super`; and neither comments nor test modules count.
#[test]
fn the_checks_catch_what_they_look_for() {
    let m = |s: &str| -> Module {
        if s == "lib" {
            Vec::new()
        } else {
            s.split("::").map(str::to_owned).collect()
        }
    };
    let tree = |files: &[(&str, &str)]| -> BTreeMap<Module, String> {
        files.iter().map(|(k, v)| (m(k), (*v).to_owned())).collect()
    };
    let lib = "pub use open::{ExtensionObject, OpenExtension};\npub mod prelude {\n    pub use crate::open::OpenExtensionExt;\n}";
    // A plain cycle.
    let deps = dependencies(&tree(&[
        ("lib", lib),
        ("error", "use crate::open::object::ExtensionObject;"),
        ("open", ""),
        ("open::object", "use crate::{error::Error, value};"),
        ("value", ""),
    ]));
    assert_eq!(
        cycles(&deps),
        vec![vec!["error".to_owned(), "open::object".to_owned()]]
    );
    // Through the root's re-export, and through `super::super` from a nested file.
    for error in [
        "use crate::ExtensionObject;",
        "fn f() -> crate::ExtensionObject { todo!() }",
    ] {
        let deps = dependencies(&tree(&[
            ("lib", lib),
            ("error", error),
            ("open", ""),
            ("open::object", "use crate::error::Error;"),
        ]));
        assert!(deps[&m("error")].contains(&m("open")), "{error}");
        assert_eq!(cycles(&top_level(&deps)).len(), 1, "{error}");
    }
    let deps = dependencies(&tree(&[
        ("lib", lib),
        ("error", ""),
        ("schema", ""),
        ("schema::op", ""),
        (
            "schema::op::data",
            "use super::super::super::open::object::X;",
        ),
        ("open", ""),
        ("open::object", "use super::super::error::Error;"),
    ]));
    assert!(
        deps[&m("schema::op::data")].contains(&m("open::object")),
        "{deps:?}"
    );
    assert!(deps[&m("open::object")].contains(&m("error")), "{deps:?}");
    assert_eq!(
        across_rooms(&deps),
        vec!["schema::op::data -> open::object".to_owned()]
    );
    // Through a parent's re-export of its child: seen between top-level modules.
    let deps = dependencies(&tree(&[
        ("lib", lib),
        ("error", "use crate::value::Properties;"),
        ("value", "pub use untyped::Properties;"),
        ("value::untyped", "use crate::error::Error;"),
    ]));
    assert!(cycles(&deps).is_empty(), "invisible module by module");
    assert_eq!(
        cycles(&top_level(&deps)),
        vec![vec!["error".to_owned(), "value".to_owned()]]
    );
    // Across rooms: by path, by the root, by the prelude, through a re-export module; and
    // not through a comment or a test module.
    let deps = dependencies(&tree(&[
        ("lib", lib),
        ("open", ""),
        ("op", "pub use crate::open::*;"),
        ("schema::a", "use crate::open::object::X;"),
        ("schema::b", "use crate::OpenExtension;"),
        ("schema::c", "use crate::prelude::OpenExtensionExt;"),
        ("schema::d", "use crate::op::Get;"),
        (
            "schema::e",
            "// use crate::open::X;\n#[cfg(test)]\nmod tests {\n    use crate::open::Y;\n}",
        ),
        ("open::object", ""),
    ]));
    assert_eq!(
        across_rooms(&deps),
        vec![
            "schema::a -> open::object".to_owned(),
            "schema::b -> open".to_owned(),
            "schema::c -> open".to_owned(),
            "schema::d -> op".to_owned(),
        ]
    );
}
