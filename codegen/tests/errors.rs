//! Schemas the resolver must refuse, each with one message that names the
//! place (file:line:column) and the problem.

use codegen::{csdl, model};

fn document(name: &str, body: &str) -> csdl::Document {
    let text = format!(
        "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\"><edmx:DataServices>\n\
         <Schema Namespace=\"microsoft.graph\" Alias=\"graph\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n\
         {body}\n</Schema></edmx:DataServices></edmx:Edmx>"
    );
    csdl::read(name, text).unwrap_or_else(|e| panic!("{e}"))
}

fn resolve_error(body: &str) -> String {
    match model::resolve(&[document("bad.xml", body)], &[]) {
        Ok(_) => panic!("resolved without error:\n{body}"),
        Err(e) => e.to_string(),
    }
}

fn properties(ty: &model::Type) -> Vec<&str> {
    match &ty.kind {
        model::TypeKind::Structured(s) => s.properties.iter().map(|p| p.name.as_str()).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn unknown_type() {
    assert_eq!(
        resolve_error(
            r#"<ComplexType Name="a"><Property Name="b" Type="graph.nothing"/></ComplexType>"#
        ),
        "bad.xml:3:23: unknown type `graph.nothing`"
    );
}

#[test]
fn unknown_primitive() {
    assert_eq!(
        resolve_error(
            r#"<ComplexType Name="a"><Property Name="b" Type="Edm.Strin"/></ComplexType>"#
        ),
        "bad.xml:3:23: unknown primitive type `Edm.Strin`"
    );
}

#[test]
fn alias_that_points_nowhere() {
    assert_eq!(
        resolve_error(
            r#"<ComplexType Name="a"><Property Name="b" Type="nowhere.b"/></ComplexType>"#
        ),
        "bad.xml:3:23: `nowhere.b`: no namespace or alias `nowhere`"
    );
}

#[test]
fn base_type_cycle() {
    assert_eq!(
        resolve_error(
            r#"<ComplexType Name="a" BaseType="graph.b"/>
<ComplexType Name="b" BaseType="graph.a"/>"#
        ),
        "bad.xml:3:1: base type cycle: microsoft.graph.a -> microsoft.graph.b -> microsoft.graph.a"
    );
}

#[test]
fn entity_deriving_from_complex_type() {
    assert_eq!(
        resolve_error(
            r#"<ComplexType Name="a"/>
<EntityType Name="b" BaseType="graph.a"/>"#
        ),
        "bad.xml:4:1: `microsoft.graph.b` is an entity type but its base type `graph.a` is not"
    );
}

#[test]
fn duplicate_type() {
    assert_eq!(
        resolve_error(
            r#"<ComplexType Name="a"/>
<EnumType Name="a"><Member Name="x"/></EnumType>"#
        ),
        "bad.xml:4:1: type `microsoft.graph.a` is declared twice (first at bad.xml:3:1)"
    );
}

#[test]
fn duplicate_property_through_inheritance() {
    assert_eq!(
        resolve_error(
            r#"<ComplexType Name="a"><Property Name="x" Type="Edm.String"/></ComplexType>
<ComplexType Name="b" BaseType="graph.a"><Property Name="x" Type="Edm.Int32"/></ComplexType>"#
        ),
        "bad.xml:4:42: property `x` of `microsoft.graph.b` is declared twice (first at bad.xml:3:23)"
    );
}

#[test]
fn collection_of_collections() {
    assert_eq!(
        resolve_error(
            r#"<ComplexType Name="a"><Property Name="x" Type="Collection(Collection(Edm.String))"/></ComplexType>"#
        ),
        "bad.xml:3:23: `Collection(Collection(Edm.String))`: a collection of collections is not allowed in CSDL"
    );
}

#[test]
fn empty_enum() {
    assert_eq!(
        resolve_error(r#"<EnumType Name="e"/>"#),
        "bad.xml:3:1: enum type `microsoft.graph.e` has no members"
    );
}

#[test]
fn invalid_identifier() {
    assert_eq!(
        resolve_error(r#"<ComplexType Name="a-b"/>"#),
        "bad.xml:3:1: `a-b` is not a valid CSDL identifier"
    );
}

#[test]
fn additions_extend_report_and_conflict() {
    let base = document(
        "base.xml",
        r#"<ComplexType Name="a"><Property Name="x" Type="Edm.String"/></ComplexType>"#,
    );
    let redundant = document(
        "add.xml",
        r#"<ComplexType Name="a"><Property Name="x" Type="Edm.String"/><Property Name="y" Type="Edm.Int32"/></ComplexType>"#,
    );
    let (model, notices) = model::resolve(std::slice::from_ref(&base), &[redundant]).unwrap();
    assert_eq!(properties(&model.types[0]), ["x", "y"]);
    assert_eq!(
        notices,
        [
            "add.xml:3:23: `microsoft.graph.a.x` is already in the schema at base.xml:3:23; delete this addition"
        ]
    );

    let conflict = document(
        "add.xml",
        r#"<ComplexType Name="a"><Property Name="x" Type="Edm.Int32"/></ComplexType>"#,
    );
    assert_eq!(
        model::resolve(&[base], &[conflict])
            .unwrap_err()
            .to_string(),
        "add.xml:3:23: the addition `microsoft.graph.a.x` (Edm.Int32, nullable true) contradicts the schema at base.xml:3:23 (Edm.String, nullable true)"
    );
}
