//! `graph-ext`: Microsoft Graph open, schema and directory extensions and extension attributes
//! from a shell, with every check the
//! Rust library makes (names, the 2 KB limit, value types, integers past 2^53, schema types and
//! lengths) applied before anything is sent.
//!
//! See `graph-ext --help` and the README's "Command line" section.

// The doc comments below are the `--help` text, where URLs are plain text.
#![allow(rustdoc::bare_urls)]

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

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::fail::{EXIT_CODES, Fail, Outcome};
use crate::output::Format;

const AUTH_HELP: &str = "\
Authentication (the first that is set):
  --token-command CMD   runs CMD in `sh -c` for a token, again when it expires, such as
                        'az account get-access-token --resource https://graph.microsoft.com
                        --query accessToken -o tsv'; it gets no terminal to prompt on, and
                        is stopped with all it started after 30 s or when graph-ext stops
  GRAPH_TOKEN           an access token
  GRAPH_TENANT_ID, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET
                        an app registration's client secret (feature azure-identity)
No token or secret is ever printed, not even with --verbose.";

/// Microsoft Graph open, schema and directory extensions and extension attributes, checked
/// before sending.
#[derive(Parser, Debug)]
#[command(name = "graph-ext", version, after_long_help = format!("{AUTH_HELP}\n\n{EXIT_CODES}"))]
struct Cli {
    /// Graph's root: another cloud (https://graph.microsoft.us/v1.0), beta, or an emulator
    /// (http://127.0.0.1:8080/v1.0). Default: https://graph.microsoft.com/v1.0
    #[arg(long, env = "GRAPH_BASE_URL", global = true, value_name = "URL")]
    base_url: Option<String>,
    /// A command that prints an access token; run again when the token expires.
    #[arg(long, global = true, value_name = "COMMAND")]
    token_command: Option<String>,
    /// Print each request's method, path and status on standard error.
    #[arg(long, short, global = true)]
    verbose: bool,
    /// The output format of every command that prints: json (default; ndjson for scan and
    /// find), ndjson (a line per record), csv or table (a column per field).
    #[arg(
        long,
        global = true,
        value_enum,
        hide_possible_values = true,
        value_name = "FORMAT"
    )]
    output: Option<Format>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Open extensions: a named bag of properties on a resource.
    #[command(subcommand)]
    Open(OpenCmd),
    /// Schema extensions: registered, typed definitions, and resources found by their data.
    #[command(subcommand)]
    Schema(SchemaCmd),
    /// Directory extensions: one typed property per definition, owned by an app
    /// (extension_{appId}_{name}), on users, groups, devices, administrative units and
    /// organizations.
    #[command(subcommand)]
    Directory(DirectoryCmd),
    /// The fifteen extension attributes of users (onPremisesExtensionAttributes) and devices
    /// (extensionAttributes).
    #[command(subcommand)]
    Attributes(AttributesCmd),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// A resource and an extension on it.
#[derive(Args, Debug)]
struct On {
    /// The resource, as a path: users/adele@contoso.com, me, groups/ID, devices/ID,
    /// organization/ID, directory/administrativeUnits/ID, users/ID/messages/ID,
    /// users/ID/events/ID, users/ID/contacts/ID, groups/ID/events/ID,
    /// groups/ID/threads/ID/posts/ID, users/ID/todo/lists/ID[/tasks/ID].
    #[arg(long, value_name = "PATH")]
    on: String,
    /// The extension name (reverse DNS: com.contoso.Settings).
    #[arg(long)]
    name: String,
}

/// Properties to write.
#[derive(Args, Debug)]
struct Write {
    #[command(flatten)]
    on: On,
    /// key=value (a string) or key:=JSON (a number, true, false, null or an array), as HTTPie
    /// writes them: theme=dark fontSize:=12 'tags:=["a","b"]'.
    #[arg(value_name = "PROPERTY")]
    properties: Vec<String>,
    /// A JSON object of properties, from a file or - for standard input.
    #[arg(long, value_name = "FILE")]
    json: Option<String>,
}

#[derive(Subcommand, Debug)]
enum OpenCmd {
    /// Print one extension.
    Get(On),
    /// Print every extension of a directory object or to-do item.
    List {
        /// The resource, as a path (see `get --help`).
        #[arg(long, value_name = "PATH")]
        on: String,
    },
    /// Create an extension (refused if the resource has it: `set` changes one).
    Add(Write),
    /// Write an extension's properties, created where absent (as `bulk set` does). On
    /// directory objects a write replaces the whole set, so properties not given are deleted,
    /// unless --keep-unchanged.
    Set {
        #[command(flatten)]
        write: Write,
        /// Read the stored properties and change only those given.
        #[arg(long)]
        keep_unchanged: bool,
    },
    /// Delete an extension.
    Remove(On),
    /// Every user holding the extension, filtered client-side, streamed.
    Scan {
        /// The extension name.
        #[arg(long)]
        name: String,
        /// A filter on its properties: 'theme == "dark" && fontSize >= 12' (==, !=, <, <=, >,
        /// >=, &&, ||, !, parentheses; strings, numbers, true, false, null, arrays).
        #[arg(long = "where", value_name = "EXPR")]
        filter: Option<String>,
        /// Only these properties, and the CSV and table columns, written as they come (without
        /// it, CSV and table take a column for every property any match has, at the end).
        #[arg(long, value_delimiter = ',', value_name = "A,B")]
        select: Vec<String>,
        /// Users per page (Graph returns at most 100 with their extensions).
        #[arg(long, default_value_t = 100, value_name = "N")]
        page_size: u32,
    },
    /// Write or delete an extension on many resources through $batch, with a journal.
    #[command(subcommand)]
    Bulk(BulkCmd),
}

#[derive(Args, Debug)]
struct BulkArgs {
    /// The extension name.
    #[arg(long)]
    name: String,
    /// NDJSON input, a line per resource: {"on": "users/u1", "properties": {...}} (the output
    /// of `open scan`), or - for standard input.
    #[arg(long, value_name = "FILE")]
    from: String,
    /// Where to record each completed item (default: FILE.journal); locked while the run
    /// lasts, so a second run on it is refused.
    #[arg(long, value_name = "FILE", conflicts_with = "resume")]
    journal: Option<String>,
    /// Continue a run from its journal: items it records as done are not sent again (a last
    /// line a kill cut short is not a record).
    #[arg(long, value_name = "JOURNAL")]
    resume: Option<String>,
    /// Send nothing but reads: print, a line per input line, what the run would do (create,
    /// update with the properties it changes and deletes, remove, fail), and a summary. No
    /// journal is written.
    #[arg(long, conflicts_with_all = ["journal", "resume"])]
    dry_run: bool,
}

#[derive(Subcommand, Debug)]
enum BulkCmd {
    /// Write each line's properties, created where absent. Without --keep-unchanged a line's
    /// properties are the whole set: a stored property the line omits is deleted (Graph
    /// replaces the set on directory objects); --dry-run lists what each line would delete.
    Set {
        #[command(flatten)]
        args: BulkArgs,
        /// Read each stored set first (through $batch) and change only the line's properties;
        /// the others keep their values. Between the read and the write another writer's
        /// change to the same extension can be lost, as with `open set --keep-unchanged`.
        #[arg(long)]
        keep_unchanged: bool,
    },
    /// Delete the extension from each line's resource.
    Remove(BulkArgs),
}

#[derive(Subcommand, Debug)]
enum SchemaCmd {
    /// Print the definitions (all, one owner app's, or those in one status).
    List {
        /// Only those this app (appId) owns.
        #[arg(long, value_name = "APP_ID")]
        owner: Option<String>,
        /// Only those in this status: InDevelopment, Available, Deprecated.
        #[arg(long)]
        status: Option<String>,
    },
    /// Print one definition.
    Get {
        /// The definition's id (contoso_courses, extkvbmkofy_courses).
        id: String,
    },
    /// Register a definition (InDevelopment).
    Add {
        /// {verifiedDomain}_{name}, or a bare name for which Graph assigns ext########_{name}.
        #[arg(long)]
        id: String,
        /// A target type (repeatable): User, Group, AdministrativeUnit, Contact, Device, Event,
        /// Message, Organization, Post.
        #[arg(long = "target", required = true, value_name = "TYPE")]
        targets: Vec<String>,
        /// A property (repeatable): NAME:TYPE, the type Binary, Boolean, DateTime, Integer or
        /// String.
        #[arg(long = "property", value_name = "NAME:TYPE")]
        properties: Vec<String>,
        /// What it is for.
        #[arg(long)]
        description: Option<String>,
        /// The owner app's appId (default: the calling app).
        #[arg(long, value_name = "APP_ID")]
        owner: Option<String>,
    },
    /// Change a definition: additive only, and along its lifecycle.
    Set {
        /// The definition's id.
        id: String,
        /// InDevelopment -> Available -> Deprecated -> Available.
        #[arg(long)]
        status: Option<String>,
        /// Another property (repeatable): NAME:TYPE.
        #[arg(long = "add-property", value_name = "NAME:TYPE")]
        add_properties: Vec<String>,
        /// Another target type (repeatable).
        #[arg(long = "add-target", value_name = "TYPE")]
        add_targets: Vec<String>,
        /// A new description.
        #[arg(long)]
        description: Option<String>,
    },
    /// Delete a definition (InDevelopment only).
    Remove {
        /// The definition's id.
        id: String,
    },
    /// A definition's data on one resource: get, set (merged), clear.
    #[command(subcommand)]
    Data(SchemaDataCmd),
    /// Resources whose data matches, found by Graph ($filter), with their data.
    Find {
        /// The definition's id.
        #[arg(long)]
        id: String,
        /// Where to search.
        #[arg(long = "in", value_enum, default_value = "groups")]
        collection: schema::Collection,
        /// PROPERTY=VALUE (repeatable, all must match), typed by the definition; = only, as
        /// Graph filters schema extension data with eq.
        #[arg(long = "where", value_name = "PROPERTY=VALUE")]
        conditions: Vec<String>,
    },
}

/// A definition's data on one resource.
#[derive(Subcommand, Debug)]
enum SchemaDataCmd {
    /// Print the data (exit 3 when the resource has none).
    Get(SchemaOn),
    /// Write properties, each NAME=VALUE typed by the definition (read first; a value of the
    /// wrong type or over its limit is refused before sending). Graph merges them: properties
    /// not named keep their values.
    Set {
        #[command(flatten)]
        on: SchemaOn,
        /// NAME=VALUE (repeatable): courseId=123, online=true, starts=2024-03-01T09:00:00Z,
        /// syllabus=BASE64.
        #[arg(value_name = "NAME=VALUE")]
        assignments: Vec<String>,
    },
    /// Clear the named properties, or all of the data when none is named.
    Clear {
        #[command(flatten)]
        on: SchemaOn,
        /// The properties to clear (none: the whole data).
        #[arg(value_name = "NAME")]
        names: Vec<String>,
    },
}

/// A schema extension and a resource.
#[derive(Args, Debug)]
struct SchemaOn {
    /// The definition's id, as registered (contoso_courses, extkvbmkofy_courses).
    #[arg(long)]
    id: String,
    /// The resource: groups/ID, users/ID, devices/ID, organization/ID,
    /// directory/administrativeUnits/ID, users/ID/messages/ID, users/ID/events/ID,
    /// users/ID/contacts/ID, groups/ID/threads/ID/posts/ID.
    #[arg(long, value_name = "PATH")]
    on: String,
}

/// Values of directory extensions on a resource.
#[derive(Args, Debug)]
struct DirectoryOn {
    /// The resource, as a path: users/ID, me, groups/ID, devices/ID, organization/ID,
    /// directory/administrativeUnits/ID.
    #[arg(long, value_name = "PATH")]
    on: String,
    /// The owner app (appId, object id or display name), to name extensions by their short
    /// names; without it, give full names (extension_{appId}_{name}).
    #[arg(long, value_name = "APP")]
    app: Option<String>,
}

#[derive(Subcommand, Debug)]
enum DirectoryCmd {
    /// Print the definitions: one app's, or every one in the tenant.
    List {
        /// The app (appId, object id or display name); without it, every definition in the
        /// tenant (getAvailableExtensionProperties).
        #[arg(long, value_name = "APP")]
        app: Option<String>,
    },
    /// Print one definition.
    Get {
        /// The app (appId, object id or display name).
        #[arg(long, value_name = "APP")]
        app: String,
        /// The name (jobGroup) or full name (extension_{appId}_jobGroup).
        name: String,
    },
    /// Create a definition on an app (Graph has no update: a definition is fixed once created).
    Add {
        /// The app (appId, object id or display name).
        #[arg(long, value_name = "APP")]
        app: String,
        /// The name: a letter, then letters, digits and _ (Graph prefixes extension_{appId}_).
        #[arg(long)]
        name: String,
        /// Binary, Boolean, DateTime, Integer, LargeInteger or String.
        #[arg(long = "type", value_name = "TYPE")]
        data_type: String,
        /// Several values (a JSON array).
        #[arg(long)]
        multi_valued: bool,
        /// A target object (repeatable): User, Group, AdministrativeUnit, Application, Device,
        /// Organization.
        #[arg(long = "target", required = true, value_name = "OBJECT")]
        targets: Vec<String>,
    },
    /// Delete a definition (its values are hidden, and still count towards a resource's 100).
    Remove {
        /// The app (appId, object id or display name).
        #[arg(long, value_name = "APP")]
        app: String,
        /// The name or full name.
        name: String,
    },
    /// Print a resource's values: those named, or of every definition that targets it.
    Show {
        #[command(flatten)]
        on: DirectoryOn,
        /// Names (short with --app) or full names.
        #[arg(value_name = "NAME")]
        names: Vec<String>,
    },
    /// Write values, each typed by its definition (read first): NAME=VALUE; a multi-valued one
    /// takes a JSON array ('skills=["a","b"]').
    Set {
        #[command(flatten)]
        on: DirectoryOn,
        /// NAME=VALUE (repeatable).
        #[arg(value_name = "NAME=VALUE", required = true)]
        assignments: Vec<String>,
    },
    /// Remove values.
    Clear {
        #[command(flatten)]
        on: DirectoryOn,
        /// Names (short with --app) or full names.
        #[arg(value_name = "NAME", required = true)]
        names: Vec<String>,
    },
    /// Resources whose values match, found by Graph ($filter; advanced queries where Graph
    /// needs them).
    Find {
        /// Where to search.
        #[arg(long = "in", value_enum, default_value = "users")]
        collection: directory::Collection,
        /// The owner app, to name extensions by their short names.
        #[arg(long, value_name = "APP")]
        app: Option<String>,
        /// NAME=VALUE, NAME!=VALUE, NAME=null (unset), NAME!=null (set); on a multi-valued one,
        /// NAME=VALUE matches one of its values (repeatable, all must match).
        #[arg(long = "where", value_name = "CONDITION")]
        conditions: Vec<String>,
    },
}

#[derive(Subcommand, Debug)]
enum AttributesCmd {
    /// Print a user's or a device's fifteen attributes.
    Get {
        /// users/ID, me or devices/ID.
        #[arg(long, value_name = "PATH")]
        on: String,
    },
    /// Set attributes: N=VALUE (N from 1 to 15; N=null removes); the others are kept.
    Set {
        /// users/ID, me or devices/ID.
        #[arg(long, value_name = "PATH")]
        on: String,
        /// N=VALUE (repeatable).
        #[arg(value_name = "N=VALUE", required = true)]
        assignments: Vec<String>,
    },
    /// Users or devices whose attribute matches: N=VALUE, N!=VALUE, N=null, N!=null.
    Find {
        /// Where to search.
        #[arg(long = "in", value_enum, default_value = "users")]
        collection: attributes::AttributeCollection,
        /// The condition.
        #[arg(long = "where", value_name = "CONDITION")]
        condition: String,
    },
}

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
