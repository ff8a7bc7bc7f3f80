use extensions_core::ExtensionAttributes;

#[derive(ExtensionAttributes)]
struct HrCodes {
    #[attribute(0)]
    zero: Option<String>,
    #[attribute(16)]
    sixteen: Option<String>,
    #[attribute(13)]
    cost_centre: Option<String>,
    #[attribute(13)]
    again: Option<String>,
    unmarked: Option<String>,
    #[attribute(2)]
    number: Option<i32>,
    #[attribute(3)]
    plain: String,
    #[attribute(x)]
    word: Option<String>,
}

#[derive(ExtensionAttributes)]
struct Tuple(Option<String>);

fn main() {}
