//! What changed between two models, and whether each change breaks Rust code
//! that depends on the generated crate: the maintainers' review of a new beta.
//!
//! "Breaking" is judged against what the generator emits: structs derive
//! `Default` and every property is a `Field`, so adding a property or changing
//! its nullability breaks nobody; enums are `#[non_exhaustive]`, so a new
//! member or a new derived type does not either. Removing or retyping
//! anything does, and so does a type gaining its first derived type (its
//! properties turn from `X` into `AnyX`).

use std::collections::BTreeMap;
use std::fmt::{self, Write};

use crate::api_plan::{ApiPlan, Templates};
use crate::model::{Model, Operation, Parameter, Restrictions, Target, TypeId, TypeKind, TypeRef};
use crate::names::Names;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One change, filed under the type or operation it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// The qualified type name, or `operation name(binding)`.
    pub subject: String,
    pub kind: ChangeKind,
    /// What changed, e.g. `property `phone`: microsoft.graph.identity`.
    pub what: String,
    pub breaking: bool,
}

/// Every change between two models, sorted by subject.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub changes: Vec<Change>,
}

impl Report {
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking).count()
    }

    /// The report as JSON, for tools.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\n  \"changes\": [");
        for (i, change) in self.changes.iter().enumerate() {
            let kind = match change.kind {
                ChangeKind::Added => "added",
                ChangeKind::Removed => "removed",
                ChangeKind::Changed => "changed",
            };
            let _ = write!(
                out,
                "{}\n    {{\"subject\": {}, \"kind\": \"{kind}\", \"what\": {}, \"breaking\": {}}}",
                if i == 0 { "" } else { "," },
                json_string(&change.subject),
                json_string(&change.what),
                change.breaking
            );
        }
        let _ = write!(
            out,
            "\n  ],\n  \"total\": {},\n  \"breaking\": {}\n}}\n",
            self.changes.len(),
            self.breaking()
        );
        out
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.changes.is_empty() {
            return writeln!(f, "no changes");
        }
        let mut subject = "";
        for change in &self.changes {
            if change.subject != subject {
                subject = &change.subject;
                writeln!(f, "{subject}")?;
            }
            let sign = match change.kind {
                ChangeKind::Added => '+',
                ChangeKind::Removed => '-',
                ChangeKind::Changed => '~',
            };
            let breaking = if change.breaking { "  [breaking]" } else { "" };
            writeln!(f, "  {sign} {}{breaking}", change.what)?;
        }
        writeln!(
            f,
            "{} changes, {} breaking",
            self.changes.len(),
            self.breaking()
        )
    }
}

fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The changes from `old` to `new`.
pub fn diff(old: &Model, new: &Model) -> Report {
    let mut changes = Vec::new();
    let old_types: BTreeMap<String, TypeId> = index(old);
    let new_types: BTreeMap<String, TypeId> = index(new);
    for (name, old_id) in &old_types {
        let mut push = |kind, what: String, breaking| {
            changes.push(Change {
                subject: name.clone(),
                kind,
                what,
                breaking,
            });
        };
        match new_types.get(name) {
            None => push(
                ChangeKind::Removed,
                format!("type ({})", kind_name(old, *old_id)),
                true,
            ),
            Some(new_id) => type_changes(old, *old_id, new, *new_id, &mut push),
        }
    }
    for (name, new_id) in &new_types {
        if !old_types.contains_key(name) {
            changes.push(Change {
                subject: name.clone(),
                kind: ChangeKind::Added,
                what: format!("type ({})", kind_name(new, *new_id)),
                breaking: false,
            });
        }
    }
    operation_changes(old, new, &mut changes);
    request_changes(old, new, &mut changes);
    let paths = |model: &Model| {
        model
            .container
            .as_ref()
            .map(|c| c.path_restrictions.clone())
            .unwrap_or_default()
    };
    let (old_paths, new_paths) = (paths(old), paths(new));
    let all_paths: std::collections::BTreeSet<&String> =
        old_paths.keys().chain(new_paths.keys()).collect();
    for path in all_paths {
        let mut push = |kind, what: String, breaking| {
            changes.push(Change {
                subject: format!("/{path}"),
                kind,
                what,
                breaking,
            });
        };
        let get = |map: &BTreeMap<String, Restrictions>| map.get(path).copied().unwrap_or_default();
        restriction_changes("", get(&old_paths), get(&new_paths), &mut push);
    }
    changes.sort();
    Report { changes }
}

fn index(model: &Model) -> BTreeMap<String, TypeId> {
    (0..model.types.len())
        .map(|i| (model.types[i].name.to_string(), TypeId(i)))
        .collect()
}

fn kind_name(model: &Model, id: TypeId) -> &'static str {
    match &model.ty(id).kind {
        TypeKind::Structured(s) if s.kind == crate::model::StructuredKind::Entity => "entity type",
        TypeKind::Structured(_) => "complex type",
        TypeKind::Enum(_) => "enum type",
        TypeKind::Definition { .. } => "type definition",
    }
}

/// `Collection(microsoft.graph.x)`, the way both models can be compared.
fn type_name(model: &Model, ty: TypeRef) -> String {
    let name = match ty.target {
        Target::Primitive(p) => p.edm_name(),
        Target::Type(id) => model.ty(id).name.to_string(),
    };
    if ty.collection {
        format!("Collection({name})")
    } else {
        name
    }
}

fn type_changes(
    old: &Model,
    old_id: TypeId,
    new: &Model,
    new_id: TypeId,
    push: &mut impl FnMut(ChangeKind, String, bool),
) {
    let (old_kind, new_kind) = (kind_name(old, old_id), kind_name(new, new_id));
    if old_kind != new_kind {
        push(
            ChangeKind::Changed,
            format!("kind: {old_kind} -> {new_kind}"),
            true,
        );
        return;
    }
    match (&old.ty(old_id).kind, &new.ty(new_id).kind) {
        (TypeKind::Structured(a), TypeKind::Structured(b)) => {
            let base =
                |model: &Model, base: Option<TypeId>| base.map(|id| model.ty(id).name.to_string());
            let (old_base, new_base) = (base(old, a.base), base(new, b.base));
            if old_base != new_base {
                let show = |b: &Option<String>| b.clone().unwrap_or_else(|| "none".to_owned());
                push(
                    ChangeKind::Changed,
                    format!("base type: {} -> {}", show(&old_base), show(&new_base)),
                    true,
                );
            }
            for (flag, was, is) in [
                ("abstract", a.is_abstract, b.is_abstract),
                ("open", a.is_open, b.is_open),
            ] {
                if was != is {
                    push(ChangeKind::Changed, format!("{flag}: {was} -> {is}"), false);
                }
            }
            if a.derived.is_empty() && !b.derived.is_empty() {
                push(
                    ChangeKind::Changed,
                    "gains derived types: values of it become an `Any...` enum".to_owned(),
                    true,
                );
            } else if !a.derived.is_empty() && b.derived.is_empty() {
                push(
                    ChangeKind::Changed,
                    "loses its derived types: the `Any...` enum goes away".to_owned(),
                    true,
                );
            }
            let members = |model: &Model,
                           list: Vec<(String, TypeRef, bool)>|
             -> BTreeMap<String, (String, bool)> {
                list.into_iter()
                    .map(|(name, ty, nullable)| (name, (type_name(model, ty), nullable)))
                    .collect()
            };
            let properties = |model: &Model, s: &crate::model::Structured| {
                let mut list: Vec<(String, TypeRef, bool)> = s
                    .properties
                    .iter()
                    .map(|p| (format!("property `{}`", p.name), p.ty, p.nullable))
                    .collect();
                list.extend(s.navigation_properties.iter().map(|n| {
                    (
                        format!("navigation property `{}`", n.name),
                        n.ty,
                        n.nullable,
                    )
                }));
                members(model, list)
            };
            compare_members(&properties(old, a), &properties(new, b), push);
            restriction_changes("", a.restrictions, b.restrictions, push);
            for n in &b.navigation_properties {
                if let Some(was) = a.navigation_properties.iter().find(|o| o.name == n.name) {
                    let subject = format!("navigation property `{}`: ", n.name);
                    restriction_changes(&subject, was.restrictions, n.restrictions, push);
                }
            }
        }
        (TypeKind::Enum(a), TypeKind::Enum(b)) => {
            if a.is_flags != b.is_flags {
                push(
                    ChangeKind::Changed,
                    format!("flags: {} -> {}", a.is_flags, b.is_flags),
                    true,
                );
            }
            let values = |e: &crate::model::Enum| -> BTreeMap<String, i64> {
                e.members
                    .iter()
                    .map(|m| (m.name.clone(), m.value))
                    .collect()
            };
            let (before, after) = (values(a), values(b));
            for (name, value) in &before {
                match after.get(name) {
                    None => push(ChangeKind::Removed, format!("member `{name}`"), true),
                    Some(v) if v != value => push(
                        ChangeKind::Changed,
                        format!("member `{name}`: value {value} -> {v}"),
                        false,
                    ),
                    Some(_) => {}
                }
            }
            for (name, value) in &after {
                if !before.contains_key(name) {
                    push(
                        ChangeKind::Added,
                        format!("member `{name}` = {value}"),
                        false,
                    );
                }
            }
        }
        (
            TypeKind::Definition { underlying: a, .. },
            TypeKind::Definition { underlying: b, .. },
        ) if a != b => {
            push(
                ChangeKind::Changed,
                format!("underlying type: {} -> {}", a.edm_name(), b.edm_name()),
                true,
            );
        }
        _ => {}
    }
}

/// Capability restrictions that changed, as stated; whether they break
/// anything is judged by [`request_changes`], from what they amount to.
fn restriction_changes(
    prefix: &str,
    old: Restrictions,
    new: Restrictions,
    push: &mut impl FnMut(ChangeKind, String, bool),
) {
    let show = |value: Option<bool>| value.map_or("unstated".to_owned(), |v| v.to_string());
    for ((name, was), (_, is)) in old.all().into_iter().zip(new.all()) {
        if was != is {
            push(
                ChangeKind::Changed,
                format!("{prefix}capability {name}: {} -> {}", show(was), show(is)),
                false,
            );
        }
    }
}

/// The entity requests offered at each URL template, in either model (a
/// template only one has offers nothing in the other). A request no longer
/// offered is a method `generated::api` no longer has, and PATCH turned PUT
/// replaces what it used to merge: both break.
fn request_changes(old: &Model, new: &Model, changes: &mut Vec<Change>) {
    let plan = |model: &Model| {
        let names = Names::new(model, None);
        ApiPlan::new(model, &names, Templates::All)
    };
    let (old_plan, new_plan) = (plan(old), plan(new));
    let (before, after) = (offered(&old_plan), offered(&new_plan));
    let templates: std::collections::BTreeSet<&str> =
        before.keys().chain(after.keys()).copied().collect();
    for template in templates {
        let (was, is) = (
            before.get(template).map_or(&[][..], Vec::as_slice),
            after.get(template).map_or(&[][..], Vec::as_slice),
        );
        let mut push = |kind, what: String, breaking| {
            changes.push(Change {
                subject: template.to_string(),
                kind,
                what,
                breaking,
            });
        };
        // The options of a read that comes or goes come and go with it.
        let reads = |list: &[String]| list.iter().any(|m| m == "GET");
        let (read_was, read_is) = (reads(was), reads(is));
        let option_of_read = |m: &String| m.starts_with("GET $");
        let what = |m: &String| if option_of_read(m) { "query option" } else { "request" };
        for method in was
            .iter()
            .filter(|m| !is.contains(m))
            .filter(|m| read_is || !option_of_read(m))
        {
            let replaced =
                (method == "PATCH" && is.iter().any(|m| m == "PUT")).then_some(" (now PUT)");
            push(
                ChangeKind::Removed,
                format!("{} `{method}`{}", what(method), replaced.unwrap_or_default()),
                true,
            );
        }
        for method in is
            .iter()
            .filter(|m| !was.contains(m))
            .filter(|m| read_was || !option_of_read(m))
        {
            push(ChangeKind::Added, format!("{} `{method}`", what(method)), false);
        }
    }
}

/// What a plan offers at each URL template; nothing without a plan.
fn offered(plan: &Option<ApiPlan>) -> BTreeMap<&str, Vec<String>> {
    plan.as_ref()
        .map(ApiPlan::offered_requests)
        .unwrap_or_default()
}

/// Compares named members (properties, parameters) given as name -> (type, nullable).
fn compare_members(
    before: &BTreeMap<String, (String, bool)>,
    after: &BTreeMap<String, (String, bool)>,
    push: &mut impl FnMut(ChangeKind, String, bool),
) {
    for (name, (ty, nullable)) in before {
        match after.get(name) {
            None => push(ChangeKind::Removed, format!("{name}: {ty}"), true),
            Some((new_ty, _)) if new_ty != ty => push(
                ChangeKind::Changed,
                format!("{name}: {ty} -> {new_ty}"),
                true,
            ),
            Some((_, new_nullable)) if new_nullable != nullable => push(
                ChangeKind::Changed,
                format!("{name}: nullable {nullable} -> {new_nullable}"),
                false,
            ),
            Some(_) => {}
        }
    }
    for (name, (ty, nullable)) in after {
        if !before.contains_key(name) {
            let nullable = if *nullable { "" } else { ", not nullable" };
            push(ChangeKind::Added, format!("{name}: {ty}{nullable}"), false);
        }
    }
}

fn operation_key(model: &Model, op: &Operation) -> String {
    let binding = op
        .binding
        .as_ref()
        .map(|b| type_name(model, b.ty))
        .unwrap_or_default();
    format!("{}({binding})", op.name)
}

fn operations_by_key(model: &Model) -> BTreeMap<String, &Operation> {
    model
        .operations
        .iter()
        .map(|op| (operation_key(model, op), op))
        .collect()
}

fn operation_changes(old: &Model, new: &Model, changes: &mut Vec<Change>) {
    let (before, after) = (operations_by_key(old), operations_by_key(new));
    let kind = |op: &Operation| match op.kind {
        crate::model::OperationKind::Action => "action",
        crate::model::OperationKind::Function => "function",
    };
    for (key, op) in &before {
        let mut push = |kind, what: String, breaking| {
            changes.push(Change {
                subject: key.clone(),
                kind,
                what,
                breaking,
            })
        };
        let Some(new_op) = after.get(key) else {
            push(ChangeKind::Removed, kind(op).to_owned(), true);
            continue;
        };
        // An action is POSTed, a function called with GET: the Rust method changes.
        if op.kind != new_op.kind {
            push(
                ChangeKind::Changed,
                format!("{} -> {}", kind(op), kind(new_op)),
                true,
            );
        }
        let returns =
            |model: &Model, op: &Operation| op.return_type.as_ref().map(|r| type_name(model, r.ty));
        let (old_return, new_return) = (returns(old, op), returns(new, new_op));
        if old_return != new_return {
            let show = |r: &Option<String>| r.clone().unwrap_or_else(|| "nothing".to_owned());
            push(
                ChangeKind::Changed,
                format!("returns: {} -> {}", show(&old_return), show(&new_return)),
                true,
            );
        }
        let parameters = |model: &Model, list: &[Parameter]| -> BTreeMap<String, (String, bool)> {
            list.iter()
                .map(|p| {
                    (
                        format!("parameter `{}`", p.name),
                        (type_name(model, p.ty), p.nullable),
                    )
                })
                .collect()
        };
        // A new required parameter changes the parameters' `new` signature.
        let mut added_required = Vec::new();
        for p in &new_op.parameters {
            if !p.nullable && !p.optional && !op.parameters.iter().any(|q| q.name == p.name) {
                added_required.push(format!("parameter `{}`", p.name));
            }
        }
        compare_members(
            &parameters(old, &op.parameters),
            &parameters(new, &new_op.parameters),
            &mut |kind, what: String, breaking| {
                let breaking = breaking
                    || added_required
                        .iter()
                        .any(|name| what.starts_with(name.as_str()));
                push(kind, what, breaking);
            },
        );
        // Required parameters are the arguments of the parameters' `new`, so
        // one that becomes required or optional changes its signature.
        let required = |p: &Parameter| !p.nullable && !p.optional;
        for p in &op.parameters {
            if let Some(q) = new_op.parameters.iter().find(|q| q.name == p.name)
                && required(p) != required(q)
            {
                let show = |r: bool| if r { "required" } else { "optional" };
                push(
                    ChangeKind::Changed,
                    format!(
                        "parameter `{}`: {} -> {}",
                        p.name,
                        show(required(p)),
                        show(required(q))
                    ),
                    true,
                );
            }
        }
    }
    for (key, op) in &after {
        if !before.contains_key(key) {
            changes.push(Change {
                subject: key.clone(),
                kind: ChangeKind::Added,
                what: kind(op).to_owned(),
                breaking: false,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A model of one bound operation `go(ns.call)`, an `Action` or a `Function`.
    fn with_operation(kind: &str) -> Model {
        model(&format!(
            r#"<{kind} Name="go" IsBound="true"><Parameter Name="bindingParameter" Type="ns.call"/></{kind}>"#
        ))
    }

    #[test]
    fn a_parameter_becoming_required_and_an_action_becoming_a_function_break() {
        let parameter = |nullable: &str| {
            model(&format!(
                r#"<Action Name="go" IsBound="true"><Parameter Name="bindingParameter" Type="ns.call"/><Parameter Name="how" Type="Edm.String" Nullable="{nullable}"/></Action>"#
            ))
        };
        let report = diff(&parameter("true"), &parameter("false"));
        assert_eq!(
            report.to_string(),
            "ns.go(ns.call)\n  ~ parameter `how`: nullable true -> false\n  ~ parameter `how`: optional -> required  [breaking]\n2 changes, 1 breaking\n"
        );
        let report = diff(&with_operation("Action"), &with_operation("Function"));
        assert!(
            report
                .to_string()
                .contains("~ action -> function  [breaking]"),
            "{report}"
        );
    }

    fn model(annotations: &str) -> Model {
        let text = format!(
            r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="ns" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<EntityType Name="call"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
<EntityType Name="root"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/>
<NavigationProperty Name="calls" Type="Collection(ns.call)" ContainsTarget="true"/></EntityType>
<EntityContainer Name="Service"><Singleton Name="root" Type="ns.root"/></EntityContainer>
{annotations}
</Schema></edmx:DataServices></edmx:Edmx>"#
        );
        let document = crate::csdl::read("t.xml", text).unwrap();
        crate::model::resolve(&[document], &[]).unwrap().0
    }

    fn restrict(target: &str, term: &str, record: &str) -> String {
        format!(
            r#"<Annotations Target="{target}"><Annotation Term="Org.OData.Capabilities.V1.{term}"><Record>{record}</Record></Annotation></Annotations>"#
        )
    }

    #[test]
    fn a_request_the_service_stops_offering_is_breaking() {
        let before = model(&restrict(
            "ns.root/calls",
            "UpdateRestrictions",
            r#"<PropertyValue Property="Updatable" Bool="false"/>"#,
        ));
        let after = model(&restrict(
            "ns.Service/root/calls",
            "DeleteRestrictions",
            r#"<PropertyValue Property="Deletable" Bool="false"/>"#,
        ));
        assert_eq!(
            diff(&before, &after).to_string(),
            "/root/calls\n  ~ capability Deletable: unstated -> false\n\
             /root/calls/{call-id}\n  + request `PATCH`\n  - request `DELETE`  [breaking]\n\
             ns.root\n  ~ navigation property `calls`: capability Updatable: false -> unstated\n\
             4 changes, 1 breaking\n"
        );
    }

    #[test]
    fn a_query_option_lost_is_breaking() {
        let before = model("");
        let after = model(&restrict(
            "ns.Service/root/calls",
            "SelectSupport",
            r#"<PropertyValue Property="Supported" Bool="false"/>"#,
        ));
        let report = diff(&before, &after);
        assert_eq!(report.breaking(), 2, "{report}");
        let text = report.to_string();
        assert_eq!(
            text,
            "/root/calls\n  - query option `GET $select`  [breaking]\n  \
             ~ capability SelectSupport/Supported: unstated -> false\n\
             /root/calls/{call-id}\n  - query option `GET $select`  [breaking]\n\
             3 changes, 2 breaking\n"
        );
        let back = diff(&after, &before);
        assert_eq!(back.breaking(), 0, "{back}");
        assert!(back.to_string().contains("+ query option `GET $select`"), "{back}");
    }

    /// Breaking is judged by the requests offered, not by each statement: the
    /// same restriction stated another way breaks nothing, and a statement
    /// that merely goes unstated can take a request away.
    #[test]
    fn breaking_follows_what_the_restrictions_amount_to() {
        let deletable = r#"<PropertyValue Property="Deletable" Bool="false"/>"#;
        let by_navigation = model(&restrict("ns.root/calls", "DeleteRestrictions", deletable));
        let by_path = model(&restrict(
            "ns.Service/root/calls",
            "DeleteRestrictions",
            deletable,
        ));
        assert_eq!(diff(&by_navigation, &by_path).breaking(), 0);

        let readable = |by_key: &str| {
            model(&restrict(
                "ns.Service/root/calls",
                "ReadRestrictions",
                &format!(r#"<PropertyValue Property="Readable" Bool="false"/>{by_key}"#),
            ))
        };
        let get_by_key = readable(
            r#"<PropertyValue Property="ReadByKeyRestrictions"><Record><PropertyValue Property="Readable" Bool="true"/></Record></PropertyValue>"#,
        );
        let report = diff(&get_by_key, &readable(""));
        assert_eq!(report.breaking(), 1, "{report}");
        assert!(
            report
                .to_string()
                .contains("/root/calls/{call-id}\n  - request `GET`  [breaking]")
        );
    }
}
