//! Any text as a path: the grammar parses or refuses; what it reads as a resource formats back
//! to a path that reads as the same resource.
#![no_main]

use extensions_core::Resource;
use extensions_core::resource::RoutePath;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(route) = RoutePath::parse(text) {
        let _ = route.template();
        if let Some(r) = route.resource() {
            assert_eq!(Resource::parse(&r.path()), Ok(r));
        }
    }
});
