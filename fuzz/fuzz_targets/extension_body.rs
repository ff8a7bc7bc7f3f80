//! Any bytes as a stored extension: the typed reader (straight from the bytes), the untyped
//! reader, and `Get`'s reader must return a value or a typed error, never panic; a value read
//! typed must write back to a body that reads back the same.
#![no_main]

use extensions_core::op::{GetUntyped, Operation};
use extensions_core::{ExtensionName, OpenExtension, Properties, Resource};
use libfuzzer_sys::fuzz_target;

#[derive(OpenExtension, Debug, PartialEq)]
#[extension(name = "com.contoso.Fuzz")]
struct Fuzz {
    text: String,
    n: Option<i64>,
    f: Option<f64>,
    flags: Vec<bool>,
    #[extension(default)]
    small: u8,
    #[extension(other)]
    rest: Properties,
}

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = extensions_core::extension::decode::<Fuzz>(data) {
        let body = extensions_core::op::Create::new(Resource::me().message("m"), &v)
            .request()
            .map(|r| r.into_body());
        if let Ok(body) = body {
            let again = extensions_core::extension::decode::<Fuzz>(&body)
                .expect("a body this crate wrote reads back");
            assert_eq!(again, v);
        }
    }
    let op = GetUntyped::new(Resource::me(), &ExtensionName::from_static("com.contoso.Fuzz"));
    for status in [200u16, 404] {
        let resp = http::Response::builder()
            .status(status)
            .body(bytes::Bytes::copy_from_slice(data))
            .expect("a response");
        let _ = op.read(resp);
    }
});
