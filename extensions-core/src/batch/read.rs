//! Reading a `$batch` answer as a stream: each answer is checked (a known id, not seen before)
//! as soon as it is read, and reading stops at the first that is not, so a hostile envelope of
//! thousands of answers never becomes thousands of values. Bodies are not copied: each item's
//! body is a slice of the envelope's bytes.

use std::borrow::Cow;
use std::fmt;

use bytes::Bytes;
use http::StatusCode;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;
use serde_json::value::RawValue;

use crate::error::Error;
use crate::operation::Response;
use crate::operation::read::not_success;

/// Reads the answer to a `$batch`: `200` with `{"responses": [...]}` (in any order). Answers are
/// returned in the order of `ids`; an answer for an unknown id, a duplicate, or a missing answer
/// is an error. Reading stops at the first answer that is refused, so at most `ids.len()`
/// answers are ever built, whatever the envelope holds.
pub fn read_envelope(resp: &Response, ids: &[String]) -> Result<Vec<Response>, Error> {
    if resp.status() != StatusCode::OK {
        return Err(not_success(resp, "a batch answers 200"));
    }
    let bad = |detail: String| Error::UnexpectedResponse {
        status: resp.status(),
        detail,
    };
    let mut reader = Reader {
        body: resp.body(),
        ids,
        slots: ids.iter().map(|_| None).collect(),
        refusal: None,
        seen_responses: false,
    };
    let mut de = serde_json::Deserializer::from_slice(resp.body());
    let parsed = (&mut reader).deserialize(&mut de).and_then(|()| de.end());
    if let Some(refusal) = reader.refusal {
        return Err(bad(refusal));
    }
    if let Err(e) = parsed {
        return Err(bad(format!("the body is not JSON: {e}")));
    }
    if !reader.seen_responses {
        return Err(bad("a batch answer has a `responses` array".into()));
    }
    reader
        .slots
        .into_iter()
        .zip(ids)
        .map(|(s, i)| s.ok_or_else(|| bad(format!("no batch answer for id {i:?}"))))
        .collect()
}

/// The envelope being read: where each answer goes, and why reading stopped, if it did.
struct Reader<'b> {
    body: &'b Bytes,
    ids: &'b [String],
    slots: Vec<Option<Response>>,
    /// Set when an answer breaks the protocol; the parse is then stopped with a marker error.
    refusal: Option<String>,
    seen_responses: bool,
}

impl Reader<'_> {
    fn refuse<E: de::Error>(&mut self, why: String) -> E {
        self.refusal = Some(why);
        E::custom("refused")
    }

    /// Takes one answer: a known id, not answered before, a valid status.
    fn take<E: de::Error>(&mut self, a: RawAnswer<'_>) -> Result<(), E> {
        let Some(id) = a.id else {
            return Err(self.refuse("a batch answer without an id".into()));
        };
        let Some(pos) = self.ids.iter().position(|i| i.eq_ignore_ascii_case(&id)) else {
            return Err(self.refuse(format!("a batch answer for unknown id {id:?}")));
        };
        if self.slots[pos].is_some() {
            return Err(self.refuse(format!("two batch answers for id {id:?}")));
        }
        let status = a
            .status
            .as_ref()
            .and_then(Json::as_u64)
            .and_then(|s| u16::try_from(s).ok())
            .and_then(|s| StatusCode::from_u16(s).ok());
        let Some(status) = status else {
            return Err(self.refuse(format!("batch answer {id:?} has no valid status")));
        };
        let mut b = http::Response::builder().status(status);
        if let Some(Json::Object(h)) = &a.headers {
            for (k, v) in h {
                let v = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                b = b.header(k.as_str(), v);
            }
        }
        let body = match a.body {
            None => Bytes::new(),
            // The item's body is a slice of the envelope: no copy. (A borrowed raw value always
            // lies inside the input; the check keeps `slice_ref` from ever panicking.)
            Some(raw) => {
                let text = raw.get().as_bytes();
                let (start, end) = (self.body.as_ptr() as usize, text.as_ptr() as usize);
                if end >= start && end + text.len() <= start + self.body.len() {
                    self.body.slice_ref(text)
                } else {
                    Bytes::copy_from_slice(text)
                }
            }
        };
        match b.body(body) {
            Ok(r) => {
                self.slots[pos] = Some(r);
                Ok(())
            }
            Err(e) => Err(self.refuse(format!("batch answer {id:?}: {e}"))),
        }
    }
}

/// One answer as read: only what the reader needs, the body left as the envelope's text.
struct RawAnswer<'de> {
    id: Option<Cow<'de, str>>,
    status: Option<Json>,
    headers: Option<Json>,
    body: Option<&'de RawValue>,
}

impl<'de> DeserializeSeed<'de> for &mut Reader<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for &mut Reader<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a batch answer object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Key>()? {
            if key == Key::Responses {
                if self.seen_responses {
                    return Err(self.refuse("two `responses` arrays".into()));
                }
                self.seen_responses = true;
                map.next_value_seed(Answers(&mut *self))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// The `responses` array, read an answer at a time.
struct Answers<'r, 'b>(&'r mut Reader<'b>);

impl<'de> DeserializeSeed<'de> for Answers<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Answers<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of batch answers")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(answer) = seq.next_element_seed(AnswerSeed)? {
            self.0.take(answer)?;
        }
        Ok(())
    }
}

struct AnswerSeed;

impl<'de> DeserializeSeed<'de> for AnswerSeed {
    type Value = RawAnswer<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<RawAnswer<'de>, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for AnswerSeed {
    type Value = RawAnswer<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a batch answer")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawAnswer<'de>, A::Error> {
        let mut a = RawAnswer {
            id: None,
            status: None,
            headers: None,
            body: None,
        };
        // A repeated key keeps its last value, as a JSON object read whole would.
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Id => a.id = map.next_value::<Option<Cow<'de, str>>>()?,
                Key::Status => a.status = Some(map.next_value()?),
                Key::Headers => a.headers = Some(map.next_value()?),
                Key::Body => {
                    let raw: &'de RawValue = map.next_value()?;
                    a.body = (raw.get() != "null").then_some(raw);
                }
                Key::Responses | Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(a)
    }
}

/// The member names the reader looks at, matched without building a string (as serde's derived
/// field identifiers are).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Responses,
    Id,
    Status,
    Headers,
    Body,
    Other,
}

impl<'de> de::Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        d.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl Visitor<'_> for KeyVisitor {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(match v {
            "responses" => Key::Responses,
            "id" => Key::Id,
            "status" => Key::Status,
            "headers" => Key::Headers,
            "body" => Key::Body,
            _ => Key::Other,
        })
    }
}
