//! `graph-ext`: Microsoft Graph open, schema and directory extensions and extension attributes
//! from a shell, with every check the
//! Rust library makes (names, the 2 KB limit, value types, integers past 2^53, schema types and
//! lengths) applied before anything is sent.
//!
//! See `graph-ext --help` and the README's "Command line" section.

// The doc comments below are the `--help` text, where URLs are plain text.
#![allow(rustdoc::bare_urls)]

mod args;
mod attributes;
mod auth;
mod bulk;
mod directory;
mod exec;
mod expr;
mod fail;
mod input;
mod open;
mod output;
mod props;
mod raw;
mod schema;
mod schema_data;
mod typed;
mod waits;

use clap::{CommandFactory, Parser};

use crate::args::*;

use crate::fail::{Fail, Outcome};
use crate::output::Format;

async fn run(cli: Cli) -> Outcome {
    if let Command::Completions { shell } = cli.command {
        let mut script = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "graph-ext", &mut script);
        return output::print_bytes(&script);
    }
    let client = auth::client(cli.base_url.as_deref(), cli.token_command.as_deref())?;
    let r = exec::Runner {
        client,
        verbose: cli.verbose,
    };
    let root = r.client.root().to_owned();
    waits::install(&root);
    output::set_format(cli.output.unwrap_or(Format::Json));
    let result = commands(r, cli.command, cli.output.unwrap_or(Format::Ndjson)).await;
    // A host that never answered: the error names the transport's reason; say where it looked.
    result.map_err(|f| match f {
        Fail::Api(e @ extensions_core::Error::Transport(_)) => Fail::Hinted(
            e,
            format!(
                "nothing answered at {root}: check --base-url (or GRAPH_BASE_URL), and that the host, or the emulator, runs"
            ),
        ),
        f => f,
    })
}

/// Runs one command.
/// Runs one command; `stream` is the format of the commands that stream records (scan, find).
async fn commands(r: exec::Runner, command: Command, stream: Format) -> Outcome {
    match command {
        Command::Completions { .. } => Ok(()),
        Command::Open(cmd) => match cmd {
            OpenCmd::Get(on) => open::get(&r, &on.on, &on.name).await,
            OpenCmd::List { on } => open::list(&r, &on).await,
            OpenCmd::Add(w) => {
                open::add(&r, &w.on.on, &w.on.name, &w.properties, w.json.as_deref()).await
            }
            OpenCmd::Set {
                write: w,
                keep_unchanged,
            } => {
                open::set(
                    &r,
                    &w.on.on,
                    &w.on.name,
                    &w.properties,
                    w.json.as_deref(),
                    keep_unchanged,
                )
                .await
            }
            OpenCmd::Remove(on) => open::remove(&r, &on.on, &on.name).await,
            OpenCmd::Scan {
                name,
                filter,
                select,
                page_size,
            } => {
                open::scan(
                    &r,
                    open::Scan {
                        name: &name,
                        filter: filter.as_deref(),
                        select: &select,
                        format: stream,
                        page_size,
                    },
                )
                .await
            }
            OpenCmd::Bulk(b) => {
                let (a, remove, keep_unchanged) = match &b {
                    BulkCmd::Set {
                        args,
                        keep_unchanged,
                    } => (args, false, *keep_unchanged),
                    BulkCmd::Remove(a) => (a, true, false),
                };
                bulk::run(
                    &r,
                    bulk::Bulk {
                        name: &a.name,
                        from: &a.from,
                        journal: a.journal.as_deref(),
                        resume: a.resume.as_deref(),
                        remove,
                        keep_unchanged,
                        dry_run: a.dry_run,
                        format: stream,
                    },
                )
                .await
            }
        },
        Command::Schema(cmd) => match cmd {
            SchemaCmd::List { owner, status } => {
                schema::list(&r, owner.as_deref(), status.as_deref()).await
            }
            SchemaCmd::Get { id } => schema::get(&r, &id).await,
            SchemaCmd::Add {
                id,
                targets,
                properties,
                description,
                owner,
            } => {
                schema::add(
                    &r,
                    schema::Add {
                        id: &id,
                        targets: &targets,
                        properties: &properties,
                        description: description.as_deref(),
                        owner: owner.as_deref(),
                    },
                )
                .await
            }
            SchemaCmd::Set {
                id,
                status,
                add_properties,
                add_targets,
                description,
            } => {
                schema::set(
                    &r,
                    schema::Set {
                        id: &id,
                        status: status.as_deref(),
                        add_properties: &add_properties,
                        add_targets: &add_targets,
                        description: description.as_deref(),
                    },
                )
                .await
            }
            SchemaCmd::Remove { id } => schema::remove(&r, &id).await,
            SchemaCmd::Data(cmd) => match cmd {
                SchemaDataCmd::Get(on) => schema_data::get(&r, &on.id, &on.on).await,
                SchemaDataCmd::Set { on, assignments } => {
                    schema_data::set(&r, &on.id, &on.on, &assignments).await
                }
                SchemaDataCmd::Clear { on, names } => {
                    schema_data::clear(&r, &on.id, &on.on, &names).await
                }
            },
            SchemaCmd::Find {
                id,
                collection,
                conditions,
            } => {
                schema::find(
                    &r,
                    schema::Find {
                        id: &id,
                        collection,
                        conditions: &conditions,
                        format: stream,
                    },
                )
                .await
            }
        },
        Command::Directory(cmd) => match cmd {
            DirectoryCmd::List { app } => directory::list(&r, app.as_deref()).await,
            DirectoryCmd::Get { app, name } => directory::get(&r, &app, &name).await,
            DirectoryCmd::Add {
                app,
                name,
                data_type,
                multi_valued,
                targets,
            } => {
                directory::add(
                    &r,
                    directory::Add {
                        app: &app,
                        name: &name,
                        data_type: &data_type,
                        multi_valued,
                        targets: &targets,
                    },
                )
                .await
            }
            DirectoryCmd::Remove { app, name } => directory::remove(&r, &app, &name).await,
            DirectoryCmd::Show { on, names } => {
                directory::show(&r, &on.on, on.app.as_deref(), &names).await
            }
            DirectoryCmd::Set { on, assignments } => {
                directory::set(&r, &on.on, on.app.as_deref(), &assignments).await
            }
            DirectoryCmd::Clear { on, names } => {
                directory::clear(&r, &on.on, on.app.as_deref(), &names).await
            }
            DirectoryCmd::Find {
                collection,
                app,
                conditions,
            } => {
                directory::find(
                    &r,
                    directory::Find {
                        collection,
                        app: app.as_deref(),
                        conditions: &conditions,
                        format: stream,
                    },
                )
                .await
            }
        },
        Command::Attributes(cmd) => match cmd {
            AttributesCmd::Get { on } => attributes::get(&r, &on).await,
            AttributesCmd::Set { on, assignments } => attributes::set(&r, &on, &assignments).await,
            AttributesCmd::Find {
                collection,
                condition,
            } => attributes::find(&r, collection, &condition, stream).await,
        },
    }
}

fn main() {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            output::say!("error: cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    // A signal ends the command by dropping it, so what it started is stopped (a token command's
    // process group is killed); graph-ext then exits with 128 + the signal's number, the status
    // a shell reports for a command a signal ended (it does not die of the signal itself:
    // restoring the default action needs `unsafe`, which this workspace forbids).
    let result = runtime.block_on(async {
        tokio::select! {
            r = run(cli) => r,
            signal = stop_signal() => Err(Fail::Interrupted(signal)),
        }
    });
    if let Some(peak) = peak_rss_report() {
        output::say!("{peak}");
    }
    match result {
        Ok(()) | Err(Fail::Closed) => {}
        Err(fail) => {
            output::say!("error: {fail}");
            if matches!(fail, Fail::Interrupted(_))
                && let Some(hint) = fail::interrupt_hint()
            {
                output::say!("{hint}");
            }
            std::process::exit(fail.code());
        }
    }
}

/// The first of SIGINT, SIGTERM and SIGHUP, by name and number; never, where they cannot be
/// watched.
async fn stop_signal() -> (&'static str, i32) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{Signal, SignalKind, signal};
        /// The next signal `watch` receives; never, without one.
        async fn next(watch: Option<&mut Signal>) {
            match watch {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending().await,
            }
        }
        let (mut int, mut term, mut hup) = (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
            signal(SignalKind::hangup()).ok(),
        );
        tokio::select! {
            () = next(int.as_mut()) => ("SIGINT", 2),
            () = next(term.as_mut()) => ("SIGTERM", 15),
            () = next(hup.as_mut()) => ("SIGHUP", 1),
        }
    }
    #[cfg(not(unix))]
    std::future::pending().await
}

/// With `GRAPH_EXT_REPORT_PEAK_RSS=1` (for the memory bench), the process's peak resident set
/// size, from `/proc/self/status` (Linux).
fn peak_rss_report() -> Option<String> {
    std::env::var_os("GRAPH_EXT_REPORT_PEAK_RSS")?;
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    Some(format!(
        "peak-rss: {}",
        line.trim_start_matches("VmHWM:").trim()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
