//! The slice: the part of a model reachable from a few roots.
//!
//! A type is in the slice when a root needs it: as a base type, as the type
//! of a property, navigation property, parameter or return value, or as a
//! type derived from one used that way (a value may carry any of them). Base
//! types are followed upwards only, so reaching `entity` as a base does not
//! pull in the thousands of types derived from it. Bound operations come with
//! their binding type, and their parameters and returns join the closure.

use std::collections::BTreeSet;

use crate::error::{Error, Result};
use crate::model::{Container, Model, Operation, Target, TypeId, TypeKind, TypeRef};

/// Where a slice starts.
#[derive(Clone, Debug)]
pub struct Roots {
    /// Singletons of the entity container; they and their types are kept.
    pub singletons: Vec<String>,
    /// Qualified type names that nothing in the container reaches.
    pub types: Vec<String>,
}

impl Roots {
    /// The communications API: the `communications` singleton and the
    /// callback payloads a calling bot receives.
    pub fn communications() -> Roots {
        Roots {
            singletons: vec!["communications".to_owned()],
            types: vec![
                "microsoft.graph.commsNotifications".to_owned(),
                "microsoft.graph.commsNotification".to_owned(),
            ],
        }
    }
}

/// Cuts the slice of `model` reachable from `roots`.
pub fn slice(model: &Model, roots: &Roots) -> Result<Model> {
    let mut closure = Closure {
        model,
        types: BTreeSet::new(),
        pending: Vec::new(),
        claimed: &[],
    };
    let container = model.container.as_ref();
    for singleton in &roots.singletons {
        let entry = container
            .and_then(|c| c.singletons.iter().find(|s| &s.name == singleton))
            .ok_or_else(|| {
                Error::new(format!(
                    "the metadata has no singleton `{singleton}` to slice from"
                ))
            })?;
        closure.used(entry.ty);
    }
    for name in &roots.types {
        let id = model.find(name).ok_or_else(|| {
            Error::new(format!("the metadata has no type `{name}` to slice from"))
        })?;
        closure.used(id);
    }
    let operations = closure.finish();
    let container = container.map(|c| Container {
        name: c.name.clone(),
        entity_sets: Vec::new(),
        singletons: c
            .singletons
            .iter()
            .filter(|s| roots.singletons.contains(&s.name))
            .cloned()
            .collect(),
        path_restrictions: c
            .path_restrictions
            .iter()
            .filter(|(path, _)| {
                let first = path.split('/').next().unwrap_or_default();
                roots.singletons.iter().any(|s| s == first)
            })
            .map(|(path, r)| (path.clone(), *r))
            .collect(),
        location: c.location.clone(),
    });
    let operations = operations
        .into_iter()
        .map(|i| model.operations[i].clone())
        .collect();
    Ok(retain(model, &closure.types, operations, container))
}

struct Closure<'m> {
    model: &'m Model,
    types: BTreeSet<TypeId>,
    /// Types added but whose own references are not followed yet.
    pending: Vec<TypeId>,
    /// Types another closure has (indexed by [`TypeId`], `true` if so): they
    /// and what they reach are not added again.
    claimed: &'m [bool],
}

impl Closure<'_> {
    /// `id` is used as a value's declared type: it and every type derived from it.
    fn used(&mut self, id: TypeId) {
        for id in self.model.with_descendants(id) {
            self.add(id);
        }
    }

    fn used_ref(&mut self, ty: TypeRef) {
        if let Target::Type(id) = ty.target {
            self.used(id);
        }
    }

    fn add(&mut self, id: TypeId) {
        if self.claimed.get(id.0) == Some(&true) {
            return;
        }
        if self.types.insert(id) {
            self.pending.push(id);
        }
    }

    /// Follows every reference, and the operations bound to what is reached
    /// (whose parameters and returns are followed in turn); the indexes of
    /// those operations in `Model::operations`.
    fn finish(&mut self) -> BTreeSet<usize> {
        let mut operations: BTreeSet<usize> = BTreeSet::new();
        loop {
            self.run();
            let before = operations.len();
            for (index, op) in self.model.operations.iter().enumerate() {
                if !operations.contains(&index) && self.binds(op) {
                    operations.insert(index);
                    for ty in op
                        .parameters
                        .iter()
                        .map(|p| p.ty)
                        .chain(op.return_type.as_ref().map(|r| r.ty))
                    {
                        self.used_ref(ty);
                    }
                }
            }
            if operations.len() == before && self.pending.is_empty() {
                return operations;
            }
        }
    }

    fn run(&mut self) {
        while let Some(id) = self.pending.pop() {
            let TypeKind::Structured(s) = &self.model.ty(id).kind else {
                continue;
            };
            if let Some(base) = s.base {
                self.add(base);
            }
            let refs: Vec<TypeRef> = s
                .properties
                .iter()
                .map(|p| p.ty)
                .chain(s.navigation_properties.iter().map(|n| n.ty))
                .collect();
            for ty in refs {
                self.used_ref(ty);
            }
        }
    }

    /// Whether `op` is bound to a type in the slice.
    fn binds(&self, op: &Operation) -> bool {
        op.binding
            .as_ref()
            .is_some_and(|b| matches!(b.ty.target, Target::Type(id) if self.types.contains(&id)))
    }
}

/// The cargo features of a crate made of a whole document: the types cut
/// into areas, each reached first from one root, so a crate that needs
/// only communications compiles only that area (and those it needs).
#[derive(Clone, Debug)]
pub struct Areas {
    /// Feature names, in the order the areas were cut.
    pub names: Vec<String>,
    /// The area of each type, indexed by [`TypeId`].
    pub of_type: Vec<usize>,
    /// The other areas each area's types refer to, directly.
    pub needs: Vec<BTreeSet<usize>>,
}

/// Cuts `model` into areas: first what `first` reaches (when the model has
/// its singleton), then, for each singleton and entity set in name order,
/// what it reaches that no earlier area has, then `other` for what no root
/// reaches. A type reached from an earlier area stays there, and so does
/// everything it reaches, so each type is followed once. Empty areas are
/// dropped.
pub fn areas(model: &Model, first: &Roots) -> Areas {
    let mut claimed = vec![false; model.types.len()];
    let mut of_type = vec![usize::MAX; model.types.len()];
    let mut names = Vec::new();
    let mut roots: Vec<(String, Vec<TypeId>)> = Vec::new();
    if let Some(container) = &model.container {
        let entries: Vec<_> = container
            .singletons
            .iter()
            .chain(&container.entity_sets)
            .collect();
        let has_first = first
            .singletons
            .iter()
            .all(|name| container.singletons.iter().any(|s| &s.name == name));
        if has_first && !first.singletons.is_empty() {
            let mut ids: Vec<TypeId> = entries
                .iter()
                .filter(|e| first.singletons.contains(&e.name))
                .map(|e| e.ty)
                .collect();
            ids.extend(first.types.iter().filter_map(|t| model.find(t)));
            roots.push((first.singletons[0].clone(), ids));
        }
        let mut rest: Vec<_> = entries
            .iter()
            .filter(|e| !first.singletons.contains(&e.name))
            .map(|e| (e.name.clone(), vec![e.ty]))
            .collect();
        rest.sort();
        roots.extend(rest);
    }
    roots.push((
        "other".to_owned(),
        (0..model.types.len()).map(TypeId).collect(),
    ));
    for (root, ids) in roots {
        let mut closure = Closure {
            model,
            types: BTreeSet::new(),
            pending: Vec::new(),
            claimed: &claimed,
        };
        for id in ids {
            closure.used(id);
        }
        closure.finish();
        if closure.types.is_empty() {
            continue;
        }
        let area = names.len();
        let name = crate::names::feature(&root, &names);
        names.push(name);
        let reached: Vec<TypeId> = closure.types.into_iter().collect();
        for id in reached {
            claimed[id.0] = true;
            of_type[id.0] = area;
        }
    }
    let mut needs = vec![BTreeSet::new(); names.len()];
    for (index, ty) in model.types.iter().enumerate() {
        let TypeKind::Structured(s) = &ty.kind else {
            continue;
        };
        let area = of_type[index];
        let refs = s
            .base
            .into_iter()
            .chain(s.properties.iter().filter_map(|p| type_of(p.ty)))
            .chain(s.navigation_properties.iter().filter_map(|n| type_of(n.ty)));
        for other in refs {
            if of_type[other.0] != area {
                needs[area].insert(of_type[other.0]);
            }
        }
    }
    Areas {
        names,
        of_type,
        needs,
    }
}

fn type_of(ty: TypeRef) -> Option<TypeId> {
    match ty.target {
        Target::Type(id) => Some(id),
        Target::Primitive(_) => None,
    }
}

/// A copy of `model` holding only `keep`, with ids renumbered.
fn retain(
    model: &Model,
    keep: &BTreeSet<TypeId>,
    operations: Vec<Operation>,
    container: Option<Container>,
) -> Model {
    let new_id: Vec<Option<TypeId>> = {
        let mut next = 0;
        (0..model.types.len())
            .map(|i| {
                keep.contains(&TypeId(i)).then(|| {
                    next += 1;
                    TypeId(next - 1)
                })
            })
            .collect()
    };
    let map = |id: TypeId| new_id[id.0].expect("the closure keeps every referenced type");
    let map_ref = |ty: TypeRef| TypeRef {
        collection: ty.collection,
        target: match ty.target {
            Target::Type(id) => Target::Type(map(id)),
            primitive => primitive,
        },
    };
    let types = keep
        .iter()
        .map(|id| {
            let mut ty = model.ty(*id).clone();
            if let TypeKind::Structured(s) = &mut ty.kind {
                s.base = s.base.map(map);
                // Derived types outside the slice are not needed by anything in it.
                s.derived = s.derived.iter().filter_map(|d| new_id[d.0]).collect();
                for p in &mut s.properties {
                    p.ty = map_ref(p.ty);
                }
                for n in &mut s.navigation_properties {
                    n.ty = map_ref(n.ty);
                }
            }
            ty
        })
        .collect();
    let operations: Vec<Operation> = operations
        .into_iter()
        .map(|mut op| {
            if let Some(b) = &mut op.binding {
                b.ty = map_ref(b.ty);
            }
            for p in &mut op.parameters {
                p.ty = map_ref(p.ty);
            }
            if let Some(r) = &mut op.return_type {
                r.ty = map_ref(r.ty);
            }
            op
        })
        .collect();
    let container = container.map(|mut c| {
        for entry in c.singletons.iter_mut().chain(c.entity_sets.iter_mut()) {
            entry.ty = map(entry.ty);
            // Bindings name entity sets outside the slice; the slice has none.
            entry.bindings.clear();
        }
        c
    });
    let used_namespaces: BTreeSet<&str> = keep
        .iter()
        .map(|id| model.ty(*id).name.namespace.as_str())
        .chain(operations.iter().map(|op| op.name.namespace.as_str()))
        .chain(container.iter().map(|c| c.name.namespace.as_str()))
        .collect();
    let namespaces = model
        .namespaces
        .iter()
        .filter(|n| used_namespaces.contains(n.name.as_str()))
        .cloned()
        .collect();
    Model {
        namespaces,
        types,
        operations,
        container,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Area names are cargo feature names: keywords lose `r#`, and the
    /// crate's own features (`full`, `client`, `default`) are not taken.
    #[test]
    fn area_names_are_valid_distinct_features() {
        let text = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="ns" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<EntityType Name="a"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
<EntityType Name="b"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
<EntityType Name="c"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
<ComplexType Name="lonely"/>
<EntityContainer Name="S"><EntitySet Name="type" EntityType="ns.a"/><EntitySet Name="full" EntityType="ns.b"/><Singleton Name="other" Type="ns.c"/></EntityContainer>
</Schema></edmx:DataServices></edmx:Edmx>"#;
        let document = crate::csdl::read("t.xml", text.to_owned()).unwrap();
        let (model, _) = crate::model::resolve(&[document], &[]).unwrap();
        let areas = areas(&model, &Roots::communications());
        assert_eq!(areas.names, ["full-area", "other", "type", "other-area"]);
    }
}
