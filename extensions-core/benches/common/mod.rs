//! The codec benchmark's fixture, shared with `tests/allocations.rs`: the ten-property
//! extension, a serde struct that writes the same bytes, and each compared path.

#![allow(dead_code, unreachable_pub)]

use extensions_core::{OpenExtension, ResourceKind};
use serde::{Deserialize, Serialize};

/// The ten properties: strings, integers, a float, a bool, an array of 8 strings, one `Option`,
/// one string with escapes and multi-byte UTF-8.
#[derive(OpenExtension, Debug, Clone, PartialEq)]
#[extension(name = "com.contoso.Referral")]
pub struct Referral {
    pub company_name: String,
    pub contact_email: String,
    pub note: String,
    pub deal_value: i64,
    pub seats: u32,
    pub region: i32,
    pub score: f64,
    pub active: bool,
    pub top_picks: Vec<String>,
    pub expiration_date: Option<String>,
}

/// What serde writes for the same body: the three header fields, then the properties, all
/// borrowed (a plain struct: no `flatten`, which would slow serde down).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SerdeBody<'a> {
    #[serde(rename = "@odata.type")]
    odata_type: &'static str,
    extension_name: &'static str,
    id: &'static str,
    pub company_name: &'a str,
    pub contact_email: &'a str,
    pub note: &'a str,
    pub deal_value: i64,
    pub seats: u32,
    pub region: i32,
    pub score: f64,
    pub active: bool,
    pub top_picks: &'a [String],
    pub expiration_date: &'a Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SerdeReferral {
    pub company_name: String,
    pub contact_email: String,
    pub note: String,
    pub deal_value: i64,
    pub seats: u32,
    pub region: i32,
    pub score: f64,
    pub active: bool,
    pub top_picks: Vec<String>,
    pub expiration_date: Option<String>,
}

pub fn referral() -> Referral {
    Referral {
        company_name: "Wingtip Toys".into(),
        contact_email: "adele.vance@contoso.com".into(),
        note: "Line one\nLine two \"quoted\" \\ path — café, 東京, 😀".into(),
        deal_value: 500_050,
        seats: 1200,
        region: -7,
        score: 0.8125,
        active: true,
        top_picks: [
            "Employees only",
            "Add family",
            "Add partners",
            "Quarterly review",
            "Annual review",
            "Gold tier",
            "Silver tier",
            "Bronze tier",
        ]
        .map(String::from)
        .to_vec(),
        expiration_date: None,
    }
}

pub fn serde_referral(r: &Referral) -> SerdeReferral {
    SerdeReferral {
        company_name: r.company_name.clone(),
        contact_email: r.contact_email.clone(),
        note: r.note.clone(),
        deal_value: r.deal_value,
        seats: r.seats,
        region: r.region,
        score: r.score,
        active: r.active,
        top_picks: r.top_picks.clone(),
        expiration_date: r.expiration_date.clone(),
    }
}

const TYPE: &str = "#microsoft.graph.openTypeExtension";
const NAME: &str = "com.contoso.Referral";

pub fn serde_encode(s: &SerdeReferral) -> Vec<u8> {
    let body = SerdeBody {
        odata_type: TYPE,
        extension_name: NAME,
        id: NAME,
        company_name: &s.company_name,
        contact_email: &s.contact_email,
        note: &s.note,
        deal_value: s.deal_value,
        seats: s.seats,
        region: s.region,
        score: s.score,
        active: s.active,
        top_picks: &s.top_picks,
        expiration_date: &s.expiration_date,
    };
    serde_json::to_vec(&body).expect("serialises")
}

pub fn map_encode(r: &Referral) -> Vec<u8> {
    use serde_json::{Map, Value, json};
    let mut m = Map::new();
    m.insert("@odata.type".into(), json!(TYPE));
    m.insert("extensionName".into(), json!(NAME));
    m.insert("id".into(), json!(NAME));
    m.insert("companyName".into(), json!(r.company_name));
    m.insert("contactEmail".into(), json!(r.contact_email));
    m.insert("note".into(), json!(r.note));
    m.insert("dealValue".into(), json!(r.deal_value));
    m.insert("seats".into(), json!(r.seats));
    m.insert("region".into(), json!(r.region));
    m.insert("score".into(), json!(r.score));
    m.insert("active".into(), json!(r.active));
    m.insert("topPicks".into(), json!(r.top_picks));
    m.insert("expirationDate".into(), json!(r.expiration_date));
    serde_json::to_vec(&Value::Object(m)).expect("serialises")
}

pub fn ours_encode(r: &Referral) -> Vec<u8> {
    extensions_core::extension::encode(ResourceKind::User, r).expect("within 2 KB")
}

/// A Graph response: annotations, id, name, the ten properties, one undeclared property.
pub fn response_body(r: &Referral) -> Vec<u8> {
    let mut v: serde_json::Value = serde_json::from_slice(&ours_encode(r)).expect("JSON");
    let o = v.as_object_mut().expect("object");
    let mut out = serde_json::Map::new();
    out.insert(
        "@odata.context".into(),
        "https://graph.microsoft.com/v1.0/$metadata#users('adele%40contoso.com')/extensions/$entity".into(),
    );
    out.extend(std::mem::take(o));
    out.insert("legacyFlag".into(), "kept by update".into());
    serde_json::to_vec(&out).expect("JSON")
}

/// serde's decode after checking the whole body as UTF-8 once, as this crate's decode does:
/// `from_str` then skips the per-string check that `from_slice` makes.
pub fn serde_str_decode(body: &[u8]) -> SerdeReferral {
    let text = std::str::from_utf8(body).expect("UTF-8");
    serde_json::from_str::<SerdeReferral>(text).expect("decodes")
}

pub fn ours_decode(body: &[u8]) -> Referral {
    extensions_core::extension::decode::<Referral>(body).expect("decodes")
}
