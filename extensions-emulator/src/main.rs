//! `cargo run -p extensions-emulator -- --port 8080 --seed seed.json`: a local Graph for open,
//! schema and directory extensions and extension attributes. Run with `--help` for the flags.

use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use extensions_emulator::{App, Emulator, EmulatorConfig, FaultRule};

/// `seed.example.json`, printed by `--print-example-seed`.
const EXAMPLE_SEED: &str = include_str!("../seed.example.json");

const HELP: &str = "\
extensions-emulator: a local Microsoft Graph for open, schema and directory extensions and
extension attributes

USAGE: extensions-emulator [FLAGS]

  --port N                 port to listen on (default 8080; 0 for any)
  --bind ADDR              address to bind (default 127.0.0.1, loopback only)
  --seed FILE              initial data: a JSON object of collections (users, groups,
                           devices, organization, administrativeUnits), each an array of
                           resources with an \"id\", their own fields, child collections
                           (messages, events, contacts, todoLists with tasks, threads with
                           posts) and \"extensions\"; also \"schemaExtensions\",
                           \"applications\" ({id, appId, displayName}), \"servicePrincipals\"
                           and \"extensionProperties\" (each with its owner's appId); read one
                           resource at a time at start, and again by POST /_emulator/reset
  --print-example-seed     print a sample seed file (extensions-emulator/seed.example.json)
  --token TOKEN=APP[:ME]   an accepted bearer token, its app id, and the user /me means
                           (repeatable; default: emulator-token, app-only)
  --verified-domain DOMAIN  a verified domain of the tenant, for schema extension ids
                           {domain}_{name} (repeatable; default: contoso.com)
  --throttle N/SECS        requests per app per window (default 455/10)
  --fault-seed N           seed of the fault draws (default 0)
  --fault-error-rate P     share of requests answered 500/502/503/504 (0..1)
  --fault-reset-rate P     share of connections reset before handling
  --fault-drop-rate P      share of requests handled and then left unanswered
  --fault-latency-ms MS    latency added to every request
  --admin-token TOKEN      bearer token of the admin routes /_emulator/state, /_emulator/seed
                           and /_emulator/reset (default: drawn at start and printed)
  --header-read-timeout-ms MS
                           close a connection whose request headers take longer (default 10000)
  --body-read-timeout-ms MS
                           close a connection whose request body takes longer to arrive,
                           counted from the end of its headers (default 30000)
  --max-connections N      connections served at once (default 1024)
  --retry-after-fractions  Retry-After in milliseconds (0.008) instead of Graph's whole
                           seconds rounded up (1), to test clients that pace on precise hints
  --help                   this text

ROUTES (under /v1.0 and /beta; a bearer token of a configured app on each)

  GET    /users                            users, page by page: $top (1-999), $select,
                                           $expand=extensions (needs $select with id, else
                                           500 as Graph; at most 100 a page), @odata.nextLink
  GET    RESOURCE                          one resource: $select, $expand=extensions
                                           (Outlook items: extensions($filter=id eq 'NAME'))
  GET    RESOURCE/extensions               its extensions (directory objects, to-do items)
  POST   RESOURCE/extensions               create (201); an existing name: 400, merged on
                                           Outlook items
  GET    RESOURCE/extensions/ID            one extension (by name or any form of its id)
  PATCH  RESOURCE/extensions/ID            replace (directory objects, 204) or merge
                                           (Outlook and to-do items, 200)
  DELETE RESOURCE/extensions/ID            delete (204)
  POST   /users/ID/messages|events|contacts|todo/lists, /users/ID/todo/lists/ID/tasks,
         /groups/ID/events                 a new item with its extensions (201)
  POST   /groups/ID/threads/ID/posts/ID/reply
                                           a new post with its extensions (202)
  POST   /groups/ID/conversations          a conversation, thread and post (201)
  GET    PARENT/COLLECTION                 the items of a collection (a thread's posts)
  POST   /$batch                           up to 20 requests, dependsOn, per-item throttling
  GET    /schemaExtensions                 schema extension definitions: $filter=id|owner|
                                           description|status eq '...' (and ...)
  POST   /schemaExtensions                 register (201, InDevelopment; a bare name gets an
                                           ext########_ id; at most 5 per owner app)
  GET    /schemaExtensions/ID              one definition
  PATCH  /schemaExtensions/ID              additive update or status move; needs \"owner\"
  DELETE /schemaExtensions/ID              delete (InDevelopment only; its data goes too)
  PATCH  RESOURCE                          fields and schema extension data (merged, checked
                                           against the definition; null clears); a property the
                                           type does not have: 400 (Outlook and to-do items
                                           answer 200 with the item, directory objects 204)
  POST   /users|/groups|/devices           a new directory object, with schema extension data
  GET    /groups|/devices|/directory/administrativeUnits
                                           as /users; with /users, $filter=ID/PROP eq VALUE
                                           (and ...) on schema extension data, $select=ID
  GET    /users|/groups|/devices|/directory/administrativeUnits
                                           $filter=extension_APPID_NAME eq VALUE (or
                                           onPremisesExtensionAttributes/extensionAttributeN
                                           eq VALUE); ne, eq null, ne null and NAME/any(v:v eq
                                           VALUE) only with $count=true and the header
                                           ConsistencyLevel: eventual (@odata.count)
  GET    /applications                     applications ($filter=displayName|appId eq '...')
  POST   /applications                     register an application (201)
  GET    /applications/ID, /applications(appId='APPID')
                                           one application
  GET    APP/extensionProperties           its directory extension definitions
                                           ($filter=name eq '...'); APP is either form above
  POST   APP/extensionProperties           create one (201, named extension_APPID_NAME)
  GET    APP/extensionProperties/ID        one definition
  DELETE APP/extensionProperties/ID        delete (not a synced one); its values are hidden
  POST   /servicePrincipals                an application's service principal (201)
  POST   /directoryObjects/getAvailableExtensionProperties
                                           every directory extension definition in the tenant
  PATCH  RESOURCE                          also directory extension values (checked against
                                           their definitions; null removes; at most 100 values
                                           on a resource) and onPremisesExtensionAttributes
                                           (users) or extensionAttributes (devices), merged

  RESOURCE is /users/ID (id or userPrincipalName), /me (delegated tokens), /groups/ID,
  /devices/ID, /organization/ID, /directory/administrativeUnits/ID (v1.0) or
  /administrativeUnits/ID (beta), /users/ID/messages|events|contacts/ID,
  /users/ID/todo/lists/ID[/tasks/ID], /groups/ID/events/ID,
  /groups/ID[/conversations/ID]/threads/ID/posts/ID. Ids may use OData key syntax: users('ID').

ADMIN ROUTES (Authorization: Bearer <admin token>; ?tenant=ID for another configured tenant)

  GET    /_emulator/state                  the whole state, in the seed format
                                           (?download=1: as a file, emulator-seed.json)
  POST   /_emulator/seed                   add resources (seed JSON)
  POST   /_emulator/reset                  back to the seed the emulator started with

CONSOLE

  GET    /_emulator/?token=<admin token>   the web console (printed at start): sets a cookie
                                           holding the token (HttpOnly, SameSite=Strict) and
                                           moves to /_emulator/. Data of each tenant, schema and
                                           directory extension definitions, the live request log
                                           (bodies kept while the console is open, secrets
                                           redacted), each app's throttle bucket, faults and
                                           throttling on and off, reset, the state as a seed
                                           file, and a request box. Served by this binary alone.

Logs go to standard error; set RUST_LOG (e.g. RUST_LOG=debug) to change the level.
";

fn parse(args: Vec<String>) -> Result<(EmulatorConfig, SocketAddr), String> {
    let mut config = EmulatorConfig::default();
    let mut port: u16 = 8080;
    let mut ip: IpAddr = [127, 0, 0, 1].into();
    let mut tokens = Vec::new();
    let mut verified_given = false;
    let mut rule = FaultRule::default();
    let mut it = args.into_iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        let rate = |v: String| -> Result<f64, String> {
            v.parse::<f64>()
                .ok()
                .filter(|p| (0.0..=1.0).contains(p))
                .ok_or_else(|| format!("{v:?} is not a probability between 0 and 1"))
        };
        match flag.as_str() {
            "--help" | "-h" => return Err(HELP.to_owned()),
            "--print-example-seed" => return Err(EXAMPLE_SEED.to_owned()),
            "--port" => {
                port = value()?
                    .parse()
                    .map_err(|_| "--port needs a number".to_owned())?
            }
            "--bind" => {
                ip = value()?
                    .parse()
                    .map_err(|_| "--bind needs an IP address".to_owned())?
            }
            "--seed" => {
                // Streamed at start (one resource at a time) and read again at reset.
                config.seed_file = Some(value()?.into());
            }
            "--token" => {
                let v = value()?;
                let (token, rest) = v.split_once('=').ok_or("--token needs TOKEN=APP[:ME]")?;
                let (app, me) = match rest.split_once(':') {
                    Some((a, m)) => (a, Some(m.to_owned())),
                    None => (rest, None),
                };
                tokens.push(App {
                    token: token.to_owned(),
                    app_id: app.to_owned(),
                    me,
                });
            }
            "--throttle" => {
                let v = value()?;
                let (n, secs) = v.split_once('/').ok_or("--throttle needs N/SECS")?;
                config.throttle.requests = n
                    .parse()
                    .map_err(|_| "--throttle: N must be a number".to_owned())?;
                let secs: f64 = secs
                    .parse()
                    .map_err(|_| "--throttle: SECS must be a number".to_owned())?;
                config.throttle.window =
                    Duration::try_from_secs_f64(secs).map_err(|e| format!("--throttle: {e}"))?;
            }
            "--fault-seed" => {
                config.faults.seed = value()?
                    .parse()
                    .map_err(|_| "--fault-seed needs a number".to_owned())?
            }
            "--fault-error-rate" => rule.error_rate = rate(value()?)?,
            "--fault-reset-rate" => rule.reset_rate = rate(value()?)?,
            "--fault-drop-rate" => rule.commit_then_drop_rate = rate(value()?)?,
            "--fault-latency-ms" => {
                rule.latency = Duration::from_millis(
                    value()?
                        .parse()
                        .map_err(|_| "--fault-latency-ms needs a number".to_owned())?,
                )
            }
            "--admin-token" => config.admin_token = Some(value()?),
            "--verified-domain" => {
                if !verified_given {
                    config.verified_domains.clear();
                    verified_given = true;
                }
                config.verified_domains.push(value()?);
            }
            "--retry-after-fractions" => config.retry_after_fractions = true,
            "--header-read-timeout-ms" => {
                config.header_read_timeout = Duration::from_millis(
                    value()?
                        .parse()
                        .map_err(|_| "--header-read-timeout-ms needs a number".to_owned())?,
                )
            }
            "--body-read-timeout-ms" => {
                config.body_read_timeout = Duration::from_millis(
                    value()?
                        .parse()
                        .map_err(|_| "--body-read-timeout-ms needs a number".to_owned())?,
                )
            }
            "--max-connections" => {
                config.max_connections = value()?
                    .parse()
                    .map_err(|_| "--max-connections needs a number".to_owned())?
            }
            other => return Err(format!("unknown flag {other}\n\n{HELP}")),
        }
    }
    if !tokens.is_empty() {
        config.apps = tokens;
    }
    if rule != FaultRule::default() {
        config.faults.rules.push(rule);
    }
    Ok((config, SocketAddr::new(ip, port)))
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let (config, addr) = match parse(std::env::args().skip(1).collect()) {
        Ok(c) => c,
        Err(message) if message == EXAMPLE_SEED => {
            // On standard output, so `--print-example-seed > seed.json` works.
            print!("{message}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("{message}");
            return if message == HELP {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    let apps: Vec<&str> = config.apps.iter().map(|a| a.app_id.as_str()).collect();
    tracing::info!(?apps, "starting");
    let emulator = match Emulator::start_on(config, addr).await {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!("Graph emulator listening on {}", emulator.url());
    eprintln!(
        "admin routes: Authorization: Bearer {} (/_emulator/state, /_emulator/seed, /_emulator/reset)",
        emulator.admin_token()
    );
    eprintln!(
        "console (open in a browser; the URL holds the admin token): {}",
        emulator.console_url()
    );
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
    ExitCode::SUCCESS
}
