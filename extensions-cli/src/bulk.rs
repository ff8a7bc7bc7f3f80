//! `graph-ext open bulk set|remove`: many resources through `$batch`, with a progress bar, a
//! summary, and a journal written as each item completes, so `--resume JOURNAL` finishes an
//! interrupted or partly failed run without sending again what succeeded.
//!
//! Input: NDJSON, one object per line, `{"on": "users/u1", "properties": {…}}` (`properties` is
//! needed by `set` only), which is also what `open scan --output ndjson` writes. Journal: NDJSON,
//! one line per completed item, `{"line": N, "on": "users/u1", "outcome": "done"}` or
//! `{"line": N, "on": …, "outcome": "failed", "code": C, "error": "…"}`; `line` is the item's
//! line number in the input (from 1).
//!
//! The journal under kills, torn writes and concurrent runs: each record is one `write` of a
//! whole line, flushed before the next item is recorded; a line cut short by a kill (even inside
//! a UTF-8 character) is skipped when read, and a resumed run starts on a new line after it, so
//! no record of its own is glued to the fragment; a run holds an advisory lock on its journal
//! (`flock`) for as long as it runs, and a second run on the same journal is refused before it
//! sends anything.

use std::collections::{HashMap, HashSet};
use std::fs::{File, TryLockError};
use std::io::{Read, Write};
use std::pin::pin;

use extensions_client::BulkEvent;
use extensions_core::op::{Create, Delete, GetUntyped, Patch};
use extensions_core::response::ExtensionObject;
use extensions_core::{Error, ExtensionName, GraphErrorKind, Properties, Resource, Value};
use futures_util::StreamExt;
use serde_json::json;

use crate::exec::Runner;
use crate::fail::{Fail, Outcome, code_of};
use crate::open::{name, resource};
use crate::output::{Format, Records, say, write_failed};

/// What a bulk run was asked.
pub(crate) struct Bulk<'a> {
    pub(crate) name: &'a str,
    pub(crate) from: &'a str,
    pub(crate) journal: Option<&'a str>,
    pub(crate) resume: Option<&'a str>,
    pub(crate) remove: bool,
    /// `set`: read each stored set and change only the line's properties.
    pub(crate) keep_unchanged: bool,
    /// Read each stored set and print what the run would delete, create or change; write
    /// nothing (no journal either).
    pub(crate) dry_run: bool,
    /// The dry run's output format (`--output`).
    pub(crate) format: Format,
}

#[derive(Clone)]
struct Item {
    line: usize,
    on: String,
    resource: Resource,
    properties: Properties,
    /// A value Graph or this library refuses (past 2^53, a nested object, …): the item fails
    /// on its own, journaled, and the others go on.
    refused: Option<(i32, String)>,
}

/// What the journal records of a failed item: its exit code and its message.
fn failure(e: &Error) -> (i32, String) {
    (code_of(e), e.to_string())
}

/// The input's items. A line that cannot be read (not JSON, no `on`, no resource, no
/// `properties` for `set`) stops the run before anything is sent; a line whose values are
/// refused is an item that fails on its own.
async fn read_input(b: &Bulk<'_>) -> Result<Vec<Item>, Fail> {
    let text = crate::input::read_text(b.from).await?;
    let mut items = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let bad = |why: String| Fail::Input(format!("{}:{n}: {why}", b.from));
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| bad(format!("not JSON ({e})")))?;
        let on = v
            .get("on")
            .and_then(serde_json::Value::as_str)
            .ok_or_else(|| bad("needs \"on\": the resource, such as \"users/u1\"".into()))?
            .to_owned();
        let res = resource(&on).map_err(|e| bad(e.to_string()))?;
        let mut refused = None;
        let properties = match (b.remove, v.get("properties")) {
            (true, _) => Properties::new(),
            (false, Some(serde_json::Value::Object(p))) => {
                let mut props = Properties::new();
                for (k, v) in p {
                    let v = Value::from_json(v);
                    if let Err(e) = crate::props::check(k, &v, false) {
                        refused.get_or_insert((e.code(), e.to_string()));
                    }
                    props.insert(k.clone(), v);
                }
                props
            }
            (false, _) => return Err(bad("`set` needs \"properties\": an object".into())),
        };
        items.push(Item {
            line: n,
            on,
            resource: res,
            properties,
            refused,
        });
    }
    Ok(items)
}

/// The lines a journal (its bytes, `text`) records as done, checked against the input.
fn read_journal(path: &str, text: &[u8], items: &[Item]) -> Result<HashSet<usize>, Fail> {
    let by_line: HashMap<usize, &str> = items.iter().map(|i| (i.line, i.on.as_str())).collect();
    let mut done = HashSet::new();
    for (i, l) in text.split(|b| *b == b'\n').enumerate() {
        // A line cut short by a kill (even inside a UTF-8 character) was not recorded.
        let Ok(v) = serde_json::from_slice::<serde_json::Value>(l) else {
            continue;
        };
        let line = v
            .get("line")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0) as usize;
        let on = v
            .get("on")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("");
        if by_line.get(&line) != Some(&on) {
            return Err(Fail::Input(format!(
                "{path}:{}: the journal names line {line} ({on:?}), which the input does not hold: was the input changed?",
                i + 1
            )));
        }
        if v.get("outcome").and_then(serde_json::Value::as_str) == Some("done") {
            done.insert(line);
        }
    }
    Ok(done)
}

/// Opens the journal at `path` for this run alone: created for a new run (refused if it holds
/// records), opened for `--resume`; locked (advisory, released when the run ends) so that a
/// second run on it is refused; positioned on a new line after a torn last one. Returns the
/// file and the lines it records as done.
fn open_journal(path: &str, resume: bool, items: &[Item]) -> Result<(File, HashSet<usize>), Fail> {
    let cannot = |what: &str, e: std::io::Error| {
        Fail::Input(format!("cannot {what} the journal {path}: {e}"))
    };
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .append(true)
        .create(!resume)
        .open(path)
        .map_err(|e| cannot(if resume { "read" } else { "write" }, e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            return Err(Fail::Input(format!(
                "the journal {path} is in use by another graph-ext run: let that run finish (or stop it), then continue with --resume {path}"
            )));
        }
        Err(TryLockError::Error(e)) => return Err(cannot("lock", e)),
    }
    let mut text = Vec::new();
    file.read_to_end(&mut text).map_err(|e| cannot("read", e))?;
    let done = if resume {
        read_journal(path, &text, items)?
    } else if !text.is_empty() {
        return Err(Fail::Input(format!(
            "the journal {path} exists: continue it with --resume {path}, or remove it"
        )));
    } else {
        HashSet::new()
    };
    // A last line cut short by a kill: this run's first record starts a line of its own.
    if !text.is_empty() && !text.ends_with(b"\n") {
        file.write_all(b"\n")
            .and_then(|()| file.flush())
            .map_err(|e| cannot("write", e))?;
    }
    Ok((file, done))
}

pub(crate) fn is_absent(e: &Error) -> bool {
    matches!(e, Error::ExtensionNotFound { .. })
        || e.graph_error()
            .is_some_and(|g| g.kind == GraphErrorKind::ExtensionNotFound)
}

/// A create that found the extension there: another writer (or another line of the input on
/// the same resource) created it after this item's PATCH found none.
pub(crate) fn is_there(e: &Error) -> bool {
    matches!(e, Error::StoredDifferently { .. })
        || e.graph_error()
            .is_some_and(|g| g.kind == GraphErrorKind::AlreadyExists)
}

/// Each item's stored extension (`None`: absent), read through `$batch`; `None` in the outer
/// slot for an item the stream never answered.
async fn read_stored(
    r: &Runner,
    items: &[&Item],
    name: &ExtensionName,
    bar: &indicatif::ProgressBar,
) -> Vec<Option<Result<Option<ExtensionObject>, Error>>> {
    let gets: Vec<GetUntyped> = items
        .iter()
        .map(|i| GetUntyped::new(&i.resource, name))
        .collect();
    let mut stored: Vec<Option<Result<Option<ExtensionObject>, Error>>> =
        (0..items.len()).map(|_| None).collect();
    bar.set_message("reading the stored sets");
    let mut events = pin!(r.client.bulk_stream(&gets));
    while let Some(event) = events.next().await {
        match event {
            BulkEvent::Done { index, result } => {
                if let Some(slot) = stored.get_mut(index) {
                    *slot = Some(result);
                }
            }
            BulkEvent::Retrying { items, wait } => {
                bar.set_message(format!("{items} reads throttled, waiting {wait:?}"));
            }
            _ => {}
        }
    }
    bar.set_message("");
    stored
}

const NO_ANSWER: &str = "the read of the stored set got no answer";

/// The failure of a `--keep-unchanged` item whose extension another writer created or deleted
/// between the read and the write: nothing of theirs is overwritten or brought back.
static CHANGED: std::sync::LazyLock<(i32, String)> = std::sync::LazyLock::new(|| {
    (
        1,
        "the extension was created or deleted by another writer between the read and the write; nothing was written: run again with --resume to read it anew".to_owned(),
    )
});

/// `--dry-run`: what each line would do, as NDJSON on standard output, and a summary; only
/// reads are sent.
async fn dry_run(r: &Runner, b: &Bulk<'_>, name: &ExtensionName, items: &[Item]) -> Outcome {
    let refs: Vec<&Item> = items.iter().filter(|i| i.refused.is_none()).collect();
    let bar = indicatif::ProgressBar::hidden();
    let mut stored = read_stored(r, &refs, name, &bar).await.into_iter();
    let mut out = Records::new(b.format, &[]);
    let (mut creates, mut updates, mut losing, mut lost, mut removes, mut failed) =
        (0usize, 0usize, 0usize, 0usize, 0usize, 0usize);
    let names = |p: &Properties| -> Vec<serde_json::Value> {
        p.iter().map(|(k, _)| serde_json::Value::from(k)).collect()
    };
    for item in items {
        let mut rec = serde_json::Map::new();
        rec.insert("line".into(), json!(item.line));
        rec.insert("on".into(), json!(item.on));
        let read = match &item.refused {
            Some((_, why)) => Err(why.clone()),
            None => match stored.next().flatten() {
                Some(Ok(e)) => Ok(e),
                Some(Err(e)) => Err(e.to_string()),
                None => Err(NO_ANSWER.to_owned()),
            },
        };
        match read {
            Err(why) => {
                failed += 1;
                rec.insert("outcome".into(), json!("fails"));
                rec.insert("error".into(), json!(why));
            }
            Ok(None) if b.remove => {
                rec.insert("outcome".into(), json!("absent"));
            }
            Ok(None) => {
                creates += 1;
                rec.insert("outcome".into(), json!("create"));
                rec.insert("sets".into(), json!(names(&item.properties)));
            }
            Ok(Some(e)) if b.remove => {
                removes += 1;
                rec.insert("outcome".into(), json!("remove"));
                rec.insert("deletes".into(), json!(names(&e.properties)));
            }
            Ok(Some(e)) => {
                updates += 1;
                let deletes: Vec<&str> = if b.keep_unchanged {
                    Vec::new()
                } else {
                    e.properties
                        .iter()
                        .map(|(k, _)| k)
                        .filter(|k| !item.properties.contains(k))
                        .collect()
                };
                let changes: Vec<&str> = item
                    .properties
                    .iter()
                    .filter(|(k, v)| e.properties.get(k) != Some(*v))
                    .map(|(k, _)| k)
                    .collect();
                if !deletes.is_empty() {
                    losing += 1;
                    lost += deletes.len();
                }
                rec.insert("outcome".into(), json!("update"));
                rec.insert("changes".into(), json!(changes));
                rec.insert("deletes".into(), json!(deletes));
            }
        }
        out.write(&rec).map_err(|e| write_failed(&e))?;
    }
    out.finish().map_err(|e| write_failed(&e))?;
    if b.remove {
        say!(
            "{} items, nothing written: {removes} would be removed, {failed} would fail",
            items.len()
        );
    } else {
        say!(
            "{} items, nothing written: {creates} would be created, {updates} updated ({losing} of them losing {lost} properties), {failed} would fail",
            items.len()
        );
    }
    Ok(())
}

pub(crate) async fn run(r: &Runner, b: Bulk<'_>) -> Outcome {
    let name = name(b.name)?;
    if b.remove && b.keep_unchanged {
        return Err(Fail::Input(
            "--keep-unchanged is for bulk set: remove deletes the whole extension".into(),
        ));
    }
    let items = read_input(&b).await?;
    if b.dry_run {
        return dry_run(r, &b, &name, &items).await;
    }
    let journal_path = match (b.resume, b.journal, b.from) {
        (Some(j), _, _) | (None, Some(j), _) => j.to_owned(),
        (None, None, "-") => {
            return Err(Fail::Input(
                "reading from standard input needs --journal FILE".into(),
            ));
        }
        (None, None, from) => format!("{from}.journal"),
    };
    let (mut journal, done) = open_journal(&journal_path, b.resume.is_some(), &items)?;
    if !b.remove && !b.keep_unchanged {
        say!(
            "bulk set writes each line's properties as the whole set: a stored property the line omits is deleted (--dry-run lists them; --keep-unchanged keeps them)"
        );
    }
    let pending: Vec<&Item> = items.iter().filter(|i| !done.contains(&i.line)).collect();
    let skipped = items.len() - pending.len();

    crate::fail::on_interrupt(format!(
        "the journal {journal_path} records every item completed: continue with --resume {journal_path}"
    ));
    let bar = crate::fail::Bar(indicatif::ProgressBar::with_draw_target(
        Some(pending.len() as u64),
        indicatif::ProgressDrawTarget::stderr(),
    ));
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} [{elapsed}]")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let verbose = r.verbose;
    let write = if b.remove { "DELETE" } else { "PATCH" };
    // `method`: the request whose outcome this is (a `--keep-unchanged` read is a GET).
    let mut record = |item: &Item,
                      method: &str,
                      result: Result<(), (i32, String)>|
     -> Result<(), Fail> {
        if verbose {
            match &result {
                Ok(()) => say!("{method} {}/extensions/{} -> done", item.on, b.name),
                Err((_, e)) => say!("{method} {}/extensions/{} -> failed: {e}", item.on, b.name),
            }
        }
        let line = match result {
            Ok(()) => json!({"line": item.line, "on": item.on, "outcome": "done"}),
            Err((code, e)) => json!({"line": item.line, "on": item.on, "outcome": "failed",
                             "code": code, "error": e}),
        };
        let mut text = line.to_string();
        text.push('\n');
        journal
            .write_all(text.as_bytes())
            .and_then(|()| journal.flush())
            .map_err(|e| Fail::Input(format!("cannot write the journal {journal_path}: {e}")))
    };

    let (mut ok, mut failed, mut created) = (0usize, 0usize, 0usize);
    // Items whose values are refused fail on their own; nothing is sent for them.
    let (refused, pending): (Vec<&Item>, Vec<&Item>) =
        pending.into_iter().partition(|i| i.refused.is_some());
    for item in refused {
        failed += 1;
        record(item, write, Err(item.refused.clone().unwrap_or_default()))?;
        bar.inc(1);
    }
    let mut absent: Vec<&Item> = Vec::new();
    if b.remove {
        let ops: Vec<Delete> = pending
            .iter()
            .map(|i| Delete::new(&i.resource, &name))
            .collect();
        let mut events = pin!(r.client.bulk_stream(&ops));
        while let Some(event) = events.next().await {
            match event {
                BulkEvent::Done { index, result } => {
                    let item = pending[index];
                    // A resource without the extension is done: there is nothing to remove.
                    match &result {
                        Ok(_) => ok += 1,
                        Err(_) => failed += 1,
                    }
                    record(item, write, result.map(|_| ()).map_err(|e| failure(&e)))?;
                    bar.inc(1);
                }
                BulkEvent::Retrying { items, wait } => {
                    bar.set_message(format!("{items} throttled, waiting {wait:?}"));
                }
                _ => {}
            }
        }
    } else {
        // `--keep-unchanged`: each stored set, read first, with the line's properties changed
        // (absent: the line's set, created below). A read that fails fails its item.
        // Lines whose extension the read found: if the write then finds none, another writer
        // deleted it in between, and creating it again would bring back what was deleted.
        let mut present = HashSet::new();
        let merged: Vec<Item> = if b.keep_unchanged {
            let stored = read_stored(r, &pending, &name, &bar).await;
            let mut merged = Vec::new();
            for (item, st) in pending.iter().zip(stored) {
                match st {
                    Some(Ok(Some(e))) => {
                        present.insert(item.line);
                        let mut props = e.properties;
                        for (k, v) in item.properties.iter() {
                            props.insert(k, v.clone());
                        }
                        merged.push(Item {
                            properties: props,
                            ..(*item).clone()
                        });
                    }
                    Some(Ok(None)) => merged.push((*item).clone()),
                    Some(Err(e)) => {
                        failed += 1;
                        record(item, "GET", Err(failure(&e)))?;
                        bar.inc(1);
                    }
                    None => {
                        failed += 1;
                        record(item, "GET", Err((1, NO_ANSWER.to_owned())))?;
                        bar.inc(1);
                    }
                }
            }
            merged
        } else {
            Vec::new()
        };
        let pending: Vec<&Item> = if b.keep_unchanged {
            merged.iter().collect()
        } else {
            pending
        };
        let ops: Vec<Patch> = pending
            .iter()
            .map(|i| Patch::untyped(&i.resource, &name, &i.properties))
            .collect();
        let mut events = pin!(r.client.bulk_stream(&ops));
        while let Some(event) = events.next().await {
            match event {
                BulkEvent::Done { index, result } => {
                    let item = pending[index];
                    match &result {
                        Ok(_) => {
                            ok += 1;
                            record(item, write, Ok(()))?;
                            bar.inc(1);
                        }
                        // Deleted since the read: not brought back.
                        Err(e) if is_absent(e) && present.contains(&item.line) => {
                            failed += 1;
                            record(item, write, Err(CHANGED.clone()))?;
                            bar.inc(1);
                        }
                        // Not there yet: created in the second round.
                        Err(e) if is_absent(e) => absent.push(item),
                        Err(e) => {
                            failed += 1;
                            record(item, write, Err(failure(e)))?;
                            bar.inc(1);
                        }
                    }
                }
                BulkEvent::Retrying { items, wait } => {
                    bar.set_message(format!("{items} throttled, waiting {wait:?}"));
                }
                _ => {}
            }
        }
        let creates: Vec<Create> = absent
            .iter()
            .map(|i| Create::untyped(&i.resource, &name, &i.properties))
            .collect();
        // A create that meets the extension lost a race to another writer: PATCH again.
        let mut raced: Vec<&Item> = Vec::new();
        let mut events = pin!(r.client.bulk_stream(&creates));
        while let Some(event) = events.next().await {
            if let BulkEvent::Done { index, result } = event {
                let item = absent[index];
                match &result {
                    Ok(_) => {
                        ok += 1;
                        created += 1;
                    }
                    // Created by another writer since the read: a write of this line's set
                    // alone would delete theirs, so the item fails instead.
                    Err(e) if is_there(e) && b.keep_unchanged => {
                        failed += 1;
                        record(item, "POST", Err(CHANGED.clone()))?;
                        bar.inc(1);
                        continue;
                    }
                    Err(e) if is_there(e) => {
                        raced.push(item);
                        continue;
                    }
                    Err(_) => failed += 1,
                }
                record(item, "POST", result.map(|_| ()).map_err(|e| failure(&e)))?;
                bar.inc(1);
            }
        }
        let patches: Vec<Patch> = raced
            .iter()
            .map(|i| Patch::untyped(&i.resource, &name, &i.properties))
            .collect();
        let mut events = pin!(r.client.bulk_stream(&patches));
        while let Some(event) = events.next().await {
            if let BulkEvent::Done { index, result } = event {
                match &result {
                    Ok(_) => ok += 1,
                    Err(_) => failed += 1,
                }
                record(
                    raced[index],
                    write,
                    result.map(|_| ()).map_err(|e| failure(&e)),
                )?;
                bar.inc(1);
            }
        }
    }
    bar.finish_and_clear();
    let verb = if b.remove { "removed" } else { "set" };
    say!(
        "{} items: {ok} {verb}{}, {failed} failed, {skipped} already done by the journal; journal {journal_path}",
        items.len(),
        if created == 0 {
            String::new()
        } else {
            format!(" ({created} of them created)")
        }
    );
    if failed > 0 {
        return Err(Fail::Partial(format!(
            "{failed} of {} items failed (the journal lists each with its error); fix them and run again with --resume {journal_path}",
            items.len()
        )));
    }
    Ok(())
}
