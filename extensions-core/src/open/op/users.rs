//! Pages of resources with their extensions: every user (`GET /users?$expand=extensions`), and
//! a user's messages, events or contacts that carry one extension (the one server-side filter
//! open extensions have).

use std::borrow::Cow;

use http::{Method, Uri};

use crate::operation::{Built, Operation, Repeat, Request, Response, empty};

use crate::error::Error;
use crate::open::object::Expanded;
use crate::operation::read::{Page, read_page_json};

/// The page operations send what they built and read a page of resources with their extensions
/// the same way; only their routes differ.
macro_rules! expanded_page_operation {
    ($($t:ty => $route:expr;)*) => {$(
        impl Operation for $t {
            type Output = Page<Expanded>;

            fn request(&self) -> Result<Request, Error> {
                self.built.get()
            }

            fn read(&self, response: Response) -> Result<Page<Expanded>, Error> {
                read_users(&response)
            }

            fn repeat(&self) -> Repeat {
                Repeat::Safe
            }

            fn route(&self) -> Cow<'static, str> {
                let route: fn(&$t) -> Cow<'static, str> = $route;
                route(self)
            }
        }
    )*};
}

expanded_page_operation! {
    UsersPage => |_| Cow::Borrowed("/users");
    NextPage => |_| Cow::Borrowed("/users");
    ItemsWithExtension => |op| Cow::Owned(op.route.clone());
}

/// The Outlook collections of a user that [`ItemsWithExtension`] filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OutlookItems {
    /// `/messages`.
    Messages,
    /// `/events`.
    Events,
    /// `/contacts`.
    Contacts,
}

impl OutlookItems {
    fn segment(self) -> &'static str {
        match self {
            Self::Messages => "messages",
            Self::Events => "events",
            Self::Contacts => "contacts",
        }
    }
}

/// A user's messages, events or contacts that carry the extension `name`, each with it: the
/// one server-side filter open extensions have
/// ([Get open extension, example 3](https://learn.microsoft.com/en-us/graph/api/opentypeextension-get)):
/// `GET /users/{id}/messages?$filter=Extensions/any(f:f/id eq '{name}')&$expand=Extensions($filter=id eq '{name}')`.
/// Follow the page's `next_link` with [`NextPage`]. Repeat class [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct ItemsWithExtension {
    built: Built,
    route: String,
}

impl ItemsWithExtension {
    /// The first page of `user`'s `items` that carry the extension `name`.
    pub fn new(
        user: impl AsRef<crate::resource::Resource>,
        items: OutlookItems,
        name: &crate::ExtensionName,
    ) -> Self {
        let user = user.as_ref();
        // An OData string literal doubles its quotes.
        let literal = name.as_str().replace('\'', "''");
        let filter =
            crate::resource::encode_component(&format!("Extensions/any(f:f/id eq '{literal}')"));
        let expand =
            crate::resource::encode_component(&format!("Extensions($filter=id eq '{literal}')"));
        let req = user.validate().and_then(|()| {
            empty(
                Method::GET,
                &format!(
                    "{}/{}?%24filter={filter}&%24expand={expand}",
                    user.path(),
                    items.segment()
                ),
            )
        });
        Self {
            built: Built::new(req),
            route: format!("{}/{}", user.template(), items.segment()),
        }
    }
}

fn read_users(response: &Response) -> Result<Page<Expanded>, Error> {
    let (items, next_link) = read_page_json(response)?;
    let items = items
        .iter()
        .map(|i| Expanded::from_json(response, i))
        .collect::<Result<_, _>>()?;
    Ok(Page { items, next_link })
}

/// The first page of every user with extensions (`$top` users a page, if given). Follow the
/// page's `next_link` with [`NextPage`]. Repeat class [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct UsersPage {
    built: Built,
}

impl UsersPage {
    /// `GET /users?$select=id,userPrincipalName&$expand=extensions[&$top={top}]`. The
    /// `$select` with `id` is needed: without it Graph answers `$expand=extensions` on users with a
    /// 500 ([msgraph-sdk-dotnet#745](https://github.com/microsoftgraph/msgraph-sdk-dotnet/issues/745)).
    /// With `$expand`, Graph returns at most 100 users a page, whatever `$top` asks.
    pub fn new(top: Option<u32>) -> Self {
        let mut uri = String::from("/users?%24select=id%2CuserPrincipalName&%24expand=extensions");
        if let Some(top) = top {
            uri.push_str("&%24top=");
            uri.push_str(itoa::Buffer::new().format(top));
        }
        Self {
            built: Built::new(empty(Method::GET, &uri)),
        }
    }
}

/// The next page of users, from the absolute `@odata.nextLink` of the previous page, followed as
/// is. A link that is not an absolute `http(s)` URL is refused before sending; an executor also
/// refuses one whose origin differs from its own, so the token never leaves Graph's host.
#[derive(Debug, Clone)]
pub struct NextPage {
    built: Built,
}

impl NextPage {
    /// `GET {next_link}`.
    pub fn new(next_link: &str) -> Self {
        let req = match next_link.parse::<Uri>() {
            Ok(u)
                if matches!(u.scheme_str(), Some("https" | "http")) && u.authority().is_some() =>
            {
                empty(Method::GET, next_link)
            }
            Ok(_) => Err(Error::InvalidUri {
                uri: next_link.to_owned(),
                reason: "a next link must be an absolute http(s) URL".into(),
            }),
            Err(e) => Err(Error::InvalidUri {
                uri: next_link.to_owned(),
                reason: e.to_string(),
            }),
        };
        Self {
            built: Built::new(req),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::tests::answer;

    #[test]
    fn items_with_an_extension_filter_and_expand_by_its_name() {
        let name = crate::ExtensionName::new("Com.Contoso.Referral").unwrap();
        let op = ItemsWithExtension::new(
            crate::Resource::user("adele@contoso.com"),
            OutlookItems::Messages,
            &name,
        );
        assert_eq!(
            op.request().unwrap().uri(),
            "/users/adele%40contoso.com/messages?%24filter=Extensions%2Fany%28f%3Af%2Fid%20eq%20%27Com.Contoso.Referral%27%29&%24expand=Extensions%28%24filter%3Did%20eq%20%27Com.Contoso.Referral%27%29"
        );
        assert_eq!(op.route(), "/users/{id}/messages");
        let op = ItemsWithExtension::new(crate::Resource::me(), OutlookItems::Contacts, &name);
        assert!(op.request().unwrap().uri().path().ends_with("/me/contacts"));
    }

    #[test]
    fn first_and_next_pages() {
        assert_eq!(
            UsersPage::new(Some(999)).request().unwrap().uri(),
            "/users?%24select=id%2CuserPrincipalName&%24expand=extensions&%24top=999"
        );
        assert_eq!(
            UsersPage::new(None).request().unwrap().uri(),
            "/users?%24select=id%2CuserPrincipalName&%24expand=extensions"
        );
        let next = NextPage::new("https://graph.microsoft.com/v1.0/users?$skiptoken=X%3D");
        assert_eq!(
            next.request().unwrap().uri(),
            "https://graph.microsoft.com/v1.0/users?$skiptoken=X%3D"
        );
        for bad in [
            "0/v1.0/users",
            ".evil.com/x",
            "/users?x",
            "ftp://h/x",
            "not a url",
        ] {
            assert!(
                matches!(NextPage::new(bad).request(), Err(Error::InvalidUri { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn reads_users_with_their_extensions() {
        let body = r##"{"@odata.context":"x","value":[
            {"id":"u1","displayName":"A","extensions":[{"@odata.type":"#microsoft.graph.openTypeExtension","id":"com.contoso.X","extensionName":"com.contoso.X","a":1}]},
            {"id":"u2","displayName":"B"}],
            "@odata.nextLink":"https://graph.microsoft.com/v1.0/users?$expand=extensions&$skiptoken=abc"}"##;
        let page = UsersPage::new(None).read(answer(200, body)).unwrap();
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.items[0].id.as_deref(), Some("u1"));
        assert_eq!(page.items[0].extensions[0].name(), "com.contoso.X");
        assert!(page.items[1].extensions.is_empty());
        assert_eq!(
            page.next_link.as_deref(),
            Some("https://graph.microsoft.com/v1.0/users?$expand=extensions&$skiptoken=abc")
        );
    }
}
