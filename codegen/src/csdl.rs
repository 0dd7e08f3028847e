//! The CSDL reader: OData EDMX XML in, a plain syntax tree out.
//!
//! This layer knows XML and nothing else: names stay as written (aliases and
//! `Collection(...)` unresolved), every element keeps its [`Location`], and an
//! element the reader does not understand is an error rather than something
//! silently dropped. Resolution happens in [`crate::model`].

use std::sync::Arc;

use roxmltree::{Document as Xml, Node, ParsingOptions};

pub use crate::capabilities::Restrictions;
use crate::capabilities::{Statement, VOCABULARY, Value};
use crate::error::{Error, Location, Result, Source};

const EDMX_NS: &str = "http://docs.oasis-open.org/odata/ns/edmx";
const EDM_NS: &str = "http://docs.oasis-open.org/odata/ns/edm";
const DESCRIPTION: &str = "Org.OData.Core.V1.Description";
const LONG_DESCRIPTION: &str = "Org.OData.Core.V1.LongDescription";
const OPTIONAL_PARAMETER: &str = "Org.OData.Core.V1.OptionalParameter";

/// Documents larger than this are refused before parsing: the whole Graph
/// beta metadata is about 4 MB, so this leaves ample room while bounding memory.
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024 * 1024;

/// A parsed EDMX document: the schemas it holds, in document order.
#[derive(Debug)]
pub struct Document {
    pub source: Arc<Source>,
    pub schemas: Vec<Schema>,
}

#[derive(Debug)]
pub struct Schema {
    pub namespace: String,
    pub alias: Option<String>,
    pub structured_types: Vec<StructuredType>,
    pub enum_types: Vec<EnumType>,
    pub type_definitions: Vec<TypeDefinition>,
    pub operations: Vec<Operation>,
    pub containers: Vec<EntityContainer>,
    /// Out-of-line `<Annotations Target="...">` that say something the generator uses.
    pub annotations: Vec<TargetedAnnotations>,
    pub location: Location,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StructuredKind {
    Entity,
    Complex,
}

/// An `EntityType` or a `ComplexType`.
#[derive(Debug, Clone)]
pub struct StructuredType {
    pub kind: StructuredKind,
    pub name: String,
    pub base_type: Option<String>,
    pub is_abstract: bool,
    pub is_open: bool,
    pub has_stream: bool,
    pub key: Vec<String>,
    pub properties: Vec<Property>,
    pub navigation_properties: Vec<NavigationProperty>,
    pub description: Option<String>,
    pub restrictions: Restrictions,
    pub location: Location,
}

/// Facets and attributes the generator does not interpret but a slice keeps.
pub type Facets = Vec<(String, String)>;

#[derive(Debug, Clone)]
pub struct Property {
    pub name: String,
    pub type_name: String,
    pub nullable: bool,
    pub facets: Facets,
    pub description: Option<String>,
    pub location: Location,
}

#[derive(Debug, Clone)]
pub struct NavigationProperty {
    pub name: String,
    pub type_name: String,
    pub nullable: bool,
    pub contains_target: bool,
    pub partner: Option<String>,
    pub description: Option<String>,
    pub restrictions: Restrictions,
    pub location: Location,
}

#[derive(Debug, Clone)]
pub struct EnumType {
    pub name: String,
    pub underlying_type: Option<String>,
    pub is_flags: bool,
    pub members: Vec<EnumMember>,
    pub description: Option<String>,
    pub location: Location,
}

#[derive(Debug, Clone)]
pub struct EnumMember {
    pub name: String,
    pub value: i64,
    pub description: Option<String>,
    pub location: Location,
}

#[derive(Debug, Clone)]
pub struct TypeDefinition {
    pub name: String,
    pub underlying_type: String,
    pub description: Option<String>,
    pub location: Location,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OperationKind {
    Action,
    Function,
}

/// An `Action` or a `Function`. For a bound one the first parameter is the binding.
#[derive(Debug, Clone)]
pub struct Operation {
    pub kind: OperationKind,
    pub name: String,
    pub is_bound: bool,
    pub is_composable: bool,
    pub entity_set_path: Option<String>,
    pub parameters: Vec<Parameter>,
    pub return_type: Option<ReturnType>,
    pub description: Option<String>,
    pub location: Location,
}

#[derive(Debug, Clone)]
pub struct Parameter {
    pub name: String,
    pub type_name: String,
    pub nullable: bool,
    pub optional: bool,
    pub facets: Facets,
    pub location: Location,
}

#[derive(Debug, Clone)]
pub struct ReturnType {
    pub type_name: String,
    pub nullable: bool,
    pub facets: Facets,
    pub location: Location,
}

#[derive(Debug, Clone)]
pub struct EntityContainer {
    pub name: String,
    pub entity_sets: Vec<ContainerEntry>,
    pub singletons: Vec<ContainerEntry>,
    pub location: Location,
}

/// An `EntitySet` or a `Singleton`.
#[derive(Debug, Clone)]
pub struct ContainerEntry {
    pub name: String,
    pub type_name: String,
    pub bindings: Vec<(String, String)>,
    pub restrictions: Restrictions,
    pub location: Location,
}

/// Annotations given out of line: `<Annotations Target="ns.type/property">`.
#[derive(Debug, Clone)]
pub struct TargetedAnnotations {
    pub target: String,
    pub description: Option<String>,
    pub restrictions: Restrictions,
    pub location: Location,
}

/// Reads one EDMX document. `name` is what errors call the file.
pub fn read(name: &str, text: String) -> Result<Document> {
    let source = Arc::new(Source {
        name: name.to_owned(),
        text,
    });
    if source.text.len() > MAX_DOCUMENT_BYTES {
        return Err(Error::new(format!(
            "{name}: the document is {} bytes; the reader accepts at most {MAX_DOCUMENT_BYTES}",
            source.text.len()
        )));
    }
    // Entity declarations (`<!DOCTYPE ... <!ENTITY`) are refused by roxmltree
    // when DTDs are not allowed, which rules out entity expansion attacks.
    let options = ParsingOptions {
        allow_dtd: false,
        ..ParsingOptions::default()
    };
    let xml = Xml::parse_with_options(&source.text, options).map_err(|e| xml_error(&source, e))?;
    let reader = Reader {
        source: &source,
        vocabulary_aliases: vocabulary_aliases(xml.root_element()),
    };
    let schemas = reader.edmx(xml.root_element())?;
    Ok(Document {
        source: source.clone(),
        schemas,
    })
}

fn xml_error(source: &Arc<Source>, error: roxmltree::Error) -> Error {
    let pos = error.pos();
    // roxmltree ends its messages with " at row:col"; the prefix says it already.
    let message = error.to_string();
    let message = message
        .strip_suffix(&format!(" at {}:{}", pos.row, pos.col))
        .unwrap_or(&message);
    // A document that stops short is reported where it stops, not where it began.
    let truncated = matches!(
        error,
        roxmltree::Error::UnexpectedEndOfStream | roxmltree::Error::UnclosedRootNode
    );
    let (row, col) = if truncated {
        let end = Location {
            source: source.clone(),
            offset: source.text.len(),
        };
        end.line_column()
    } else {
        (pos.row as usize, pos.col as usize)
    };
    Error::new(format!(
        "{}:{row}:{col}: malformed XML: {message}",
        source.name
    ))
}

struct Reader<'s> {
    source: &'s Arc<Source>,
    /// `<edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"/>`: alias, namespace.
    vocabulary_aliases: Vec<(String, String)>,
}

/// The aliases `edmx:Reference/edmx:Include` give to referenced namespaces,
/// so `Core.Description` reads as `Org.OData.Core.V1.Description`.
fn vocabulary_aliases(root: Node) -> Vec<(String, String)> {
    elements(root)
        .filter(|r| r.tag_name().namespace() == Some(EDMX_NS) && r.tag_name().name() == "Reference")
        .flat_map(elements)
        .filter(|i| i.tag_name().namespace() == Some(EDMX_NS) && i.tag_name().name() == "Include")
        .filter_map(|i| {
            Some((
                i.attribute("Alias")?.to_owned(),
                i.attribute("Namespace")?.to_owned(),
            ))
        })
        .collect()
}

impl Reader<'_> {
    fn location(&self, node: Node) -> Location {
        Location {
            source: self.source.clone(),
            offset: node.range().start,
        }
    }

    /// An annotation's `Term`, with a vocabulary alias replaced by its namespace.
    fn term(&self, node: Node) -> Result<String> {
        let term = self.required_str(node, "Term")?;
        for (alias, namespace) in &self.vocabulary_aliases {
            if let Some(rest) = term
                .strip_prefix(alias.as_str())
                .and_then(|r| r.strip_prefix('.'))
            {
                return Ok(format!("{namespace}.{rest}"));
            }
        }
        Ok(term.to_owned())
    }

    /// Whether `node` carries an inline annotation of `term` (by any alias).
    fn has_term(&self, node: Node, term: &str) -> Result<bool> {
        for annotation in elements(node).filter(|a| is_edm(*a, "Annotation")) {
            if self.term(annotation)? == term {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn error(&self, node: Node, message: impl Into<String>) -> Error {
        Error::at(&self.location(node), message)
    }

    fn required(&self, node: Node, attribute: &str) -> Result<String> {
        self.required_str(node, attribute).map(str::to_owned)
    }

    /// [`Self::required`] without the copy, for values only looked at.
    fn required_str<'a>(&self, node: Node<'a, '_>, attribute: &str) -> Result<&'a str> {
        match node.attribute(attribute) {
            Some(value) if !value.is_empty() => Ok(value),
            Some(_) => Err(self.error(
                node,
                format!("<{}> has an empty `{attribute}` attribute", tag(node)),
            )),
            None => Err(self.error(
                node,
                format!("<{}> lacks the required `{attribute}` attribute", tag(node)),
            )),
        }
    }

    fn flag(&self, node: Node, attribute: &str, default: bool) -> Result<bool> {
        match node.attribute(attribute) {
            None => Ok(default),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(other) => Err(self.error(
                node,
                format!("`{attribute}` must be `true` or `false`, not `{other}`"),
            )),
        }
    }

    fn edmx(&self, root: Node) -> Result<Vec<Schema>> {
        if root.tag_name().name() != "Edmx" || root.tag_name().namespace() != Some(EDMX_NS) {
            return Err(self.error(
                root,
                format!("expected an <edmx:Edmx> document, found <{}>", tag(root)),
            ));
        }
        let mut schemas = Vec::new();
        for child in elements(root) {
            match (child.tag_name().namespace(), child.tag_name().name()) {
                (Some(EDMX_NS), "DataServices") => {
                    for schema in elements(child) {
                        if !is_edm(schema, "Schema") {
                            return Err(self.unexpected(schema, "edmx:DataServices"));
                        }
                        schemas.push(self.schema(schema)?);
                    }
                }
                // References to other documents: the types they bring are not ours to generate.
                (Some(EDMX_NS), "Reference") => {}
                _ => return Err(self.unexpected(child, "edmx:Edmx")),
            }
        }
        if schemas.is_empty() {
            return Err(self.error(root, "the document holds no <Schema>"));
        }
        Ok(schemas)
    }

    fn unexpected(&self, node: Node, parent: &str) -> Error {
        self.error(
            node,
            format!("unexpected element <{}> in <{parent}>", tag(node)),
        )
    }

    fn schema(&self, node: Node) -> Result<Schema> {
        let mut schema = Schema {
            namespace: self.required(node, "Namespace")?,
            alias: node.attribute("Alias").map(str::to_owned),
            structured_types: Vec::new(),
            enum_types: Vec::new(),
            type_definitions: Vec::new(),
            operations: Vec::new(),
            containers: Vec::new(),
            annotations: Vec::new(),
            location: self.location(node),
        };
        for child in elements(node) {
            if child.tag_name().namespace() != Some(EDM_NS) {
                return Err(self.unexpected(child, "Schema"));
            }
            match child.tag_name().name() {
                "EntityType" => schema
                    .structured_types
                    .push(self.structured(child, StructuredKind::Entity)?),
                "ComplexType" => schema
                    .structured_types
                    .push(self.structured(child, StructuredKind::Complex)?),
                "EnumType" => schema.enum_types.push(self.enum_type(child)?),
                "TypeDefinition" => schema.type_definitions.push(TypeDefinition {
                    name: self.required(child, "Name")?,
                    underlying_type: self.required(child, "UnderlyingType")?,
                    description: self.description(child)?,
                    location: self.location(child),
                }),
                "Action" => schema
                    .operations
                    .push(self.operation(child, OperationKind::Action)?),
                "Function" => schema
                    .operations
                    .push(self.operation(child, OperationKind::Function)?),
                "EntityContainer" => schema.containers.push(self.container(child)?),
                "Annotations" => {
                    let target = self.required_str(child, "Target")?;
                    let description = self.description(child)?;
                    let restrictions = self.restrictions(child)?;
                    if description.is_some() || !restrictions.is_empty() {
                        schema.annotations.push(TargetedAnnotations {
                            target: target.to_owned(),
                            description,
                            restrictions,
                            location: self.location(child),
                        });
                    }
                }
                // Vocabulary terms and schema-level annotations describe the
                // service, not the shape of any payload.
                "Term" | "Annotation" => {}
                _ => return Err(self.unexpected(child, "Schema")),
            }
        }
        Ok(schema)
    }

    /// The description annotations directly inside `node`; other annotation
    /// terms (capabilities, permissions, revisions) do not shape payloads.
    fn description(&self, node: Node) -> Result<Option<String>> {
        let mut short = None;
        let mut long = None;
        for child in elements(node).filter(|c| is_edm(*c, "Annotation")) {
            let slot = match self.term(child)?.as_str() {
                DESCRIPTION => &mut short,
                LONG_DESCRIPTION => &mut long,
                _ => continue,
            };
            if let Some(text) = child.attribute("String") {
                *slot = Some(text.trim().to_owned());
            }
        }
        Ok(match (short, long) {
            (Some(short), Some(long)) if short != long => Some(format!("{short}\n\n{long}")),
            (short, long) => short.or(long).filter(|text| !text.is_empty()),
        })
    }

    /// The capability restrictions among the annotations directly inside
    /// `node`: what decides which requests exist and which query options
    /// their reads take ([`Statement::ALL`]); the other capability terms
    /// (permissions, change tracking, ...) are left alone.
    fn restrictions(&self, node: Node) -> Result<Restrictions> {
        let mut restrictions = Restrictions::default();
        for annotation in elements(node).filter(|c| is_edm(*c, "Annotation")) {
            let term = self.term(annotation)?;
            let Some(term) = term
                .strip_prefix(VOCABULARY)
                .and_then(|t| t.strip_prefix('.'))
            else {
                continue;
            };
            for statement in Statement::ALL.into_iter().filter(|s| s.term() == term) {
                // Follow the property path through nested records.
                let mut values = vec![annotation];
                for property in statement.path() {
                    let mut next = Vec::new();
                    for value in values {
                        next.extend(self.record(value, &[property])?.into_iter().map(|(_, v)| v));
                    }
                    values = next;
                }
                for value in values {
                    restrictions[statement] = Some(match statement.value() {
                        Value::Bool => self.bool_value(value)?,
                        Value::PutOverPatch => self.put_over_patch(value)?,
                    });
                }
            }
        }
        Ok(restrictions)
    }

    /// An `UpdateMethod`: `HttpMethod` is a flags enum, a space-separated
    /// list of members. PATCH is the default; PUT only when PUT is listed
    /// without PATCH.
    fn put_over_patch(&self, value: Node) -> Result<bool> {
        let method = value
            .attribute("EnumMember")
            .or_else(|| {
                elements(value)
                    .find(|e| is_edm(*e, "EnumMember"))
                    .and_then(|e| e.text())
            })
            .unwrap_or_default()
            .trim();
        let mut listed = Vec::new();
        for member in method.split_whitespace() {
            match member.rsplit_once('/') {
                Some((_, name @ ("GET" | "PATCH" | "PUT" | "POST" | "DELETE"))) => {
                    listed.push(name)
                }
                _ => {
                    return Err(self.error(
                        value,
                        format!("`UpdateMethod` lists `{member}`, which is no `Org.OData.Capabilities.V1.HttpMethod` member"),
                    ));
                }
            }
        }
        if listed.is_empty() {
            return Err(self.error(value, "`UpdateMethod` lists no HTTP method"));
        }
        Ok(listed.contains(&"PUT") && !listed.contains(&"PATCH"))
    }

    fn record<'a, 'i>(
        &self,
        node: Node<'a, 'i>,
        wanted: &[&str],
    ) -> Result<Vec<(&'a str, Node<'a, 'i>)>> {
        let mut found = Vec::new();
        for record in elements(node).filter(|e| is_edm(*e, "Record")) {
            for value in elements(record).filter(|e| is_edm(*e, "PropertyValue")) {
                let property = self.required_str(value, "Property")?;
                if wanted.contains(&property) {
                    found.push((property, value));
                }
            }
        }
        Ok(found)
    }

    /// A `Bool="..."` attribute, or a `<Bool>` element, of a property value.
    fn bool_value(&self, node: Node) -> Result<bool> {
        let text = node.attribute("Bool").or_else(|| {
            elements(node)
                .find(|e| is_edm(*e, "Bool"))
                .and_then(|e| e.text())
        });
        match text.map(str::trim) {
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(other) => Err(self.error(
                node,
                format!("`Bool` must be `true` or `false`, not `{other}`"),
            )),
            None => Err(self.error(node, format!("<{}> needs a `Bool` value", tag(node)))),
        }
    }

    fn structured(&self, node: Node, kind: StructuredKind) -> Result<StructuredType> {
        let mut ty = StructuredType {
            kind,
            name: self.required(node, "Name")?,
            base_type: node.attribute("BaseType").map(str::to_owned),
            is_abstract: self.flag(node, "Abstract", false)?,
            is_open: self.flag(node, "OpenType", false)?,
            has_stream: self.flag(node, "HasStream", false)?,
            key: Vec::new(),
            properties: Vec::new(),
            navigation_properties: Vec::new(),
            description: self.description(node)?,
            restrictions: self.restrictions(node)?,
            location: self.location(node),
        };
        for child in elements(node) {
            match edm_name(child) {
                Some("Property") => ty.properties.push(Property {
                    name: self.required(child, "Name")?,
                    type_name: self.required(child, "Type")?,
                    nullable: self.flag(child, "Nullable", true)?,
                    facets: facets(child, &["Name", "Type", "Nullable"]),
                    description: self.description(child)?,
                    location: self.location(child),
                }),
                Some("NavigationProperty") => ty.navigation_properties.push(NavigationProperty {
                    name: self.required(child, "Name")?,
                    type_name: self.required(child, "Type")?,
                    nullable: self.flag(child, "Nullable", true)?,
                    contains_target: self.flag(child, "ContainsTarget", false)?,
                    partner: child.attribute("Partner").map(str::to_owned),
                    description: self.description(child)?,
                    restrictions: self.restrictions(child)?,
                    location: self.location(child),
                }),
                Some("Key") if kind == StructuredKind::Entity => {
                    for key in elements(child) {
                        if edm_name(key) != Some("PropertyRef") {
                            return Err(self.unexpected(key, "Key"));
                        }
                        ty.key.push(self.required(key, "Name")?);
                    }
                }
                Some("Annotation") => {}
                _ => return Err(self.unexpected(child, tag(node))),
            }
        }
        Ok(ty)
    }

    fn enum_type(&self, node: Node) -> Result<EnumType> {
        let mut ty = EnumType {
            name: self.required(node, "Name")?,
            underlying_type: node.attribute("UnderlyingType").map(str::to_owned),
            is_flags: self.flag(node, "IsFlags", false)?,
            members: Vec::new(),
            description: self.description(node)?,
            location: self.location(node),
        };
        for child in elements(node) {
            match edm_name(child) {
                Some("Member") => {
                    // Members without a value count up from the previous one (CSDL 10.2.2).
                    let value = match child.attribute("Value") {
                        Some(text) => text.trim().parse::<i64>().map_err(|_| {
                            self.error(
                                child,
                                format!("enum member value `{text}` is not a 64-bit integer"),
                            )
                        })?,
                        None => match ty.members.last() {
                            Some(previous) => previous.value.checked_add(1).ok_or_else(|| {
                                self.error(child, "enum member value overflows a 64-bit integer")
                            })?,
                            None => 0,
                        },
                    };
                    ty.members.push(EnumMember {
                        name: self.required(child, "Name")?,
                        value,
                        description: self.description(child)?,
                        location: self.location(child),
                    });
                }
                Some("Annotation") => {}
                _ => return Err(self.unexpected(child, "EnumType")),
            }
        }
        Ok(ty)
    }

    fn operation(&self, node: Node, kind: OperationKind) -> Result<Operation> {
        let mut operation = Operation {
            kind,
            name: self.required(node, "Name")?,
            is_bound: self.flag(node, "IsBound", false)?,
            is_composable: self.flag(node, "IsComposable", false)?,
            entity_set_path: node.attribute("EntitySetPath").map(str::to_owned),
            parameters: Vec::new(),
            return_type: None,
            description: self.description(node)?,
            location: self.location(node),
        };
        for child in elements(node) {
            match edm_name(child) {
                Some("Parameter") => operation.parameters.push(Parameter {
                    name: self.required(child, "Name")?,
                    type_name: self.required(child, "Type")?,
                    nullable: self.flag(child, "Nullable", true)?,
                    optional: self.has_term(child, OPTIONAL_PARAMETER)?,
                    facets: facets(child, &["Name", "Type", "Nullable"]),
                    location: self.location(child),
                }),
                Some("ReturnType") => {
                    if operation.return_type.is_some() {
                        return Err(self.error(child, "a second <ReturnType>"));
                    }
                    operation.return_type = Some(ReturnType {
                        type_name: self.required(child, "Type")?,
                        nullable: self.flag(child, "Nullable", true)?,
                        facets: facets(child, &["Type", "Nullable"]),
                        location: self.location(child),
                    });
                }
                Some("Annotation") => {}
                _ => return Err(self.unexpected(child, tag(node))),
            }
        }
        if operation.is_bound && operation.parameters.is_empty() {
            return Err(self.error(
                node,
                format!(
                    "bound {} `{}` has no binding parameter",
                    tag(node),
                    operation.name
                ),
            ));
        }
        Ok(operation)
    }

    fn container(&self, node: Node) -> Result<EntityContainer> {
        let mut container = EntityContainer {
            name: self.required(node, "Name")?,
            entity_sets: Vec::new(),
            singletons: Vec::new(),
            location: self.location(node),
        };
        for child in elements(node) {
            let (list, type_attribute) = match edm_name(child) {
                Some("EntitySet") => (&mut container.entity_sets, "EntityType"),
                Some("Singleton") => (&mut container.singletons, "Type"),
                // Operation imports and annotations add no types or paths we generate.
                Some("ActionImport" | "FunctionImport" | "Annotation") => continue,
                _ => return Err(self.unexpected(child, "EntityContainer")),
            };
            let mut bindings = Vec::new();
            for binding in elements(child) {
                match edm_name(binding) {
                    Some("NavigationPropertyBinding") => bindings.push((
                        self.required(binding, "Path")?,
                        self.required(binding, "Target")?,
                    )),
                    Some("Annotation") => {}
                    _ => return Err(self.unexpected(binding, tag(child))),
                }
            }
            list.push(ContainerEntry {
                name: self.required(child, "Name")?,
                type_name: self.required(child, type_attribute)?,
                bindings,
                restrictions: self.restrictions(child)?,
                location: self.location(child),
            });
        }
        Ok(container)
    }
}

fn elements<'a, 'input>(node: Node<'a, 'input>) -> impl Iterator<Item = Node<'a, 'input>> {
    node.children().filter(Node::is_element)
}

fn is_edm(node: Node, name: &str) -> bool {
    edm_name(node) == Some(name)
}

fn edm_name<'a>(node: Node<'a, '_>) -> Option<&'a str> {
    (node.tag_name().namespace() == Some(EDM_NS)).then(|| node.tag_name().name())
}

fn tag<'a>(node: Node<'a, '_>) -> &'a str {
    node.tag_name().name()
}

/// The attributes of `node` other than `skip`, sorted so a slice is stable.
fn facets(node: Node, skip: &[&str]) -> Facets {
    let mut facets: Facets = node
        .attributes()
        .filter(|a| a.namespace().is_none() && !skip.contains(&a.name()))
        .map(|a| (a.name().to_owned(), a.value().to_owned()))
        .collect();
    facets.sort();
    facets
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(xml: &str) -> String {
        read("test.xml", xml.to_owned()).unwrap_err().to_string()
    }

    const HEAD: &str = r#"<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>"#;

    fn wrap(schema_body: &str) -> String {
        format!(
            "{HEAD}\n<Schema Namespace=\"ns\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n{schema_body}\n</Schema></edmx:DataServices></edmx:Edmx>"
        )
    }

    #[test]
    fn malformed_xml_names_line_and_column() {
        assert_eq!(
            error_of("<a>\n  <b x=1/>\n</a>"),
            "test.xml:2:8: malformed XML: expected a quote not '1'"
        );
    }

    #[test]
    fn not_edmx_is_refused() {
        assert_eq!(
            error_of("<html/>"),
            "test.xml:1:1: expected an <edmx:Edmx> document, found <html>"
        );
    }

    #[test]
    fn missing_attribute_is_located() {
        assert_eq!(
            error_of(&wrap(
                r#"<ComplexType Name="a"><Property Type="Edm.String"/></ComplexType>"#
            )),
            "test.xml:3:23: <Property> lacks the required `Name` attribute"
        );
    }

    #[test]
    fn unknown_element_is_an_error_not_dropped() {
        assert_eq!(
            error_of(&wrap(
                r#"<ComplexType Name="a"><Field Name="x"/></ComplexType>"#
            )),
            "test.xml:3:23: unexpected element <Field> in <ComplexType>"
        );
    }

    #[test]
    fn overflowing_enum_value_is_an_error() {
        assert_eq!(
            error_of(&wrap(
                r#"<EnumType Name="e"><Member Name="a" Value="99999999999999999999"/></EnumType>"#
            )),
            "test.xml:3:20: enum member value `99999999999999999999` is not a 64-bit integer"
        );
    }

    #[test]
    fn entity_declarations_are_refused() {
        let xml = "<!DOCTYPE x [<!ENTITY a \"aaaa\">]>\n<x>&a;</x>";
        assert!(
            error_of(xml).starts_with("test.xml:1:1: malformed XML:"),
            "{}",
            error_of(xml)
        );
    }

    #[test]
    fn bound_action_without_parameters_is_an_error() {
        assert_eq!(
            error_of(&wrap(r#"<Action Name="go" IsBound="true"/>"#)),
            "test.xml:3:1: bound Action `go` has no binding parameter"
        );
    }

    #[test]
    fn descriptions_inline_and_enum_values_counted() {
        let doc = read(
            "t.xml",
            wrap(
                r#"<EnumType Name="e"><Member Name="a"/><Member Name="b" Value="5"/><Member Name="c"/></EnumType>
<ComplexType Name="c"><Annotation Term="Org.OData.Core.V1.Description" String=" Says hi. "/></ComplexType>"#,
            ),
        )
        .unwrap();
        let values: Vec<i64> = doc.schemas[0].enum_types[0]
            .members
            .iter()
            .map(|m| m.value)
            .collect();
        assert_eq!(values, [0, 5, 6]);
        assert_eq!(
            doc.schemas[0].structured_types[0].description.as_deref(),
            Some("Says hi.")
        );
    }

    #[test]
    fn capability_restrictions_out_of_line_inline_and_through_an_alias() {
        let text = wrap(
            r#"<EntityType Name="t"><Key><PropertyRef Name="id"/></Key><Property Name="id" Type="Edm.String" Nullable="false"/>
<NavigationProperty Name="n" Type="Collection(ns.t)" ContainsTarget="true"><Annotation Term="Cap.InsertRestrictions"><Record><PropertyValue Property="Insertable" Bool="false"/></Record></Annotation></NavigationProperty></EntityType>
<Annotations Target="ns.t/n">
<Annotation Term="Cap.ReadRestrictions"><Record><PropertyValue Property="Readable" Bool="false"/><PropertyValue Property="ReadByKeyRestrictions"><Record><PropertyValue Property="Readable"><Bool>true</Bool></PropertyValue></Record></PropertyValue></Record></Annotation>
<Annotation Term="Org.OData.Capabilities.V1.UpdateRestrictions"><Record><PropertyValue Property="UpdateMethod" EnumMember="Org.OData.Capabilities.V1.HttpMethod/PUT"/><PropertyValue Property="Description" String="not a restriction"/></Record></Annotation>
<Annotation Term="Org.OData.Capabilities.V1.FilterRestrictions"><Record><PropertyValue Property="Filterable" Bool="false"/></Record></Annotation>
</Annotations>"#,
        )
        .replacen(
            "<edmx:DataServices>",
            r#"<edmx:Reference Uri="x"><edmx:Include Namespace="Org.OData.Capabilities.V1" Alias="Cap"/></edmx:Reference><edmx:DataServices>"#,
            1,
        );
        let doc = read("t.xml", text).unwrap();
        let schema = &doc.schemas[0];
        let inline = schema.structured_types[0].navigation_properties[0].restrictions;
        assert_eq!(inline.statements(), [("Insertable", false)]);
        assert_eq!(schema.annotations.len(), 1);
        assert_eq!(
            schema.annotations[0].restrictions.statements(),
            [
                ("Readable", false),
                ("ReadByKeyRestrictions/Readable", true),
                ("UpdateMethod/PUT", true),
                ("Filterable", false)
            ]
        );
    }

    #[test]
    fn optional_parameters_through_an_alias() {
        let text = wrap(
            r#"<Action Name="go"><Parameter Name="a" Type="Edm.String"><Annotation Term="Core.OptionalParameter"/></Parameter><Parameter Name="b" Type="Edm.String"/></Action>"#,
        )
        .replacen(
            "<edmx:DataServices>",
            r#"<edmx:Reference Uri="x"><edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"/></edmx:Reference><edmx:DataServices>"#,
            1,
        );
        let doc = read("t.xml", text).unwrap();
        let optional: Vec<bool> = doc.schemas[0].operations[0]
            .parameters
            .iter()
            .map(|p| p.optional)
            .collect();
        assert_eq!(optional, [true, false]);
    }

    #[test]
    fn a_restriction_that_is_not_a_boolean_is_located() {
        assert_eq!(
            error_of(&wrap(
                r#"<Annotations Target="ns.t"><Annotation Term="Org.OData.Capabilities.V1.DeleteRestrictions"><Record><PropertyValue Property="Deletable" Bool="no"/></Record></Annotation></Annotations>"#
            )),
            "test.xml:3:100: `Bool` must be `true` or `false`, not `no`"
        );
    }

    #[test]
    fn update_method_is_a_list_and_patch_wins() {
        let put_of = |members: &str| {
            let text = wrap(&format!(
                r#"<Annotations Target="ns.t"><Annotation Term="Org.OData.Capabilities.V1.UpdateRestrictions"><Record><PropertyValue Property="UpdateMethod"><EnumMember>{members}</EnumMember></PropertyValue></Record></Annotation></Annotations>"#
            ));
            read("t.xml", text).unwrap().schemas[0].annotations[0].restrictions
                [Statement::UpdateByPut]
        };
        let method = |m: &str| format!("Org.OData.Capabilities.V1.HttpMethod/{m}");
        assert_eq!(put_of(&method("PUT")), Some(true));
        assert_eq!(put_of(&method("PATCH")), Some(false));
        // As Microsoft's metadata writes "both": PATCH stays the update.
        assert_eq!(
            put_of(&format!("{} {}", method("PATCH"), method("PUT"))),
            Some(false)
        );
        assert_eq!(
            put_of(&format!("{} {}", method("PUT"), method("PATCH"))),
            Some(false)
        );
    }
}
