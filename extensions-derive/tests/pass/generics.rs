use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Generic")]
struct Generic<T, U: Clone>
where
    U: Default,
{
    value: T,
    values: Vec<U>,
}

fn main() {
    let _ = Generic::<i64, String>::NAME;
}
