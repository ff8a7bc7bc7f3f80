//! Directory extension values: property tests of the typed writer and reader (what is written
//! reads back the same, through Graph's JSON), and of the refusals before sending (nothing is
//! built to send).

#![allow(clippy::unwrap_used)]

use extensions_core::directory::op::WriteValues;
use extensions_core::directory::{OwnerApp, read_body, write_body};
use extensions_core::operation::Operation;
use extensions_core::prelude::*;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

#[derive(DirectoryExtension, Debug, Clone, PartialEq)]
#[directory(targets(User, Group))]
struct Profile {
    text: Option<String>,
    #[directory(max_items = 20)]
    many: Vec<String>,
    big: Option<i64>,
    level: i32,
    flag: Option<bool>,
    blob: Option<Vec<u8>>,
    #[directory(max_items = 3)]
    blobs: Vec<Vec<u8>>,
}

fn app() -> OwnerApp {
    OwnerApp::new("5bfc8fda-cfc9-43a9-a6de-214ea9d15fdb").unwrap()
}

fn profile() -> impl Strategy<Value = Profile> {
    (
        option::of("\\PC{0,256}"),
        vec("\\PC{0,40}", 0..20),
        any::<Option<i64>>(),
        any::<i32>(),
        any::<Option<bool>>(),
        option::of(vec(any::<u8>(), 0..=256)),
        vec(vec(any::<u8>(), 0..=256), 0..3),
    )
        .prop_map(|(text, many, big, level, flag, blob, blobs)| Profile {
            text,
            many,
            big,
            level,
            flag,
            blob,
            blobs,
        })
}

proptest! {
    /// Every value within its limits is written as JSON that reads back the same, and the
    /// operation sends exactly that body.
    #[test]
    fn what_is_written_reads_back(p in profile()) {
        let app = app();
        let body = write_body(app.app_id(), &p).unwrap();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        prop_assert_eq!(json.as_object().unwrap().len(), 7);
        // Graph answers the stored values (unset ones absent) beside the resource's own fields.
        let mut answer = json.as_object().unwrap().clone();
        answer.retain(|_, v| !v.is_null());
        answer.insert("id".into(), "u1".into());
        let answer = serde_json::to_vec(&answer).unwrap();
        prop_assert_eq!(read_body::<Profile>(app.app_id(), &answer).unwrap(), p.clone());
        let op = WriteValues::new(&app, Resource::user("u1"), &p);
        let sent = op.request().unwrap();
        prop_assert_eq!(sent.body().as_ref(), &body[..]);
    }

    /// A String past 256 characters, in a single or a multi-valued extension, or Binary past
    /// 256 bytes, is refused before anything is built to send.
    #[test]
    fn values_over_their_limit_are_refused(
        long in "\\PC{257,300}",
        bytes in vec(any::<u8>(), 257..300),
        at in 0usize..3,
    ) {
        let base = Profile {
            text: None,
            many: vec![],
            big: None,
            level: 0,
            flag: None,
            blob: None,
            blobs: vec![],
        };
        let mut many = vec!["ok".to_owned(); 3];
        many[at] = long.clone();
        for p in [
            Profile { text: Some(long.clone()), ..base.clone() },
            Profile { many, ..base.clone() },
            Profile { blob: Some(bytes.clone()), ..base.clone() },
            Profile { blobs: vec![bytes.clone()], ..base.clone() },
        ] {
            let e = WriteValues::new(&app(), Resource::user("u1"), &p).request().unwrap_err();
            prop_assert!(matches!(e, Error::DirectoryValueInvalid { .. }), "{}", e);
        }
    }
}
