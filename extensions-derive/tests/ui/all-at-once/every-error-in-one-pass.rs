use extensions_core::prelude::*;

#[derive(OpenExtension)]
#[extension(name = "com.microsoft.Referral", nmae = "x")]
struct Referral {
    #[extension(rename = "id")]
    company: String,
    #[extension(skpi)]
    deal_value: i64,
    grid: Vec<Vec<i64>>,
}

// The typed calls still resolve (no follow-on errors): they come from the stub impl.
#[allow(dead_code)]
async fn use_it(client: &impl Execute) {
    let me = Resource::me();
    let _ = Referral::get(client, &me).await;
    let _ = Referral::update(client, &me, |r| r.deal_value += 1).await;
}

fn main() {}
