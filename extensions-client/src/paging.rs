//! Paging: every user with its extensions, one page in memory at a time.

use std::collections::VecDeque;

use extensions_core::Error;
use extensions_core::op::{NextPage, UsersPage};
use extensions_core::response::Expanded;
use futures_util::stream::{self, Stream};

use crate::GraphClient;

impl GraphClient {
    /// Every user with its extensions, page by page (`$top` = `page_size`), following
    /// `@odata.nextLink` until the end; one page in memory at a time. A link to another origin
    /// than this client's is refused (the token stays with Graph). The stream is `Unpin`, so
    /// `while let Some(user) = stream.next().await` works as is.
    pub fn users_with_extensions(
        &self,
        page_size: Option<u32>,
    ) -> impl Stream<Item = Result<Expanded, Error>> + Send + Unpin + '_ {
        enum Next {
            First(UsersPage),
            Link(NextPage),
        }
        Box::pin(stream::unfold(
            (
                Some(Next::First(UsersPage::new(page_size))),
                VecDeque::new(),
            ),
            move |(mut next, mut buf)| async move {
                loop {
                    if let Some(item) = buf.pop_front() {
                        return Some((Ok(item), (next, buf)));
                    }
                    let page = match next.take()? {
                        Next::First(op) => self.run(&op).await,
                        Next::Link(op) => self.run(&op).await,
                    };
                    let page = match page {
                        Ok(p) => p,
                        Err(e) => return Some((Err(e), (None, VecDeque::new()))),
                    };
                    next = page
                        .next_link
                        .as_deref()
                        .map(|l| Next::Link(NextPage::new(l)));
                    buf = page.items.into();
                }
            },
        ))
    }
}
