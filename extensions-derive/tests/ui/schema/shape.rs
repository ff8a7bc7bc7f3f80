use extensions_core::SchemaExtension;

#[derive(SchemaExtension)]
#[schema(id = "contoso_a", targets(Group))]
struct Tuple(i32);

#[derive(SchemaExtension)]
#[schema(id = "contoso_b", targets(Group))]
struct Generic<T> {
    x: T,
}

fn main() {}
