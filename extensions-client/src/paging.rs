//! Paging: every user with its extensions, or a user's Outlook items that carry one extension,
//! one page in memory at a time.

use std::collections::{HashSet, VecDeque};

use extensions_core::Error;
use extensions_core::op::{ItemsWithExtension, NextPage, Operation, OutlookItems, Page, UsersPage};
use extensions_core::resource::UserResource;
use extensions_core::response::Expanded;
use extensions_core::{ExtensionName, OpenExtension};
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
        self.expanded_pages(UsersPage::new(page_size))
    }

    /// A user's messages, events or contacts that carry the extension `T`, each with it, page
    /// by page (the one server-side filter open extensions have:
    /// `$filter=Extensions/any(f:f/id eq '{name}')` with the matching `$expand`). Read each
    /// item's extension with [`Expanded::extension`]. Paging as
    /// [`users_with_extensions`](Self::users_with_extensions).
    ///
    /// ```no_run
    /// # async fn demo(client: extensions_client::GraphClient) -> Result<(), extensions_core::Error> {
    /// use extensions_core::op::OutlookItems;
    /// use extensions_core::prelude::*;
    /// use futures_util::StreamExt;
    ///
    /// #[derive(OpenExtension)]
    /// #[extension(name = "com.contoso.Referral")]
    /// struct Referral { company_name: String }
    ///
    /// let mut referred = client.items_with_extension::<Referral>(&Resource::me(), OutlookItems::Messages);
    /// while let Some(message) = referred.next().await {
    ///     let message = message?;
    ///     if let Some(r) = message.extension::<Referral>()? {
    ///         println!("{:?}: {}", message.fields.get("subject"), r.company_name);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn items_with_extension<T: OpenExtension>(
        &self,
        user: &UserResource,
        items: OutlookItems,
    ) -> impl Stream<Item = Result<Expanded, Error>> + Send + Unpin + use<'_, T> {
        self.items_with_extension_named(user, items, &T::NAME)
    }

    /// [`items_with_extension`](Self::items_with_extension) for an extension named at run time.
    pub fn items_with_extension_named(
        &self,
        user: &UserResource,
        items: OutlookItems,
        name: &ExtensionName,
    ) -> impl Stream<Item = Result<Expanded, Error>> + Send + Unpin + use<'_> {
        self.expanded_pages(ItemsWithExtension::new(user, items, name))
    }

    /// The items of `first` and of every page after it.
    fn expanded_pages<O>(
        &self,
        first: O,
    ) -> impl Stream<Item = Result<Expanded, Error>> + Send + Unpin + '_
    where
        O: Operation<Output = Page<Expanded>> + Send + Sync + 'static,
    {
        enum Next<O> {
            First(O),
            Link(Box<NextPage>),
        }
        struct State<O> {
            next: Option<Next<O>>,
            buf: VecDeque<Expanded>,
            /// Every link followed: a link seen twice would loop forever.
            seen: HashSet<String>,
            /// Pages in a row without a user: a server that never ends must not hang the stream.
            empty_pages: u32,
        }
        fn done<O>(e: Error) -> Option<(Result<Expanded, Error>, State<O>)> {
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
            next: Some(Next::First(first)),
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
                    Next::Link(op) => self.run(&*op).await,
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
                    st.next = Some(Next::Link(Box::new(NextPage::new(link))));
                }
                st.buf = page.items.into();
            }
        }))
    }
}
