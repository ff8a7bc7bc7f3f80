//! Any bytes as a page of users with their extensions, and as a list of extensions.
#![no_main]

use extensions_core::Resource;
use extensions_core::op::{List, Operation, UsersPage};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let resp = || {
        http::Response::builder()
            .status(200)
            .body(bytes::Bytes::copy_from_slice(data))
            .expect("a response")
    };
    if let Ok(page) = UsersPage::new(None).read(resp()) {
        for user in &page.items {
            let _ = user.extensions.len();
        }
        if let Some(link) = page.next_link.as_deref() {
            let _ = extensions_core::op::NextPage::new(link).request();
        }
    }
    let _ = List::new(Resource::user("u")).read(resp());
});
