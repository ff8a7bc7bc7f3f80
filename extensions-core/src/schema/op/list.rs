//! `GET /schemaExtensions`, filtered, page by page.

use std::borrow::Cow;

use http::Method;

use super::not_success;
use crate::error::Error;
use crate::operation::read::Page;
use crate::operation::{Built, Operation, Repeat, Request, Response, empty};
use crate::resource::encode_component;
use crate::schema::{Definition, SchemaId, Status};

/// What to list: Graph filters definitions with `eq` on `id`, `owner`, `description` and
/// `status` ([List schemaExtensions](https://learn.microsoft.com/en-us/graph/api/schemaextension-list)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DefinitionQuery {
    /// Every definition (all apps, all tenants' `Available` ones: many pages).
    All,
    /// The definition with this id.
    Id(SchemaId),
    /// The definitions this app (`appId`) owns.
    Owner(String),
    /// The definitions with exactly this description.
    Description(String),
    /// The definitions in this status (`$filter=status eq 'Available'`, as the CLI for
    /// Microsoft 365's `schemaextension list --status` sends).
    Status(Status),
}

impl DefinitionQuery {
    fn filter(&self) -> Option<String> {
        let quoted = |s: &str| s.replace('\'', "''");
        match self {
            Self::All => None,
            Self::Id(id) => Some(format!("id eq '{}'", quoted(id.as_str()))),
            Self::Owner(app) => Some(format!("owner eq '{}'", quoted(app))),
            Self::Description(d) => Some(format!("description eq '{}'", quoted(d))),
            Self::Status(s) => Some(format!("status eq '{s}'")),
        }
    }
}

/// Lists definitions: the first page of a query, or the next page from its `@odata.nextLink`.
/// Repeat class [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct ListDefinitions {
    built: Built,
}

impl ListDefinitions {
    /// `GET /schemaExtensions[?$filter=…]`.
    pub fn new(query: &DefinitionQuery) -> Self {
        let uri = match query.filter() {
            None => "/schemaExtensions".to_owned(),
            Some(f) => format!("/schemaExtensions?%24filter={}", encode_component(&f)),
        };
        Self {
            built: Built::new(empty(Method::GET, &uri)),
        }
    }

    /// The page at `next_link` (an absolute URL from the previous page).
    pub fn next(next_link: &str) -> Self {
        Self {
            built: Built::new(empty(Method::GET, next_link)),
        }
    }
}

impl Operation for ListDefinitions {
    type Output = Page<Definition>;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<Page<Definition>, Error> {
        if response.status() != http::StatusCode::OK {
            return Err(not_success(&response, "a list answers 200"));
        }
        #[derive(serde::Deserialize)]
        struct Raw {
            value: Vec<Definition>,
            #[serde(rename = "@odata.nextLink", default)]
            next: Option<String>,
        }
        let raw: Raw =
            serde_json::from_slice(response.body()).map_err(|e| Error::UnexpectedResponse {
                status: response.status(),
                detail: format!("the body is not a page of definitions: {e}"),
            })?;
        Ok(Page {
            items: raw.value,
            next_link: raw.next,
        })
    }

    fn repeat(&self) -> Repeat {
        Repeat::Safe
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed("/schemaExtensions")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operation::tests::answer;

    #[test]
    fn filters_and_pages() {
        let op = ListDefinitions::new(&DefinitionQuery::Id(
            SchemaId::new("contoso_courses").unwrap(),
        ));
        assert_eq!(
            op.request().unwrap().uri(),
            "/schemaExtensions?%24filter=id%20eq%20%27contoso_courses%27"
        );
        let op = ListDefinitions::new(&DefinitionQuery::Owner("o'k".into()));
        assert!(
            op.request()
                .unwrap()
                .uri()
                .to_string()
                .ends_with("owner%20eq%20%27o%27%27k%27")
        );
        let page = op
            .read(answer(
                200,
                r#"{"value":[{"id":"a_b","targetTypes":["User"],"properties":[],"status":"Available","owner":"x"}],"@odata.nextLink":"http://h/v1.0/schemaExtensions?$skiptoken=2"}"#,
            ))
            .unwrap();
        assert_eq!(page.items.len(), 1);
        assert!(page.next_link.is_some());
    }
}
