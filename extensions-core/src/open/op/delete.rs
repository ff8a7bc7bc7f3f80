//! `DELETE {resource}/extensions/{name}`.

use std::borrow::Cow;

use http::{Method, StatusCode};

use super::get::on_extension;
use crate::error::Error;
use crate::name::ExtensionName;
use crate::open::object::is_extension_not_found;
use crate::operation::read::not_success;
use crate::operation::{Built, Operation, Repeat, Request, Response};
use crate::resource::Resource;

/// Deletes an extension. Output: `true` if it was deleted, `false` if it was not there (a 404
/// for the extension); a missing resource is an error. Repeat class [`Repeat::Safe`].
#[derive(Debug, Clone)]
pub struct Delete {
    built: Built,
    route: &'static str,
}

impl Delete {
    /// `DELETE {resource}/extensions/{name}`.
    pub fn new(resource: impl AsRef<Resource>, name: &ExtensionName) -> Self {
        let (built, route) = on_extension(Method::DELETE, resource.as_ref(), name.as_str());
        Self { built, route }
    }
}

impl Operation for Delete {
    type Output = bool;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<bool, Error> {
        match response.status() {
            StatusCode::OK | StatusCode::NO_CONTENT => Ok(true),
            StatusCode::NOT_FOUND if is_extension_not_found(&response) => Ok(false),
            _ => Err(not_success(&response, "a DELETE answers 204")),
        }
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
    use crate::operation::tests::{answer, graph_error};

    #[test]
    fn deleted_absent_and_missing_parent() {
        let op = Delete::new(
            Resource::user("adele@contoso.com"),
            &ExtensionName::from_static("com.contoso.X"),
        );
        let r = op.request().unwrap();
        assert_eq!(r.method(), Method::DELETE);
        assert_eq!(
            r.uri(),
            "/users/adele%40contoso.com/extensions/com.contoso.X"
        );
        assert_eq!(op.route(), "/users/{id}/extensions/{name}");
        assert!(op.read(answer(204, "")).unwrap());
        assert!(
            !op.read(graph_error(
                404,
                "ResourceNotFound",
                "Extension with given id not found."
            ))
            .unwrap()
        );
        assert!(
            op.read(graph_error(
                404,
                "Request_ResourceNotFound",
                "Resource 'x' does not exist."
            ))
            .is_err()
        );
    }
}
