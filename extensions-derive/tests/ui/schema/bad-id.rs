use extensions_core::SchemaExtension;

#[derive(SchemaExtension)]
#[schema(id = "contoso.com_courses", targets(Group))]
struct A {
    x: String,
}

#[derive(SchemaExtension)]
#[schema(id = "1courses", targets(Group))]
struct B {
    x: String,
}

#[derive(SchemaExtension)]
#[schema(targets(Group))]
struct C {
    x: String,
}

fn main() {}
