//! Paging: every user with its extensions, or a user's Outlook items that carry one extension,
//! one page in memory at a time.

use std::collections::VecDeque;

use extensions_core::Error;
use extensions_core::attributes::{AttributeCondition, Attributes, FindByAttribute};
use extensions_core::directory::op::{FindByValues, Found as DirectoryFound};
use extensions_core::directory::{Condition as DirectoryCondition, DirectoryExtension, OwnerApp};
use extensions_core::op::{ItemsWithExtension, NextPage, Operation, OutlookItems, Page, UsersPage};
use extensions_core::paging::NextLinks;
use extensions_core::resource::UserResource;
use extensions_core::response::Expanded;
use extensions_core::schema::op::{DefinitionQuery, Find, FindIn, ListDefinitions};
use extensions_core::schema::{Condition, Definition, Found, SchemaExtension};
use extensions_core::{ExtensionName, OpenExtension};
use futures_util::stream::{self, Stream};

use crate::GraphClient;

impl GraphClient {
    /// Every user with its extensions, page by page (`$top` = `page_size`), following
    /// `@odata.nextLink` until the end; one page in memory at a time. A link to another origin
    /// than this client's is refused (the token stays with Graph); a link already followed, or
    /// 100 empty pages in a row, end the stream with an error (after the items of the page that
    /// carried the link) instead of looping. The stream is `Unpin`, so
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

    /// Resources of `collection` whose schema extension data matches `condition`, each with its
    /// `id` and its data, page by page (Graph's server-side `$filter` on schema extension
    /// properties; `$select=id,{schema id}`). Paging as
    /// [`users_with_extensions`](Self::users_with_extensions).
    ///
    /// ```no_run
    /// # async fn demo(client: extensions_client::GraphClient) -> Result<(), extensions_core::Error> {
    /// use extensions_core::prelude::*;
    /// use extensions_core::schema::{op::FindIn, SchemaId};
    /// use futures_util::StreamExt;
    ///
    /// #[derive(SchemaExtension, Debug)]
    /// #[schema(id = "contoso_courses", targets(Group))]
    /// struct Course { course_id: i32, course_name: String }
    ///
    /// let id = SchemaId::new("contoso_courses")?;
    /// let mut found = client.find(FindIn::Groups, &Course::filter(&id).course_id().eq(123));
    /// while let Some(group) = found.next().await {
    ///     let group = group?;
    ///     println!("{:?}: {:?}", group.id, group.data);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn find<T>(
        &self,
        collection: FindIn,
        condition: &Condition<T>,
    ) -> impl Stream<Item = Result<Found<T>, Error>> + Send + Unpin + use<'_, T>
    where
        T: SchemaExtension + Send + 'static,
    {
        let id = condition.id().clone();
        self.pages(Find::new(collection, condition), move |link| {
            Find::<T>::next(&id, link)
        })
    }

    /// Schema extension definitions, page by page: all of them, one by id, those an app owns,
    /// those in a status, or those with a description (see [`DefinitionQuery`]). Paging as
    /// [`users_with_extensions`](Self::users_with_extensions).
    ///
    /// ```no_run
    /// # async fn demo(client: extensions_client::GraphClient) -> Result<(), extensions_core::Error> {
    /// use extensions_core::schema::op::DefinitionQuery;
    /// use futures_util::StreamExt;
    ///
    /// let mut mine = client.definitions(&DefinitionQuery::Owner("1d7a5f4c-…".into()));
    /// while let Some(def) = mine.next().await {
    ///     let def = def?;
    ///     println!("{} {:?} {}", def.id, def.status, def.target_types.join(","));
    /// }
    /// # Ok(()) }
    /// ```
    pub fn definitions(
        &self,
        query: &DefinitionQuery,
    ) -> impl Stream<Item = Result<Definition, Error>> + Send + Unpin + '_ {
        self.pages(ListDefinitions::new(query), ListDefinitions::next)
    }

    /// Resources of `collection` whose directory extensions (of the owner app `app`) match
    /// `condition`, each with its `id` and its values, page by page. An advanced condition
    /// (`ne`, set/unset tests, `contains`) goes with `$count=true` and `ConsistencyLevel:
    /// eventual` on every page, as Graph requires.
    ///
    /// ```no_run
    /// # async fn demo(client: extensions_client::GraphClient) -> Result<(), extensions_core::Error> {
    /// use extensions_core::directory::{op::FindIn, OwnerApp};
    /// use extensions_core::prelude::*;
    /// use futures_util::StreamExt;
    ///
    /// #[derive(DirectoryExtension, Debug)]
    /// #[directory(targets(User))]
    /// struct TeamProfile { xbox_gamertag: Option<String> }
    ///
    /// let app = OwnerApp::new("5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb")?;
    /// let gamers = TeamProfile::filter(&app).xbox_gamertag().is_set();
    /// let mut found = client.find_directory(FindIn::Users, &app, &gamers);
    /// while let Some(user) = found.next().await {
    ///     let user = user?;
    ///     println!("{:?}: {:?}", user.id, user.values.xbox_gamertag);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn find_directory<T>(
        &self,
        collection: FindIn,
        app: &OwnerApp,
        condition: &DirectoryCondition<T>,
    ) -> impl Stream<Item = Result<DirectoryFound<T>, Error>> + Send + Unpin + use<'_, T>
    where
        T: DirectoryExtension + Send + 'static,
    {
        let advanced = condition.is_advanced();
        let next_app = app.clone();
        self.pages(FindByValues::new(collection, app, condition), move |link| {
            FindByValues::<T>::next(&next_app, link, advanced)
        })
    }

    /// Users or devices whose extension attribute matches `condition`, each with its `id` and
    /// its fifteen attributes, page by page (advanced queries as
    /// [`find_directory`](Self::find_directory)).
    pub fn find_attributes(
        &self,
        collection: FindIn,
        condition: &AttributeCondition,
    ) -> impl Stream<Item = Result<(Option<String>, Attributes), Error>> + Send + Unpin + '_ {
        let advanced = condition.is_advanced();
        self.pages(FindByAttribute::new(collection, condition), move |link| {
            FindByAttribute::next(collection, link, advanced)
        })
    }

    /// The items of `first` and of every page after it.
    fn expanded_pages<O>(
        &self,
        first: O,
    ) -> impl Stream<Item = Result<Expanded, Error>> + Send + Unpin + '_
    where
        O: Operation<Output = Page<Expanded>> + Send + Sync + 'static,
    {
        self.pages(first, NextPage::new)
    }

    /// The items of `first` and of every page after it, each next page read by `next(link)`.
    fn pages<I, O, N, F>(
        &self,
        first: O,
        next: F,
    ) -> impl Stream<Item = Result<I, Error>> + Send + Unpin + use<'_, I, O, N, F>
    where
        I: Send + 'static,
        O: Operation<Output = Page<I>> + Send + Sync + 'static,
        N: Operation<Output = Page<I>> + Send + Sync + 'static,
        F: Fn(&str) -> N + Send + Sync + 'static,
    {
        enum Next<O, N> {
            First(O),
            Link(Box<N>),
        }
        struct State<I, O, N> {
            next: Option<Next<O, N>>,
            buf: VecDeque<I>,
            /// The guard: a link seen twice, or pages without items that never end, would
            /// loop forever.
            links: NextLinks,
            /// The guard's refusal, given after the items of the page that carried it.
            end: Option<Error>,
        }
        let start = State {
            next: Some(Next::First(first)),
            buf: VecDeque::new(),
            links: NextLinks::new(),
            end: None,
        };
        let next = std::sync::Arc::new(next);
        Box::pin(stream::unfold(start, move |mut st| {
            let next = next.clone();
            async move {
                loop {
                    if let Some(item) = st.buf.pop_front() {
                        return Some((Ok(item), st));
                    }
                    if let Some(e) = st.end.take() {
                        return Some((Err(e), st));
                    }
                    let page = match st.next.take()? {
                        Next::First(op) => self.run(&op).await,
                        Next::Link(op) => self.run(&*op).await,
                    };
                    // An error ends the stream: the state after it has nothing left to read.
                    let page = match page {
                        Ok(p) => p,
                        Err(e) => return Some((Err(e), st)),
                    };
                    match st.links.follow(page.items.len(), page.next_link.as_deref()) {
                        Ok(link) => st.next = link.map(|l| Next::Link(Box::new(next(l)))),
                        Err(e) => st.end = Some(e),
                    }
                    st.buf = page.items.into();
                }
            }
        }))
    }
}
