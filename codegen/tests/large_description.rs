//! A 1 MB description is legal CSDL: it is carried into the docs whole, line
//! for line, escaped so that nothing in it can end the doc comment or turn
//! into markup, and the crate is still generated (and parsed by syn).

use codegen::emit::{CrateOptions, crate_files};

/// One line of the description: markup, a doc-comment terminator, quotes,
/// backslashes, raw-string fences and XML specials, numbered so each is found.
fn line(n: usize) -> String {
    format!("line {n:05}: */ \"# r#\" \\ `code` [link] *bold* _x_ <b>&amp; ]]> #[doc]")
}

#[test]
fn a_one_megabyte_description_is_documented_whole() {
    let lines: Vec<String> = (0..16_000).map(line).collect();
    let description = lines.join("\n");
    assert!(description.len() >= 1 << 20, "{} bytes", description.len());
    let attribute = description
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\n', "&#10;");
    let xml = format!(
        r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="ns" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<ComplexType Name="big"><Annotation Term="Org.OData.Core.V1.LongDescription" String="{attribute}"/>
<Property Name="x" Type="Edm.String"/></ComplexType>
</Schema></edmx:DataServices></edmx:Edmx>"#
    );
    let document = codegen::csdl::read("big.xml", xml).unwrap_or_else(|e| panic!("{e}"));
    let (model, _) = codegen::model::resolve(&[document], &[]).unwrap_or_else(|e| panic!("{e}"));
    let options = CrateOptions {
        name: "big".to_owned(),
        area_features: false,
        inputs: vec!["big.xml".to_owned()],
    };
    let files = crate_files(&model, &options).unwrap_or_else(|e| panic!("{e}"));
    let module = files
        .iter()
        .find(|f| f.path == "src/ns.rs")
        .expect("the ns module");
    let documented: Vec<&str> = module
        .contents
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("/// line "))
        .collect();
    assert_eq!(documented.len(), lines.len());
    assert_eq!(
        documented[15_999],
        r#"15999: \*/ "\# r\#" \\ \`code\` \[link\] \*bold\* \_x\_ &lt;b&gt;&amp;amp; \]\]&gt; \#\[doc\]"#
    );
}
