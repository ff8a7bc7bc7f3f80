use extensions_core::OpenExtension;

/// A marker: an extension with no properties, as a braced struct with no fields already is.
#[derive(OpenExtension, Debug, PartialEq)]
#[extension(name = "com.contoso.Marker")]
struct Marker;

/// The same extension as a braced struct with no fields.
#[derive(OpenExtension)]
#[extension(name = "com.contoso.Marker")]
struct Braced {}

fn main() {
    assert_eq!(Marker::NAME.as_str(), "com.contoso.Marker");
    assert_eq!(
        extensions_core::extension_size(&Marker).expect("fits"),
        extensions_core::extension_size(&Braced {}).expect("fits")
    );
    let back: Marker = extensions_core::__private::from_properties(&extensions_core::Properties::new())
        .expect("reads back");
    assert_eq!(back, Marker);
}
