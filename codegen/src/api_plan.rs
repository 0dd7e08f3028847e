//! The plan of the `api` module: everything it will hold, decided from the
//! model and the type names before any tokens are written.
//!
//! Paths are derived, not listed: from each singleton and entity set,
//! containment navigation properties ([`Model::containment`]) lead to
//! collections and, by key, to single entities. Each *place* (one entity of a
//! type, or a collection of them, with the requests the service takes there)
//! gets a `...Path` struct: its URL templates, the entity requests it offers
//! and those it does not, the places it leads to, and the operations bound to
//! its type with the parameters struct each sends. [`crate::emit`] renders
//! the plan as it is; `xtask diff` compares the requests two plans offer.

use std::collections::BTreeMap;

use heck::ToKebabCase;

use crate::capabilities::Statement;
use crate::model::{
    ContainerEntry, Model, NavigationProperty, Operation, Parameter, Restrictions, TypeId, TypeRef,
};
use crate::names::{self, ApiNames, Methods, Names};

/// How deep containment is followed; Graph's communications paths are at most 5 deep.
const MAX_DEPTH: usize = 8;
/// How many URL templates of one place the docs list (and the walk follows further).
const DOCUMENTED_TEMPLATES: usize = 4;

/// The plan of the `api` module of one model.
#[derive(Debug)]
pub struct ApiPlan {
    /// The module's functions, one per singleton and entity set.
    pub roots: Vec<Root>,
    /// Every place, in a stable order (by type, then collection or not, then
    /// requests), which is the order of the module's items.
    pub places: Vec<PlacePlan>,
    /// The parameters struct of each operation with parameters, in the
    /// model's order of operations.
    pub parameters: Vec<ParametersPlan>,
    /// The property enums of the types whose reads take query options, in
    /// the order the places were found.
    pub queried: Vec<QueriedType>,
}

/// A type whose reads name its properties: `$select`, `$orderby` take
/// `property_enum`, `$expand` takes `navigation_enum`.
#[derive(Debug)]
pub struct QueriedType {
    pub ty: TypeId,
    pub property_enum: String,
    /// Each property (structural, then navigation): variant and wire name.
    pub properties: Vec<(String, String)>,
    /// `None` for a type without navigation properties.
    pub navigation_enum: Option<String>,
    pub navigations: Vec<(String, String)>,
}

/// A function of the module: `communications()`.
#[derive(Debug)]
pub struct Root {
    pub function: String,
    /// The singleton's or entity set's name: the first segment.
    pub segment: String,
    /// Index in [`ApiPlan::places`].
    pub place: usize,
}

/// One place of the URL space and the `...Path` struct it becomes.
#[derive(Debug)]
pub struct PlacePlan {
    pub ty: TypeId,
    pub collection: bool,
    /// The struct's name.
    pub name: String,
    /// The URL templates that lead here, shortest first (the first few only,
    /// unless the plan was made with [`Templates::All`]).
    pub templates: Vec<String>,
    /// The entity requests offered, in the order of the struct's methods.
    pub requests: Vec<EntityRequest>,
    /// The entity requests of this kind of place that are not offered, by method name.
    pub not_offered: Vec<&'static str>,
    /// A collection's member place, where `by_id` leads (index in
    /// [`ApiPlan::places`]); none where members are not addressed by key.
    pub member: Option<usize>,
    /// An entity's containment navigation properties that lead to a place.
    pub children: Vec<Child>,
    /// The operations bound to the type (or a base), as the methods that call them.
    pub calls: Vec<Call>,
    /// The query options the place's read (`list` or `get`) takes; none
    /// when it has no read.
    pub query: Vec<QueryOption>,
}

/// A query option of a read (OData system query options).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum QueryOption {
    Select,
    Expand,
    Filter,
    OrderBy,
    Search,
    Top,
    Skip,
    Count,
}

impl QueryOption {
    pub const ALL: [QueryOption; 8] = [
        QueryOption::Select,
        QueryOption::Expand,
        QueryOption::Filter,
        QueryOption::OrderBy,
        QueryOption::Search,
        QueryOption::Top,
        QueryOption::Skip,
        QueryOption::Count,
    ];

    /// As written in a URL: `$select`.
    pub fn name(self) -> &'static str {
        match self {
            QueryOption::Select => "$select",
            QueryOption::Expand => "$expand",
            QueryOption::Filter => "$filter",
            QueryOption::OrderBy => "$orderby",
            QueryOption::Search => "$search",
            QueryOption::Top => "$top",
            QueryOption::Skip => "$skip",
            QueryOption::Count => "$count",
        }
    }

    /// The statement that allows or forbids it.
    fn statement(self) -> Statement {
        match self {
            QueryOption::Select => Statement::Selectable,
            QueryOption::Expand => Statement::Expandable,
            QueryOption::Filter => Statement::Filterable,
            QueryOption::OrderBy => Statement::Sortable,
            QueryOption::Search => Statement::Searchable,
            QueryOption::Top => Statement::TopSupported,
            QueryOption::Skip => Statement::SkipSupported,
            QueryOption::Count => Statement::Countable,
        }
    }

    /// Whether a single entity's `GET` takes it too (a collection's takes all).
    fn on_entity(self) -> bool {
        matches!(self, QueryOption::Select | QueryOption::Expand)
    }
}

/// An entity request (`GET`, `POST`, `PATCH`, `PUT`, `DELETE` on the place itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntityRequest {
    /// `GET` of a collection: one page.
    List,
    /// `POST` to a collection.
    Create,
    /// `GET` of an entity.
    Get,
    /// `PATCH` of an entity, or `PUT` where the schema says so.
    Update { put: bool },
    /// `DELETE` of an entity.
    Delete,
}

impl EntityRequest {
    /// The name of the method that makes it.
    pub fn method_name(self) -> &'static str {
        match self {
            EntityRequest::List => "list",
            EntityRequest::Create => "create",
            EntityRequest::Get => "get",
            EntityRequest::Update { .. } => "update",
            EntityRequest::Delete => "delete",
        }
    }

    /// The HTTP method it is sent with.
    pub fn http_method(self) -> &'static str {
        match self {
            EntityRequest::List | EntityRequest::Get => "GET",
            EntityRequest::Create => "POST",
            EntityRequest::Update { put: true } => "PUT",
            EntityRequest::Update { put: false } => "PATCH",
            EntityRequest::Delete => "DELETE",
        }
    }
}

/// A method that leads to a contained place: `participants()`.
#[derive(Debug)]
pub struct Child {
    pub method: String,
    /// The navigation property: the path segment.
    pub segment: String,
    pub ty: TypeId,
    /// Index in [`ApiPlan::places`].
    pub place: usize,
}

/// A method that calls a bound operation: `invite(&parameters)`.
#[derive(Debug)]
pub struct Call {
    pub method: String,
    /// Index in [`Model::operations`].
    pub operation: usize,
    /// The path segment: unqualified in the default namespace, as Graph documents it.
    pub segment: String,
    /// Index in [`ApiPlan::parameters`], where the operation has parameters.
    pub parameters: Option<usize>,
}

/// The struct of an operation's parameters.
#[derive(Debug)]
pub struct ParametersPlan {
    pub name: String,
    /// Index in [`Model::operations`].
    pub operation: usize,
    pub fields: Vec<ParameterField>,
    /// The URL templates the operation is sent to.
    pub sent_to: Vec<String>,
}

/// One field of a parameters struct.
#[derive(Debug)]
pub struct ParameterField {
    pub name: String,
    pub wire_name: String,
    pub ty: TypeRef,
    /// Not nullable and not optional: an argument of `new`, checked by `validate`.
    pub required: bool,
    /// The most characters the API takes.
    pub max_length: Option<usize>,
}

/// How many URL templates of each place the plan keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Templates {
    /// The first few, which the docs list: for rendering.
    Documented,
    /// Every one up to the depth the walk follows: for comparing what two
    /// models offer (`xtask diff`).
    All,
}

impl ApiPlan {
    /// The plan of `model`'s container; `None` when it has nothing to reach.
    pub fn new(model: &Model, names: &Names, templates: Templates) -> Option<ApiPlan> {
        let container = model.container.as_ref()?;
        if container.singletons.is_empty() && container.entity_sets.is_empty() {
            return None;
        }
        let walk = Walk::new(model, templates);
        Some(name_everything(model, names, walk))
    }

    /// How many items the module has: root functions, place structs,
    /// parameters structs and the property enums of queried types.
    pub fn items(&self) -> usize {
        self.roots.len() + self.places.len() + self.parameters.len() + self.queried.len()
    }

    /// The entity requests (`GET`, `POST`, ...) offered at each URL
    /// template, and the query options of its read (`GET $select`, ...).
    pub fn offered_requests(&self) -> BTreeMap<&str, Vec<String>> {
        let mut offered = BTreeMap::new();
        for place in &self.places {
            let methods: Vec<String> = place
                .requests
                .iter()
                .map(|r| r.http_method().to_owned())
                .chain(place.query.iter().map(|q| format!("GET {}", q.name())))
                .collect();
            for template in &place.templates {
                offered.insert(template.as_str(), methods.clone());
            }
        }
        offered
    }
}

/// A place while walking: what identifies it. Two paths to the same type
/// with different restrictions are two places, so a method exists only where
/// the service offers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Place<'m> {
    ty: TypeId,
    collection: bool,
    requests: Requests,
    /// The path from the container (`communications/calls`), kept only
    /// where the schema restricts this path or one below it by path.
    path: Option<&'m str>,
}

/// The entity requests a place offers. A collection also carries what its
/// members offer, since that is where `by_id` leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Requests {
    list: bool,
    create: bool,
    /// Members are addressed by key (`by_id`).
    by_key: bool,
    get: bool,
    update: bool,
    update_by_put: bool,
    delete: bool,
    /// The query options the statements allow, by [`QueryOption::ALL`].
    query: [bool; QueryOption::ALL.len()],
}

impl Requests {
    /// What `restrictions` (of the path, then of the type and its bases)
    /// leave allowed; OData allows what they do not forbid.
    fn new(
        model: &Model,
        ty: TypeId,
        path: Restrictions,
        collection: bool,
        singleton: bool,
    ) -> Requests {
        let r = std::iter::once(ty)
            .chain(model.ancestors(ty))
            .filter_map(|t| model.structured(t))
            .fold(path, |r, s| r.or(s.restrictions));
        let allowed = |statement: Option<bool>| statement != Some(false);
        Requests {
            list: collection && allowed(r[Statement::Readable]),
            create: collection && allowed(r[Statement::Insertable]),
            by_key: collection && allowed(r[Statement::IndexableByKey]),
            get: allowed(if collection {
                r[Statement::ReadableByKey].or(r[Statement::Readable])
            } else {
                r[Statement::Readable]
            }),
            update: allowed(r[Statement::Updatable]),
            update_by_put: r[Statement::UpdateByPut] == Some(true),
            // A singleton is deleted only where the schema says so (OData
            // 4.01 allows it for nullable singletons); an entity unless it says not.
            delete: if singleton {
                r[Statement::Deletable] == Some(true)
            } else {
                allowed(r[Statement::Deletable])
            },
            query: QueryOption::ALL.map(|option| allowed(r[option.statement()])),
        }
    }

    /// The query options of the read of a place of `ty`, if it has one;
    /// `$expand` only where `ty` has something to expand.
    fn query(self, model: &Model, ty: TypeId, collection: bool) -> Vec<QueryOption> {
        let read = if collection { self.list } else { self.get };
        let expandable = !model.all_navigation_properties(ty).is_empty();
        QueryOption::ALL
            .into_iter()
            .zip(self.query)
            .filter(|(option, allowed)| read && *allowed && (collection || option.on_entity()))
            .filter(|(option, _)| *option != QueryOption::Expand || expandable)
            .map(|(option, _)| option)
            .collect()
    }

    /// What a member of a collection with these requests offers.
    fn member(self) -> Requests {
        Requests {
            list: false,
            create: false,
            by_key: false,
            ..self
        }
    }

    /// The entity requests of a collection or of an entity, and whether each is offered.
    fn each(self, collection: bool) -> Vec<(EntityRequest, bool)> {
        if collection {
            vec![
                (EntityRequest::List, self.list),
                (EntityRequest::Create, self.create),
            ]
        } else {
            vec![
                (EntityRequest::Get, self.get),
                (
                    EntityRequest::Update {
                        put: self.update_by_put,
                    },
                    self.update,
                ),
                (EntityRequest::Delete, self.delete),
            ]
        }
    }
}

/// The place of an entity set or singleton.
fn root_place<'m>(model: &'m Model, entry: &ContainerEntry, collection: bool) -> Place<'m> {
    let path = restricted_path(model, &entry.name);
    Place {
        ty: entry.ty,
        collection,
        requests: Requests::new(
            model,
            entry.ty,
            path_restrictions(model, path),
            collection,
            !collection,
        ),
        path,
    }
}

/// The place a containment navigation property leads to from `parent`.
fn navigation_place<'m>(
    model: &'m Model,
    parent: &Place<'m>,
    navigation: &NavigationProperty,
    ty: TypeId,
) -> Place<'m> {
    let path = parent
        .path
        .and_then(|p| restricted_path(model, &format!("{p}/{}", navigation.name)));
    let restrictions = path_restrictions(model, path).or(navigation.restrictions);
    let collection = navigation.ty.collection;
    Place {
        ty,
        collection,
        requests: Requests::new(model, ty, restrictions, collection, false),
        path,
    }
}

/// `path`, borrowed from the model, if the schema restricts it or a path below it.
fn restricted_path<'m>(model: &'m Model, path: &str) -> Option<&'m str> {
    let restricted = &model.container.as_ref()?.path_restrictions;
    restricted.keys().find_map(|key| {
        let rest = key.strip_prefix(path)?;
        (rest.is_empty() || rest.starts_with('/')).then(|| &key[..path.len()])
    })
}

fn path_restrictions(model: &Model, path: Option<&str>) -> Restrictions {
    path.and_then(|p| model.container.as_ref()?.path_restrictions.get(p))
        .copied()
        .unwrap_or_default()
}

/// The places a breadth-first walk of containment finds, with their templates.
struct Walk<'m> {
    /// Every place, with its URL templates (shortest first).
    places: BTreeMap<Place<'m>, Vec<String>>,
    /// The places in the order they were found (shortest paths first).
    found: Vec<Place<'m>>,
    /// The singletons and entity sets, and their places.
    roots: Vec<(String, Place<'m>)>,
}

impl<'m> Walk<'m> {
    fn new(model: &'m Model, templates: Templates) -> Walk<'m> {
        let max_templates = match templates {
            Templates::Documented => DOCUMENTED_TEMPLATES,
            Templates::All => usize::MAX,
        };
        let container = model.container.as_ref().expect("checked by the caller");
        let mut places: BTreeMap<Place, Vec<String>> = BTreeMap::new();
        let mut roots = Vec::new();
        let mut pending: Vec<(Place, String, usize)> = Vec::new();
        let mut found: Vec<Place> = Vec::new();
        let entries = (container.singletons.iter().map(|s| (s, false)))
            .chain(container.entity_sets.iter().map(|s| (s, true)));
        for (entry, collection) in entries {
            let place = root_place(model, entry, collection);
            roots.push((entry.name.clone(), place));
            pending.push((place, format!("/{}", entry.name), 0));
        }
        // Breadth-first, so the shortest templates come first in the docs. In a
        // whole Graph document the paths multiply; every place is still reached
        // through its first few paths, and the docs list the first few.
        let mut next = 0;
        while next < pending.len() {
            let (place, template, depth) = pending[next].clone();
            next += 1;
            if !places.contains_key(&place) {
                found.push(place);
            }
            let templates = places.entry(place).or_default();
            if templates.len() >= max_templates {
                continue;
            }
            templates.push(template.clone());
            // A collection's members are always a place, so `by_id` has one to
            // return, even where containment is followed no deeper.
            if depth >= MAX_DEPTH && !place.collection {
                continue;
            }
            if place.collection && !place.requests.by_key {
                continue;
            }
            if place.collection {
                // A type met twice on one path (a reply to a message) gets `-2` the second time.
                let base = format!("{}-id", model.ty(place.ty).name.name.to_kebab_case());
                let key = (1..)
                    .map(|n| match n {
                        1 => base.clone(),
                        n => format!("{base}-{n}"),
                    })
                    .find(|key| !template.contains(&format!("{{{key}}}")))
                    .expect("an unbounded range has a free key");
                pending.push((
                    Place {
                        collection: false,
                        requests: place.requests.member(),
                        ..place
                    },
                    format!("{template}/{{{key}}}"),
                    depth + 1,
                ));
                continue;
            }
            for (navigation, ty) in model.containment(place.ty) {
                let child = navigation_place(model, &place, navigation, ty);
                pending.push((child, format!("{template}/{}", navigation.name), depth + 1));
            }
        }
        Walk {
            places,
            found,
            roots,
        }
    }
}

/// Every name of the module, claimed in a stable order: root functions, then
/// place structs in the order the places were found (so a restriction on one
/// path does not rename another's struct), then parameters structs in the
/// order of operations; methods within each struct.
fn name_everything(model: &Model, names: &Names, walk: Walk) -> ApiPlan {
    let mut api_names = ApiNames::default();
    let place_names: BTreeMap<Place, String> = walk
        .found
        .iter()
        .map(|place| {
            let name = api_names.place_struct(names.name(place.ty), place.collection);
            (*place, name)
        })
        .collect();
    let index: BTreeMap<Place, usize> = walk
        .places
        .keys()
        .enumerate()
        .map(|(i, place)| (*place, i))
        .collect();
    let bound: Vec<Vec<usize>> = walk
        .places
        .keys()
        .map(|place| {
            let lineage = model.lineage(place.ty);
            (0..model.operations.len())
                .filter(|i| model.operations[*i].binds(&lineage, place.collection))
                .collect()
        })
        .collect();
    let parameters = parameters_structs(model, names, &walk, &bound, &mut api_names);
    let queried = queried_types(model, names, &walk, &mut api_names);
    let parameters_of: BTreeMap<usize, usize> = parameters
        .iter()
        .enumerate()
        .map(|(i, p)| (p.operation, i))
        .collect();

    let roots = walk
        .roots
        .iter()
        .map(|(name, place)| Root {
            function: api_names.root_function(name),
            segment: name.clone(),
            place: index[place],
        })
        .collect();
    let places = walk
        .places
        .iter()
        .zip(&bound)
        .map(|((place, templates), bound)| {
            let mut methods = Methods::default();
            let each = place.requests.each(place.collection);
            let member = place.requests.by_key.then(|| {
                index[&Place {
                    collection: false,
                    requests: place.requests.member(),
                    ..*place
                }]
            });
            let children = if place.collection {
                Vec::new()
            } else {
                model
                    .containment(place.ty)
                    .into_iter()
                    .map(|(navigation, ty)| {
                        (
                            navigation,
                            ty,
                            navigation_place(model, place, navigation, ty),
                        )
                    })
                    .filter_map(|(navigation, ty, child)| {
                        Some(Child {
                            place: *index.get(&child)?,
                            method: methods.claim(&navigation.name),
                            segment: navigation.name.clone(),
                            ty,
                        })
                    })
                    .collect()
            };
            let calls = bound
                .iter()
                .map(|&operation| {
                    let op = &model.operations[operation];
                    Call {
                        method: methods.claim(&names::operation_base_name(model, op)),
                        operation,
                        segment: operation_segment(op),
                        parameters: parameters_of.get(&operation).copied(),
                    }
                })
                .collect();
            PlacePlan {
                ty: place.ty,
                collection: place.collection,
                name: place_names[place].clone(),
                templates: templates.clone(),
                requests: each.iter().filter(|(_, on)| *on).map(|(r, _)| *r).collect(),
                not_offered: each
                    .iter()
                    .filter(|(_, on)| !on)
                    .map(|(r, _)| r.method_name())
                    .chain((place.collection && member.is_none()).then_some("by_id"))
                    .collect(),
                member,
                children,
                calls,
                query: place.requests.query(model, place.ty, place.collection),
            }
        })
        .collect();
    ApiPlan {
        roots,
        places,
        parameters,
        queried,
    }
}

/// The property enums of the types of places whose read takes an option
/// that names properties.
fn queried_types(model: &Model, names: &Names, walk: &Walk, api_names: &mut ApiNames) -> Vec<QueriedType> {
    let mut seen = std::collections::BTreeSet::new();
    let mut queried = Vec::new();
    for place in &walk.found {
        let names_properties = place
            .requests
            .query(model, place.ty, place.collection)
            .iter()
            .any(|o| matches!(o, QueryOption::Select | QueryOption::Expand | QueryOption::OrderBy));
        if !names_properties || !seen.insert(place.ty) {
            continue;
        }
        let type_name = names.name(place.ty);
        let structural: Vec<&str> = model.all_properties(place.ty).iter().map(|p| p.name.as_str()).collect();
        let navigation: Vec<&str> =
            model.all_navigation_properties(place.ty).iter().map(|n| n.name.as_str()).collect();
        let all: Vec<&str> = structural.iter().chain(&navigation).copied().collect();
        let pair = |wire: &[&str]| -> Vec<(String, String)> {
            names::property_variants(wire).into_iter().zip(wire.iter().map(|w| (*w).to_owned())).collect()
        };
        queried.push(QueriedType {
            ty: place.ty,
            property_enum: api_names.property_enum(type_name, false),
            properties: pair(&all),
            navigation_enum: (!navigation.is_empty()).then(|| api_names.property_enum(type_name, true)),
            navigations: pair(&navigation),
        });
    }
    queried
}

/// The parameters struct of each operation with parameters. A name is the
/// operation's, or, where operations of one name are bound to several
/// types, prefixed with the binding's type.
fn parameters_structs(
    model: &Model,
    names: &Names,
    walk: &Walk,
    bound: &[Vec<usize>],
    api_names: &mut ApiNames,
) -> Vec<ParametersPlan> {
    let mut overloads: BTreeMap<String, usize> = BTreeMap::new();
    for op in &model.operations {
        *overloads
            .entry(names::operation_base_name(model, op))
            .or_default() += 1;
    }
    model
        .operations
        .iter()
        .enumerate()
        .filter(|(_, op)| !op.parameters.is_empty())
        .map(|(index, op)| {
            let base_name = names::operation_base_name(model, op);
            let binding_name = op.binding.as_ref().map(|binding| {
                let name = match binding.ty.target {
                    crate::model::Target::Type(id) => names.name(id).to_owned(),
                    crate::model::Target::Primitive(p) => names::primitive_type_name(&p.edm_name()),
                };
                (name, binding.ty.collection)
            });
            let binding = binding_name
                .as_ref()
                .filter(|_| overloads[&base_name] > 1)
                .map(|(name, collection)| (name.as_str(), *collection));
            let segment = operation_segment(op);
            let sent_to = walk
                .places
                .values()
                .zip(bound)
                .filter(|(_, bound)| bound.contains(&index))
                .flat_map(|(templates, _)| templates.iter().map(|t| format!("{t}/{segment}")))
                .collect();
            ParametersPlan {
                name: api_names.parameters_struct(&base_name, binding),
                operation: index,
                fields: parameter_fields(op),
                sent_to,
            }
        })
        .collect()
}

/// The fields of an operation's parameters struct, in declared order.
fn parameter_fields(op: &Operation) -> Vec<ParameterField> {
    let raw: Vec<&str> = op.parameters.iter().map(|p| p.name.as_str()).collect();
    let names = names::parameter_fields(&raw);
    op.parameters
        .iter()
        .zip(names)
        .map(|(p, name)| ParameterField {
            name,
            wire_name: p.name.clone(),
            ty: p.ty,
            required: is_required(p),
            max_length: p.max_length,
        })
        .collect()
}

fn is_required(p: &Parameter) -> bool {
    !p.nullable && !p.optional
}

/// The segment that names an operation: unqualified in the default namespace, as Graph documents it.
fn operation_segment(op: &Operation) -> String {
    if op.name.namespace == "microsoft.graph" {
        op.name.name.clone()
    } else {
        op.name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plan of `tests/fixtures/<name>.xml`, its docs' templates.
    fn plan_of(name: &str, templates: Templates) -> (Model, ApiPlan) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(format!("{name}.xml"));
        let document = crate::read_file(&path).unwrap();
        let (model, _) = crate::model::resolve(&[document], &[]).unwrap();
        let names = Names::new(&model, None);
        let plan = ApiPlan::new(&model, &names, templates).expect("the fixture has a container");
        (model, plan)
    }

    fn place<'p>(plan: &'p ApiPlan, template: &str) -> &'p PlacePlan {
        plan.places
            .iter()
            .find(|p| p.templates.iter().any(|t| t == template))
            .unwrap_or_else(|| panic!("no place at {template}"))
    }

    /// One type on three paths with three sets of requests: three places,
    /// named in the order they are found, each offering what its path allows.
    #[test]
    fn restrictions_make_places_and_decide_their_requests() {
        let (_, plan) = plan_of("capabilities", Templates::Documented);
        let offered = |template: &str| -> Vec<&str> {
            place(&plan, template)
                .requests
                .iter()
                .map(|r| r.http_method())
                .collect()
        };
        // By entity set, inline: members are not deleted.
        assert_eq!(place(&plan, "/items").name, "ThingCollectionPath");
        assert_eq!(offered("/items"), ["GET", "POST"]);
        assert_eq!(offered("/items/{thing-id}"), ["GET", "PATCH"]);
        // By navigation property: the archive is only read.
        assert_eq!(place(&plan, "/root/archive").name, "ThingCollectionPath2");
        assert_eq!(offered("/root/archive"), ["GET"]);
        assert_eq!(offered("/root/archive/{thing-id}"), ["GET"]);
        assert_eq!(
            place(&plan, "/root/archive/{thing-id}").not_offered,
            ["update", "delete"]
        );
        // By path: no create.
        assert_eq!(place(&plan, "/root/things").name, "ThingCollectionPath4");
        assert_eq!(offered("/root/things"), ["GET"]);
        // By type: PUT, wherever settings are.
        assert_eq!(offered("/root/settings"), ["GET", "PUT", "DELETE"]);
        // A singleton is not deleted unless the schema says so.
        assert_eq!(offered("/root"), ["GET", "PATCH"]);
        // Not addressed by key: listed and created, no `by_id`, no member place.
        let log = place(&plan, "/root/log");
        assert_eq!(offered("/root/log"), ["GET", "POST"]);
        assert_eq!(log.member, None);
        assert_eq!(log.not_offered, ["by_id"]);
        assert!(
            plan.places
                .iter()
                .all(|p| p.templates.iter().all(|t| !t.starts_with("/root/log/")))
        );
        let root = place(&plan, "/root");
        let children: Vec<(&str, &str)> = root
            .children
            .iter()
            .map(|c| (c.method.as_str(), plan.places[c.place].name.as_str()))
            .collect();
        assert_eq!(
            children,
            [
                ("archive", "ThingCollectionPath2"),
                ("log", "ThingCollectionPath3"),
                ("settings", "SettingsPath"),
                ("things", "ThingCollectionPath4")
            ]
        );
        let roots: Vec<(&str, &str)> = plan
            .roots
            .iter()
            .map(|r| (r.function.as_str(), plan.places[r.place].name.as_str()))
            .collect();
        assert_eq!(
            roots,
            [("root", "RootPath"), ("items", "ThingCollectionPath")]
        );
    }

    /// The plan of a schema of namespace `ns` with a singleton `root` of type `ns.root`.
    fn plan_of_schema(body: &str, templates: Templates) -> ApiPlan {
        let text = format!(
            r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="ns" xmlns="http://docs.oasis-open.org/odata/ns/edm">{body}
<EntityContainer Name="Service"><Singleton Name="root" Type="ns.root"/></EntityContainer>
</Schema></edmx:DataServices></edmx:Edmx>"#
        );
        let document = crate::csdl::read("t.xml", text).unwrap();
        let (model, _) = crate::model::resolve(&[document], &[]).unwrap();
        let names = Names::new(&model, None);
        ApiPlan::new(&model, &names, templates).unwrap()
    }

    /// Containment is followed 8 steps deep; the collection found there still
    /// has a member place for `by_id`, and nothing is walked below it: its
    /// `more` leads to the place it already is (the same type and requests),
    /// under no template of its own.
    #[test]
    fn deep_containment_stops_but_members_stay_reachable() {
        let (_, plan) = plan_of("deep_containment", Templates::All);
        let deepest = "/root/next/next/next/next/next/next/next/items";
        let items = place(&plan, deepest);
        let member = &plan.places[items.member.expect("a collection has members")];
        assert_eq!(member.templates, [format!("{deepest}/{{leaf-id}}")]);
        let more: Vec<(&str, &str)> = member
            .children
            .iter()
            .map(|c| (c.method.as_str(), plan.places[c.place].name.as_str()))
            .collect();
        assert_eq!(more, [("more", items.name.as_str())]);
        let offered = plan.offered_requests();
        assert!(offered.keys().all(|t| !t.contains("/more")), "{offered:?}");
    }

    /// A type met twice on one path (a reply to a message) gets a second key.
    #[test]
    fn a_type_met_twice_on_a_path_gets_a_second_key() {
        let plan = plan_of_schema(
            r#"<EntityType Name="message"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/><NavigationProperty Name="replies" Type="Collection(ns.message)" ContainsTarget="true"/></EntityType>
<EntityType Name="root"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/><NavigationProperty Name="messages" Type="Collection(ns.message)" ContainsTarget="true"/></EntityType>"#,
            Templates::All,
        );
        let offered = plan.offered_requests();
        assert!(
            offered.contains_key(
                "/root/messages/{message-id}/replies/{message-id-2}/replies/{message-id-3}"
            ),
            "{:?}",
            offered.keys()
        );
    }

    /// With the documented templates only, a place lists its first four
    /// (shortest first); with all of them, every path the walk follows.
    #[test]
    fn documented_templates_are_the_first_four() {
        let body = r#"<EntityType Name="leaf"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/></EntityType>
<EntityType Name="root"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/>
<NavigationProperty Name="a" Type="Collection(ns.leaf)" ContainsTarget="true"/><NavigationProperty Name="b" Type="Collection(ns.leaf)" ContainsTarget="true"/><NavigationProperty Name="c" Type="Collection(ns.leaf)" ContainsTarget="true"/><NavigationProperty Name="d" Type="Collection(ns.leaf)" ContainsTarget="true"/><NavigationProperty Name="e" Type="Collection(ns.leaf)" ContainsTarget="true"/></EntityType>"#;
        let leaves = |plan: &ApiPlan| -> Vec<String> {
            plan.places
                .iter()
                .find(|p| p.collection && p.name == "LeafCollectionPath")
                .unwrap()
                .templates
                .clone()
        };
        assert_eq!(
            leaves(&plan_of_schema(body, Templates::Documented)),
            ["/root/a", "/root/b", "/root/c", "/root/d"]
        );
        assert_eq!(leaves(&plan_of_schema(body, Templates::All)).len(), 5);
    }

    /// The areas fixture: every root gets a function, and operations bound
    /// to a type are called from each of its places.
    #[test]
    fn roots_and_calls() {
        let (model, plan) = plan_of("areas", Templates::Documented);
        let container = model.container.as_ref().unwrap();
        assert_eq!(
            plan.roots.len(),
            container.singletons.len() + container.entity_sets.len()
        );
        for place in &plan.places {
            for call in &place.calls {
                let op = &model.operations[call.operation];
                assert!(op.binds(&model.lineage(place.ty), place.collection));
                assert_eq!(
                    call.parameters.is_some(),
                    !op.parameters.is_empty(),
                    "{}",
                    op.name
                );
            }
        }
    }
}
