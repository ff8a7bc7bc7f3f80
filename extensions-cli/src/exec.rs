//! Runs operations through the client, printing each request's method, path and status on
//! standard error with `--verbose` (never a header, and each line through the client's
//! redaction: a token a server echoed into a next link is printed as `[redacted]`).

use std::borrow::Cow;

use extensions_client::GraphClient;
use extensions_core::Error;
use extensions_core::op::{Confirmation, Execute, Operation, Repeat, Request, Response};

/// The client, and whether to print each answer.
pub(crate) struct Runner {
    pub(crate) client: GraphClient,
    pub(crate) verbose: bool,
}

impl Runner {
    /// Runs `op`.
    pub(crate) async fn run<O>(&self, op: &O) -> Result<O::Output, Error>
    where
        O: Operation + Sync + ?Sized,
        O::Output: Send,
    {
        if self.verbose {
            self.client.execute(&Logged(op, &self.client)).await
        } else {
            self.client.execute(op).await
        }
    }
}

impl Execute for Runner {
    fn execute<O>(
        &self,
        op: &O,
    ) -> impl std::future::Future<Output = Result<O::Output, Error>> + Send
    where
        O: Operation + Sync + ?Sized,
        O::Output: Send,
    {
        self.run(op)
    }
}

/// An operation that prints `METHOD path -> status` for each answer it reads, every token the
/// client sent redacted.
struct Logged<'a, O: ?Sized>(&'a O, &'a GraphClient);

impl<O: Operation + ?Sized> Logged<'_, O> {
    fn line(&self, status: u16) -> String {
        let line = match self.0.request() {
            Ok(r) => format!("{} {} -> {status}", r.method(), r.uri()),
            Err(_) => format!("(refused before sending) -> {status}"),
        };
        self.1.redact_text(&line).into_owned()
    }
}

impl<O: Operation + ?Sized> Operation for Logged<'_, O> {
    type Output = O::Output;

    fn request(&self) -> Result<Request, Error> {
        self.0.request()
    }

    fn read(&self, response: Response) -> Result<O::Output, Error> {
        crate::output::say!("{}", self.line(response.status().as_u16()));
        self.0.read(response)
    }

    fn repeat(&self) -> Repeat {
        self.0.repeat()
    }

    fn route(&self) -> Cow<'static, str> {
        self.0.route()
    }

    fn cost(&self) -> u32 {
        self.0.cost()
    }

    fn read_back(&self) -> Option<Request> {
        self.0.read_back()
    }

    fn confirm(&self, response: Response) -> Result<Confirmation<O::Output>, Error> {
        crate::output::say!("(read back) -> {}", response.status().as_u16());
        self.0.confirm(response)
    }
}
