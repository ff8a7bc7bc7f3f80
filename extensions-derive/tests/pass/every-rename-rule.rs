use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.R0", rename_all = "lowercase")]
struct R0 {
    deal_value: i64,
}

#[derive(OpenExtension)]
#[extension(name = "com.contoso.R1", rename_all = "UPPERCASE")]
struct R1 {
    deal_value: i64,
}

#[derive(OpenExtension)]
#[extension(name = "com.contoso.R2", rename_all = "PascalCase")]
struct R2 {
    deal_value: i64,
}

#[derive(OpenExtension)]
#[extension(name = "com.contoso.R3", rename_all = "camelCase")]
struct R3 {
    deal_value: i64,
}

#[derive(OpenExtension)]
#[extension(name = "com.contoso.R4", rename_all = "snake_case")]
struct R4 {
    deal_value: i64,
}

#[derive(OpenExtension)]
#[extension(name = "com.contoso.R5", rename_all = "SCREAMING_SNAKE_CASE")]
struct R5 {
    deal_value: i64,
}

#[derive(OpenExtension)]
#[extension(name = "com.contoso.R6", rename_all = "kebab-case")]
struct R6 {
    deal_value: i64,
}

#[derive(OpenExtension)]
#[extension(name = "com.contoso.R7", rename_all = "SCREAMING-KEBAB-CASE")]
struct R7 {
    deal_value: i64,
}

fn main() {}
