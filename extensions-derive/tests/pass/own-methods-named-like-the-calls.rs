// A struct's own `update`, `get` and `delete` do not clash with the typed calls, which come
// from the `OpenExtensionExt` trait; both stay callable.
use extensions_core::prelude::*;

#[derive(OpenExtension, Debug, Default)]
#[extension(name = "com.contoso.Counter")]
struct Counter {
    hits: u32,
}

impl Counter {
    fn update(&mut self) {
        self.hits += 1;
    }
    fn get(&self) -> u32 {
        self.hits
    }
    fn delete(self) {}
}

#[allow(dead_code)]
async fn both<C: Execute + Sync>(client: &C) -> Result<(), Error> {
    let me = Resource::me();
    // The trait's, named through the trait.
    let _: Option<Counter> = <Counter as OpenExtensionExt>::get(client, &me).await?;
    let _: Counter =
        <Counter as OpenExtensionExt>::update(client, &me, |c| c.hits = 0).await?;
    let _: bool = <Counter as OpenExtensionExt>::delete(client, &me).await?;
    Ok(())
}

fn main() {
    let mut c = Counter::default();
    c.update();
    assert_eq!(c.get(), 1);
    c.delete();
}
