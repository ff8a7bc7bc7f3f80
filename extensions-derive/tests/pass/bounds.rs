//! `max_len`, `max_items` and `fits` on every type they apply to; `MAX_SIZE` in constants.
use extensions_core::OpenExtension;

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Settings", fits)]
struct Settings {
    #[extension(max_len = 32)]
    theme: String,
    #[extension(max_items = 8, max_len = 16)]
    tags: Vec<String>,
    #[extension(max_len = 10)]
    nickname: Option<String>,
    #[extension(max_items = 4)]
    scores: Option<Vec<i32>>,
    #[extension(as_string)]
    account: u64,
    font_size: u16,
    enabled: bool,
    ratio: f64,
    when: time::OffsetDateTime,
    at: chrono::DateTime<chrono::Utc>,
    device: uuid::Uuid,
    #[extension(skip)]
    cache: Vec<u8>,
}

const _: () = assert!(Settings::MAX_SIZE <= 2048);

/// A struct with an unbounded property compiles and works; it only has no usable MAX_SIZE.
#[derive(OpenExtension)]
#[extension(name = "com.contoso.Free")]
struct Free {
    text: String,
    #[extension(max_len = 3)]
    code: String,
}

/// A property type of the user's, without a size bound.
#[derive(Debug, Clone)]
struct Celsius(f64);

impl extensions_core::PropertyValue for Celsius {
    fn write_value(
        &self,
        w: extensions_core::value::ValueWriter<'_>,
    ) -> Result<extensions_core::value::Written, extensions_core::value::ValueError> {
        w.f64(self.0)
    }
}

impl extensions_core::FromPropertyValue for Celsius {
    fn from_value(
        v: Option<&extensions_core::Value>,
    ) -> Result<Self, extensions_core::value::ValueError> {
        f64::from_value(v).map(Celsius)
    }
}

#[derive(OpenExtension)]
#[extension(name = "com.contoso.Weather")]
struct Weather {
    temperature: Celsius,
}

fn main() {
    let _ = Free { text: String::new(), code: String::new() };
    let _ = Weather { temperature: Celsius(1.0) };
}
