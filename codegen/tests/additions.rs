//! Hand-written additions merged into a schema: what they add, what they
//! repeat (a notice, so it can be deleted), and what they contradict (an
//! error naming both places). Schemas the resolver refuses on their own are
//! the bad-schema suite (`bad_schemas.rs`).

use codegen::{csdl, model};

fn document(name: &str, body: &str) -> csdl::Document {
    let text = format!(
        "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\"><edmx:DataServices>\n\
         <Schema Namespace=\"microsoft.graph\" Alias=\"graph\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n\
         {body}\n</Schema></edmx:DataServices></edmx:Edmx>"
    );
    csdl::read(name, text).unwrap_or_else(|e| panic!("{e}"))
}

fn properties(ty: &model::Type) -> Vec<&str> {
    match &ty.kind {
        model::TypeKind::Structured(s) => s.properties.iter().map(|p| p.name.as_str()).collect(),
        _ => Vec::new(),
    }
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

#[test]
fn additions_to_operations_add_facets_and_refuse_contradictions() {
    let action = |file: &str, parameter: &str| {
        document(
            file,
            &format!(
                r#"<EntityType Name="p"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
<Action Name="invite" IsBound="true"><Parameter Name="bindingParameter" Type="Collection(graph.p)"/>{parameter}</Action>"#
            ),
        )
    };
    let base = action(
        "base.xml",
        r#"<Parameter Name="clientContext" Type="Edm.String"/>"#,
    );
    let limit = document(
        "add.xml",
        r#"<Action Name="invite" IsBound="true"><Parameter Name="bindingParameter" Type="Collection(microsoft.graph.p)"/><Parameter Name="clientContext" Type="Edm.String" MaxLength="256"/></Action>"#,
    );
    let (model, notices) = model::resolve(std::slice::from_ref(&base), &[limit]).unwrap();
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(
        model.operations.len(),
        1,
        "the addition extends the action, it is not a second one"
    );
    assert_eq!(
        model.operations[0].parameters[0].facets,
        [("MaxLength".to_owned(), "256".to_owned())]
    );

    let conflict = document(
        "add.xml",
        r#"<Action Name="invite" IsBound="true"><Parameter Name="bindingParameter" Type="Collection(graph.p)"/><Parameter Name="clientContext" Type="Edm.Int32"/></Action>"#,
    );
    assert_eq!(
        model::resolve(&[base], &[conflict])
            .unwrap_err()
            .to_string(),
        "add.xml:3:101: the addition to parameter `clientContext` of `microsoft.graph.invite` (Edm.Int32) contradicts the schema at base.xml:4:101 (Edm.String)"
    );
}

#[test]
fn an_addition_a_derived_type_now_declares_is_dropped_with_a_notice() {
    let base = document(
        "base.xml",
        r#"<ComplexType Name="set"/>
<ComplexType Name="derivedSet" BaseType="graph.set"><Property Name="phone" Type="Edm.String"/></ComplexType>"#,
    );
    let addition = document(
        "add.xml",
        r#"<ComplexType Name="set"><Property Name="phone" Type="Edm.String"/></ComplexType>"#,
    );
    let (model, notices) = model::resolve(&[base], &[addition]).unwrap();
    let set = model.types.iter().find(|t| t.name.name == "set").unwrap();
    assert!(properties(set).is_empty());
    assert_eq!(
        notices,
        [
            "add.xml:3:25: `microsoft.graph.set.phone` is declared by the derived type `microsoft.graph.derivedSet` at base.xml:4:53; the addition is not used, delete it"
        ]
    );
}

/// Capability restrictions from the additions fill in what the schema leaves
/// unsaid; saying it again is a notice, contradicting it an error, and naming
/// nothing a notice (the addition may be for another snapshot).
#[test]
fn addition_restrictions_fill_gaps_report_repeats_and_refuse_contradictions() {
    let schema = r#"<EntityType Name="call"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
<EntityType Name="root"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/><NavigationProperty Name="calls" Type="Collection(graph.call)" ContainsTarget="true"/></EntityType>
<EntityContainer Name="Service"><Singleton Name="root" Type="graph.root"/></EntityContainer>
<Annotations Target="graph.root/calls"><Annotation Term="Org.OData.Capabilities.V1.UpdateRestrictions"><Record><PropertyValue Property="Updatable" Bool="false"/></Record></Annotation></Annotations>"#;
    let restrict = |target: &str, term: &str, property: &str, value: bool| {
        format!(
            r#"<Annotations Target="{target}"><Annotation Term="Org.OData.Capabilities.V1.{term}"><Record><PropertyValue Property="{property}" Bool="{value}"/></Record></Annotation></Annotations>"#
        )
    };

    let additions = [
        restrict(
            "microsoft.graph.root/calls",
            "UpdateRestrictions",
            "Updatable",
            false,
        ),
        restrict(
            "microsoft.graph.Service/root/calls",
            "InsertRestrictions",
            "Insertable",
            false,
        ),
        restrict(
            "microsoft.graph.Service/root/nothing",
            "DeleteRestrictions",
            "Deletable",
            false,
        ),
    ]
    .concat();
    let (model, notices) = model::resolve(
        &[document("schema.xml", schema)],
        &[document("additions.xml", &additions)],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let container = model.container.as_ref().unwrap();
    let by_path = &container.path_restrictions["root/calls"];
    assert_eq!(by_path.statements(), [("Insertable", false)]);
    let root = model
        .structured(model.find("microsoft.graph.root").unwrap())
        .unwrap();
    assert_eq!(
        root.navigation_properties[0].restrictions.statements(),
        [("Updatable", false)]
    );
    assert_eq!(
        notices,
        [
            "additions.xml:3:1: Updatable of `microsoft.graph.root/calls` is already stated; delete it from the additions",
            "additions.xml:3:424: capability restrictions for `microsoft.graph.Service/root/nothing`, which names no path from the entity container, navigation property or structured type here; not used",
        ]
    );

    let contradiction = restrict("graph.root/calls", "UpdateRestrictions", "Updatable", true);
    let error = model::resolve(
        &[document("schema.xml", schema)],
        &[document("additions.xml", &contradiction)],
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        error,
        "additions.xml:3:1: `graph.root/calls`: the addition says Updatable is true, but it is already false"
    );
}

/// An addition to a declared type states restrictions out of line (two
/// annotations of the schema that disagree are the bad schema
/// `conflicting_restrictions.xml`).
#[test]
fn inline_restrictions_in_an_addition_are_refused() {
    let root = r#"<EntityType Name="root"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>"#;
    let inline = r#"<EntityType Name="root"><Annotation Term="Org.OData.Capabilities.V1.DeleteRestrictions"><Record><PropertyValue Property="Deletable" Bool="false"/></Record></Annotation></EntityType>"#;
    let error = model::resolve(
        &[document("schema.xml", root)],
        &[document("additions.xml", inline)],
    )
    .unwrap_err()
    .to_string();
    assert_eq!(
        error,
        "additions.xml:3:1: capability restrictions added to `microsoft.graph.root`, which the schema declares, go in an out-of-line <Annotations Target=\"...\">"
    );
}
