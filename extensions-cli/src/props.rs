//! Properties from the command line, as HTTPie users write them: `key=value` (a string),
//! `key:=JSON` (a number, `true`, `false`, `null`, an array), or a JSON object from a file.

use extensions_core::{Error, MAX_SAFE_INTEGER, Properties, Value};

use crate::fail::Fail;

/// Checks a value given on the command line as the typed library checks a field: a primitive
/// or an array of primitives (Graph's documented contract for open extensions), integers within
/// 2^53 - 1. (Values read from Graph are kept as they are; these checks apply to new values.)
pub(crate) fn check(name: &str, value: &Value, nested: bool) -> Result<(), Fail> {
    let refuse = |reason: &str| {
        Fail::Api(Error::ValueNotEncodable {
            property: name.to_owned(),
            reason: reason.to_owned(),
        })
    };
    match value {
        Value::Object(_) => Err(refuse(
            "an open extension property is a primitive or an array of primitives; nested objects are not allowed",
        )),
        Value::Array(_) if nested => Err(refuse("arrays cannot be nested")),
        Value::Array(items) => items.iter().try_for_each(|v| check(name, v, true)),
        Value::Number(n) => {
            let big = n
                .as_i128()
                .filter(|i| i.unsigned_abs() > u128::from(MAX_SAFE_INTEGER));
            match big {
                Some(v) => Err(Fail::Input(format!(
                    "property {name:?} holds {v}, past 2^53 - 1 (9007199254740991), which JSON clients such as JavaScript's cannot hold exactly; store it as a string ({name}={v})"
                ))),
                None => Ok(()),
            }
        }
        _ => Ok(()),
    }
}

/// Parses `key=value` and `key:=JSON` items, then merges the object in `json` (where it was read
/// from, a file or `-`, and its text).
pub(crate) fn parse(items: &[String], json: Option<(&str, &str)>) -> Result<Properties, Fail> {
    let mut props = Properties::new();
    let mut put = |name: String, value: Value| -> Result<(), Fail> {
        check(&name, &value, false)?;
        if props.get(&name).is_some() {
            return Err(Fail::Input(format!("property {name:?} is given twice")));
        }
        props.insert(name, value);
        Ok(())
    };
    for item in items {
        let typed = item.find(":=");
        let plain = item.find('=');
        match (typed, plain) {
            (Some(t), Some(p)) if t < p => {
                let (k, v) = (&item[..t], &item[t + 2..]);
                let parsed: serde_json::Value = serde_json::from_str(v)
                    .map_err(|e| Fail::Input(format!("{k}:={v}: the value is not JSON ({e})")))?;
                put(k.to_owned(), Value::from_json(&parsed))?;
            }
            (_, Some(p)) => put(
                item[..p].to_owned(),
                Value::String(item[p + 1..].to_owned()),
            )?,
            _ => {
                return Err(Fail::Input(format!(
                    "{item:?}: expected key=value (a string) or key:=JSON (a number, true, false, null or an array)"
                )));
            }
        }
    }
    if let Some((path, text)) = json {
        let parsed: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| Fail::Input(format!("{path}: not JSON ({e})")))?;
        let serde_json::Value::Object(obj) = parsed else {
            return Err(Fail::Input(format!(
                "{path}: expected a JSON object of properties"
            )));
        };
        for (k, v) in obj {
            put(k, Value::from_json(&v))?;
        }
    }
    Ok(props)
}

/// Properties as a JSON object.
pub(crate) fn to_json(props: &Properties) -> serde_json::Map<String, serde_json::Value> {
    props
        .iter()
        .map(|(k, v)| (k.to_owned(), v.to_json()))
        .collect()
}

/// `NAME=VALUE`, `NAME!=VALUE`, `NAME=null`, `NAME!=null`: the name, whether negated, and the
/// value (`None` for null).
pub(crate) fn condition(w: &str) -> Result<(&str, bool, Option<&str>), Fail> {
    let (name, negated, value) = match w.split_once("!=") {
        Some((n, v)) => (n, true, v),
        None => {
            let (n, v) = w.split_once('=').ok_or_else(|| {
                Fail::Input(format!(
                    "--where {w:?}: expected NAME=VALUE or NAME!=VALUE (VALUE null for unset)"
                ))
            })?;
            (n, false, v)
        }
    };
    Ok((name.trim(), negated, (value != "null").then_some(value)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn httpie_items() {
        let items: Vec<String> = [
            "theme=dark",
            "n:=3",
            "on:=true",
            "tags:=[\"a\",\"b\"]",
            "eq=a=b",
            "url=x:=y",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let p = parse(&items, None).expect("parses");
        assert_eq!(p.get("theme"), Some(&Value::String("dark".into())));
        assert_eq!(p.get("n").map(Value::to_json), Some(serde_json::json!(3)));
        assert_eq!(p.get("on"), Some(&Value::Bool(true)));
        assert_eq!(
            p.get("tags").map(Value::to_json),
            Some(serde_json::json!(["a", "b"]))
        );
        assert_eq!(p.get("eq"), Some(&Value::String("a=b".into())));
        assert_eq!(p.get("url"), Some(&Value::String("x:=y".into())));
        assert!(parse(&["novalue".into()], None).is_err());
        assert!(parse(&["n:=nope".into()], None).is_err());
        assert!(parse(&["a=1".into(), "a=2".into()], None).is_err());
        for bad in [
            "n:=9007199254740992",
            "n:=-9007199254740992",
            "o:={\"a\":1}",
            "a:=[[1]]",
            "a:=[9007199254740993]",
        ] {
            assert!(parse(&[bad.into()], None).is_err(), "{bad}");
        }
        assert!(parse(&["n:=9007199254740991".into(), "f:=1e300".into()], None).is_ok());
    }
}
