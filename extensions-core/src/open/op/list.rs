//! `GET {resource}/extensions`: every extension of a resource.

use std::borrow::Cow;

use http::Method;

use crate::operation::{Built, Operation, Repeat, Request, Response, empty};

use crate::error::Error;
use crate::open::object::{ExtensionObject, extension_from};
use crate::operation::read::{Page, read_page_json};
use crate::resource::{Resource, RouteTail};

/// Lists the extensions of a directory object or to-do item. Outlook items do not support it
/// (Graph answers 400), so building it for one is refused before sending with
/// [`Error::Unsupported`]. Repeat class [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct List {
    built: Built,
    route: &'static str,
}

impl List {
    /// `GET {resource}/extensions`.
    pub fn new(resource: impl AsRef<Resource>) -> Self {
        let resource = resource.as_ref();
        let req = resource.validate().and_then(|()| {
            if resource.class().supports_list() {
                empty(Method::GET, &resource.extensions_path())
            } else {
                Err(Error::Unsupported {
                    operation: "listing extensions",
                    kind: resource.kind(),
                })
            }
        });
        Self {
            built: Built::new(req),
            route: resource.route(RouteTail::Extensions),
        }
    }
}

impl Operation for List {
    type Output = Page<ExtensionObject>;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<Page<ExtensionObject>, Error> {
        let (items, next_link) = read_page_json(&response)?;
        let items = items
            .iter()
            .map(|i| extension_from(&response, i))
            .collect::<Result<_, _>>()?;
        Ok(Page { items, next_link })
    }

    fn repeat(&self) -> Repeat {
        Repeat::Safe
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed(self.route)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::tests::answer;

    #[test]
    fn paths_and_pages() {
        let op = List::new(Resource::user("u1").todo_list("L").task("T"));
        assert_eq!(
            op.request().unwrap().uri(),
            "/users/u1/todo/lists/L/tasks/T/extensions"
        );
        assert_eq!(
            op.route(),
            "/users/{id}/todo/lists/{id}/tasks/{id}/extensions"
        );
        let page = op
            .read(answer(200, r#"{"value":[{"id":"a.b","x":1}]}"#))
            .unwrap();
        assert_eq!(page.items.len(), 1);
        assert_eq!(page.next_link, None);
        assert!(op.read(answer(200, r#"{"novalue":1}"#)).is_err());
    }

    #[test]
    fn refused_on_every_outlook_item() {
        let g = Resource::group("g");
        for r in [
            Resource::me().message("m"),
            Resource::me().event("e"),
            Resource::me().contact("c"),
            g.event("e"),
            g.post("t", "p"),
        ] {
            match List::new(&r).request() {
                Err(Error::Unsupported { kind, .. }) => assert_eq!(kind, r.kind()),
                other => panic!("{other:?}"),
            }
        }
    }
}
