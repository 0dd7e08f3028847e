//! One snapshot per fixture: the notes the generator prints, then every
//! generated file but the support module, which is the same for every schema.

mod common;

fn snapshot(name: &str) {
    let (files, notices) =
        common::generate(name).unwrap_or_else(|e| panic!("fixture `{name}`: {e}"));
    let notes = notices.iter().map(|n| format!("// note: {n}\n"));
    let text: String = notes
        .chain(
            files
                .iter()
                .filter(|file| !file.path.starts_with("src/support/"))
                .map(|file| format!("// ---- {} ----\n{}", file.path, file.contents)),
        )
        .collect();
    insta::assert_snapshot!(name, text);
}

macro_rules! fixtures {
    ($($name:ident)*) => {
        const FIXTURES: &[&str] = &[$(stringify!($name)),*];
        $(#[test] fn $name() { snapshot(stringify!($name)); })*
    };
}

fixtures! {
    abstract_base
    action_and_function_same_name
    areas
    capabilities
    case_collision
    deep_containment
    descriptions
    empty_enum
    flags_enum
    hyphenated_names
    inheritance
    keyword_names
    nullable_collection
    open_type
    polymorphic_property
    primitives
    query_options
    recursive
    second_namespace
    std_shadowing
}

#[test]
fn every_fixture_has_a_snapshot_test() {
    assert_eq!(common::fixture_names(), FIXTURES);
}
