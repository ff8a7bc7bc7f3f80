//! `POST` a new item that carries an extension in its `extensions` array: a message, an event, a
//! contact, a to-do list or task, a reply to a group post, or a new group conversation.

use std::borrow::Cow;

use bytes::Bytes;
use http::{Method, StatusCode};
use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::operation::{Built, Operation, Repeat, Request, Response, json};

use crate::error::Error;
use crate::open::extension::{OpenExtension, encode};
use crate::open::object::Expanded;
use crate::operation::read::not_success;
use crate::resource::{ItemCollection, NewItemKind};

/// Creates a new item together with extension `T` in one request (the only way to put an
/// extension on an item as it is created). The item is any `Serialize` value that serialises to
/// a JSON object: the subject and body of a message, a task's title, and so on; the extension is
/// added to its `extensions` array (after any extensions it already has).
///
/// For a group post reply the item goes inside `{"post": …}`; for a new conversation the
/// extension goes on the first post of the first thread (`threads[0].posts[0].extensions`).
///
/// Output: the new item with its extensions (`201 Created`), or `None` for a post reply, which
/// Graph answers `202 Accepted` without a body. Repeat class [`Repeat::Once`]: a new item has no
/// key to look it up by, so an attempt with an unknown outcome is never sent again.
///
/// ```
/// use extensions_core::op::{CreateWithItem, Operation};
/// use extensions_core::{OpenExtension, Resource};
///
/// #[derive(OpenExtension)]
/// #[extension(name = "com.contoso.Referral")]
/// struct Referral { company_name: String }
///
/// #[derive(serde::Serialize)]
/// struct Message<'a> { subject: &'a str }
///
/// let op = CreateWithItem::new(
///     &Resource::me().messages(),
///     &Message { subject: "Annual review" },
///     &Referral { company_name: "Wingtip Toys".into() },
/// );
/// let body: serde_json::Value = serde_json::from_slice(op.request()?.body()).unwrap();
/// assert_eq!(body["extensions"][0]["companyName"], "Wingtip Toys");
/// # Ok::<(), extensions_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct CreateWithItem {
    built: Built,
    route: String,
}

fn not_encodable(reason: impl Into<String>) -> Error {
    Error::ValueNotEncodable {
        property: "(the new item)".into(),
        reason: reason.into(),
    }
}

/// The value under `key` in any letter case.
fn get_mut_ci<'a>(obj: &'a mut Map<String, Json>, key: &str) -> Option<&'a mut Json> {
    let k = obj.keys().find(|k| k.eq_ignore_ascii_case(key))?.clone();
    obj.get_mut(&k)
}

/// Appends `ext` to `obj`'s `extensions` array, creating it if absent.
fn push_extension(obj: &mut Map<String, Json>, ext: Json) -> Result<(), Error> {
    match get_mut_ci(obj, "extensions") {
        None => {
            obj.insert("extensions".into(), Json::Array(vec![ext]));
            Ok(())
        }
        Some(Json::Array(list)) => {
            list.push(ext);
            Ok(())
        }
        Some(_) => Err(not_encodable("its `extensions` must be an array")),
    }
}

/// The first element of `obj[key]`, creating `[{}]` if absent.
fn first_of<'a>(
    obj: &'a mut Map<String, Json>,
    key: &str,
) -> Result<&'a mut Map<String, Json>, Error> {
    if get_mut_ci(obj, key).is_none() {
        obj.insert(key.into(), Json::Array(vec![Json::Object(Map::new())]));
    }
    match get_mut_ci(obj, key) {
        Some(Json::Array(list)) => {
            if list.is_empty() {
                list.push(Json::Object(Map::new()));
            }
            match list.first_mut() {
                Some(Json::Object(o)) => Ok(o),
                _ => Err(not_encodable(format!("`{key}[0]` must be an object"))),
            }
        }
        _ => Err(not_encodable(format!("`{key}` must be an array"))),
    }
}

fn body<T: OpenExtension, I: Serialize + ?Sized>(
    target: &ItemCollection,
    item: &I,
    ext: &T,
) -> Result<Vec<u8>, Error> {
    target.parent().validate()?;
    let ext_json: Json = serde_json::from_slice(&encode(target.kind().resource_kind(), ext)?)
        .map_err(|e| not_encodable(format!("internal: the encoded extension is not JSON: {e}")))?;
    let mut item = match serde_json::to_value(item) {
        Ok(Json::Object(o)) => o,
        Ok(_) => return Err(not_encodable("it must serialise to a JSON object")),
        Err(e) => return Err(not_encodable(e.to_string())),
    };
    let wrapped = match target.kind() {
        NewItemKind::PostReply => {
            push_extension(&mut item, ext_json)?;
            let mut outer = Map::new();
            outer.insert("post".into(), Json::Object(item));
            outer
        }
        NewItemKind::Conversation => {
            let post = first_of(first_of(&mut item, "threads")?, "posts")?;
            push_extension(post, ext_json)?;
            item
        }
        _ => {
            push_extension(&mut item, ext_json)?;
            item
        }
    };
    serde_json::to_vec(&wrapped).map_err(|e| not_encodable(e.to_string()))
}

impl CreateWithItem {
    /// `POST {collection}` with `item` carrying `ext`.
    pub fn new<T: OpenExtension, I: Serialize + ?Sized>(
        target: &ItemCollection,
        item: &I,
        ext: &T,
    ) -> Self {
        let req =
            body(target, item, ext).and_then(|b| json(Method::POST, target.path(), Bytes::from(b)));
        Self {
            built: Built::new(req),
            route: target.template(),
        }
    }
}

impl Operation for CreateWithItem {
    type Output = Option<Expanded>;

    fn request(&self) -> Result<Request, Error> {
        self.built.get()
    }

    fn read(&self, response: Response) -> Result<Option<Expanded>, Error> {
        match response.status() {
            StatusCode::OK | StatusCode::CREATED => {
                Expanded::from_json(&response, &crate::operation::read::json_body(&response)?)
                    .map(Some)
            }
            StatusCode::ACCEPTED => Ok(None),
            _ => Err(not_success(
                &response,
                "creating an item answers 201 or 202",
            )),
        }
    }

    fn repeat(&self) -> Repeat {
        Repeat::Once
    }

    fn route(&self) -> Cow<'static, str> {
        Cow::Owned(self.route.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::open::op::tests::{Hr, hr};
    use crate::operation::tests::answer;
    use crate::{Resource, ResourceKind};
    use serde_json::json;

    fn body_of(op: &CreateWithItem) -> Json {
        serde_json::from_slice(op.request().unwrap().body()).unwrap()
    }

    #[test]
    fn a_new_message_and_a_post_reply() {
        let item = json!({"subject": "Annual review"});
        let op = CreateWithItem::new(&Resource::me().messages(), &item, &hr());
        let r = op.request().unwrap();
        assert_eq!(
            (r.method(), r.uri().path()),
            (&Method::POST, "/me/messages")
        );
        assert_eq!(op.route(), "/me/messages");
        assert_eq!(op.repeat(), Repeat::Once);
        let b = body_of(&op);
        assert_eq!(b["subject"], "Annual review");
        assert_eq!(b["extensions"][0]["extensionName"], "Com.Contoso.HR");
        assert!(
            b["extensions"][0].get("id").is_none(),
            "an Outlook extension carries no id"
        );

        let reply = Resource::group("g1").reply_to_post("t1", "p1");
        let op = CreateWithItem::new(&reply, &item, &hr());
        assert_eq!(
            op.request().unwrap().uri(),
            "/groups/g1/threads/t1/posts/p1/reply"
        );
        assert_eq!(op.route(), "/groups/{id}/threads/{id}/posts/{id}/reply");
        let b = body_of(&op);
        assert_eq!(b["post"]["extensions"][0]["topPicks"][1], "Add family");
        assert_eq!(b["post"]["subject"], "Annual review");
        assert_eq!(reply.kind().resource_kind(), ResourceKind::GroupPost);
    }

    #[test]
    fn to_do_items_carry_the_id() {
        let tasks = Resource::user("u").todo_list("L").tasks();
        let op = CreateWithItem::new(&tasks, &json!({"title": "t"}), &hr());
        assert_eq!(op.request().unwrap().uri(), "/users/u/todo/lists/L/tasks");
        assert_eq!(body_of(&op)["extensions"][0]["id"], "Com.Contoso.HR");
        assert_eq!(Resource::me().todo_lists().path(), "/me/todo/lists");
    }

    #[test]
    fn a_new_conversation_puts_the_extension_on_its_first_post() {
        let conv = Resource::group("g1").conversations();
        let item = json!({"Topic": "New benefits", "Threads": [{"Posts": [{"Body": {"ContentType": "html", "Content": "x"}}]}]});
        let op = CreateWithItem::new(&conv, &item, &hr());
        assert_eq!(op.request().unwrap().uri(), "/groups/g1/conversations");
        let b = body_of(&op);
        assert_eq!(
            b["Threads"][0]["Posts"][0]["extensions"][0]["companyName"],
            "Contoso"
        );
        assert_eq!(b["Threads"][0]["Posts"][0]["Body"]["Content"], "x");
        let bare = CreateWithItem::new(&conv, &json!({"topic": "t"}), &hr());
        assert_eq!(
            body_of(&bare)["threads"][0]["posts"][0]["extensions"][0]["extensionName"],
            "Com.Contoso.HR"
        );
    }

    #[test]
    fn existing_extensions_are_kept_and_bad_items_refused() {
        let item = json!({"extensions": [{"extensionName": "Com.Contoso.Other"}]});
        let op = CreateWithItem::new(&Resource::me().events(), &item, &hr());
        assert_eq!(body_of(&op)["extensions"].as_array().unwrap().len(), 2);
        for bad in [json!({"extensions": {}}), json!([1]), json!("text")] {
            let op = CreateWithItem::new(&Resource::me().contacts(), &bad, &hr());
            assert!(
                matches!(op.request(), Err(Error::ValueNotEncodable { .. })),
                "{bad}"
            );
        }
        let _: Option<Hr> = None;
    }

    #[test]
    fn answers() {
        let op = CreateWithItem::new(&Resource::me().messages(), &json!({}), &hr());
        let body = r#"{"id":"AAMk","subject":"Annual review","extensions":[{"id":"Microsoft.OutlookServices.OpenTypeExtension.Com.Contoso.HR","extensionName":"Com.Contoso.HR","companyName":"Contoso","topPicks":[]}]}"#;
        let item = op.read(answer(201, body)).unwrap().unwrap();
        assert_eq!(item.id.as_deref(), Some("AAMk"));
        assert_eq!(item.extensions.len(), 1);
        assert_eq!(
            item.extension::<Hr>().unwrap().unwrap().company_name,
            "Contoso"
        );
        assert_eq!(op.read(answer(202, "")).unwrap(), None);
    }
}
