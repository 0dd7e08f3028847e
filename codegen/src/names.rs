//! The Rust names of a model's types, decided once for the whole model so
//! that the plan and the renderers only look them up.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::Ident;

use crate::model::{Model, TypeId, TypeKind};
use crate::naming::{self, Scope};

/// Items at the crate root the generator writes itself.
const ROOT_RESERVED: &[&str] = &["api", "support", "decode", "Decoded", "DecodeError"];

pub struct Names {
    /// Rust module of each namespace.
    pub modules: BTreeMap<String, String>,
    /// Rust name of each type, in its namespace's module.
    types: Vec<String>,
    /// For types with derived types: the enum over it and its descendants.
    any: Vec<Option<String>>,
    /// Variant of [`Decoded`] for each type.
    decoded: Vec<String>,
    /// The namespace whose module is re-exported at the crate root.
    pub main_namespace: Option<String>,
    /// The path of the module holding the namespace modules: `crate`, or
    /// `crate::v1` in a crate of several API versions.
    pub root: String,
    /// For structured types, each field's name: the properties of the type
    /// and its bases ([`Model::all_properties`]), then its navigation
    /// properties; for enum types, each member's variant, in model order.
    members: Vec<Vec<String>>,
}

impl Names {
    /// The names of `model`, whose namespace modules live in the crate root
    /// or, with `version`, in the module of that name.
    pub fn new(model: &Model, version: Option<&str>) -> Names {
        let mut module_scope = Scope::with_reserved(ROOT_RESERVED);
        let modules: BTreeMap<String, String> = model
            .namespaces
            .iter()
            .map(|ns| {
                (
                    ns.name.clone(),
                    module_scope.claim(naming::module(&ns.name)),
                )
            })
            .collect();
        let main_namespace = model
            .namespaces
            .iter()
            .find(|ns| ns.name == "microsoft.graph")
            .or(model.namespaces.first())
            .map(|ns| ns.name.clone());
        let mut scopes: BTreeMap<&str, Scope> = BTreeMap::new();
        for ns in &model.namespaces {
            // The main namespace is re-exported at the root, next to the root's own items.
            let reserved = if Some(&ns.name) == main_namespace.as_ref() {
                ROOT_RESERVED
            } else {
                &[]
            };
            scopes.insert(ns.name.as_str(), Scope::with_reserved(reserved));
        }
        // Plain names first so that a schema type never loses its natural name
        // to a generated `Any...` enum.
        let mut types = vec![String::new(); model.types.len()];
        for (namespace, scope) in &mut scopes {
            let ids: Vec<usize> = (0..model.types.len())
                .filter(|i| model.types[*i].name.namespace == *namespace)
                .collect();
            let raw: Vec<&str> = ids
                .iter()
                .map(|i| model.types[*i].name.name.as_str())
                .collect();
            for (i, name) in ids.iter().zip(scope.claim_all(&raw, naming::pascal)) {
                types[*i] = name;
            }
        }
        let mut any = Vec::with_capacity(model.types.len());
        for (index, ty) in model.types.iter().enumerate() {
            let polymorphic = matches!(&ty.kind, TypeKind::Structured(s) if !s.derived.is_empty());
            let scope = scopes.entry(ty.name.namespace.as_str()).or_default();
            any.push(polymorphic.then(|| scope.claim(format!("Any{}", types[index]))));
        }
        let mut decoded_scope = Scope::default();
        let decoded = model
            .types
            .iter()
            .zip(&types)
            .map(|(ty, name)| {
                if Some(&ty.name.namespace) == main_namespace.as_ref() {
                    decoded_scope.claim(name.clone())
                } else {
                    decoded_scope.claim(naming::pascal(&format!(
                        "{}_{}",
                        modules[&ty.name.namespace], ty.name.name
                    )))
                }
            })
            .collect();
        Names {
            modules,
            types,
            any,
            decoded,
            main_namespace,
            members: model
                .types
                .iter()
                .enumerate()
                .map(|(i, _)| members(model, TypeId(i)))
                .collect(),
            root: match version {
                Some(version) => format!("crate::{version}"),
                None => "crate".to_owned(),
            },
        }
    }

    /// [`Self::root`] as a path.
    pub fn root_path(&self) -> TokenStream {
        let segments = self.root.split("::").map(ident);
        quote!(#(#segments)::*)
    }

    pub fn module_of(&self, model: &Model, id: TypeId) -> &str {
        &self.modules[&model.ty(id).name.namespace]
    }

    /// The struct fields of a structured type (see [`Names::members`]) or
    /// the variants of an enum type.
    pub fn members(&self, id: TypeId) -> &[String] {
        &self.members[id.0]
    }

    /// The type's own struct or enum name.
    pub fn ident(&self, id: TypeId) -> Ident {
        ident(&self.types[id.0])
    }

    pub fn name(&self, id: TypeId) -> &str {
        &self.types[id.0]
    }

    pub fn any_ident(&self, id: TypeId) -> Option<Ident> {
        self.any[id.0].as_deref().map(ident)
    }

    pub fn decoded_variant(&self, id: TypeId) -> Ident {
        ident(&self.decoded[id.0])
    }

    /// Path to `name` (a type's or its `Any` enum's) as seen from module `from`.
    fn path(&self, model: &Model, id: TypeId, name: &str, from: &str) -> TokenStream {
        let name = ident(name);
        let module = self.module_of(model, id);
        if module == from {
            quote!(#name)
        } else {
            let module = ident(module);
            let root = self.root_path();
            quote!(#root::#module::#name)
        }
    }

    /// The type a value declared as `id` has: its `Any` enum where it has derived types.
    pub fn value_type(&self, model: &Model, id: TypeId, from: &str) -> TokenStream {
        match &self.any[id.0] {
            Some(any) => self.path(model, id, any, from),
            None => self.path(model, id, &self.types[id.0], from),
        }
    }

    /// The type's own struct or enum, as seen from module `from`.
    pub fn type_path(&self, model: &Model, id: TypeId, from: &str) -> TokenStream {
        self.path(model, id, &self.types[id.0], from)
    }

    /// A rustdoc link to the type from module `from`.
    pub fn doc_link(&self, model: &Model, id: TypeId, from: &str) -> String {
        let name = &self.types[id.0];
        let module = self.module_of(model, id);
        if module == from {
            format!("[`{name}`]")
        } else {
            format!("[`{name}`]({}::{module}::{name})", self.root)
        }
    }
}

/// The names of one `api` module, claimed in the order its plan asks for
/// them ([`crate::api_plan`]): root functions; then, in one scope, the
/// `...Path` structs and the parameters structs.
pub struct ApiNames {
    roots: Scope,
    types: Scope,
}

impl Default for ApiNames {
    fn default() -> Self {
        ApiNames {
            roots: Scope::default(),
            types: Scope::with_reserved(&["Request", "Page", "Path"]),
        }
    }
}

impl ApiNames {
    /// The function of a singleton or entity set: `communications()`.
    pub fn root_function(&mut self, entry: &str) -> String {
        self.roots.claim(naming::snake(entry))
    }

    /// The struct of a place: `CallPath`, `CallCollectionPath`.
    pub fn place_struct(&mut self, type_name: &str, collection: bool) -> String {
        let suffix = if collection { "CollectionPath" } else { "Path" };
        self.types.claim(format!("{type_name}{suffix}"))
    }

    /// The parameters struct of an operation (named by
    /// [`operation_base_name`]); `binding` (its type's name and whether it is
    /// a collection) tells apart operations of one name bound to several types.
    pub fn parameters_struct(&mut self, operation: &str, binding: Option<(&str, bool)>) -> String {
        let action = naming::pascal(operation);
        let name = match binding {
            Some((binding, collection)) => {
                let collection = if collection { "Collection" } else { "" };
                format!("{binding}{collection}{action}Parameters")
            }
            None => format!("{action}Parameters"),
        };
        self.types.claim(name)
    }

    /// The enum of a type's properties for query options: `CallProperty`,
    /// or with `navigation`, of its navigation properties: `CallNavigation`.
    pub fn property_enum(&mut self, type_name: &str, navigation: bool) -> String {
        let suffix = if navigation { "Navigation" } else { "Property" };
        self.types.claim(format!("{type_name}{suffix}"))
    }
}

/// The variants of a property enum, by wire name in order.
pub fn property_variants(wire: &[&str]) -> Vec<String> {
    Scope::default().claim_all(wire, naming::pascal)
}

/// The methods of one `...Path` struct, beside those every place may have.
pub struct Methods(Scope);

impl Default for Methods {
    fn default() -> Self {
        Methods(Scope::with_reserved(&[
            "path", "get", "list", "create", "update", "delete", "by_id",
        ]))
    }
}

impl Methods {
    /// The method of a navigation property or an operation (by its CSDL name).
    pub fn claim(&mut self, raw: &str) -> String {
        self.0.claim(naming::snake(raw))
    }
}

/// The fields of a parameters struct, beside `additional`, by wire name in order.
pub fn parameter_fields(wire: &[&str]) -> Vec<String> {
    Scope::with_reserved(&["additional"]).claim_all(wire, naming::snake)
}

/// The type name a primitive binding contributes to a parameters struct's name.
pub fn primitive_type_name(edm_name: &str) -> String {
    naming::pascal(&edm_name.replace('.', "_"))
}

/// The CSDL name the Rust names of `op` are made from: a function that an
/// action of its name and binding shadows is `{name}Function`.
pub fn operation_base_name(model: &Model, op: &crate::model::Operation) -> String {
    if model.is_function_beside_action(op) {
        format!("{}Function", op.name.name)
    } else {
        op.name.name.clone()
    }
}

/// The cargo feature of the area first reached from `root` (an entity set or
/// singleton), kebab-case: a feature name, not an identifier, so no `r#`,
/// and none of `taken` or the crate's own features.
pub fn feature(root: &str, taken: &[String]) -> String {
    let snake = naming::snake(root);
    let mut name = snake
        .trim_start_matches("r#")
        .trim_end_matches('_')
        .replace('_', "-");
    if name.is_empty() {
        name.push_str("area");
    }
    while taken.contains(&name)
        || ["client", "default", "full", "beta", "v1"].contains(&name.as_str())
    {
        name.push('-');
        name.push_str("area");
    }
    name
}

/// The names of a type's members: snake_case fields beside the generated
/// `additional`, or PascalCase variants.
fn members(model: &Model, id: TypeId) -> Vec<String> {
    match &model.ty(id).kind {
        TypeKind::Structured(_) => {
            let wire: Vec<&str> = model
                .all_properties(id)
                .iter()
                .map(|p| p.name.as_str())
                .chain(
                    model
                        .all_navigation_properties(id)
                        .iter()
                        .map(|n| n.name.as_str()),
                )
                .chain(model.carries_resource_data(id).then_some(crate::model::RESOURCE_DATA))
                .collect();
            Scope::with_reserved(&["additional"]).claim_all(&wire, naming::snake)
        }
        TypeKind::Enum(e) => {
            let raw: Vec<&str> = e.members.iter().map(|m| m.name.as_str()).collect();
            Scope::default().claim_all(&raw, naming::pascal)
        }
        TypeKind::Definition { .. } => Vec::new(),
    }
}

/// An identifier from a name [`naming`] produced (possibly `r#raw`).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => format_ident!("r#{}", raw),
        None => format_ident!("{}", name),
    }
}
