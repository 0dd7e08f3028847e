//! Writes a model back as CSDL: the `schemas/` slice that maintainers review.
//!
//! The output is normalized so that a diff shows only what changed in the
//! schema: full namespace names instead of aliases, every list sorted, one
//! element per line, and no description prose (facts only).

use std::fmt::Write;

use crate::capabilities::{Restrictions, Statement, VOCABULARY};
use crate::model::{Model, Parameter, TypeId, TypeKind, TypeRef};
use crate::model::{OperationKind, StructuredKind};

/// The CSDL text of `model`, with `comment` (where it came from) at the top.
pub fn write(model: &Model, comment: &str) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(out, "<!-- {} -->", comment.replace("--", "- -"));
    out.push_str(
        "<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n",
    );
    out.push_str("  <edmx:DataServices>\n");
    for namespace in &model.namespaces {
        let alias = namespace
            .alias
            .as_ref()
            .map(|a| format!(" Alias=\"{}\"", escape(a)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    <Schema Namespace=\"{}\"{alias} xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">",
            escape(&namespace.name)
        );
        let in_namespace: Vec<TypeId> = (0..model.types.len())
            .map(TypeId)
            .filter(|id| model.ty(*id).name.namespace == namespace.name)
            .collect();
        for id in &in_namespace {
            if let TypeKind::Enum(_) | TypeKind::Definition { .. } = model.ty(*id).kind {
                write_type(&mut out, model, *id);
            }
        }
        for kind in [StructuredKind::Complex, StructuredKind::Entity] {
            for id in in_namespace
                .iter()
                .filter(|id| model.structured(**id).is_some_and(|s| s.kind == kind))
            {
                write_type(&mut out, model, *id);
            }
        }
        for op in model
            .operations
            .iter()
            .filter(|op| op.name.namespace == namespace.name)
        {
            let tag = match op.kind {
                OperationKind::Action => "Action",
                OperationKind::Function => "Function",
            };
            let mut attributes = format!("Name=\"{}\"", escape(&op.name.name));
            if op.binding.is_some() {
                attributes.push_str(" IsBound=\"true\"");
            }
            if op.is_composable {
                attributes.push_str(" IsComposable=\"true\"");
            }
            if let Some(path) = &op.entity_set_path {
                let _ = write!(attributes, " EntitySetPath=\"{}\"", escape(path));
            }
            let _ = writeln!(out, "      <{tag} {attributes}>");
            for parameter in op.binding.iter().chain(&op.parameters) {
                write_parameter(&mut out, model, parameter);
            }
            if let Some(r) = &op.return_type {
                let nullable = if r.nullable {
                    ""
                } else {
                    " Nullable=\"false\""
                };
                let _ = writeln!(
                    out,
                    "        <ReturnType Type=\"{}\"{nullable}{} />",
                    type_ref(model, r.ty),
                    facets(&r.facets)
                );
            }
            let _ = writeln!(out, "      </{tag}>");
        }
        if let Some(container) = model
            .container
            .as_ref()
            .filter(|c| c.name.namespace == namespace.name)
        {
            let _ = writeln!(
                out,
                "      <EntityContainer Name=\"{}\">",
                escape(&container.name.name)
            );
            for (tag, type_attribute, entries) in [
                ("EntitySet", "EntityType", &container.entity_sets),
                ("Singleton", "Type", &container.singletons),
            ] {
                for entry in entries {
                    let _ = writeln!(
                        out,
                        "        <{tag} Name=\"{}\" {type_attribute}=\"{}\" />",
                        escape(&entry.name),
                        escape(&model.ty(entry.ty).name.to_string())
                    );
                }
            }
            out.push_str("      </EntityContainer>\n");
        }
        for id in &in_namespace {
            let Some(s) = model.structured(*id) else {
                continue;
            };
            let name = model.ty(*id).name.to_string();
            write_restrictions(&mut out, &name, &s.restrictions);
            for n in &s.navigation_properties {
                write_restrictions(&mut out, &format!("{name}/{}", n.name), &n.restrictions);
            }
        }
        if let Some(container) = model
            .container
            .as_ref()
            .filter(|c| c.name.namespace == namespace.name)
        {
            for (path, restrictions) in &container.path_restrictions {
                let target = format!("{}/{path}", container.name);
                write_restrictions(&mut out, &target, restrictions);
            }
        }
        out.push_str("    </Schema>\n");
    }
    out.push_str("  </edmx:DataServices>\n</edmx:Edmx>\n");
    out
}

fn write_type(out: &mut String, model: &Model, id: TypeId) {
    let ty = model.ty(id);
    let name = escape(&ty.name.name);
    match &ty.kind {
        TypeKind::Definition {
            underlying,
            facets: f,
        } => {
            let _ = writeln!(
                out,
                "      <TypeDefinition Name=\"{name}\" UnderlyingType=\"{}\"{} />",
                underlying.edm_name(),
                facets(f)
            );
        }
        TypeKind::Enum(e) => {
            let mut attributes = String::new();
            if let Some(underlying) = &e.underlying {
                let _ = write!(attributes, " UnderlyingType=\"{}\"", escape(underlying));
            }
            if e.is_flags {
                attributes.push_str(" IsFlags=\"true\"");
            }
            let _ = writeln!(out, "      <EnumType Name=\"{name}\"{attributes}>");
            for m in &e.members {
                let _ = writeln!(
                    out,
                    "        <Member Name=\"{}\" Value=\"{}\" />",
                    escape(&m.name),
                    m.value
                );
            }
            out.push_str("      </EnumType>\n");
        }
        TypeKind::Structured(s) => {
            let tag = match s.kind {
                StructuredKind::Entity => "EntityType",
                StructuredKind::Complex => "ComplexType",
            };
            let mut attributes = String::new();
            if let Some(base) = s.base {
                let _ = write!(
                    attributes,
                    " BaseType=\"{}\"",
                    escape(&model.ty(base).name.to_string())
                );
            }
            for (flag, set) in [
                ("Abstract", s.is_abstract),
                ("OpenType", s.is_open),
                ("HasStream", s.has_stream),
            ] {
                if set {
                    let _ = write!(attributes, " {flag}=\"true\"");
                }
            }
            if s.key.is_empty() && s.properties.is_empty() && s.navigation_properties.is_empty() {
                let _ = writeln!(out, "      <{tag} Name=\"{name}\"{attributes} />");
                return;
            }
            let _ = writeln!(out, "      <{tag} Name=\"{name}\"{attributes}>");
            if !s.key.is_empty() {
                out.push_str("        <Key>\n");
                for key in &s.key {
                    let _ = writeln!(out, "          <PropertyRef Name=\"{}\" />", escape(key));
                }
                out.push_str("        </Key>\n");
            }
            for p in &s.properties {
                let nullable = if p.nullable {
                    ""
                } else {
                    " Nullable=\"false\""
                };
                let _ = writeln!(
                    out,
                    "        <Property Name=\"{}\" Type=\"{}\"{nullable}{} />",
                    escape(&p.name),
                    type_ref(model, p.ty),
                    facets(&p.facets)
                );
            }
            for n in &s.navigation_properties {
                let nullable = if n.nullable {
                    ""
                } else {
                    " Nullable=\"false\""
                };
                let contains = if n.contains_target {
                    " ContainsTarget=\"true\""
                } else {
                    ""
                };
                let partner = n
                    .partner
                    .as_ref()
                    .map(|p| format!(" Partner=\"{}\"", escape(p)))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "        <NavigationProperty Name=\"{}\" Type=\"{}\"{nullable}{partner}{contains} />",
                    escape(&n.name),
                    type_ref(model, n.ty)
                );
            }
            let _ = writeln!(out, "      </{tag}>");
        }
    }
}

/// `<Annotations Target="...">` with the capability restrictions of `target`,
/// one term each, as Microsoft's metadata writes them.
fn write_restrictions(out: &mut String, target: &str, r: &Restrictions) {
    if r.is_empty() {
        return;
    }
    let _ = writeln!(out, "      <Annotations Target=\"{}\">", escape(target));
    // The terms in the order their statements come, each with what it
    // states: properties of its record, or (an empty path) its own value.
    let mut terms: Vec<(&str, Vec<String>)> = Vec::new();
    for statement in Statement::ALL {
        let Some(value) = r[statement] else {
            continue;
        };
        if statement.path().is_empty() {
            let term = statement.term();
            let _ = writeln!(
                out,
                "        <Annotation Term=\"{VOCABULARY}.{term}\" Bool=\"{value}\" />"
            );
            continue;
        }
        let term = statement.term();
        if terms.last().is_none_or(|(last, _)| *last != term) {
            terms.push((term, Vec::new()));
        }
        let values = &mut terms.last_mut().expect("pushed above").1;
        values.push(statement.property_value(value));
    }
    for (term, values) in terms {
        let _ = writeln!(out, "        <Annotation Term=\"{VOCABULARY}.{term}\">");
        out.push_str("          <Record>\n");
        for value in values {
            let _ = writeln!(out, "            {value}");
        }
        out.push_str("          </Record>\n");
        out.push_str("        </Annotation>\n");
    }
    out.push_str("      </Annotations>\n");
}

fn write_parameter(out: &mut String, model: &Model, p: &Parameter) {
    let nullable = if p.nullable {
        ""
    } else {
        " Nullable=\"false\""
    };
    let head = format!(
        "<Parameter Name=\"{}\" Type=\"{}\"{nullable}{}",
        escape(&p.name),
        type_ref(model, p.ty),
        facets(&p.facets)
    );
    if p.optional {
        let _ = writeln!(out, "        {head}>");
        out.push_str("          <Annotation Term=\"Org.OData.Core.V1.OptionalParameter\" />\n");
        out.push_str("        </Parameter>\n");
    } else {
        let _ = writeln!(out, "        {head} />");
    }
}

fn type_ref(model: &Model, ty: TypeRef) -> String {
    let name = match ty.target {
        crate::model::Target::Primitive(p) => p.edm_name(),
        crate::model::Target::Type(id) => model.ty(id).name.to_string(),
    };
    escape(&if ty.collection {
        format!("Collection({name})")
    } else {
        name
    })
}

fn facets(facets: &[(String, String)]) -> String {
    facets
        .iter()
        .map(|(name, value)| format!(" {name}=\"{}\"", escape(value)))
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::slice::{Roots, slice};

    fn resolve(name: &str, text: String) -> Model {
        let document = crate::csdl::read(name, text).unwrap();
        crate::model::resolve(&[document], &[]).unwrap().0
    }

    /// What the writer writes reads back as the same model: written again,
    /// the same text, for every fixture (restrictions of every kind included).
    #[test]
    fn every_fixture_round_trips() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let once = write(&resolve("fixture.xml", text), "once");
            let twice = write(&resolve("written.xml", once.clone()), "once");
            assert_eq!(once, twice, "{}", path.display());
        }
        let mut written = String::new();
        for fixture in ["capabilities.xml", "query_options.xml"] {
            let text = std::fs::read_to_string(dir.join(fixture)).unwrap();
            written.push_str(&write(&resolve(fixture, text), ""));
        }
        for statement in Statement::ALL {
            let stated = match statement.path().first() {
                Some(property) => format!("Property=\"{property}\""),
                None => format!("{}\" Bool=", statement.term()),
            };
            assert!(
                written.contains(&stated),
                "{} is not written:\n{written}",
                statement.name()
            );
        }
    }

    /// The committed slices are exactly what the writer makes of them.
    #[test]
    fn committed_slices_are_what_the_writer_writes() {
        let project = crate::Project::this_repository();
        for version in crate::API_VERSIONS {
            let path = project.slice_path(version);
            let text = std::fs::read_to_string(&path).unwrap();
            let comment = text
                .lines()
                .nth(1)
                .and_then(|l| l.strip_prefix("<!-- "))
                .and_then(|l| l.strip_suffix(" -->"))
                .unwrap()
                .to_owned();
            let model = slice(
                &resolve("slice.xml", text.clone()),
                &Roots::communications(),
            )
            .unwrap();
            assert!(
                write(&model, &comment) == text,
                "{} differs",
                path.display()
            );
        }
    }
}
