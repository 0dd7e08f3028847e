//! The resolved model: what the emitter and the slice writer see.
//!
//! Resolution turns the names of the syntax tree into ids: aliases are
//! expanded, `Collection(...)` unwrapped, base types linked both ways, and
//! every reference checked. Everything is sorted by name so that the order of
//! elements in the input never changes the output.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::fmt;

pub use crate::capabilities::Restrictions;
use crate::csdl::{self, Document};
use crate::departures::{Departure, Departures};
use crate::error::{Error, Location, Result};

/// The member of a notification that holds its resources ([`Model::carries_resource_data`]).
pub const RESOURCE_DATA: &str = "resourceData";

/// Whether a structured type is an entity type or a complex type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StructuredKind {
    Entity,
    Complex,
}

impl From<csdl::StructuredKind> for StructuredKind {
    fn from(kind: csdl::StructuredKind) -> Self {
        match kind {
            csdl::StructuredKind::Entity => StructuredKind::Entity,
            csdl::StructuredKind::Complex => StructuredKind::Complex,
        }
    }
}

/// An action (sent with `POST`, may change things) or a function (`GET`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OperationKind {
    Action,
    Function,
}

impl From<csdl::OperationKind> for OperationKind {
    fn from(kind: csdl::OperationKind) -> Self {
        match kind {
            csdl::OperationKind::Action => OperationKind::Action,
            csdl::OperationKind::Function => OperationKind::Function,
        }
    }
}

/// Attributes the generator does not interpret but a slice keeps, as
/// `(name, value)`, sorted: `MaxLength="256"`, `Precision`, `Unicode`, ...
pub type Facets = Vec<(String, String)>;

/// Index of a type in [`Model::types`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A namespace-qualified name such as `microsoft.graph.call`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QualifiedName {
    pub namespace: String,
    pub name: String,
}

impl fmt::Display for QualifiedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.namespace, self.name)
    }
}

impl QualifiedName {
    /// Whether this is `qualified` (`namespace.name`), without formatting it.
    fn is(&self, qualified: &str) -> bool {
        qualified
            .strip_prefix(self.namespace.as_str())
            .and_then(|rest| rest.strip_prefix('.'))
            .is_some_and(|rest| rest == self.name)
    }
}

#[derive(Clone, Debug)]
pub struct Model {
    /// Namespaces with their aliases, sorted by name.
    pub namespaces: Vec<Namespace>,
    /// Every type, sorted by qualified name; a [`TypeId`] indexes this.
    pub types: Vec<Type>,
    /// Actions and functions, sorted by name, then by binding type.
    pub operations: Vec<Operation>,
    pub container: Option<Container>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Namespace {
    pub name: String,
    pub alias: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Type {
    pub name: QualifiedName,
    pub description: Option<String>,
    pub location: Location,
    pub kind: TypeKind,
}

#[derive(Clone, Debug)]
pub enum TypeKind {
    Structured(Structured),
    Enum(Enum),
    /// A `TypeDefinition`: a named primitive.
    Definition {
        underlying: Primitive,
        facets: Facets,
    },
}

/// An entity or complex type.
#[derive(Clone, Debug)]
pub struct Structured {
    pub kind: StructuredKind,
    pub base: Option<TypeId>,
    pub is_abstract: bool,
    pub is_open: bool,
    pub has_stream: bool,
    pub key: Vec<String>,
    /// Declared on this type only, sorted by name; see [`Model::all_properties`].
    pub properties: Vec<Property>,
    pub navigation_properties: Vec<NavigationProperty>,
    /// Types whose `BaseType` is this one, sorted.
    pub derived: Vec<TypeId>,
    /// What may be done with entities of this type wherever they are found;
    /// a path's own restrictions come first.
    pub restrictions: Restrictions,
}

#[derive(Clone, Debug)]
pub struct Property {
    pub name: String,
    pub ty: TypeRef,
    pub nullable: bool,
    pub facets: Facets,
    pub description: Option<String>,
    pub location: Location,
}

#[derive(Clone, Debug)]
pub struct NavigationProperty {
    pub name: String,
    pub ty: TypeRef,
    pub nullable: bool,
    pub contains_target: bool,
    pub partner: Option<String>,
    pub description: Option<String>,
    /// What may be done at the place this (containment) navigation leads to.
    pub restrictions: Restrictions,
    pub location: Location,
}

#[derive(Clone, Debug)]
pub struct Enum {
    pub underlying: Option<String>,
    pub is_flags: bool,
    /// Sorted by value, then name.
    pub members: Vec<EnumMember>,
}

#[derive(Clone, Debug)]
pub struct EnumMember {
    pub name: String,
    pub value: i64,
    pub description: Option<String>,
    pub location: Location,
}

/// A reference to a type as a property, parameter or return type uses it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TypeRef {
    pub collection: bool,
    pub target: Target,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    Primitive(Primitive),
    Type(TypeId),
}

/// The `Edm.*` types. Those without a precise Rust form are carried as JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Primitive {
    Binary,
    Boolean,
    Byte,
    Date,
    DateTimeOffset,
    Decimal,
    Double,
    Duration,
    Guid,
    Int16,
    Int32,
    Int64,
    SByte,
    Single,
    Stream,
    String,
    TimeOfDay,
    /// Geography and geometry values, `Edm.Untyped` and the abstract
    /// `Edm.PrimitiveType` / `Edm.ComplexType` / `Edm.EntityType`.
    Json(&'static str),
}

const JSON_PRIMITIVES: &[&str] = &[
    "Untyped",
    "PrimitiveType",
    "ComplexType",
    "EntityType",
    "AnnotationPath",
    "PropertyPath",
    "NavigationPropertyPath",
    "Geography",
    "GeographyPoint",
    "GeographyLineString",
    "GeographyPolygon",
    "GeographyMultiPoint",
    "GeographyMultiLineString",
    "GeographyMultiPolygon",
    "GeographyCollection",
    "Geometry",
    "GeometryPoint",
    "GeometryLineString",
    "GeometryPolygon",
    "GeometryMultiPoint",
    "GeometryMultiLineString",
    "GeometryMultiPolygon",
    "GeometryCollection",
];

impl Primitive {
    fn parse(name: &str) -> Option<Primitive> {
        use Primitive::*;
        Some(match name {
            "Binary" => Binary,
            "Boolean" => Boolean,
            "Byte" => Byte,
            "Date" => Date,
            "DateTimeOffset" => DateTimeOffset,
            "Decimal" => Decimal,
            "Double" => Double,
            "Duration" => Duration,
            "Guid" => Guid,
            "Int16" => Int16,
            "Int32" => Int32,
            "Int64" => Int64,
            "SByte" => SByte,
            "Single" => Single,
            "Stream" => Stream,
            "String" => String,
            "TimeOfDay" => TimeOfDay,
            other => Json(JSON_PRIMITIVES.iter().find(|known| **known == other)?),
        })
    }

    /// The CSDL spelling, such as `Edm.Int32`.
    pub fn edm_name(self) -> String {
        let name = match self {
            Primitive::Json(name) => name,
            other => match other {
                Primitive::Binary => "Binary",
                Primitive::Boolean => "Boolean",
                Primitive::Byte => "Byte",
                Primitive::Date => "Date",
                Primitive::DateTimeOffset => "DateTimeOffset",
                Primitive::Decimal => "Decimal",
                Primitive::Double => "Double",
                Primitive::Duration => "Duration",
                Primitive::Guid => "Guid",
                Primitive::Int16 => "Int16",
                Primitive::Int32 => "Int32",
                Primitive::Int64 => "Int64",
                Primitive::SByte => "SByte",
                Primitive::Single => "Single",
                Primitive::Stream => "Stream",
                Primitive::String => "String",
                Primitive::TimeOfDay => "TimeOfDay",
                Primitive::Json(_) => unreachable!("handled above"),
            },
        };
        format!("Edm.{name}")
    }
}

#[derive(Clone, Debug)]
pub struct Operation {
    pub kind: OperationKind,
    pub name: QualifiedName,
    /// The binding parameter of a bound operation.
    pub binding: Option<Parameter>,
    /// The parameters after the binding parameter, in declared order.
    pub parameters: Vec<Parameter>,
    pub return_type: Option<ReturnType>,
    pub is_composable: bool,
    pub entity_set_path: Option<String>,
    pub description: Option<String>,
    pub location: Location,
}

impl Operation {
    /// Whether this operation is bound to one of `types` (a type and its
    /// bases, see [`Model::lineage`]), as a single value or a collection.
    pub fn binds(&self, types: &[TypeId], collection: bool) -> bool {
        self.binding.as_ref().is_some_and(|b| {
            b.ty.collection == collection
                && matches!(b.ty.target, Target::Type(t) if types.contains(&t))
        })
    }
}

#[derive(Clone, Debug)]
pub struct Parameter {
    pub name: String,
    pub ty: TypeRef,
    pub nullable: bool,
    pub optional: bool,
    /// `MaxLength`: the most characters a string takes (`None` for `max` or unstated).
    pub max_length: Option<usize>,
    pub facets: Facets,
    pub location: Location,
}

#[derive(Clone, Debug)]
pub struct ReturnType {
    pub ty: TypeRef,
    pub nullable: bool,
    pub facets: Facets,
}

#[derive(Clone, Debug)]
pub struct Container {
    pub name: QualifiedName,
    /// Sorted by name.
    pub entity_sets: Vec<ContainerEntry>,
    /// Sorted by name.
    pub singletons: Vec<ContainerEntry>,
    /// Capability restrictions of paths from the container, keyed by path
    /// without keys: `communications`, `communications/calls/participants`.
    pub path_restrictions: BTreeMap<String, Restrictions>,
    pub location: Location,
}

#[derive(Clone, Debug)]
pub struct ContainerEntry {
    pub name: String,
    pub ty: TypeId,
    /// `NavigationPropertyBinding` path and target, sorted.
    pub bindings: Vec<(String, String)>,
    pub location: Location,
}

impl Model {
    pub fn ty(&self, id: TypeId) -> &Type {
        &self.types[id.0]
    }

    pub fn structured(&self, id: TypeId) -> Option<&Structured> {
        match &self.ty(id).kind {
            TypeKind::Structured(s) => Some(s),
            _ => None,
        }
    }

    pub fn find(&self, qualified: &str) -> Option<TypeId> {
        self.types
            .iter()
            .position(|t| t.name.is(qualified))
            .map(TypeId)
    }

    /// The base chain of `id`, nearest first.
    pub fn ancestors(&self, id: TypeId) -> impl Iterator<Item = TypeId> + '_ {
        std::iter::successors(self.structured(id).and_then(|s| s.base), |base| {
            self.structured(*base).and_then(|s| s.base)
        })
    }

    /// `id` and every type derived from it, directly or not, sorted.
    pub fn with_descendants(&self, id: TypeId) -> Vec<TypeId> {
        let mut found = vec![id];
        let mut next = 0;
        while next < found.len() {
            if let Some(s) = self.structured(found[next]) {
                found.extend(s.derived.iter().copied());
            }
            next += 1;
        }
        found.sort();
        found
    }

    /// `id`'s bases, root first, then `id` itself.
    pub fn lineage(&self, id: TypeId) -> Vec<TypeId> {
        let mut chain: Vec<TypeId> = self.ancestors(id).collect();
        chain.reverse();
        chain.push(id);
        chain
    }

    /// The properties of `id` and its bases, base properties first.
    pub fn all_properties(&self, id: TypeId) -> Vec<&Property> {
        let lineage = self.lineage(id);
        lineage
            .iter()
            .filter_map(|t| self.structured(*t))
            .flat_map(|s| &s.properties)
            .collect()
    }

    /// The navigation properties of `id` and its bases, base ones first.
    pub fn all_navigation_properties(&self, id: TypeId) -> Vec<&NavigationProperty> {
        let lineage = self.lineage(id);
        lineage
            .iter()
            .filter_map(|t| self.structured(*t))
            .flat_map(|s| &s.navigation_properties)
            .collect()
    }

    /// Whether `id` is a callback notification that carries `resourceData`,
    /// which the API reference documents ("available as additional data ...
    /// either an entity or a collection of entities",
    /// https://learn.microsoft.com/graph/api/resources/commsnotification) and
    /// CSDL cannot declare: a type that declares it itself keeps its own.
    pub fn carries_resource_data(&self, id: TypeId) -> bool {
        let ty = self.ty(id);
        ty.name.namespace == "microsoft.graph"
            && ty.name.name == "commsNotification"
            && !self.all_properties(id).iter().any(|p| p.name == RESOURCE_DATA)
            && !self.all_navigation_properties(id).iter().any(|n| n.name == RESOURCE_DATA)
    }

    /// Where containment leads from an entity of type `id`: each containment
    /// navigation property (its own or inherited) and the type it contains.
    /// Only containment makes URL paths below the entity container; both the
    /// api plan and restriction targets (`ns.Container/set/nav`) walk this.
    pub fn containment(&self, id: TypeId) -> Vec<(&NavigationProperty, TypeId)> {
        self.all_navigation_properties(id)
            .into_iter()
            .filter(|n| n.contains_target)
            .filter_map(|n| match n.ty.target {
                Target::Type(ty) => Some((n, ty)),
                Target::Primitive(_) => None,
            })
            .collect()
    }

    /// Whether `op` is a function that an action of the same name and binding
    /// shadows (a departure from CSDL Microsoft publishes), so its Rust names
    /// must differ from the action's.
    pub fn is_function_beside_action(&self, op: &Operation) -> bool {
        op.kind == OperationKind::Function
            && self.operations.iter().any(|other| {
                other.kind == OperationKind::Action
                    && other.name == op.name
                    && other.binding.as_ref().map(|b| b.ty) == op.binding.as_ref().map(|b| b.ty)
            })
    }

    /// The bound operations whose binding parameter is `id` or one of its bases,
    /// as a single value (`collection == false`) or a collection.
    pub fn bound_operations(&self, id: TypeId, collection: bool) -> Vec<&Operation> {
        let lineage = self.lineage(id);
        self.operations
            .iter()
            .filter(|op| op.binds(&lineage, collection))
            .collect()
    }
}

/// What resolution noticed but did not fail on, for the maintainer to read.
pub type Notices = Vec<String>;

/// Resolves `documents` into one model. `additions` are hand-written documents
/// that extend it: a type they declare is added, a property or enum member
/// they declare is added to the existing type. An addition that contradicts
/// the base is an error naming both places; one the base already has is
/// reported in the notices so it can be deleted.
pub fn resolve(documents: &[Document], additions: &[Document]) -> Result<(Model, Notices)> {
    let mut merged = Merged::default();
    for document in documents {
        merged.add_document(document, false)?;
    }
    let mut notices = Vec::new();
    for document in additions {
        notices.extend(merged.add_document(document, true)?);
    }
    let from_addition = |location: &Location| {
        additions
            .iter()
            .any(|d| std::sync::Arc::ptr_eq(&d.source, &location.source))
    };
    let (model, dropped) = Resolver::new(&merged)?.resolve(&from_addition)?;
    notices.extend(dropped);
    Ok((model, notices))
}

/// A qualified name borrowed from the documents: `(namespace, name)`. Tuples
/// order like [`QualifiedName`], so maps keyed by either sort the same way.
type NameKey<'d> = (&'d str, &'d str);

fn qualified_name((namespace, name): NameKey) -> QualifiedName {
    QualifiedName {
        namespace: namespace.to_owned(),
        name: name.to_owned(),
    }
}

/// Every declaration of every input document, keyed by qualified name.
///
/// Declarations are borrowed from the documents rather than copied (the
/// whole beta metadata holds thousands of types); a type that an addition
/// extends is copied then, through its [`Cow`].
#[derive(Default)]
struct Merged<'d> {
    namespaces: BTreeMap<&'d str, Option<&'d str>>,
    structured: BTreeMap<NameKey<'d>, Cow<'d, csdl::StructuredType>>,
    enums: BTreeMap<NameKey<'d>, Cow<'d, csdl::EnumType>>,
    definitions: BTreeMap<NameKey<'d>, &'d csdl::TypeDefinition>,
    operations: Vec<(&'d str, Cow<'d, csdl::Operation>)>,
    containers: Vec<(&'d str, &'d csdl::EntityContainer)>,
    /// Out-of-line annotations, and whether they come from an addition.
    annotations: Vec<(&'d csdl::TargetedAnnotations, bool)>,
    /// Where each type name was first declared, to report duplicates.
    declared: HashMap<NameKey<'d>, &'d Location>,
}

impl<'d> Merged<'d> {
    fn add_document(&mut self, document: &'d Document, is_addition: bool) -> Result<Notices> {
        let mut notices = Vec::new();
        for schema in &document.schemas {
            let namespace = schema.namespace.as_str();
            let alias = schema.alias.as_deref();
            match self.namespaces.get(namespace) {
                Some(have) if alias.is_some() && *have != alias && have.is_some() => {
                    return Err(Error::at(
                        &schema.location,
                        format!("namespace `{namespace}` is given two different aliases"),
                    ));
                }
                Some(Some(_)) => {}
                _ => {
                    self.namespaces.insert(namespace, alias);
                }
            }
            for ty in &schema.structured_types {
                let name = (namespace, ty.name.as_str());
                if is_addition && let Some(existing) = self.structured.get_mut(&name) {
                    notices.extend(extend_structured(
                        &qualified_name(name),
                        existing.to_mut(),
                        ty,
                    )?);
                    continue;
                }
                self.declare(name, &ty.location)?;
                self.structured.insert(name, Cow::Borrowed(ty));
            }
            for ty in &schema.enum_types {
                let name = (namespace, ty.name.as_str());
                if is_addition && let Some(existing) = self.enums.get_mut(&name) {
                    notices.extend(extend_enum(&qualified_name(name), existing.to_mut(), ty)?);
                    continue;
                }
                self.declare(name, &ty.location)?;
                self.enums.insert(name, Cow::Borrowed(ty));
            }
            for ty in &schema.type_definitions {
                let name = (namespace, ty.name.as_str());
                self.declare(name, &ty.location)?;
                self.definitions.insert(name, ty);
            }
            for op in &schema.operations {
                let existing = self.operations.iter().position(|(ns, have)| {
                    *ns == namespace && have.name == op.name && self.same_binding(have, op)
                });
                match existing {
                    Some(index) if is_addition => {
                        let name = format!("{namespace}.{}", op.name);
                        notices.extend(extend_operation(
                            &name,
                            self.operations[index].1.to_mut(),
                            op,
                        )?);
                    }
                    _ => self.operations.push((namespace, Cow::Borrowed(op))),
                }
            }
            self.containers
                .extend(schema.containers.iter().map(|c| (namespace, c)));
            self.annotations
                .extend(schema.annotations.iter().map(|a| (a, is_addition)));
        }
        Ok(notices)
    }

    /// Whether two declarations bind to the same type, aliases expanded.
    fn same_binding(&self, a: &csdl::Operation, b: &csdl::Operation) -> bool {
        let binding = |op: &csdl::Operation| -> Option<String> {
            let raw = op
                .parameters
                .first()
                .filter(|_| op.is_bound)?
                .type_name
                .as_str();
            let (collection, inner) = match raw
                .strip_prefix("Collection(")
                .and_then(|r| r.strip_suffix(')'))
            {
                Some(inner) => (true, inner),
                None => (false, raw),
            };
            let (prefix, simple) = inner.rsplit_once('.')?;
            let namespace = self
                .namespaces
                .iter()
                .find(|(ns, alias)| **ns == prefix || **alias == Some(prefix))
                .map_or(prefix, |(ns, _)| *ns);
            Some(format!("{collection}:{namespace}.{simple}"))
        };
        binding(a) == binding(b)
    }

    fn declare(&mut self, name: NameKey<'d>, location: &'d Location) -> Result<()> {
        match self.declared.entry(name) {
            Entry::Occupied(first) => {
                let (namespace, name) = name;
                Err(Error::at(
                    location,
                    format!(
                        "type `{namespace}.{name}` is declared twice (first at {})",
                        first.get()
                    ),
                ))
            }
            Entry::Vacant(slot) => {
                slot.insert(location);
                Ok(())
            }
        }
    }
}

fn extend_structured(
    name: &QualifiedName,
    existing: &mut csdl::StructuredType,
    addition: &csdl::StructuredType,
) -> Result<Notices> {
    let mut notices = Vec::new();
    if addition.kind != existing.kind {
        return Err(Error::at(
            &addition.location,
            format!(
                "the addition to `{name}` declares it as a different kind of type than {}",
                existing.location
            ),
        ));
    }
    // Merged here, inline restrictions would be lost or be mistaken for the
    // schema's own; out of line they merge with the schema's statement by statement.
    let inline = std::iter::once((&addition.restrictions, &addition.location)).chain(
        addition
            .navigation_properties
            .iter()
            .filter(|n| {
                existing
                    .navigation_properties
                    .iter()
                    .any(|e| e.name == n.name)
            })
            .map(|n| (&n.restrictions, &n.location)),
    );
    for (restrictions, location) in inline {
        if !restrictions.is_empty() {
            return Err(Error::at(
                location,
                format!(
                    "capability restrictions added to `{name}`, which the schema declares, go in an out-of-line <Annotations Target=\"...\">"
                ),
            ));
        }
    }
    for property in &addition.properties {
        match existing.properties.iter().find(|p| p.name == property.name) {
            None => existing.properties.push(property.clone()),
            Some(have)
                if have.type_name == property.type_name && have.nullable == property.nullable =>
            {
                notices.push(format!(
                    "{}: `{name}.{}` is already in the schema at {}; delete this addition",
                    property.location, property.name, have.location
                ));
            }
            Some(have) => {
                return Err(Error::at(
                    &property.location,
                    format!(
                        "the addition `{name}.{}` ({}, nullable {}) contradicts the schema at {} ({}, nullable {})",
                        property.name,
                        property.type_name,
                        property.nullable,
                        have.location,
                        have.type_name,
                        have.nullable
                    ),
                ));
            }
        }
    }
    for navigation in &addition.navigation_properties {
        if existing
            .navigation_properties
            .iter()
            .any(|n| n.name == navigation.name)
        {
            notices.push(format!(
                "{}: navigation property `{name}.{}` is already in the schema; delete this addition",
                navigation.location, navigation.name
            ));
        } else {
            existing.navigation_properties.push(navigation.clone());
        }
    }
    Ok(notices)
}

/// An addition to an operation: parameters it lacks, or facets (such as the
/// documented `MaxLength` of a string) on parameters it has.
fn extend_operation(
    name: &str,
    existing: &mut csdl::Operation,
    addition: &csdl::Operation,
) -> Result<Notices> {
    let mut notices = Vec::new();
    // The binding parameter only says which overload is meant.
    for parameter in addition
        .parameters
        .iter()
        .skip(usize::from(addition.is_bound))
    {
        let Some(have) = existing
            .parameters
            .iter_mut()
            .find(|p| p.name == parameter.name)
        else {
            existing.parameters.push(parameter.clone());
            continue;
        };
        if have.type_name != parameter.type_name {
            return Err(Error::at(
                &parameter.location,
                format!(
                    "the addition to parameter `{}` of `{name}` ({}) contradicts the schema at {} ({})",
                    parameter.name, parameter.type_name, have.location, have.type_name
                ),
            ));
        }
        for (facet, value) in &parameter.facets {
            match have.facets.iter().find(|(f, _)| f == facet) {
                None => {
                    have.facets.push((facet.clone(), value.clone()));
                    have.facets.sort();
                }
                Some((_, v)) if v == value => notices.push(format!(
                    "{}: `{facet}` of parameter `{}` of `{name}` is already in the schema at {}; delete this addition",
                    parameter.location, parameter.name, have.location
                )),
                Some((_, v)) => {
                    return Err(Error::at(
                        &parameter.location,
                        format!(
                            "the addition `{facet}=\"{value}\"` to parameter `{}` of `{name}` contradicts the schema at {} (`{v}`)",
                            parameter.name, have.location
                        ),
                    ));
                }
            }
        }
    }
    Ok(notices)
}

fn extend_enum(
    name: &QualifiedName,
    existing: &mut csdl::EnumType,
    addition: &csdl::EnumType,
) -> Result<Notices> {
    let mut notices = Vec::new();
    for member in &addition.members {
        match existing.members.iter().find(|m| m.name == member.name) {
            None => existing.members.push(member.clone()),
            Some(have) if have.value == member.value => notices.push(format!(
                "{}: `{name}.{}` is already in the schema at {}; delete this addition",
                member.location, member.name, have.location
            )),
            Some(have) => {
                return Err(Error::at(
                    &member.location,
                    format!(
                        "the addition `{name}.{}` = {} contradicts the schema at {} (= {})",
                        member.name, member.value, have.location, have.value
                    ),
                ));
            }
        }
    }
    Ok(notices)
}

struct Resolver<'m> {
    merged: &'m Merged<'m>,
    /// Alias or namespace, to namespace. A document has a handful of
    /// namespaces, so a linear scan is quicker here than hashing.
    namespaces: Vec<(&'m str, &'m str)>,
    ids: HashMap<NameKey<'m>, TypeId>,
    /// The kind of each type that is structured, indexed by [`TypeId`].
    structured_kinds: Vec<Option<StructuredKind>>,
    /// What the documents do that CSDL does not allow but Microsoft publishes.
    departures: RefCell<Departures>,
}

impl<'m> Resolver<'m> {
    fn new(merged: &'m Merged<'m>) -> Result<Self> {
        let mut namespaces = Vec::new();
        for (name, alias) in &merged.namespaces {
            namespaces.push((*name, *name));
            if let Some(alias) = alias {
                namespaces.push((*alias, *name));
            }
        }
        // Ids follow the sorted order of qualified names.
        let mut names: Vec<(NameKey<'m>, Option<StructuredKind>)> = merged
            .structured
            .iter()
            .map(|(name, ty)| (*name, Some(ty.kind.into())))
            .chain(merged.enums.keys().map(|name| (*name, None)))
            .chain(merged.definitions.keys().map(|name| (*name, None)))
            .collect();
        names.sort_by_key(|(name, _)| *name);
        let ids = names
            .iter()
            .enumerate()
            .map(|(i, (name, _))| (*name, TypeId(i)))
            .collect();
        let structured_kinds = names.iter().map(|(_, kind)| *kind).collect();
        Ok(Resolver {
            merged,
            namespaces,
            ids,
            structured_kinds,
            departures: RefCell::default(),
        })
    }

    /// Resolves `raw` (`graph.call`, `Collection(Edm.String)`) as written at `location`.
    fn type_ref(&self, raw: &str, location: &Location) -> Result<TypeRef> {
        let (collection, inner) = match raw
            .strip_prefix("Collection(")
            .and_then(|r| r.strip_suffix(')'))
        {
            Some(inner) => (true, inner.trim()),
            None => (false, raw.trim()),
        };
        if inner.starts_with("Collection(") {
            return Err(Error::at(
                location,
                format!("`{raw}`: a collection of collections is not allowed in CSDL"),
            ));
        }
        Ok(TypeRef {
            collection,
            target: self.target(inner, location)?,
        })
    }

    fn target(&self, name: &str, location: &Location) -> Result<Target> {
        if let Some(edm) = name.strip_prefix("Edm.") {
            return Primitive::parse(edm)
                .map(Target::Primitive)
                .ok_or_else(|| Error::at(location, format!("unknown primitive type `{name}`")));
        }
        self.named(name, location).map(Target::Type)
    }

    fn named(&self, name: &str, location: &Location) -> Result<TypeId> {
        let qualified = self.qualify(name, location)?;
        self.ids
            .get(&qualified)
            .copied()
            .ok_or_else(|| Error::at(location, format!("unknown type `{name}`")))
    }

    /// `name` with its alias expanded, borrowing rather than allocating: this
    /// runs for every type reference in the documents.
    fn qualify<'n>(&self, name: &'n str, location: &Location) -> Result<NameKey<'n>>
    where
        'm: 'n,
    {
        let Some((prefix, simple)) = name.rsplit_once('.') else {
            return Err(Error::at(
                location,
                format!("type name `{name}` is not qualified with a namespace"),
            ));
        };
        // The last entry for a name wins, as in a map that each entry overwrote.
        let (_, namespace) = self
            .namespaces
            .iter()
            .rev()
            .find(|(known, _)| *known == prefix)
            .ok_or_else(|| {
                Error::at(
                    location,
                    format!("`{name}`: no namespace or alias `{prefix}`"),
                )
            })?;
        Ok((*namespace, simple))
    }

    /// The model, and notices for additions dropped because a derived type now
    /// declares the same property (`from_addition` tells where a declaration came from).
    fn resolve(&self, from_addition: &dyn Fn(&Location) -> bool) -> Result<(Model, Notices)> {
        let mut types: Vec<Option<Type>> = vec![None; self.ids.len()];
        for (name, ty) in &self.merged.structured {
            types[self.ids[name].0] = Some(self.structured(*name, ty)?);
        }
        for (name, ty) in &self.merged.enums {
            types[self.ids[name].0] = Some(self.enumeration(*name, ty)?);
        }
        for (name, ty) in &self.merged.definitions {
            let underlying = match self.target(&ty.underlying_type, &ty.location)? {
                Target::Primitive(p) => p,
                Target::Type(_) => {
                    return Err(Error::at(
                        &ty.location,
                        "a type definition's underlying type must be an Edm primitive",
                    ));
                }
            };
            types[self.ids[name].0] = Some(Type {
                name: qualified_name(*name),
                description: ty.description.clone(),
                location: ty.location.clone(),
                kind: TypeKind::Definition {
                    underlying,
                    facets: Vec::new(),
                },
            });
        }
        let mut types: Vec<Type> = types
            .into_iter()
            .map(|t| t.expect("every id is filled"))
            .collect();
        link_derived(&mut types)?;
        let dropped = drop_additions_shadowed_by_derived_types(&mut types, from_addition);
        check_inherited_names(&types)?;
        self.attach_descriptions(&mut types);

        // Each operation's binding key is computed once, not at every comparison.
        let mut operations = Vec::with_capacity(self.merged.operations.len());
        for (namespace, op) in &self.merged.operations {
            let op = self.operation(namespace, op)?;
            operations.push((binding_key(&op, &types), op));
        }
        // Actions before functions of the same name and binding.
        operations.sort_by(|(a_key, a), (b_key, b)| {
            (&a.name, a_key, a.kind).cmp(&(&b.name, b_key, b.kind))
        });
        for pair in operations.windows(2) {
            let [(first_key, first), (second_key, second)] = pair else {
                unreachable!("windows of two")
            };
            if first.name != second.name || first_key != second_key {
                continue;
            }
            match (first.kind, second.kind) {
                (OperationKind::Action, OperationKind::Action) => {
                    return Err(Error::at(
                        &second.location,
                        format!(
                            "action `{}` is declared twice for the same binding (first at {})",
                            second.name, first.location
                        ),
                    ));
                }
                // Functions overload; only the first function after the action counts.
                (OperationKind::Action, OperationKind::Function) => {
                    self.departures.borrow_mut().record(
                        Departure::ActionAndFunctionShareName,
                        &second.location,
                        &second.name.to_string(),
                    );
                }
                _ => {}
            }
        }
        let mut operations: Vec<Operation> = operations.into_iter().map(|(_, op)| op).collect();
        self.attach_operation_descriptions(&mut operations);

        let container = match self.merged.containers.as_slice() {
            [] => None,
            [(namespace, container)] => Some(self.container(namespace, container)?),
            [_, (_, second), ..] => {
                return Err(Error::at(
                    &second.location,
                    "a second <EntityContainer>; a service has exactly one",
                ));
            }
        };
        let mut model = Model {
            namespaces: self.namespaces(),
            types,
            operations,
            container,
        };
        let mut notices = dropped;
        notices.extend(self.attach_restrictions(&mut model)?);
        notices.extend(self.departures.borrow().notes());
        Ok((model, notices))
    }

    fn namespaces(&self) -> Vec<Namespace> {
        self.merged
            .namespaces
            .iter()
            .map(|(name, alias)| Namespace {
                name: (*name).to_owned(),
                alias: alias.map(str::to_owned),
            })
            .collect()
    }

    fn structured(&self, name: NameKey, ty: &csdl::StructuredType) -> Result<Type> {
        let base = match &ty.base_type {
            Some(base) => {
                let id = self.named(base, &ty.location)?;
                if self.structured_kinds[id.0] != Some(ty.kind.into()) {
                    let name = qualified_name(name);
                    return Err(Error::at(
                        &ty.location,
                        format!(
                            "`{name}` is {} but its base type `{base}` is not",
                            kind_name(ty.kind.into())
                        ),
                    ));
                }
                Some(id)
            }
            None => None,
        };
        let mut properties = Vec::with_capacity(ty.properties.len());
        for p in &ty.properties {
            self.check_name(&p.name, &p.location)?;
            properties.push(Property {
                name: p.name.clone(),
                ty: self.type_ref(&p.type_name, &p.location)?,
                nullable: p.nullable,
                facets: p.facets.clone(),
                description: p.description.clone(),
                location: p.location.clone(),
            });
        }
        let mut navigation_properties = Vec::with_capacity(ty.navigation_properties.len());
        for n in &ty.navigation_properties {
            self.check_name(&n.name, &n.location)?;
            let nav_ty = self.type_ref(&n.type_name, &n.location)?;
            if !matches!(nav_ty.target, Target::Type(t) if self.is_entity(t)) {
                return Err(Error::at(
                    &n.location,
                    format!(
                        "navigation property `{}` must target an entity type",
                        n.name
                    ),
                ));
            }
            navigation_properties.push(NavigationProperty {
                name: n.name.clone(),
                ty: nav_ty,
                nullable: n.nullable,
                contains_target: n.contains_target,
                partner: n.partner.clone(),
                description: n.description.clone(),
                restrictions: n.restrictions,
                location: n.location.clone(),
            });
        }
        properties.sort_by(|a, b| a.name.cmp(&b.name));
        navigation_properties.sort_by(|a, b| a.name.cmp(&b.name));
        let mut key = ty.key.clone();
        key.sort();
        self.check_name(&ty.name, &ty.location)?;
        Ok(Type {
            name: qualified_name(name),
            description: ty.description.clone(),
            location: ty.location.clone(),
            kind: TypeKind::Structured(Structured {
                kind: ty.kind.into(),
                base,
                is_abstract: ty.is_abstract,
                is_open: ty.is_open,
                has_stream: ty.has_stream,
                key,
                properties,
                navigation_properties,
                derived: Vec::new(),
                restrictions: ty.restrictions,
            }),
        })
    }

    /// [`check_name`], recording an accepted departure.
    fn check_name(&self, name: &str, location: &Location) -> Result<()> {
        if !check_name(name, location)? {
            self.departures
                .borrow_mut()
                .record(Departure::NameNotIdentifier, location, name);
        }
        Ok(())
    }

    fn is_entity(&self, id: TypeId) -> bool {
        self.structured_kinds[id.0] == Some(StructuredKind::Entity)
    }

    fn enumeration(&self, name: NameKey, ty: &csdl::EnumType) -> Result<Type> {
        let name = qualified_name(name);
        self.check_name(&ty.name, &ty.location)?;
        if ty.members.is_empty() {
            self.departures.borrow_mut().record(
                Departure::EmptyEnum,
                &ty.location,
                &name.to_string(),
            );
        }
        let mut members: Vec<EnumMember> = Vec::with_capacity(ty.members.len());
        for m in &ty.members {
            self.check_name(&m.name, &m.location)?;
            if let Some(first) = members.iter().find(|have| have.name == m.name) {
                return Err(Error::at(
                    &m.location,
                    format!(
                        "enum member `{}` is declared twice (first at {})",
                        m.name, first.location
                    ),
                ));
            }
            members.push(EnumMember {
                name: m.name.clone(),
                value: m.value,
                description: m.description.clone(),
                location: m.location.clone(),
            });
        }
        members.sort_by(|a, b| (a.value, &a.name).cmp(&(b.value, &b.name)));
        Ok(Type {
            name,
            description: ty.description.clone(),
            location: ty.location.clone(),
            kind: TypeKind::Enum(Enum {
                underlying: ty.underlying_type.clone(),
                is_flags: ty.is_flags,
                members,
            }),
        })
    }

    fn operation(&self, namespace: &str, op: &csdl::Operation) -> Result<Operation> {
        self.check_name(&op.name, &op.location)?;
        let mut parameters = Vec::with_capacity(op.parameters.len());
        for p in &op.parameters {
            self.check_name(&p.name, &p.location)?;
            if parameters
                .iter()
                .any(|have: &Parameter| have.name == p.name)
            {
                return Err(Error::at(
                    &p.location,
                    format!("parameter `{}` is declared twice", p.name),
                ));
            }
            parameters.push(Parameter {
                name: p.name.clone(),
                ty: self.type_ref(&p.type_name, &p.location)?,
                nullable: p.nullable,
                optional: p.optional,
                max_length: max_length(&p.facets, &p.location)?,
                facets: p.facets.clone(),
                location: p.location.clone(),
            });
        }
        let binding = if op.is_bound {
            Some(parameters.remove(0))
        } else {
            None
        };
        let return_type = match &op.return_type {
            Some(r) => Some(ReturnType {
                ty: self.type_ref(&r.type_name, &r.location)?,
                nullable: r.nullable,
                facets: r.facets.clone(),
            }),
            None => None,
        };
        Ok(Operation {
            kind: op.kind.into(),
            name: QualifiedName {
                namespace: namespace.to_owned(),
                name: op.name.clone(),
            },
            binding,
            parameters,
            return_type,
            is_composable: op.is_composable,
            entity_set_path: op.entity_set_path.clone(),
            description: op.description.clone(),
            location: op.location.clone(),
        })
    }

    fn container(&self, namespace: &str, container: &csdl::EntityContainer) -> Result<Container> {
        let entries = |list: &[csdl::ContainerEntry]| -> Result<Vec<ContainerEntry>> {
            let mut out = Vec::new();
            for entry in list {
                let ty = self.named(&entry.type_name, &entry.location)?;
                if !self.is_entity(ty) {
                    return Err(Error::at(
                        &entry.location,
                        format!("`{}` must be an entity type", entry.type_name),
                    ));
                }
                let mut bindings = entry.bindings.clone();
                bindings.sort();
                out.push(ContainerEntry {
                    name: entry.name.clone(),
                    ty,
                    bindings,
                    location: entry.location.clone(),
                });
            }
            out.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(out)
        };
        Ok(Container {
            name: QualifiedName {
                namespace: namespace.to_owned(),
                name: container.name.clone(),
            },
            entity_sets: entries(&container.entity_sets)?,
            singletons: entries(&container.singletons)?,
            // Inline restrictions of entity sets and singletons.
            path_restrictions: container
                .entity_sets
                .iter()
                .chain(&container.singletons)
                .filter(|e| !e.restrictions.is_empty())
                .map(|e| (e.name.clone(), e.restrictions))
                .collect(),
            location: container.location.clone(),
        })
    }

    /// Out-of-line descriptions (`Target="ns.type"` or `"ns.type/property"`)
    /// fill in what the declarations themselves do not say.
    fn attach_descriptions(&self, types: &mut [Type]) {
        for (annotation, _) in &self.merged.annotations {
            let Some(description) = &annotation.description else {
                continue;
            };
            let (type_part, member) = match annotation.target.split_once('/') {
                Some((t, m)) => (t, Some(m)),
                None => (annotation.target.as_str(), None),
            };
            let Ok(id) = self.named(type_part, &annotation.location) else {
                continue;
            };
            let ty = &mut types[id.0];
            let slot = match (member, &mut ty.kind) {
                (None, _) => &mut ty.description,
                // Both lists are sorted by name, and `check_inherited_names`
                // has made the names unique, so a binary search finds the
                // one match (some types have hundreds of properties).
                (Some(member), TypeKind::Structured(s)) => {
                    if let Ok(i) = s
                        .properties
                        .binary_search_by(|p| p.name.as_str().cmp(member))
                    {
                        &mut s.properties[i].description
                    } else if let Ok(i) = s
                        .navigation_properties
                        .binary_search_by(|n| n.name.as_str().cmp(member))
                    {
                        &mut s.navigation_properties[i].description
                    } else {
                        continue;
                    }
                }
                (Some(member), TypeKind::Enum(e)) => {
                    match e.members.iter_mut().find(|m| m.name == member) {
                        Some(m) => &mut m.description,
                        None => continue,
                    }
                }
                _ => continue,
            };
            if slot.is_none() {
                *slot = Some(description.clone());
            }
        }
    }
}

impl Resolver<'_> {
    /// Out-of-line descriptions of operations: `Target="ns.op(ns.binding)"`
    /// for an action, `"ns.op(ns.binding, Edm.String)"` for a function (the
    /// types of all its parameters, to tell overloads apart).
    fn attach_operation_descriptions(&self, operations: &mut [Operation]) {
        for (annotation, _) in &self.merged.annotations {
            let Some(description) = &annotation.description else {
                continue;
            };
            let Some((name, signature)) = annotation
                .target
                .strip_suffix(')')
                .and_then(|t| t.split_once('('))
            else {
                continue;
            };
            let Ok((namespace, name)) = self.qualify(name, &annotation.location) else {
                continue;
            };
            let wanted: Vec<TypeRef> = signature
                .split(',')
                .map(|ty| self.type_ref(ty.trim(), &annotation.location))
                .collect::<Result<_>>()
                .unwrap_or_default();
            for op in operations.iter_mut() {
                let types: Vec<TypeRef> = op
                    .binding
                    .iter()
                    .chain(&op.parameters)
                    .map(|p| p.ty)
                    .collect();
                // An action is named by its binding only.
                let matches = match op.kind {
                    OperationKind::Action => types.first() == wanted.first() && wanted.len() == 1,
                    OperationKind::Function => types == wanted,
                };
                if op.name.namespace == namespace
                    && op.name.name == name
                    && matches
                    && op.description.is_none()
                {
                    op.description = Some(description.clone());
                }
            }
        }
    }

    /// Out-of-line capability restrictions go to what their target names: a
    /// path from the container (`ns.Container/set/nav/...`, as the vocabulary
    /// has it), or, as Microsoft's metadata also writes them, a navigation
    /// property (`ns.type/name`, wherever it is) or an entity type (`ns.type`). The metadata's own come
    /// first; an addition may only add what they leave unsaid.
    fn attach_restrictions(&self, model: &mut Model) -> Result<Notices> {
        let mut notices = Vec::new();
        let mut annotations: Vec<&(&csdl::TargetedAnnotations, bool)> = self
            .merged
            .annotations
            .iter()
            .filter(|(a, _)| !a.restrictions.is_empty())
            .collect();
        annotations.sort_by_key(|(_, is_addition)| *is_addition);
        for (annotation, is_addition) in annotations {
            // An addition written for one snapshot may name a path another
            // snapshot lacks (v1.0 has no `meetingAttendanceReport`), like an
            // addition shadowed by a derived type: a notice, not an error.
            let Some(slot) = self.restrictions_slot(model, &annotation.target) else {
                notices.push(format!(
                    "{}: capability restrictions for `{}`, which names no path from the entity container, navigation property or structured type here; not used",
                    annotation.location, annotation.target
                ));
                continue;
            };
            let have = *slot;
            let given = annotation.restrictions;
            for ((name, old), (_, new)) in have.all().into_iter().zip(given.all()) {
                let (Some(old), Some(new)) = (old, new) else {
                    continue;
                };
                let target = &annotation.target;
                // Metadata annotations come first, so `old` is the schema's
                // (or an earlier addition's) word.
                if old != new {
                    let message = if *is_addition {
                        format!(
                            "`{target}`: the addition says {name} is {new}, but it is already {old}"
                        )
                    } else {
                        format!(
                            "`{target}`: {name} is {new} here but {old} in another annotation of the schema"
                        )
                    };
                    return Err(Error::at(&annotation.location, message));
                }
                if *is_addition {
                    notices.push(format!(
                        "{}: {name} of `{target}` is already stated; delete it from the additions",
                        annotation.location
                    ));
                }
            }
            *slot = have.or(given);
        }
        Ok(notices)
    }

    /// Where the restrictions of `target` are kept, when it names something.
    fn restrictions_slot<'m>(
        &self,
        model: &'m mut Model,
        target: &str,
    ) -> Option<&'m mut Restrictions> {
        let (head, member) = match target.split_once('/') {
            Some((head, member)) => (head, Some(member)),
            None => (target, None),
        };
        let (prefix, name) = head.rsplit_once('.')?;
        let (_, namespace) = self
            .namespaces
            .iter()
            .rev()
            .find(|(known, _)| *known == prefix)?;
        if let (Some(container), Some(path)) = (&model.container, member)
            && *namespace == container.name.namespace
            && name == container.name.name
        {
            // A path from the container: an entity set or singleton, then
            // navigation properties (CSDL 4.01, 14.1.3).
            let mut segments = path.split('/');
            let first = segments.next()?;
            let mut ty = container
                .entity_sets
                .iter()
                .chain(&container.singletons)
                .find(|e| e.name == first)?
                .ty;
            for segment in segments {
                ty = model
                    .containment(ty)
                    .into_iter()
                    .find(|(n, _)| n.name == segment)?
                    .1;
            }
            let container = model.container.as_mut()?;
            return Some(
                container
                    .path_restrictions
                    .entry(path.to_owned())
                    .or_default(),
            );
        }
        let id = *self.ids.get(&(*namespace, name))?;
        let TypeKind::Structured(s) = &mut model.types[id.0].kind else {
            return None;
        };
        match member {
            None => Some(&mut s.restrictions),
            Some(member) => s
                .navigation_properties
                .iter_mut()
                .find(|n| n.name == member)
                .map(|n| &mut n.restrictions),
        }
    }
}

/// The `MaxLength` facet: a count of characters, `max` (no limit) or absent.
fn max_length(facets: &Facets, location: &Location) -> Result<Option<usize>> {
    match facets.iter().find(|(name, _)| name == "MaxLength") {
        None => Ok(None),
        Some((_, value)) if value == "max" => Ok(None),
        Some((_, value)) => value.parse().map(Some).map_err(|_| {
            Error::at(
                location,
                format!("`MaxLength` must be a whole number or `max`, not `{value}`"),
            )
        }),
    }
}

fn kind_name(kind: StructuredKind) -> &'static str {
    match kind {
        StructuredKind::Entity => "an entity type",
        StructuredKind::Complex => "a complex type",
    }
}

fn binding_key(op: &Operation, types: &[Type]) -> Option<(bool, String)> {
    op.binding.as_ref().map(|b| {
        let name = match b.ty.target {
            Target::Type(id) => types[id.0].name.to_string(),
            Target::Primitive(p) => p.edm_name(),
        };
        (b.ty.collection, name)
    })
}

/// CSDL simple identifiers: a letter or `_`, then letters, digits or `_`
/// (CSDL allows any Unicode letter; we accept what Rust can also spell).
/// `Ok(false)` is a name Microsoft publishes that is not an identifier but
/// is one once its hyphens after the first character are read as `_`
/// (`request-id`): accepted,
/// and reported as a [`Departure`]. Anything else is refused.
fn check_name(name: &str, location: &Location) -> Result<bool> {
    const MAX_NAME: usize = 511; // CSDL 4.0 limits simple identifiers to 511 characters.
    let is_identifier = |name: &str| {
        let mut chars = name.chars();
        chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
            && chars.all(|c| c.is_alphanumeric() || c == '_')
    };
    let strict = is_identifier(name);
    if !strict && (name.starts_with('-') || !is_identifier(&name.replace('-', "_"))) {
        return Err(Error::at(
            location,
            format!("`{}` is not a valid CSDL identifier", truncate(name)),
        ));
    }
    // A name has no more characters than bytes: count them only when it might be too long.
    if name.len() > MAX_NAME && name.chars().count() > MAX_NAME {
        return Err(Error::at(
            location,
            format!(
                "the name `{}` is longer than the {MAX_NAME} characters CSDL allows",
                truncate(name)
            ),
        ));
    }
    Ok(strict)
}

fn truncate(name: &str) -> String {
    match name.char_indices().nth(40) {
        Some((cut, _)) => format!("{}…", &name[..cut]),
        None => name.to_owned(),
    }
}

/// Fills [`Structured::derived`] and rejects base-type cycles.
fn link_derived(types: &mut [Type]) -> Result<()> {
    let bases: Vec<Option<TypeId>> = types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Structured(s) => s.base,
            _ => None,
        })
        .collect();
    for (start, _) in bases.iter().enumerate() {
        let mut seen = vec![start];
        let mut current = bases[start];
        while let Some(TypeId(next)) = current {
            if next == start {
                let chain: Vec<String> = seen.iter().map(|i| types[*i].name.to_string()).collect();
                return Err(Error::at(
                    &types[start].location,
                    format!(
                        "base type cycle: {} -> {}",
                        chain.join(" -> "),
                        types[start].name
                    ),
                ));
            }
            if seen.contains(&next) {
                break; // a cycle that does not pass through `start`; reported from its own members
            }
            seen.push(next);
            current = bases[next];
        }
    }
    for (derived, base) in bases.iter().enumerate() {
        if let Some(TypeId(base)) = base
            && let TypeKind::Structured(s) = &mut types[*base].kind
        {
            s.derived.push(TypeId(derived));
        }
    }
    Ok(())
}

/// An addition to a base type (say `identitySet.phone`, as the API reference
/// documents it) that a newer schema declares on a derived type instead
/// (`communicationsIdentitySet.phone`) would declare the property twice. The
/// schema wins: the addition is dropped and a notice says so.
fn drop_additions_shadowed_by_derived_types(
    types: &mut [Type],
    from_addition: &dyn Fn(&Location) -> bool,
) -> Notices {
    let mut drops: Vec<(usize, String, String)> = Vec::new();
    for (index, ty) in types.iter().enumerate() {
        let TypeKind::Structured(s) = &ty.kind else {
            continue;
        };
        for property in s.properties.iter().filter(|p| from_addition(&p.location)) {
            let mut pending: Vec<TypeId> = s.derived.clone();
            while let Some(derived) = pending.pop() {
                let TypeKind::Structured(d) = &types[derived.0].kind else {
                    continue;
                };
                if let Some(have) = d.properties.iter().find(|p| p.name == property.name) {
                    drops.push((
                        index,
                        property.name.clone(),
                        format!(
                            "{}: `{}.{}` is declared by the derived type `{}` at {}; the addition is not used, delete it",
                            property.location, ty.name, property.name, types[derived.0].name, have.location
                        ),
                    ));
                    break;
                }
                pending.extend(d.derived.iter().copied());
            }
        }
    }
    let mut notices = Vec::new();
    for (index, name, notice) in drops {
        if let TypeKind::Structured(s) = &mut types[index].kind {
            s.properties.retain(|p| p.name != name);
        }
        notices.push(notice);
    }
    notices
}

/// A property may not be declared again by a derived type, since both would
/// land in the same JSON object.
fn check_inherited_names(types: &[Type]) -> Result<()> {
    // One map for all types, cleared for each: it keeps its capacity.
    let mut seen: HashMap<&str, &Location> = HashMap::new();
    for ty in types {
        let TypeKind::Structured(s) = &ty.kind else {
            continue;
        };
        seen.clear();
        let mut chain = vec![s];
        let mut base = s.base;
        while let Some(id) = base {
            let TypeKind::Structured(b) = &types[id.0].kind else {
                break;
            };
            chain.push(b);
            base = b.base;
        }
        for level in chain.iter().rev() {
            let names = level
                .properties
                .iter()
                .map(|p| (p.name.as_str(), &p.location))
                .chain(
                    level
                        .navigation_properties
                        .iter()
                        .map(|n| (n.name.as_str(), &n.location)),
                );
            for (name, location) in names {
                if let Some(first) = seen.insert(name, location) {
                    return Err(Error::at(
                        location,
                        format!(
                            "property `{name}` of `{}` is declared twice (first at {first})",
                            ty.name
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}
