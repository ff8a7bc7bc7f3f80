//! Schema extensions through the derive: what is written reads back, what is refused is refused
//! before any request, and filters quote what they compare. Random values by proptest.

#![allow(clippy::unwrap_used)]

use extensions_core::op::Operation;
use extensions_core::prelude::*;
use extensions_core::schema::op::{ClearData, Find, FindIn, GetDefinition, ReadData, WriteData};
use extensions_core::schema::{Definition, SchemaId, read_data};
use proptest::prelude::*;

#[derive(SchemaExtension, Debug, Clone, PartialEq)]
#[schema(
    id = "contoso_courses",
    targets(Group, User),
    description = "Training courses"
)]
struct Course {
    course_id: i32,
    course_name: String,
    course_type: Option<String>,
    online: Option<bool>,
    syllabus: Option<Vec<u8>>,
    starts: Option<time::OffsetDateTime>,
}

fn id() -> SchemaId {
    SchemaId::new("contoso_courses").unwrap()
}

/// The body a write sends, as Graph would store it and answer a `$select` (the data object
/// under the id, with Graph's annotation added and `null`s left out).
fn stored_answer(body: &[u8]) -> Vec<u8> {
    let v: serde_json::Value = serde_json::from_slice(body).unwrap();
    let mut data = v["contoso_courses"].as_object().unwrap().clone();
    data.retain(|_, v| !v.is_null());
    data.insert(
        "@odata.type".into(),
        "#microsoft.graph.ComplexExtensionValue".into(),
    );
    serde_json::to_vec(&serde_json::json!({"id": "g1", "contoso_courses": data})).unwrap()
}

fn arb_date() -> impl Strategy<Value = time::OffsetDateTime> {
    (0i64..253_402_300_799, 0u32..1_000_000_000).prop_map(|(s, n)| {
        time::OffsetDateTime::from_unix_timestamp(s).unwrap()
            + time::Duration::nanoseconds(n.into())
    })
}

fn arb_course(max_chars: usize, max_bytes: usize) -> impl Strategy<Value = Course> {
    (
        any::<i32>(),
        proptest::collection::vec(any::<char>(), 0..=max_chars),
        proptest::option::of(".{0,40}"),
        proptest::option::of(any::<bool>()),
        proptest::option::of(proptest::collection::vec(any::<u8>(), 0..=max_bytes)),
        proptest::option::of(arb_date()),
    )
        .prop_map(
            |(course_id, name, course_type, online, syllabus, starts)| Course {
                course_id,
                course_name: name.into_iter().collect(),
                course_type,
                online,
                syllabus,
                starts,
            },
        )
}

proptest! {
    #[test]
    fn what_is_written_reads_back(c in arb_course(256, 256)) {
        let op = WriteData::new(&id(), Resource::group("g1"), &c);
        let req = op.request().unwrap();
        let back: Option<Course> = read_data(&stored_answer(req.body()), &id()).unwrap();
        prop_assert_eq!(back, Some(c));
    }

    #[test]
    fn what_is_too_long_is_refused_before_sending(c in arb_course(300, 300)) {
        let chars = c.course_name.chars().count();
        let bytes = c.syllabus.as_ref().map_or(0, Vec::len);
        let result = WriteData::new(&id(), Resource::user("u1"), &c).request();
        if chars > 256 || bytes > 256 {
            let refused = matches!(result, Err(Error::SchemaValueTooLong { .. }));
            prop_assert!(refused);
        } else {
            prop_assert!(result.is_ok());
        }
    }

    #[test]
    fn a_filter_quotes_and_refuses_as_a_write_does(s in proptest::collection::vec(any::<char>(), 0..300)) {
        let s: String = s.into_iter().collect();
        let cond = Course::filter(&id()).course_name().eq(s.clone());
        let op = Find::new(FindIn::Groups, &cond);
        if s.chars().count() > 256 {
            let refused = matches!(op.request(), Err(Error::SchemaValueTooLong { .. }));
            prop_assert!(refused);
        } else {
            let expr = cond.expression().unwrap().to_owned();
            let literal = expr.strip_prefix("contoso_courses/courseName eq '").unwrap().strip_suffix('\'').unwrap();
            // Inside the literal every quote is doubled, so undoubling gives the value back.
            prop_assert!(!literal.replace("''", "").contains('\''));
            prop_assert_eq!(literal.replace("''", "'"), s);
            let uri = op.request().unwrap().uri().to_string();
            prop_assert!(uri.starts_with("/groups?%24filter=contoso_courses%2FcourseName%20eq%20%27"));
        }
    }

    #[test]
    fn integers_and_dates_filter_as_odata_literals(n in any::<i32>(), d in arb_date()) {
        let f = Course::filter(&id());
        let cond = f.course_id().eq(n).and(Course::filter(&id()).starts().eq(d));
        let text = cond.to_string();
        let prefix = format!("contoso_courses/courseId eq {n} and contoso_courses/starts eq ");
        prop_assert!(text.starts_with(&prefix));
        let date = text.rsplit(' ').next().unwrap();
        let parsed = time::OffsetDateTime::parse(date, &time::format_description::well_known::Rfc3339).unwrap();
        prop_assert_eq!(parsed, d);
    }
}

#[test]
fn none_is_sent_as_null_and_absent_reads_as_none() {
    let c = Course {
        course_id: 1,
        course_name: "x".into(),
        course_type: None,
        online: None,
        syllabus: None,
        starts: None,
    };
    let req = WriteData::new(&id(), Resource::group("g1"), &c)
        .request()
        .unwrap();
    assert_eq!(
        std::str::from_utf8(req.body()).unwrap(),
        r#"{"contoso_courses":{"courseId":1,"courseName":"x","courseType":null,"online":null,"syllabus":null,"starts":null}}"#
    );
    let back: Option<Course> = read_data(
        br#"{"contoso_courses":{"courseId":1,"courseName":"x"}}"#,
        &id(),
    )
    .unwrap();
    assert_eq!(back, Some(c));
}

#[test]
fn graphs_answers_read_as_graph_writes_them() {
    // The tutorial writes `"courseId": "123"`; another app may have added properties; dates
    // come back in UTC; Binary is base64.
    let body = br##"{"id":"g1","displayName":"New Managers","contoso_courses":{"@odata.type":"#microsoft.graph.ComplexExtensionValue","courseId":"123","courseName":"New Managers","level":"2","syllabus":"AAEC","starts":"2024-03-01T09:00:00+01:00"}}"##;
    let c: Course = read_data(body, &id()).unwrap().unwrap();
    assert_eq!(c.course_id, 123);
    assert_eq!(c.syllabus, Some(vec![0, 1, 2]));
    assert_eq!(
        c.starts,
        Some(time::macros::datetime!(2024-03-01 08:00 UTC))
    );
    // A wrong type, a missing required property, a duplicate: typed errors naming it.
    for (bad, property) in [
        (
            r#"{"contoso_courses":{"courseId":"abc","courseName":"x"}}"#,
            "courseId",
        ),
        (
            r#"{"contoso_courses":{"courseId":true,"courseName":"x"}}"#,
            "courseId",
        ),
        (
            r#"{"contoso_courses":{"courseId":3000000000,"courseName":"x"}}"#,
            "courseId",
        ),
        (r#"{"contoso_courses":{"courseName":"x"}}"#, "courseId"),
        (
            r#"{"contoso_courses":{"courseId":1,"courseId":2,"courseName":"x"}}"#,
            "courseId",
        ),
        (
            r#"{"contoso_courses":{"courseId":1,"courseName":"x","online":"yes"}}"#,
            "online",
        ),
        (
            r#"{"contoso_courses":{"courseId":1,"courseName":7}}"#,
            "courseName",
        ),
        (
            r#"{"contoso_courses":{"courseId":1,"courseName":"x","syllabus":"%%"}}"#,
            "syllabus",
        ),
        (
            r#"{"contoso_courses":{"courseId":1,"courseName":"x","starts":"soon"}}"#,
            "starts",
        ),
    ] {
        let e = read_data::<Course>(bad.as_bytes(), &id()).unwrap_err();
        let Error::SchemaDataInvalid { reason, .. } = &e else {
            panic!("{bad}: {e}");
        };
        assert!(reason.contains(&format!("`{property}`")), "{bad}: {reason}");
        assert_eq!(
            reason.matches(" at line ").count(),
            1,
            "one position: {reason}"
        );
    }
}

#[test]
fn reads_select_the_data_and_refuse_other_targets() {
    let op = ReadData::<Course>::new(&id(), Resource::group("g1"));
    assert_eq!(
        op.request().unwrap().uri(),
        "/groups/g1?%24select=id%2Ccontoso_courses"
    );
    assert!(matches!(
        ReadData::<Course>::new(&id(), Resource::device("d1")).request(),
        Err(Error::SchemaTargetNotListed { .. })
    ));
    let f = Course::filter(&id()).course_id().eq(1);
    assert!(matches!(
        Find::new(FindIn::Devices, &f).request(),
        Err(Error::SchemaTargetNotListed { .. })
    ));
}

/// An id as Graph's answer may carry it: a listed definition keeps any text as its id.
fn listed_id(text: &str) -> SchemaId {
    let def: Definition =
        serde_json::from_value(serde_json::json!({ "id": text })).expect("any id is listed");
    def.id
}

/// The body of `req` as a JSON object.
fn body_members(req: &http::Request<bytes::Bytes>) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::from_slice(req.body()) {
        Ok(serde_json::Value::Object(m)) => m,
        other => panic!("not an object: {other:?}"),
    }
}

/// What a hostile server could name a definition, and any text at all.
fn arb_id() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(r#"exta_z":null,"displayName":"pwned","extb_courses"#.to_owned()),
        Just("exta_z,displayName".to_owned()),
        Just("exta_z/courseId eq 1 or true".to_owned()),
        Just("../../users/u1".to_owned()),
        "[a-zA-Z][a-zA-Z0-9]{0,8}_[a-zA-Z][a-zA-Z0-9]{0,8}",
        ".{0,40}",
        any::<String>(),
    ]
}

proptest! {
    /// Whatever id a definition read from Graph carries, it enters a body as one member named
    /// by exactly that id, a path as one segment, and a `$select` or `$filter` only if it is an
    /// OData identifier; otherwise each call is refused before sending.
    #[test]
    fn ids_from_answers_never_inject(text in arb_id()) {
        let id = listed_id(&text);
        let usable = id.check_usable().is_ok();
        let course = Course {
            course_id: 1,
            course_name: "x".into(),
            course_type: None,
            online: None,
            syllabus: None,
            starts: None,
        };
        // The body writer, public on its own: always one member, the id escaped.
        let body = extensions_core::schema::write_body(&id, &course).unwrap();
        let parsed: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&body).unwrap();
        prop_assert_eq!(parsed.len(), 1);
        prop_assert!(parsed.contains_key(&text));
        // The calls: refused, or one member / one segment / the id alone in the query.
        let group = Resource::group("g1");
        for req in [
            WriteData::new(&id, &group, &course).request(),
            ClearData::new(&id, &group).request(),
        ] {
            match req {
                Ok(req) => {
                    prop_assert!(usable);
                    let members = body_members(&req);
                    prop_assert_eq!(members.len(), 1);
                    prop_assert!(members.contains_key(&text));
                }
                Err(e) => prop_assert!(!usable && matches!(e, Error::SchemaIdInvalid { .. }), "{}", e),
            }
        }
        match ReadData::<Course>::new(&id, &group).request() {
            Ok(req) => {
                prop_assert!(usable);
                let expected = format!("%24select=id%2C{text}");
                prop_assert_eq!(req.uri().query(), Some(expected.as_str()));
            }
            Err(e) => prop_assert!(!usable && matches!(e, Error::SchemaIdInvalid { .. }), "{}", e),
        }
        match Find::new(FindIn::Groups, &Course::filter(&id).course_id().eq(1)).request() {
            Ok(req) => {
                prop_assert!(usable);
                let q = req.uri().query().unwrap_or_default().to_owned();
                prop_assert!(q.starts_with(&format!("%24filter={text}%2FcourseId%20eq%201&")), "{}", q);
            }
            Err(e) => prop_assert!(!usable && matches!(e, Error::SchemaIdInvalid { .. }), "{}", e),
        }
        // A path: one segment under /schemaExtensions, the id itself once decoded.
        let req = GetDefinition::new(&id).request().unwrap();
        let path = req.uri().path().to_owned();
        let segment = path.strip_prefix("/schemaExtensions/").unwrap_or_else(|| panic!("{path}"));
        prop_assert!(!segment.contains('/'));
        prop_assert_eq!(req.uri().query(), None);
        prop_assert_eq!(
            percent_encoding::percent_decode_str(segment).decode_utf8().unwrap(),
            text.as_str()
        );
    }
}
