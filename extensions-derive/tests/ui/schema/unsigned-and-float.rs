use extensions_core::SchemaExtension;

#[derive(SchemaExtension)]
#[schema(id = "contoso_courses", targets(Group))]
struct Course {
    seats: u32,
    price: f64,
}

fn main() {}
