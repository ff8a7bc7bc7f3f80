//! Records to standard output as JSON (one array), NDJSON (a line each), CSV or a table,
//! written as they come: nothing is held but the current record.

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

/// Writes `v` as pretty JSON and a newline to standard output.
pub(crate) fn print(v: &impl serde::Serialize) -> Outcome {
    let mut text = serde_json::to_string_pretty(v).map_err(|e| Fail::Output(e.to_string()))?;
    text.push('\n');
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| write_failed(&e))
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
    /// Comma-separated values with a header; `--select` fixes the columns.
    Csv,
    /// Columns separated by two spaces, for reading.
    Table,
}

/// Writes records in one format.
pub(crate) struct Records {
    format: Format,
    out: std::io::BufWriter<std::io::Stdout>,
    csv: Option<csv::Writer<std::io::Stdout>>,
    /// Columns of CSV and table output: the record's top-level keys, then `properties.*`.
    columns: Option<Vec<String>>,
    count: usize,
}

impl Records {
    /// A writer; `columns` (property names) fixes CSV and table columns, else the first record's.
    pub(crate) fn new(format: Format, columns: &[String]) -> Self {
        Records {
            format,
            out: std::io::BufWriter::new(std::io::stdout()),
            csv: (format == Format::Csv).then(|| csv::Writer::from_writer(std::io::stdout())),
            columns: (!columns.is_empty()).then(|| columns.to_vec()),
            count: 0,
        }
    }

    /// The cells of `record`: its plain top-level values, then each property's.
    fn cells(record: &Map<String, Value>, props: &[String]) -> Vec<String> {
        let text = |v: Option<&Value>| match v {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
        };
        let mut cells: Vec<String> = record
            .iter()
            .filter(|(k, _)| *k != "properties")
            .map(|(_, v)| text(Some(v)))
            .collect();
        let p = record.get("properties").and_then(Value::as_object);
        cells.extend(props.iter().map(|k| text(p.and_then(|p| p.get(k)))));
        cells
    }

    fn header(record: &Map<String, Value>, props: &[String]) -> Vec<String> {
        let mut h: Vec<String> = record
            .keys()
            .filter(|k| *k != "properties")
            .cloned()
            .collect();
        h.extend(props.iter().cloned());
        h
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
                let columns = self
                    .columns
                    .get_or_insert_with(|| {
                        record
                            .get("properties")
                            .and_then(Value::as_object)
                            .map(|p| p.keys().cloned().collect())
                            .unwrap_or_default()
                    })
                    .clone();
                let mut rows = Vec::new();
                if first {
                    rows.push(Self::header(record, &columns));
                }
                rows.push(Self::cells(record, &columns));
                for row in rows {
                    if let Some(w) = &mut self.csv {
                        w.write_record(&row).map_err(csv_io)?;
                    } else {
                        let line: Vec<String> = row.iter().map(|c| format!("{c:<24}")).collect();
                        writeln!(self.out, "{}", line.join("  ").trim_end())?;
                    }
                }
            }
        }
        Ok(())
    }

    /// Ends the output (the closing `]` of JSON) and flushes it; returns how many records.
    pub(crate) fn finish(mut self) -> std::io::Result<usize> {
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
