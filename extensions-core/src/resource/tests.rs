//! Paths, kinds and classes of every resource.

use super::*;

#[test]
fn every_kind_has_its_documented_path() {
    let me = Resource::me();
    let u = Resource::user("adele@contoso.com");
    let g = Resource::group("g1");
    let list = u.todo_list("L1");
    let cases: Vec<(Resource, &str, ResourceKind)> = vec![
        (
            u.clone().into(),
            "/users/adele%40contoso.com",
            ResourceKind::User,
        ),
        (me.clone().into(), "/me", ResourceKind::User),
        (g.clone().into(), "/groups/g1", ResourceKind::Group),
        (Resource::device("d1"), "/devices/d1", ResourceKind::Device),
        (
            Resource::organization("o1"),
            "/organization/o1",
            ResourceKind::Organization,
        ),
        (
            Resource::administrative_unit("a1"),
            "/directory/administrativeUnits/a1",
            ResourceKind::AdministrativeUnit,
        ),
        (
            u.event("e1"),
            "/users/adele%40contoso.com/events/e1",
            ResourceKind::Event,
        ),
        (me.event("e1"), "/me/events/e1", ResourceKind::Event),
        (
            g.event("e1"),
            "/groups/g1/events/e1",
            ResourceKind::GroupEvent,
        ),
        (
            g.post("t1", "p1"),
            "/groups/g1/threads/t1/posts/p1",
            ResourceKind::GroupPost,
        ),
        (
            u.message("m1"),
            "/users/adele%40contoso.com/messages/m1",
            ResourceKind::Message,
        ),
        (me.message("m1"), "/me/messages/m1", ResourceKind::Message),
        (
            u.contact("c1"),
            "/users/adele%40contoso.com/contacts/c1",
            ResourceKind::Contact,
        ),
        (
            list.clone().into(),
            "/users/adele%40contoso.com/todo/lists/L1",
            ResourceKind::TodoTaskList,
        ),
        (
            list.task("T1"),
            "/users/adele%40contoso.com/todo/lists/L1/tasks/T1",
            ResourceKind::TodoTask,
        ),
    ];
    let mut seen = std::collections::HashSet::new();
    for (r, path, kind) in cases {
        assert_eq!(r.path(), path);
        assert_eq!(r.kind(), kind);
        assert_eq!(r.extensions_path(), format!("{path}/extensions"));
        seen.insert(kind);
    }
    assert_eq!(
        seen.len(),
        ResourceKind::ALL.len(),
        "all twelve kinds covered"
    );
}

#[test]
fn classes() {
    use ResourceClass::*;
    let expect = [
        DirectoryObject,
        DirectoryObject,
        DirectoryObject,
        DirectoryObject,
        DirectoryObject,
        OutlookItem,
        OutlookItem,
        OutlookItem,
        OutlookItem,
        OutlookItem,
        TodoItem,
        TodoItem,
    ];
    for (k, c) in ResourceKind::ALL.iter().zip(expect) {
        assert_eq!(k.class(), c, "{k}");
    }
    assert_eq!(DirectoryObject.size_limit(), Some(2048));
    assert_eq!(OutlookItem.size_limit(), None);
    assert_eq!(DirectoryObject.extensions_per_app_limit(), Some(2));
    assert!(!OutlookItem.supports_list());
    assert!(TodoItem.supports_list());
}

#[test]
fn ids_are_one_encoded_segment() {
    let m = Resource::user("a/b?c#d e%f+g=h").message("AAMk+/=%3D");
    assert_eq!(
        m.path(),
        "/users/a%2Fb%3Fc%23d%20e%25f%2Bg%3Dh/messages/AAMk%2B%2F%3D%253D"
    );
    let unicode = Resource::user("zoë@contoso.com");
    assert_eq!(unicode.path(), "/users/zo%C3%AB%40contoso.com");
    assert_eq!(
        Resource::device("d").extension_path("com.contoso.X"),
        "/devices/d/extensions/com.contoso.X"
    );
}

#[test]
fn dot_segment_and_empty_ids_are_refused() {
    for (r, bad) in [
        (Resource::user("").into(), ""),
        (Resource::user("..").into(), ".."),
        (Resource::group("g").post("t", "."), "."),
        (Resource::me().todo_list("").task("t"), ""),
    ] {
        let r: Resource = r;
        match r.validate() {
            Err(Error::InvalidResourceId { kind, id, .. }) => {
                assert_eq!(kind, r.kind());
                assert_eq!(id, bad);
            }
            other => panic!("expected InvalidResourceId, got {other:?}"),
        }
    }
    assert!(Resource::me().validate().is_ok());
    assert!(Resource::user("...").validate().is_ok());
}

#[test]
fn static_routes_are_the_templates_of_the_grammar() {
    let mut resources: Vec<Resource> = Vec::new();
    for u in [Resource::me(), Resource::user("adele@contoso.com")] {
        let list = u.todo_list("L1");
        resources.extend([
            u.clone().into(),
            u.event("e1"),
            u.message("m1"),
            u.contact("c1"),
            list.clone().into(),
            list.task("T1"),
        ]);
    }
    let g = Resource::group("g1");
    resources.extend([
        g.clone().into(),
        g.event("e1"),
        g.post("t1", "p1"),
        Resource::device("d1"),
        Resource::organization("o1"),
        Resource::administrative_unit("a1"),
    ]);
    let kinds: std::collections::HashSet<_> = resources.iter().map(Resource::kind).collect();
    assert_eq!(
        kinds.len(),
        ResourceKind::ALL.len(),
        "all twelve kinds covered"
    );
    for r in &resources {
        let t = r.template();
        assert_eq!(r.route(RouteTail::Resource), t, "{r}");
        assert_eq!(
            r.route(RouteTail::Extensions),
            format!("{t}/extensions"),
            "{r}"
        );
        assert_eq!(
            r.route(RouteTail::Extension),
            format!("{t}/extensions/{{name}}"),
            "{r}"
        );
        assert_eq!(t.matches("{id}").count(), r.ids().count(), "{r}");
    }
}
