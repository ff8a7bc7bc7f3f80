use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.microsoft.Referral", nmae = "x")]
struct Referral {
    #[extension(rename = "id")]
    company: String,
    #[extension(skpi)]
    deal_value: i64,
    grid: Vec<Vec<i64>>,
}

async fn use_it(client: &impl extensions_core::ops::Transport) {
    let me = extensions_core::Resource::me();
    let _ = Referral::get(client, &me).await;
    let _ = Referral::update(client, &me, |r| r.deal_value += 1).await;
}

fn main() {
    let _ = use_it(&NoTransport);
}

struct NoTransport;
impl extensions_core::ops::Transport for NoTransport {
    async fn send(
        &self,
        _: extensions_core::request::Request,
    ) -> Result<extensions_core::Response, extensions_core::Error> {
        unimplemented!()
    }
}
