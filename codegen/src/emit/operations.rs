//! The `api` module: typed requests for the paths the entity container offers.
//!
//! Paths are derived, not listed: from each singleton, containment navigation
//! properties lead to collections and, by key, to single entities, and each
//! place gets a `...Path` struct with the requests it supports: get, list,
//! create, update, delete, and the actions and functions bound to its type.
//! Every request is a transport-free `support::Request` value.

use std::collections::BTreeMap;
use std::fmt::Write;

use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::names::ident;
use super::{Context, docs, field_serde};
use crate::csdl::OperationKind;
use crate::model::{
    ContainerEntry, Model, NavigationProperty, Operation, Primitive, Restrictions, Target, TypeId,
    TypeKind, TypeRef,
};
use crate::naming::{self, Scope};

/// How deep containment is followed; Graph's communications paths are at most 5 deep.
const MAX_DEPTH: usize = 8;
/// How many URL templates of one place are followed further and documented.
const MAX_TEMPLATES: usize = 4;

/// A place in the URL space: one entity of a type, or a collection of them,
/// with the requests the service takes there. Two paths to the same type with
/// different restrictions are two places, so a method exists only where the
/// service offers it.
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
    get: bool,
    update: bool,
    update_by_put: bool,
    delete: bool,
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
            list: collection && allowed(r.readable),
            create: collection && allowed(r.insertable),
            get: allowed(if collection {
                r.readable_by_key.or(r.readable)
            } else {
                r.readable
            }),
            update: allowed(r.updatable),
            update_by_put: r.update_by_put == Some(true),
            // A singleton is deleted only where the schema says so (OData
            // 4.01 allows it for nullable singletons); an entity unless it says not.
            delete: if singleton {
                r.deletable == Some(true)
            } else {
                allowed(r.deletable)
            },
        }
    }

    /// What a member of a collection with these requests offers.
    fn member(self) -> Requests {
        Requests {
            list: false,
            create: false,
            ..self
        }
    }

    /// The requests of a collection or of an entity: method name, HTTP
    /// method and whether it is offered.
    fn each(self, collection: bool) -> Vec<(&'static str, &'static str, bool)> {
        if collection {
            vec![("list", "GET", self.list), ("create", "POST", self.create)]
        } else {
            let update = if self.update_by_put { "PUT" } else { "PATCH" };
            vec![
                ("get", "GET", self.get),
                ("update", update, self.update),
                ("delete", "DELETE", self.delete),
            ]
        }
    }

    /// The requests not offered, for the docs.
    fn missing(self, collection: bool) -> Vec<&'static str> {
        let each = self.each(collection).into_iter();
        each.filter(|(.., offered)| !offered)
            .map(|(name, ..)| name)
            .collect()
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
) -> Option<Place<'m>> {
    let Target::Type(ty) = navigation.ty.target else {
        return None;
    };
    if !navigation.contains_target {
        return None;
    }
    let path = parent
        .path
        .and_then(|p| restricted_path(model, &format!("{p}/{}", navigation.name)));
    let restrictions = path_restrictions(model, path).or(navigation.restrictions);
    let collection = navigation.ty.collection;
    Some(Place {
        ty,
        collection,
        requests: Requests::new(model, ty, restrictions, collection, false),
        path,
    })
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

/// The intermediate representation of the `api` module: every reachable place
/// with the URL templates that lead to it, and a name for each.
pub struct Api<'m> {
    /// Every place, with its URL templates (shortest first).
    places: BTreeMap<Place<'m>, Vec<String>>,
    place_names: BTreeMap<Place<'m>, String>,
    /// The root functions: singleton or entity set name, and its place.
    roots: Vec<(String, Place<'m>)>,
    /// Parameter struct name of each operation that has parameters, by index in `Model::operations`.
    parameter_structs: BTreeMap<usize, String>,
    /// The operations (indexes in `Model::operations`) bound to each place's type or its bases.
    bound: BTreeMap<Place<'m>, Vec<usize>>,
}

/// The entity requests (`GET`, `POST`, `PATCH`, `PUT`, `DELETE`) that the
/// `api` module offers at each URL template (every template up to the
/// depth it follows, not only the first few its docs list), for `xtask
/// diff`: what capability restrictions amount to, whichever way they are
/// stated.
pub fn offered_requests(model: &Model) -> BTreeMap<String, Vec<&'static str>> {
    if !has_api(model) {
        return BTreeMap::new();
    }
    let context = Context::new(model, false, None);
    let api = Api::plan(&context, usize::MAX);
    let mut offered = BTreeMap::new();
    for (place, templates) in &api.places {
        let requests: Vec<&'static str> = (place.requests.each(place.collection).into_iter())
            .filter(|(.., offered)| *offered)
            .map(|(_, method, _)| method)
            .collect();
        for template in templates {
            offered.insert(template.clone(), requests.clone());
        }
    }
    offered
}

/// Whether the model has a container with anything to reach.
pub fn has_api(model: &crate::model::Model) -> bool {
    model
        .container
        .as_ref()
        .is_some_and(|c| !c.singletons.is_empty() || !c.entity_sets.is_empty())
}

/// Part `part` of `parts` of the `api` module: a contiguous run of its items
/// (root functions, then places, then parameter structs), so that parts can
/// be emitted and formatted on their own and joined in order.
pub fn emit(context: &Context, api: &Api, part: usize, parts: usize) -> TokenStream {
    let total = api.items();
    let wanted = part * total / parts..(part + 1) * total / parts;
    // Names are claimed for every root, so each part names its roots alike.
    let mut root_names = Scope::default();
    let root_functions: Vec<String> = api
        .roots
        .iter()
        .map(|(name, _)| root_names.claim(naming::snake(name)))
        .collect();
    let roots = api
        .roots
        .iter()
        .zip(&root_functions)
        .enumerate()
        .filter(|(i, _)| wanted.contains(i))
        .map(|(_, ((name, place), function))| {
            let function = ident(function);
            let path_type = ident(&api.place_names[place]);
            let doc = format!(" `/{name}`");
            let cfg = context.cfg([place.ty]);
            quote! {
                #[doc = #doc]
                #cfg
                pub fn #function() -> #path_type {
                    #path_type { path: crate::support::Path::root().segment(#name) }
                }
            }
        });
    let first_place = api.roots.len();
    let places = api
        .places
        .iter()
        .enumerate()
        .filter(|(i, _)| wanted.contains(&(first_place + i)))
        .map(|(_, (place, templates))| emit_place(context, api, *place, templates));
    let first_parameters = first_place + api.places.len();
    let parameters = api
        .parameter_structs
        .iter()
        .enumerate()
        .filter(|(i, _)| wanted.contains(&(first_parameters + i)))
        .map(|(_, (index, name))| emit_parameters(context, api, *index, name));
    let module_doc = (part == 0).then(|| {
        quote! {
            //! Typed requests for the service's paths, derived from the entity container.
            //! Each function or method returns a [`Request`](crate::support::Request): send it with
            //! any HTTP client (or the `client` feature's `support::Client`) and decode the answer
            //! with [`Request::decode_response`](crate::support::Request::decode_response).
        }
    });
    quote! {
        #module_doc
        #(#roots)*
        #(#places)*
        #(#parameters)*
    }
}

impl<'m> Api<'m> {
    /// The places of the model's container and their names; `None` when the
    /// model has no container with anything to reach.
    pub fn new(context: &Context<'m>) -> Option<Api<'m>> {
        if !has_api(context.model) {
            return None;
        }
        Some(Api::plan(context, MAX_TEMPLATES))
    }

    /// How many items the module has.
    pub fn items(&self) -> usize {
        self.roots.len() + self.places.len() + self.parameter_structs.len()
    }

    /// The plan, following each place through its first `max_templates` paths.
    fn plan(context: &Context<'m>, max_templates: usize) -> Api<'m> {
        let model = context.model;
        let container = model.container.as_ref().expect("checked by emit");
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
            for navigation in model.all_navigation_properties(place.ty) {
                if let Some(child) = navigation_place(model, &place, navigation) {
                    pending.push((child, format!("{template}/{}", navigation.name), depth + 1));
                }
            }
        }
        let mut scope = Scope::with_reserved(&["Request", "Page", "Path"]);
        // Names are claimed in the order places are found (shortest paths
        // first), so a restriction on one path does not rename another's struct.
        let place_names = found
            .iter()
            .map(|place| {
                let base = context.names.name(place.ty);
                let name = if place.collection {
                    format!("{base}CollectionPath")
                } else {
                    format!("{base}Path")
                };
                (*place, scope.claim(name))
            })
            .collect();
        let mut overloads: BTreeMap<String, usize> = BTreeMap::new();
        for op in &model.operations {
            *overloads.entry(rust_base_name(model, op)).or_default() += 1;
        }
        let parameter_structs = model
            .operations
            .iter()
            .enumerate()
            .filter(|(_, op)| !op.parameters.is_empty())
            .map(|(index, op)| {
                let base_name = rust_base_name(model, op);
                let action = naming::pascal(&base_name);
                let name = match (&op.binding, overloads[&base_name]) {
                    (Some(binding), count) if count > 1 => {
                        let binding_name = match binding.ty.target {
                            Target::Type(id) => context.names.name(id).to_owned(),
                            Target::Primitive(p) => naming::pascal(&p.edm_name().replace('.', "_")),
                        };
                        let collection = if binding.ty.collection {
                            "Collection"
                        } else {
                            ""
                        };
                        format!("{binding_name}{collection}{action}Parameters")
                    }
                    _ => format!("{action}Parameters"),
                };
                (index, scope.claim(name))
            })
            .collect();
        let bound = places
            .keys()
            .map(|place| {
                let lineage = model.lineage(place.ty);
                let indexes = (0..model.operations.len())
                    .filter(|i| model.operations[*i].binds(&lineage, place.collection))
                    .collect();
                (*place, indexes)
            })
            .collect();
        Api {
            places,
            place_names,
            roots,
            parameter_structs,
            bound,
        }
    }
}

/// The JSON value type of `ty` as the api module refers to it.
fn value_type(context: &Context, ty: TypeRef) -> TokenStream {
    if ty.collection {
        let item = context.rust_type(
            TypeRef {
                collection: false,
                ..ty
            },
            None,
            "api",
        );
        quote!(crate::support::Page<#item>)
    } else {
        context.rust_type(ty, None, "api")
    }
}

fn emit_place(context: &Context, api: &Api, place: Place, templates: &[String]) -> TokenStream {
    let model = context.model;
    let name = ident(&api.place_names[&place]);
    let element = TypeRef {
        collection: false,
        target: Target::Type(place.ty),
    };
    let value = value_type(context, element);
    let type_link = context.names.doc_link(model, place.ty, "api");
    let what = if place.collection {
        format!("A collection of {type_link}")
    } else {
        format!("One {type_link}")
    };
    let listed: Vec<String> = templates.iter().map(|t| format!("- `{t}`")).collect();
    let mut text = format!("{what}, at:\n\n{}", listed.join("\n"));
    let missing = place.requests.missing(place.collection);
    if !missing.is_empty() {
        let _ = write!(text, "\n\nNot offered here: {}.", missing.join(", "));
    }
    let doc = docs(None, &text);
    let first = &templates[0];
    let mut scope =
        Scope::with_reserved(&["path", "get", "list", "create", "update", "delete", "by_id"]);
    let mut methods = Vec::new();
    let requests = place.requests;
    if place.collection {
        let item = ident(
            &api.place_names[&Place {
                collection: false,
                requests: requests.member(),
                ..place
            }],
        );
        if requests.list {
            let doc = format!(" `GET {first}`: one page of the collection.");
            methods.push(quote! {
                #[doc = #doc]
                pub fn list(&self) -> crate::support::Request<crate::support::Page<#value>> {
                    crate::support::Request::new(crate::support::Method::Get, self.path.clone())
                }
            });
        }
        if requests.create {
            let doc = format!(" `POST {first}`: creates an entity; the service answers with it.");
            methods.push(quote! {
                #[doc = #doc]
                pub fn create(&self, value: &#value) -> ::std::result::Result<crate::support::Request<#value>, crate::support::RequestError> {
                    crate::support::Request::new(crate::support::Method::Post, self.path.clone()).with_json_body(value)
                }
            });
        }
        let by_id_doc = " The entity with this key. The key is percent-encoded; an empty key, `.` or `..` is an error.";
        methods.push(quote! {
            #[doc = #by_id_doc]
            pub fn by_id(&self, key: &str) -> ::std::result::Result<#item, crate::support::RequestError> {
                ::std::result::Result::Ok(#item { path: self.path.clone().key(key)? })
            }
        });
    } else {
        if requests.get {
            let doc = format!(" `GET {first}`");
            methods.push(quote! {
                #[doc = #doc]
                pub fn get(&self) -> crate::support::Request<#value> {
                    crate::support::Request::new(crate::support::Method::Get, self.path.clone())
                }
            });
        }
        if requests.update {
            let (method, doc) = if requests.update_by_put {
                (
                    quote!(Put),
                    format!(" `PUT {first}`: replaces the entity with `value`."),
                )
            } else {
                (
                    quote!(Patch),
                    format!(
                        " `PATCH {first}`: sends only the properties that are present in `value`."
                    ),
                )
            };
            methods.push(quote! {
                #[doc = #doc]
                pub fn update(&self, value: &#value) -> ::std::result::Result<crate::support::Request<::serde_json::Value>, crate::support::RequestError> {
                    crate::support::Request::new(crate::support::Method::#method, self.path.clone()).with_json_body(value)
                }
            });
        }
        if requests.delete {
            let doc = format!(" `DELETE {first}`");
            methods.push(quote! {
                #[doc = #doc]
                pub fn delete(&self) -> crate::support::Request<::serde_json::Value> {
                    crate::support::Request::new(crate::support::Method::Delete, self.path.clone())
                }
            });
        }
        for navigation in model.all_navigation_properties(place.ty) {
            let Some(child) = navigation_place(model, &place, navigation) else {
                continue;
            };
            let Some(child_name) = api.place_names.get(&child) else {
                continue;
            };
            let child_name = ident(child_name);
            let method = ident(&scope.claim(naming::snake(&navigation.name)));
            let segment = &navigation.name;
            let doc = format!(" `{first}/{segment}`");
            let cfg = context.cfg_within(Some(place.ty), [child.ty]);
            methods.push(quote! {
                #[doc = #doc]
                #cfg
                pub fn #method(&self) -> #child_name {
                    #child_name { path: self.path.clone().segment(#segment) }
                }
            });
        }
    }
    for index in &api.bound[&place] {
        methods.push(emit_operation(
            context, api, place.ty, *index, first, &mut scope,
        ));
    }
    let cfg = context.cfg([place.ty]);
    quote! {
        #doc
        #cfg
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct #name {
            path: crate::support::Path,
        }

        #cfg
        impl #name {
            /// The encoded path of this place.
            pub fn path(&self) -> &crate::support::Path {
                &self.path
            }

            #(#methods)*
        }
    }
}

/// The segment that names an operation: unqualified in the default namespace, as Graph documents it.
fn operation_segment(op: &Operation) -> String {
    if op.name.namespace == "microsoft.graph" {
        op.name.name.clone()
    } else {
        op.name.to_string()
    }
}

/// The CSDL name the Rust names of `op` are made from: a function that an
/// action of its name and binding shadows is `{name}Function`.
fn rust_base_name(model: &Model, op: &Operation) -> String {
    if model.is_function_beside_action(op) {
        format!("{}Function", op.name.name)
    } else {
        op.name.name.clone()
    }
}

/// The types of an operation's parameters (not its binding).
fn op_parameter_types(op: &Operation) -> impl Iterator<Item = TypeRef> + '_ {
    op.parameters.iter().map(|p| p.ty)
}

fn emit_operation(
    context: &Context,
    api: &Api,
    place: TypeId,
    index: usize,
    template: &str,
    scope: &mut Scope,
) -> TokenStream {
    let op = &context.model.operations[index];
    let method = ident(&scope.claim(naming::snake(&rust_base_name(context.model, op))));
    let segment = operation_segment(op);
    let response = match &op.return_type {
        Some(r) => value_type(context, r.ty),
        None => quote!(::serde_json::Value),
    };
    let parameters = api.parameter_structs.get(&index).map(|name| ident(name));
    let argument = parameters.as_ref().map(|p| quote!(parameters: &#p));
    let validate = parameters.as_ref().map(|_| quote!(parameters.validate()?;));
    let cfg = context.cfg_refs(
        Some(place),
        op_parameter_types(op)
            .chain(op.binding.iter().map(|b| b.ty))
            .chain(op.return_type.iter().map(|r| r.ty)),
    );
    match op.kind {
        OperationKind::Action => {
            let doc = format!(" `POST {template}/{segment}`{}", describe(op));
            let body = match &parameters {
                Some(_) => quote!(.with_json_body(parameters)),
                None => quote!(.with_json_body(&::serde_json::Map::new())),
            };
            quote! {
                #[doc = #doc]
                #cfg
                pub fn #method(&self, #argument) -> ::std::result::Result<crate::support::Request<#response>, crate::support::RequestError> {
                    #validate
                    crate::support::Request::new(crate::support::Method::Post, self.path.clone().segment(#segment))#body
                }
            }
        }
        OperationKind::Function => {
            let arguments_template: Vec<String> = op
                .parameters
                .iter()
                .map(|p| format!("{0}={{{0}}}", p.name))
                .collect();
            let doc = format!(
                " `GET {template}/{segment}({})`{}",
                arguments_template.join(","),
                describe(op)
            );
            let literals = op.parameters.iter().map(|p| {
                let field = ident(&parameter_field_names(op)[&p.name]);
                let wire = &p.name;
                let literal = function_literal(context, p.ty, quote!(value));
                quote!((#wire, match &parameters.#field {
                    crate::support::Field::Value(value) => #literal,
                    _ => ::std::string::String::from("null"),
                }))
            });
            quote! {
                #[doc = #doc]
                #cfg
                pub fn #method(&self, #argument) -> ::std::result::Result<crate::support::Request<#response>, crate::support::RequestError> {
                    #validate
                    let path = self.path.clone().function_call(#segment, &[#(#literals),*]);
                    ::std::result::Result::Ok(crate::support::Request::new(crate::support::Method::Get, path))
                }
            }
        }
    }
}

fn describe(op: &Operation) -> String {
    match &op.description {
        Some(text) => format!(": {}", text.lines().next().unwrap_or_default()),
        None => String::new(),
    }
}

/// How a function argument of type `ty` is written in the URL (an OData literal).
fn function_literal(context: &Context, ty: TypeRef, value: TokenStream) -> TokenStream {
    match ty.target {
        _ if ty.collection => quote!(::serde_json::to_string(#value).unwrap_or_default()),
        Target::Primitive(Primitive::String) => {
            quote!(crate::support::odata_literal_string(#value))
        }
        Target::Type(id) if matches!(context.model.ty(id).kind, TypeKind::Enum(_)) => {
            quote!(crate::support::odata_literal_string(#value.as_str()))
        }
        _ => quote!(#value.to_string()),
    }
}

fn is_required(p: &crate::model::Parameter) -> bool {
    !p.nullable && !p.optional
}

/// Field names of an operation's parameters struct, by wire name.
fn parameter_field_names(op: &Operation) -> BTreeMap<String, String> {
    let raw: Vec<&str> = op.parameters.iter().map(|p| p.name.as_str()).collect();
    let names = Scope::with_reserved(&["additional"]).claim_all(&raw, naming::snake);
    raw.iter().map(|r| (*r).to_owned()).zip(names).collect()
}

fn max_length(p: &crate::model::Parameter) -> Option<usize> {
    p.facets
        .iter()
        .find(|(name, _)| name == "MaxLength")
        .and_then(|(_, value)| value.parse().ok())
}

fn emit_parameters(context: &Context, api: &Api, index: usize, name: &str) -> TokenStream {
    let op = &context.model.operations[index];
    let name = ident(name);
    let binding = op
        .binding
        .as_ref()
        .map(|b| context.csdl_type(b.ty))
        .unwrap_or_else(|| "nothing".to_owned());
    let kind = match op.kind {
        OperationKind::Action => "action",
        OperationKind::Function => "function",
    };
    let places: Vec<String> = api
        .places
        .iter()
        .filter(|(place, _)| api.bound[place].contains(&index))
        .flat_map(|(_, templates)| {
            templates
                .iter()
                .map(|t| format!("- `{t}/{}`", operation_segment(op)))
        })
        .collect();
    let mut facts = format!(
        "The parameters of `{}` ({kind}), bound to `{binding}`.",
        op.name
    );
    if !places.is_empty() {
        facts.push_str(&format!("\n\nSent to:\n\n{}", places.join("\n")));
    }
    let doc = docs(op.description.as_deref(), &facts);
    let field_names = parameter_field_names(op);
    // With nothing required, `Default` is the constructor and serves serde too.
    let defaults = !op.parameters.iter().any(is_required);
    let mut fields = Vec::new();
    let mut required = Vec::new();
    let mut initializers = Vec::new();
    let mut checks = Vec::new();
    for p in &op.parameters {
        let field = ident(&field_names[&p.name]);
        let wire = &p.name;
        let rust_type = context.rust_type(p.ty, None, "api");
        let limit = max_length(p);
        let mut facts = format!("`{wire}`: `{}`", context.csdl_type(p.ty));
        facts.push_str(if is_required(p) {
            ", required"
        } else {
            ", optional"
        });
        if let Some(limit) = limit {
            facts.push_str(&format!(", at most {limit} characters"));
        }
        facts.push('.');
        let doc = docs(None, &facts);
        // Every parameter is a `Field`, so that any body reads back exactly;
        // `new` takes the required ones and `validate` insists on them.
        let serde = field_serde(wire, &field, !defaults);
        fields.push(quote! {
            #doc
            #serde
            pub #field: crate::support::Field<#rust_type>,
        });
        if is_required(p) {
            required.push(quote!(#field: #rust_type));
            initializers.push(quote!(#field: crate::support::Field::Value(#field),));
            checks.push(quote!(crate::support::check_required(#wire, &self.#field)?;));
        } else {
            initializers.push(quote!(#field: crate::support::Field::Absent,));
        }
        if let Some(limit) = limit.map(proc_macro2::Literal::usize_unsuffixed) {
            checks.push(quote! {
                if let crate::support::Field::Value(value) = &self.#field {
                    crate::support::check_max_length(#wire, value, #limit)?;
                }
            });
        }
    }
    let debug_name = name.to_string();
    let debug_fields = op.parameters.iter().map(|p| {
        let field = ident(&field_names[&p.name]);
        let label = field_names[&p.name].trim_start_matches("r#").to_owned();
        quote!((#label, &self.#field))
    });
    // With nothing required, `Default` is the constructor; otherwise `new` takes what is.
    let (default, constructor) = if defaults {
        (quote!(Default,), None)
    } else {
        let constructor = quote! {
            /// The required parameters; the optional ones start absent.
            pub fn new(#(#required),*) -> Self {
                Self { #(#initializers)* additional: crate::support::Additional::new() }
            }
        };
        (quote!(), Some(constructor))
    };
    let container_default = defaults.then(|| quote!(#[serde(default)]));
    let cfg = context.cfg_refs(None, op_parameter_types(&context.model.operations[index]));
    quote! {
        #doc
        #cfg
        #[derive(Clone, #default PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        #container_default
        pub struct #name {
            #(#fields)*
            /// Parameters the schema does not declare, sent as given.
            #[serde(flatten)]
            pub additional: crate::support::Additional,
        }

        #cfg
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                crate::support::debug_object(f, #debug_name, &[#(#debug_fields),*], &self.additional)
            }
        }

        #cfg
        impl #name {
            #constructor

            /// Checks the limits the API documents, before anything is sent.
            pub fn validate(&self) -> ::std::result::Result<(), crate::support::RequestError> {
                #(#checks)*
                ::std::result::Result::Ok(())
            }
        }
    }
}
