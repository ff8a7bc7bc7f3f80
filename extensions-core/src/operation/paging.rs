//! Following `@odata.nextLink`: one guard and one loop for every paged read, whatever kind of
//! extension it reads (users with their open extensions, schema extension definitions,
//! resources found by their schema data).
//!
//! Graph's [paging guidance](https://learn.microsoft.com/en-us/graph/paging) says to follow each
//! page's `@odata.nextLink` until there is none. A server that answers a link it already gave
//! (itself, or two links in turn), or pages without items that never end, would keep a reader
//! following for ever: [`NextLinks`] ends the paging with
//! [`Error::UnexpectedResponse`] instead, and [`for_each_page`] is the loop with that guard.

use std::collections::HashSet;
use std::ops::ControlFlow;

use crate::error::Error;
use crate::operation::read::Page;
use crate::operation::{Execute, Operation};

/// Pages in a row without an item, each with a next link, after which the paging stops with an
/// error.
pub const MAX_EMPTY_PAGES: u32 = 100;

/// The guard of one paged read: every link followed, and the pages in a row without an item.
///
/// ```
/// use extensions_core::paging::NextLinks;
/// let mut links = NextLinks::new();
/// assert_eq!(links.follow(2, Some("https://graph/users?$skiptoken=1"))?, Some("https://graph/users?$skiptoken=1"));
/// assert!(links.follow(2, Some("https://graph/users?$skiptoken=1")).is_err()); // seen before
/// assert_eq!(NextLinks::new().follow(0, None)?, None); // the end
/// # Ok::<(), extensions_core::Error>(())
/// ```
#[derive(Debug, Default, Clone)]
pub struct NextLinks {
    seen: HashSet<String>,
    empty_pages: u32,
}

impl NextLinks {
    /// A guard for a new paged read.
    pub fn new() -> Self {
        Self::default()
    }

    /// After a page of `items` items whose `@odata.nextLink` is `next`: the link to follow,
    /// `None` at the end, or the error that ends the paging: a link already followed (the
    /// server loops), or [`MAX_EMPTY_PAGES`] pages in a row without an item, still with a link.
    pub fn follow<'a>(
        &mut self,
        items: usize,
        next: Option<&'a str>,
    ) -> Result<Option<&'a str>, Error> {
        self.empty_pages = if items == 0 { self.empty_pages + 1 } else { 0 };
        let Some(link) = next else {
            return Ok(None);
        };
        let bad = |detail: String| Error::UnexpectedResponse {
            status: http::StatusCode::OK,
            detail,
        };
        if !self.seen.insert(link.to_owned()) {
            return Err(bad("`@odata.nextLink` repeats a page already read".into()));
        }
        if self.empty_pages >= MAX_EMPTY_PAGES {
            return Err(bad(format!(
                "{MAX_EMPTY_PAGES} pages in a row without an item, and still a `@odata.nextLink`"
            )));
        }
        Ok(Some(link))
    }
}

/// Reads `first` through `client`, then each page its `@odata.nextLink` names (read by
/// `next(link)`), under a [`NextLinks`] guard, handing each page's items to `each` as it comes:
/// one page in memory at a time. Every page read is handed over, the one whose link the guard
/// refuses included; then the paging ends with the guard's error. Stops early when `each`
/// answers `Break`; ends with the first error, of a read, of the guard (as [`Error`],
/// converted) or of `each`.
///
/// ```no_run
/// use std::ops::ControlFlow;
/// use extensions_core::paging::for_each_page;
/// use extensions_core::schema::op::{DefinitionQuery, ListDefinitions};
/// # async fn demo(client: &impl extensions_core::op::Execute) -> Result<(), extensions_core::Error> {
/// let mut ids = Vec::new();
/// for_each_page(client, ListDefinitions::new(&DefinitionQuery::All), ListDefinitions::next, |page| {
///     ids.extend(page.into_iter().map(|d| d.id));
///     Ok::<_, extensions_core::Error>(ControlFlow::Continue(()))
/// })
/// .await?;
/// # Ok(()) }
/// ```
pub async fn for_each_page<C, I, O, N, F, E>(
    client: &C,
    first: O,
    next: impl Fn(&str) -> N,
    mut each: F,
) -> Result<(), E>
where
    C: Execute + ?Sized,
    I: Send,
    O: Operation<Output = Page<I>> + Sync,
    N: Operation<Output = Page<I>> + Sync,
    F: FnMut(Vec<I>) -> Result<ControlFlow<()>, E>,
    E: From<Error>,
{
    let mut links = NextLinks::new();
    let mut page = client.execute(&first).await?;
    loop {
        let followed = links.follow(page.items.len(), page.next_link.as_deref());
        if each(std::mem::take(&mut page.items))?.is_break() {
            return Ok(());
        }
        let Some(link) = followed? else {
            return Ok(());
        };
        page = client.execute(&next(link)).await?;
    }
}
