use extensions_core::OpenExtension;

use extensions_core::Properties;

#[derive(OpenExtension, Default)]
#[extension(name = "com.contoso.Profile", rename_all = "PascalCase")]
struct Profile {
    #[extension(rename = "displayTheme")]
    theme: String,
    #[extension(default)]
    beta_opt_in: bool,
    #[extension(rename = "since", default)]
    member_since: Option<String>,
    #[extension(skip)]
    cache_hits: u32,
    #[extension(other)]
    rest: Properties,
    r#type: String,
}

fn main() {
    assert_eq!(Profile::NAME.as_str(), "com.contoso.Profile");
}
