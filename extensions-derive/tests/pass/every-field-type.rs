use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Everything")]
struct Everything {
    // An array with nulls.
    with_gaps: Vec<Option<u32>>,
    s: String,
    b: bool,
    i1: i8,
    i2: i16,
    i3: i32,
    i4: i64,
    u1: u8,
    u2: u16,
    u3: u32,
    u4: u64,
    f1: f32,
    f2: f64,
    o: Option<String>,
    ov: Option<Vec<u8>>,
    v: Vec<String>,
    vb: Vec<bool>,
    bx: Box<str>,
    t: time::OffsetDateTime,
    c: chrono::DateTime<chrono::Utc>,
    id2: uuid::Uuid,
    any: extensions_core::Value,
}

fn main() {}
