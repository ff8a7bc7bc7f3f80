//! Date-times (features `time`, `chrono`) and UUIDs (feature `uuid`) as properties.
//!
//! Date-times are written as RFC 3339 (ISO 8601) in UTC with a `Z`, and the fraction of a second
//! only as long as needed to keep the value exact (none, 3, 6 or 9 digits):
//! `2015-12-30T11:00:00Z`, `2015-12-30T11:00:00.500Z`. A value with another offset is converted
//! to UTC (the same instant). Years outside 0000–9999 cannot be written in RFC 3339 and are an
//! error. Reading accepts any RFC 3339 date-time, with any offset, and converts it to UTC.
//!
//! UUIDs are written hyphenated in lowercase and read in any form the `uuid` crate parses.

#[cfg(any(feature = "time", feature = "chrono"))]
use crate::value::{
    ArrayElement, ArrayItem, FromPropertyValue, PropertyValue, Value, ValueError, ValueWriter,
    Written,
};

/// The parts of a UTC date-time, as both crates give them.
#[cfg(any(feature = "time", feature = "chrono"))]
struct UtcParts {
    year: i32,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    nanos: u32,
}

#[cfg(any(feature = "time", feature = "chrono"))]
impl UtcParts {
    /// Formats into `buf` (no allocation) and returns the text:
    /// `YYYY-MM-DDTHH:MM:SS[.fff|.ffffff|.fffffffff]Z`.
    fn format(self, buf: &mut [u8; 30]) -> Result<&str, ValueError> {
        if !(0..=9999).contains(&self.year) {
            return Err(ValueError::NotEncodable(format!(
                "the year {} is outside 0000-9999, which RFC 3339 cannot write",
                self.year
            )));
        }
        let mut len = 0;
        let mut put = |buf: &mut [u8; 30], value: u32, width: u32, after: Option<u8>| {
            for k in (0..width).rev() {
                buf[len] = b'0' + ((value / 10u32.pow(k)) % 10) as u8;
                len += 1;
            }
            if let Some(c) = after {
                buf[len] = c;
                len += 1;
            }
            len
        };
        put(buf, self.year as u32, 4, Some(b'-'));
        put(buf, self.month.into(), 2, Some(b'-'));
        put(buf, self.day.into(), 2, Some(b'T'));
        put(buf, self.hour.into(), 2, Some(b':'));
        put(buf, self.minute.into(), 2, Some(b':'));
        let (frac, width) = if self.nanos == 0 {
            (0, 0)
        } else if self.nanos.is_multiple_of(1_000_000) {
            (self.nanos / 1_000_000, 3)
        } else if self.nanos.is_multiple_of(1_000) {
            (self.nanos / 1_000, 6)
        } else {
            (self.nanos, 9)
        };
        let mut end = if width > 0 {
            put(buf, self.second.into(), 2, Some(b'.'));
            put(buf, frac, width, Some(b'Z'))
        } else {
            put(buf, self.second.into(), 2, Some(b'Z'))
        };
        end = end.min(buf.len());
        std::str::from_utf8(&buf[..end])
            .map_err(|_| ValueError::NotEncodable("date-time formatting produced non-ASCII".into()))
    }
}

#[cfg(any(feature = "time", feature = "chrono"))]
fn date_time_string(value: Option<&Value>) -> Result<&str, ValueError> {
    match value {
        None => Err(ValueError::Missing),
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(ValueError::Type {
            expected: "an RFC 3339 date-time string",
            found: other.describe(),
        }),
    }
}

#[cfg(any(feature = "time", feature = "chrono"))]
fn bad_date_time(s: &str) -> ValueError {
    ValueError::Type {
        expected: "an RFC 3339 date-time string",
        found: format!("the string {s:?}"),
    }
}

/// `v` in UTC as RFC 3339 text, formatted into `buf`.
#[cfg(feature = "time")]
pub(crate) fn time_text<'b>(
    v: &time::OffsetDateTime,
    buf: &'b mut [u8; 30],
) -> Result<&'b str, ValueError> {
    let utc = v.to_offset(time::UtcOffset::UTC);
    UtcParts {
        year: utc.year(),
        month: utc.month() as u8,
        day: utc.day(),
        hour: utc.hour(),
        minute: utc.minute(),
        second: utc.second(),
        nanos: utc.nanosecond(),
    }
    .format(buf)
}

/// `v` as RFC 3339 text, formatted into `buf`.
#[cfg(feature = "chrono")]
pub(crate) fn chrono_text<'b>(
    v: &chrono::DateTime<chrono::Utc>,
    buf: &'b mut [u8; 30],
) -> Result<&'b str, ValueError> {
    use chrono::{Datelike, Timelike};
    let nanos = v.nanosecond();
    if nanos >= 1_000_000_000 {
        return Err(ValueError::NotEncodable(
            "a leap second cannot be written as RFC 3339 in UTC".into(),
        ));
    }
    UtcParts {
        year: v.year(),
        month: v.month() as u8,
        day: v.day() as u8,
        hour: v.hour() as u8,
        minute: v.minute() as u8,
        second: v.second() as u8,
        nanos,
    }
    .format(buf)
}

#[cfg(feature = "time")]
mod time_impls {
    use super::*;
    use time::format_description::well_known::Rfc3339;
    use time::{OffsetDateTime, UtcOffset};

    impl PropertyValue for OffsetDateTime {
        fn write_value(&self, w: ValueWriter<'_>) -> Result<Written, ValueError> {
            let mut buf = [0u8; 30];
            w.string(time_text(self, &mut buf)?)
        }
    }
    impl ArrayElement for OffsetDateTime {}
    impl ArrayItem for OffsetDateTime {}
    impl FromPropertyValue for OffsetDateTime {
        fn from_value(value: Option<&Value>) -> Result<Self, ValueError> {
            let s = date_time_string(value)?;
            OffsetDateTime::parse(s, &Rfc3339)
                .map(|d| d.to_offset(UtcOffset::UTC))
                .map_err(|_| bad_date_time(s))
        }
    }
}

#[cfg(feature = "chrono")]
mod chrono_impls {
    use super::*;
    use chrono::{DateTime, Utc};

    impl PropertyValue for DateTime<Utc> {
        fn write_value(&self, w: ValueWriter<'_>) -> Result<Written, ValueError> {
            let mut buf = [0u8; 30];
            w.string(chrono_text(self, &mut buf)?)
        }
    }
    impl ArrayElement for DateTime<Utc> {}
    impl ArrayItem for DateTime<Utc> {}
    impl FromPropertyValue for DateTime<Utc> {
        fn from_value(value: Option<&Value>) -> Result<Self, ValueError> {
            let s = date_time_string(value)?;
            DateTime::parse_from_rfc3339(s)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|_| bad_date_time(s))
        }
    }
}

#[cfg(feature = "uuid")]
mod uuid_impls {
    use crate::value::{
        ArrayElement, ArrayItem, FromPropertyValue, PropertyValue, Value, ValueError, ValueWriter,
        Written,
    };
    use uuid::Uuid;

    impl PropertyValue for Uuid {
        fn write_value(&self, w: ValueWriter<'_>) -> Result<Written, ValueError> {
            let mut buf = Uuid::encode_buffer();
            w.string(self.hyphenated().encode_lower(&mut buf))
        }
    }
    impl ArrayElement for Uuid {}
    impl ArrayItem for Uuid {}
    impl FromPropertyValue for Uuid {
        fn from_value(value: Option<&Value>) -> Result<Self, ValueError> {
            match value {
                None => Err(ValueError::Missing),
                Some(Value::String(s)) => Uuid::parse_str(s).map_err(|_| ValueError::Type {
                    expected: "a UUID string",
                    found: format!("the string {s:?}"),
                }),
                Some(other) => Err(ValueError::Type {
                    expected: "a UUID string",
                    found: other.describe(),
                }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[allow(unused_imports)]
    use crate::value::{FromPropertyValue, PropertyValue, Value, ValueError, ValueWriter};

    #[allow(dead_code)]
    fn write<V: PropertyValue + ?Sized>(v: &V) -> Result<String, ValueError> {
        let mut out = crate::json::Out::buffer(0);
        let _ = v.write_value(ValueWriter::new(&mut out))?;
        Ok(String::from_utf8(out.into_bytes()).unwrap())
    }

    #[cfg(feature = "time")]
    #[test]
    fn time_round_trip_in_utc() {
        use time::OffsetDateTime;
        use time::macros::datetime;
        let cases = [
            (
                datetime!(2015-12-30 11:00:00 UTC),
                "\"2015-12-30T11:00:00Z\"",
            ),
            (
                datetime!(2015-12-30 11:00:00.5 UTC),
                "\"2015-12-30T11:00:00.500Z\"",
            ),
            (
                datetime!(2015-12-30 11:00:00.000_001 UTC),
                "\"2015-12-30T11:00:00.000001Z\"",
            ),
            (
                datetime!(2015-12-30 11:00:00.000_000_001 UTC),
                "\"2015-12-30T11:00:00.000000001Z\"",
            ),
            (
                datetime!(2015-12-30 13:00:00 +02:00),
                "\"2015-12-30T11:00:00Z\"",
            ),
            (
                datetime!(0001-01-01 00:00:00 UTC),
                "\"0001-01-01T00:00:00Z\"",
            ),
        ];
        for (d, json) in cases {
            assert_eq!(write(&d).unwrap(), json);
            let v = Value::String(json.trim_matches('"').to_owned());
            assert_eq!(OffsetDateTime::from_value(Some(&v)).unwrap(), d);
        }
        // Documentation form with milliseconds and an offset reads back.
        let v = Value::String("2015-12-30T11:00:00.000-05:00".into());
        assert_eq!(
            OffsetDateTime::from_value(Some(&v)).unwrap(),
            datetime!(2015-12-30 16:00:00 UTC)
        );
        assert!(OffsetDateTime::from_value(Some(&Value::String("yesterday".into()))).is_err());
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_round_trip_in_utc() {
        use chrono::{DateTime, TimeZone, Utc};
        let d = Utc.with_ymd_and_hms(2015, 12, 30, 11, 0, 0).unwrap();
        assert_eq!(write(&d).unwrap(), "\"2015-12-30T11:00:00Z\"");
        let d2 = d + chrono::Duration::milliseconds(250);
        assert_eq!(write(&d2).unwrap(), "\"2015-12-30T11:00:00.250Z\"");
        let v = Value::String("2015-12-30T11:00:00.250Z".into());
        assert_eq!(DateTime::<Utc>::from_value(Some(&v)).unwrap(), d2);
        let far = Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0).unwrap();
        assert!(matches!(write(&far), Err(ValueError::NotEncodable(_))));
    }

    #[cfg(feature = "uuid")]
    #[test]
    fn uuid_round_trip() {
        let u = uuid::Uuid::from_u128(0x1234_5678_9abc_def0_1234_5678_9abc_def0);
        assert_eq!(
            write(&u).unwrap(),
            "\"12345678-9abc-def0-1234-56789abcdef0\""
        );
        let v = Value::String("12345678-9ABC-DEF0-1234-56789ABCDEF0".into());
        assert_eq!(uuid::Uuid::from_value(Some(&v)).unwrap(), u);
        assert!(uuid::Uuid::from_value(Some(&Value::Bool(true))).is_err());
    }
}
