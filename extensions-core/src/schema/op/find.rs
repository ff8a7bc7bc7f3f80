//! `GET /{collection}?$filter={id}/{name} eq …&$select=id,{id}`: resources found by their data.

use std::borrow::Cow;
use std::marker::PhantomData;

use http::{Method, StatusCode};
use serde::Deserializer as _;

use super::not_success;
use crate::error::Error;
use crate::operation::read::Page;
use crate::operation::{Built, Operation, Repeat, Request, Response, empty};
use crate::resource::encode_component;
use crate::schema::data::{PageVisitor, invalid};
use crate::schema::{Condition, Found, SchemaExtension, SchemaId};

pub use crate::resource::FindIn;

/// Lists the resources of a collection whose data matches a [`Condition`], each with its `id`
/// and its data (`$select=id,{id}`), page by page. Refused before sending: a collection `T`
/// does not target, a value in the condition that a write would refuse. Repeat class
/// [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct Find<T> {
    built: Built,
    id: SchemaId,
    route: &'static str,
    _t: PhantomData<fn() -> T>,
}

impl<T: SchemaExtension> Find<T> {
    /// The first page of the resources in `collection` matching `condition`.
    pub fn new(collection: FindIn, condition: &Condition<T>) -> Self {
        let id = condition.id().clone();
        let req = if crate::schema::target_of(collection.kind())
            .is_some_and(|t| T::TARGETS.contains(&t))
        {
            condition.expression().and_then(|expr| {
                let uri = format!(
                    "{}?%24filter={}&%24select={}",
                    collection.path(),
                    encode_component(expr),
                    encode_component(&format!("id,{id}"))
                );
                empty(Method::GET, &uri)
            })
        } else {
            Err(Error::SchemaTargetNotListed {
                id: id.to_string(),
                kind: collection.kind(),
                targets: T::TARGETS
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            })
        };
        Self {
            built: Built::new(req),
            id,
            route: collection.path(),
            _t: PhantomData,
        }
    }

    /// The page at `next_link` (the previous page's `@odata.nextLink`), for the data of `id`.
    pub fn next(id: &SchemaId, next_link: &str) -> Self {
        Self {
            built: Built::new(empty(Method::GET, next_link)),
            id: id.clone(),
            route: "{nextLink}",
            _t: PhantomData,
        }
    }

    /// The schema id whose data each page carries.
    pub fn id(&self) -> &SchemaId {
        &self.id
    }
}

impl<T: SchemaExtension> Operation for Find<T> {
    type Output = Page<Found<T>>;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<Page<Found<T>>, Error> {
        if response.status() != StatusCode::OK {
            return Err(not_success(&response, "a list answers 200"));
        }
        let mut de = serde_json::Deserializer::from_slice(response.body());
        let (items, next_link) = de
            .deserialize_map(PageVisitor::<T> {
                id: self.id.as_str(),
                _t: PhantomData,
            })
            .and_then(|r| de.end().map(|()| r))
            .map_err(|e| invalid(&self.id, &e))?;
        Ok(Page { items, next_link })
    }

    fn repeat(&self) -> Repeat {
        Repeat::Safe
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Borrowed(self.route)
    }
}
