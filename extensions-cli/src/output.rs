//! Records to standard output as JSON (one array), NDJSON (a line each), CSV or a table.
//! JSON and NDJSON are written as they come, and so are CSV and table with `--select`; CSV and
//! table without it hold the records until the end, so that their columns cover every
//! property any record has.

use std::io::Write;

use clap::ValueEnum;
use serde_json::{Map, Value};

use crate::fail::{Fail, Outcome};

/// What a failed write to standard output means: a reader that closed the pipe (`| head`)
/// ends the command quietly ([`Fail::Closed`]); anything else is reported.
pub(crate) fn write_failed(e: &std::io::Error) -> Fail {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Fail::Closed
    } else {
        Fail::Output(format!("cannot write the output: {e}"))
    }
}

/// A CSV writer's error as the I/O error it carries (a closed pipe stays a closed pipe).
fn csv_io(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// The format `print` writes in (`--output`), set once at the start.
static FORMAT: std::sync::OnceLock<Format> = std::sync::OnceLock::new();

/// Sets the format of [`print()`] for the rest of the command.
pub(crate) fn set_format(format: Format) {
    let _ = FORMAT.set(format);
}

/// Writes what a command prints in the `--output` format: pretty JSON (the default); NDJSON, a
/// line per element of a list (one line for an object); CSV or a table, a row per object (a
/// list's elements, or the object itself) and a column per field, nested values as JSON text.
pub(crate) fn print(v: &impl serde::Serialize) -> Outcome {
    let format = FORMAT.get().copied().unwrap_or(Format::Json);
    if format == Format::Json {
        let mut text = serde_json::to_string_pretty(v).map_err(|e| Fail::Output(e.to_string()))?;
        text.push('\n');
        let mut out = std::io::stdout().lock();
        return out
            .write_all(text.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| write_failed(&e));
    }
    let value = serde_json::to_value(v).map_err(|e| Fail::Output(e.to_string()))?;
    let records: Vec<Map<String, Value>> = match value {
        Value::Array(items) => items
            .into_iter()
            .map(|item| match item {
                Value::Object(o) => o,
                other => Map::from_iter([("value".to_owned(), other)]),
            })
            .collect(),
        Value::Object(o) => vec![o],
        other => vec![Map::from_iter([("value".to_owned(), other)])],
    };
    let mut out = Records::new(format, &[]);
    for r in &records {
        out.write(r).map_err(|e| write_failed(&e))?;
    }
    out.finish().map(|_| ()).map_err(|e| write_failed(&e))
}

/// Writes `bytes` to standard output as they are.
pub(crate) fn print_bytes(bytes: &[u8]) -> Outcome {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| write_failed(&e))
}

/// A line on standard error; a closed standard error is ignored (nothing else could be told).
macro_rules! say {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let _ = ::std::writeln!(::std::io::stderr(), $($arg)*);
    }};
}
pub(crate) use say;

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// One JSON array.
    Json,
    /// One JSON object per line (what `open bulk --from` reads).
    Ndjson,
    /// Comma-separated values with a header, a column per property.
    Csv,
    /// Columns separated by two spaces, for reading.
    Table,
}

/// Writes records in one format.
pub(crate) struct Records {
    format: Format,
    out: std::io::BufWriter<std::io::Stdout>,
    csv: Option<csv::Writer<std::io::Stdout>>,
    /// Columns of CSV and table output: the records' top-level keys, then `properties.*`;
    /// `None` until known (the first record's top-level keys; the properties `--select`
    /// named, or every property of every record).
    columns: Option<(Vec<String>, Vec<String>)>,
    /// CSV and table records without `--select`: held until the end, so that the columns
    /// cover a property any of them has.
    held: Vec<Map<String, Value>>,
    count: usize,
    /// Whether `finish` ran (else dropping the writer, as a signal does, closes the output).
    finished: bool,
}

impl Drop for Records {
    /// A command stopped before `finish` (by a signal): JSON output gets its closing `]`, so
    /// what was written is a valid array of the records so far; the rest is flushed. Errors are
    /// ignored: the command is ending, and its exit status says why.
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        if self.format == Format::Json {
            let _ = self
                .out
                .write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" });
        }
        if !self.held.is_empty() {
            let _ = self.write_held();
        }
        let _ = self.out.flush();
        if let Some(w) = &mut self.csv {
            let _ = w.flush();
        }
    }
}

impl Records {
    /// A writer; `columns` (property names) fixes CSV and table columns and lets them stream;
    /// without it, CSV and table hold the records to the end and take every property any
    /// record has.
    pub(crate) fn new(format: Format, columns: &[String]) -> Self {
        Records {
            format,
            out: std::io::BufWriter::new(std::io::stdout()),
            csv: (format == Format::Csv).then(|| csv::Writer::from_writer(std::io::stdout())),
            // The top-level keys are the first record's; only the properties are fixed here.
            columns: (!columns.is_empty()).then(|| (Vec::new(), columns.to_vec())),
            held: Vec::new(),
            count: 0,
            finished: false,
        }
    }

    /// The cells of `record` under `top` and `props`: its plain top-level values, then each
    /// property's.
    fn cells(record: &Map<String, Value>, top: &[String], props: &[String]) -> Vec<String> {
        let text = |v: Option<&Value>| match v {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
        };
        let p = record.get("properties").and_then(Value::as_object);
        top.iter()
            .map(|k| text(record.get(k)))
            .chain(props.iter().map(|k| text(p.and_then(|p| p.get(k)))))
            .collect()
    }

    /// The top-level keys of `record` that `top` lacks, added in order; a `properties` object
    /// is spread into columns of its own instead (an array under that name stays a column).
    fn add_top(top: &mut Vec<String>, record: &Map<String, Value>) {
        for (k, v) in record {
            if (k != "properties" || !v.is_object()) && !top.contains(k) {
                top.push(k.clone());
            }
        }
    }

    /// Writes one row of CSV or table output.
    fn row(&mut self, row: &[String]) -> std::io::Result<()> {
        if let Some(w) = &mut self.csv {
            w.write_record(row).map_err(csv_io)
        } else {
            let line: Vec<String> = row.iter().map(|c| format!("{c:<24}")).collect();
            writeln!(self.out, "{}", line.join("  ").trim_end())
        }
    }

    /// Writes one record (an object; its `properties` object spread into columns for CSV and
    /// table).
    pub(crate) fn write(&mut self, record: &Map<String, Value>) -> std::io::Result<()> {
        let first = self.count == 0;
        self.count += 1;
        match self.format {
            Format::Json => {
                self.out.write_all(if first { b"[\n" } else { b",\n" })?;
                serde_json::to_writer(&mut self.out, record)?;
            }
            Format::Ndjson => {
                serde_json::to_writer(&mut self.out, record)?;
                self.out.write_all(b"\n")?;
            }
            Format::Csv | Format::Table => {
                let Some((mut top, props)) = self.columns.take() else {
                    self.held.push(record.clone());
                    return Ok(());
                };
                if first {
                    Self::add_top(&mut top, record);
                    let mut header = top.clone();
                    header.extend(props.iter().cloned());
                    self.row(&header)?;
                }
                let cells = Self::cells(record, &top, &props);
                self.columns = Some((top, props));
                self.row(&cells)?;
            }
        }
        Ok(())
    }

    /// The held records under columns that cover all of them.
    fn write_held(&mut self) -> std::io::Result<()> {
        let held = std::mem::take(&mut self.held);
        let (mut top, mut props) = (Vec::new(), Vec::new());
        for record in &held {
            Self::add_top(&mut top, record);
            if let Some(p) = record.get("properties").and_then(Value::as_object) {
                for k in p.keys() {
                    if !props.contains(k) {
                        props.push(k.clone());
                    }
                }
            }
        }
        let mut header = top.clone();
        header.extend(props.iter().cloned());
        self.row(&header)?;
        for record in &held {
            self.row(&Self::cells(record, &top, &props))?;
        }
        Ok(())
    }

    /// Ends the output (the closing `]` of JSON) and flushes it; returns how many records.
    pub(crate) fn finish(mut self) -> std::io::Result<usize> {
        self.finished = true;
        if !self.held.is_empty() {
            self.write_held()?;
        }
        if self.format == Format::Json {
            self.out
                .write_all(if self.count == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        if let Some(w) = &mut self.csv {
            w.flush()?;
        }
        self.out.flush()?;
        Ok(self.count)
    }
}
