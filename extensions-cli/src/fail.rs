//! How a command fails: a message on standard error and a documented exit code.

use std::fmt;

use extensions_core::Error;

/// The exit codes, as `--help` lists them.
pub(crate) const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  another failure (a Graph error not listed below, the network)
  2  bad input, refused before sending: usage, a name, a size, a value type, an unknown
     resource, a file that cannot be read
  3  not found: the resource, the extension or the definition
  4  throttled past the retry budget
  5  authentication or permission refused (401, 403), or no token
  6  a bulk run ended with failed items (listed in its journal)
  129, 130, 143  stopped by SIGHUP, SIGINT (Ctrl-C) or SIGTERM; a token command still
     running is stopped with it; a bulk run says how to resume (--resume JOURNAL); JSON
     output is closed, so what was written is a valid array (NDJSON: each line whole)
A reader that closes standard output early (`graph-ext … | head -1`) ends the command
quietly, with exit 0.";

/// A command's failure.
#[derive(Debug)]
pub(crate) enum Fail {
    /// Input refused before anything was sent.
    Input(String),
    /// What was asked for does not exist.
    NotFound(String),
    /// A library or Graph error.
    Api(Error),
    /// A library or Graph error, and what to do instead.
    Hinted(Error, String),
    /// No token could be had.
    Auth(String),
    /// A bulk run finished, some items failed.
    Partial(String),
    /// The output could not be written (not a closed pipe: that is `Closed`).
    Output(String),
    /// The reader closed standard output: the command ends quietly, with success.
    Closed,
    /// A signal stopped the command: its name and number.
    Interrupted((&'static str, i32)),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::Api(e)
    }
}

impl Fail {
    /// The exit code.
    pub(crate) fn code(&self) -> i32 {
        match self {
            Fail::Input(_) => 2,
            Fail::NotFound(_) => 3,
            Fail::Auth(_) => 5,
            Fail::Partial(_) => 6,
            Fail::Output(_) => 1,
            Fail::Closed => 0,
            Fail::Interrupted((_, n)) => 128 + n,
            Fail::Api(e) | Fail::Hinted(e, _) => code_of(e),
        }
    }
}

/// The exit code of a library error.
pub(crate) fn code_of(e: &Error) -> i32 {
    match e {
        Error::NameInvalid(_)
        | Error::InvalidResourceId { .. }
        | Error::PropertyNameInvalid { .. }
        | Error::DuplicateProperty { .. }
        | Error::NonFiniteFloat { .. }
        | Error::UnsafeInteger { .. }
        | Error::ValueNotEncodable { .. }
        | Error::ValueTooLong { .. }
        | Error::TooManyItems { .. }
        | Error::TooLarge { .. }
        | Error::Unsupported { .. }
        | Error::InvalidUri { .. }
        | Error::SchemaIdInvalid { .. }
        | Error::SchemaDefinitionInvalid { .. }
        | Error::SchemaValueTooLong { .. }
        | Error::SchemaTargetNotListed { .. }
        | Error::SchemaLifecycle { .. } => 2,
        Error::ExtensionNotFound { .. } => 3,
        Error::Throttled { .. } | Error::RetryBudgetExhausted { .. } => 4,
        Error::Token(_) => 5,
        _ => match e.status().map(|s| s.as_u16()) {
            Some(404) => 3,
            Some(401 | 403) => 5,
            _ => 1,
        },
    }
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fail::Input(m)
            | Fail::NotFound(m)
            | Fail::Auth(m)
            | Fail::Partial(m)
            | Fail::Output(m) => f.write_str(m),
            Fail::Closed => f.write_str("standard output was closed"),
            Fail::Interrupted((name, _)) => write!(f, "stopped by {name}"),
            Fail::Api(e) => write!(f, "{e}"),
            Fail::Hinted(e, hint) => write!(f, "{e}\nhint: {hint}"),
        }
    }
}

/// The result of a command.
pub(crate) type Outcome = Result<(), Fail>;

/// What to tell the user if a signal stops the command now (a bulk run's way to resume).
static ON_INTERRUPT: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Sets what a signal's message adds, for the rest of the command.
pub(crate) fn on_interrupt(hint: String) {
    if let Ok(mut h) = ON_INTERRUPT.lock() {
        *h = Some(hint);
    }
}

/// What a signal's message adds, if anything.
pub(crate) fn interrupt_hint() -> Option<String> {
    ON_INTERRUPT.lock().ok().and_then(|h| h.clone())
}

/// A progress bar cleared from the terminal when its command ends in any way (finished,
/// failed, or dropped by a signal), so no half-drawn bar stays above the last message.
pub(crate) struct Bar(pub(crate) indicatif::ProgressBar);

impl std::ops::Deref for Bar {
    type Target = indicatif::ProgressBar;
    fn deref(&self) -> &indicatif::ProgressBar {
        &self.0
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}
