//! Paging: every user with its extensions, one page in memory at a time.

use std::collections::{HashSet, VecDeque};

use extensions_core::Error;
use extensions_core::op::{NextPage, UsersPage};
use extensions_core::response::Expanded;
use futures_util::stream::{self, Stream};

use crate::GraphClient;

/// Pages in a row without a user after which the stream stops with an error.
const MAX_EMPTY_PAGES: u32 = 100;

impl GraphClient {
    /// Every user with its extensions, page by page (`$top` = `page_size`), following
    /// `@odata.nextLink` until the end; one page in memory at a time. A link to another origin
    /// than this client's is refused (the token stays with Graph); a link already followed, or
    /// 100 empty pages in a row, end the stream with an error instead of looping. The stream is `Unpin`, so
    /// `while let Some(user) = stream.next().await` works as is.
    pub fn users_with_extensions(
        &self,
        page_size: Option<u32>,
    ) -> impl Stream<Item = Result<Expanded, Error>> + Send + Unpin + '_ {
        enum Next {
            First(UsersPage),
            Link(NextPage),
        }
        struct State {
            next: Option<Next>,
            buf: VecDeque<Expanded>,
            /// Every link followed: a link seen twice would loop forever.
            seen: HashSet<String>,
            /// Pages in a row without a user: a server that never ends must not hang the stream.
            empty_pages: u32,
        }
        fn done(e: Error) -> Option<(Result<Expanded, Error>, State)> {
            let end = State {
                next: None,
                buf: VecDeque::new(),
                seen: HashSet::new(),
                empty_pages: 0,
            };
            Some((Err(e), end))
        }
        let bad = |detail: String| Error::UnexpectedResponse {
            status: http::StatusCode::OK,
            detail,
        };
        let start = State {
            next: Some(Next::First(UsersPage::new(page_size))),
            buf: VecDeque::new(),
            seen: HashSet::new(),
            empty_pages: 0,
        };
        Box::pin(stream::unfold(start, move |mut st| async move {
            loop {
                if let Some(item) = st.buf.pop_front() {
                    return Some((Ok(item), st));
                }
                let page = match st.next.take()? {
                    Next::First(op) => self.run(&op).await,
                    Next::Link(op) => self.run(&op).await,
                };
                let page = match page {
                    Ok(p) => p,
                    Err(e) => return done(e),
                };
                st.empty_pages = if page.items.is_empty() {
                    st.empty_pages + 1
                } else {
                    0
                };
                if let Some(link) = page.next_link.as_deref() {
                    if !st.seen.insert(link.to_owned()) {
                        return done(bad("`@odata.nextLink` repeats a page already read".into()));
                    }
                    if st.empty_pages >= MAX_EMPTY_PAGES {
                        return done(bad(format!(
                            "{MAX_EMPTY_PAGES} pages in a row without a user, and still a `@odata.nextLink`"
                        )));
                    }
                    st.next = Some(Next::Link(NextPage::new(link)));
                }
                st.buf = page.items.into();
            }
        }))
    }
}
