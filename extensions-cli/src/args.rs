//! The command line: every command, option and argument, and the `--help` text (the doc
//! comments below). `main.rs` runs what is parsed here.

use clap::{Args, Parser, Subcommand};

use crate::fail::EXIT_CODES;
use crate::output::Format;
use crate::{attributes, directory, schema};

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
pub(crate) struct Cli {
    /// Graph's root: another cloud (https://graph.microsoft.us/v1.0), beta, or an emulator
    /// (http://127.0.0.1:8080/v1.0). Default: https://graph.microsoft.com/v1.0
    #[arg(long, env = "GRAPH_BASE_URL", global = true, value_name = "URL")]
    pub(crate) base_url: Option<String>,
    /// A command that prints an access token; run again when the token expires.
    #[arg(long, global = true, value_name = "COMMAND")]
    pub(crate) token_command: Option<String>,
    /// Print each request's method, path and status on standard error.
    #[arg(long, short, global = true)]
    pub(crate) verbose: bool,
    /// The output format of every command that prints: json (default; ndjson for scan and
    /// find), ndjson (a line per record), csv or table (a column per field).
    #[arg(
        long,
        global = true,
        value_enum,
        hide_possible_values = true,
        value_name = "FORMAT"
    )]
    pub(crate) output: Option<Format>,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
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
pub(crate) struct On {
    /// The resource, as a path: users/adele@contoso.com, me, groups/ID, devices/ID,
    /// organization/ID, directory/administrativeUnits/ID, users/ID/messages/ID,
    /// users/ID/events/ID, users/ID/contacts/ID, groups/ID/events/ID,
    /// groups/ID/threads/ID/posts/ID, users/ID/todo/lists/ID[/tasks/ID].
    #[arg(long, value_name = "PATH")]
    pub(crate) on: String,
    /// The extension name (reverse DNS: com.contoso.Settings).
    #[arg(long)]
    pub(crate) name: String,
}

/// Properties to write.
#[derive(Args, Debug)]
pub(crate) struct Write {
    #[command(flatten)]
    pub(crate) on: On,
    /// key=value (a string) or key:=JSON (a number, true, false, null or an array), as HTTPie
    /// writes them: theme=dark fontSize:=12 'tags:=["a","b"]'.
    #[arg(value_name = "PROPERTY")]
    pub(crate) properties: Vec<String>,
    /// A JSON object of properties, from a file or - for standard input.
    #[arg(long, value_name = "FILE")]
    pub(crate) json: Option<String>,
}

#[derive(Subcommand, Debug)]
pub(crate) enum OpenCmd {
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
pub(crate) struct BulkArgs {
    /// The extension name.
    #[arg(long)]
    pub(crate) name: String,
    /// NDJSON input, a line per resource: {"on": "users/u1", "properties": {...}} (the output
    /// of `open scan`), or - for standard input.
    #[arg(long, value_name = "FILE")]
    pub(crate) from: String,
    /// Where to record each completed item (default: FILE.journal); locked while the run
    /// lasts, so a second run on it is refused.
    #[arg(long, value_name = "FILE", conflicts_with = "resume")]
    pub(crate) journal: Option<String>,
    /// Continue a run from its journal: items it records as done are not sent again (a last
    /// line a kill cut short is not a record).
    #[arg(long, value_name = "JOURNAL")]
    pub(crate) resume: Option<String>,
    /// Send nothing but reads: print, a line per input line, what the run would do (create,
    /// update with the properties it changes and deletes, remove, fail), and a summary. No
    /// journal is written.
    #[arg(long, conflicts_with_all = ["journal", "resume"])]
    pub(crate) dry_run: bool,
}

#[derive(Subcommand, Debug)]
pub(crate) enum BulkCmd {
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
pub(crate) enum SchemaCmd {
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
pub(crate) enum SchemaDataCmd {
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
pub(crate) struct SchemaOn {
    /// The definition's id, as registered (contoso_courses, extkvbmkofy_courses).
    #[arg(long)]
    pub(crate) id: String,
    /// The resource: groups/ID, users/ID, devices/ID, organization/ID,
    /// directory/administrativeUnits/ID, users/ID/messages/ID, users/ID/events/ID,
    /// users/ID/contacts/ID, groups/ID/threads/ID/posts/ID.
    #[arg(long, value_name = "PATH")]
    pub(crate) on: String,
}

/// Values of directory extensions on a resource.
#[derive(Args, Debug)]
pub(crate) struct DirectoryOn {
    /// The resource, as a path: users/ID, me, groups/ID, devices/ID, organization/ID,
    /// directory/administrativeUnits/ID.
    #[arg(long, value_name = "PATH")]
    pub(crate) on: String,
    /// The owner app (appId, object id or display name), to name extensions by their short
    /// names; without it, give full names (extension_{appId}_{name}).
    #[arg(long, value_name = "APP")]
    pub(crate) app: Option<String>,
}

#[derive(Subcommand, Debug)]
pub(crate) enum DirectoryCmd {
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
pub(crate) enum AttributesCmd {
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
