//! The `api` module, rendered from its [`ApiPlan`]: a function per root, a
//! `...Path` struct per place with the requests it offers, and a parameters
//! struct per operation. Every request is a transport-free `support::Request`
//! value. What the module holds and every name in it is decided by the plan.

use std::fmt::Write;

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use super::{Context, docs, field_serde};
use crate::api_plan::{
    ApiPlan, Call, EntityRequest, ParametersPlan, PlacePlan, QueriedType, QueryOption,
};
use crate::model::{Operation, OperationKind, Primitive, Target, TypeId, TypeKind, TypeRef};
use crate::names::ident;

/// Part `part` of `parts` of the `api` module: a contiguous run of its items
/// (root functions, then places, then parameter structs), so that parts can
/// be emitted and formatted on their own and joined in order.
pub fn emit(context: &Context, plan: &ApiPlan, part: usize, parts: usize) -> TokenStream {
    let total = plan.items();
    let wanted = part * total / parts..(part + 1) * total / parts;
    let roots = plan
        .roots
        .iter()
        .enumerate()
        .filter(|(i, _)| wanted.contains(i))
        .map(|(_, root)| {
            let function = ident(&root.function);
            let place = &plan.places[root.place];
            let path_type = ident(&place.name);
            let name = &root.segment;
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
    let first_place = plan.roots.len();
    let places = plan
        .places
        .iter()
        .enumerate()
        .filter(|(i, _)| wanted.contains(&(first_place + i)))
        .map(|(_, place)| emit_place(context, plan, place));
    let first_parameters = first_place + plan.places.len();
    let parameters = plan
        .parameters
        .iter()
        .enumerate()
        .filter(|(i, _)| wanted.contains(&(first_parameters + i)))
        .map(|(_, parameters)| emit_parameters(context, parameters));
    let module_doc = (part == 0).then(|| {
        quote! {
            //! Typed requests for the service's paths, derived from the entity container.
            //! Each function or method returns a [`Request`](crate::support::Request): send it with
            //! any HTTP client (or the `client` feature's `support::Client`) and decode the answer
            //! with [`Request::decode_response`](crate::support::Request::decode_response). Reads
            //! (`list`, `get`) return a [`Query`](crate::support::Query): the request, with the
            //! query options the service takes there, typed by the properties of what is read.
        }
    });
    let first_queried = first_parameters + plan.parameters.len();
    let queried = plan
        .queried
        .iter()
        .enumerate()
        .filter(|(i, _)| wanted.contains(&(first_queried + i)))
        .map(|(_, queried)| emit_queried(context, queried));
    quote! {
        #module_doc
        #(#roots)*
        #(#places)*
        #(#parameters)*
        #(#queried)*
    }
}

/// The property enums of a type whose reads take query options, and its
/// `Queryable` impl.
fn emit_queried(context: &Context, queried: &QueriedType) -> TokenStream {
    let type_link = context.names.doc_link(context.model, queried.ty, "api");
    let value = value_type(
        context,
        TypeRef {
            collection: false,
            target: Target::Type(queried.ty),
        },
    );
    let cfg = context.cfg([queried.ty]);
    let property_enum = |name: &str, members: &[(String, String)], what: &str| {
        let name = ident(name);
        let doc = format!(" The {what} of {type_link}, as query options name them.");
        let variants = members.iter().map(|(variant, wire)| {
            let variant = ident(variant);
            let doc = format!(" `{wire}`");
            quote!(#[doc = #doc] #variant,)
        });
        let arms = members.iter().map(|(variant, wire)| {
            let variant = ident(variant);
            quote!(#name::#variant => #wire,)
        });
        quote! {
            #[doc = #doc]
            #cfg
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
            pub enum #name { #(#variants)* }

            #cfg
            impl crate::support::Property for #name {
                fn name(self) -> &'static str {
                    match self { #(#arms)* }
                }
            }
        }
    };
    let properties = property_enum(&queried.property_enum, &queried.properties, "properties");
    let property = ident(&queried.property_enum);
    let (navigations, navigation) = match &queried.navigation_enum {
        Some(name) => (
            property_enum(name, &queried.navigations, "navigation properties"),
            ident(name).into_token_stream(),
        ),
        None => (TokenStream::new(), quote!(crate::support::NoNavigation)),
    };
    quote! {
        #properties
        #navigations
        #cfg
        impl crate::support::Queryable for #value {
            type Property = #property;
            type Navigation = #navigation;
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

fn emit_place(context: &Context, plan: &ApiPlan, place: &PlacePlan) -> TokenStream {
    let model = context.model;
    let name = ident(&place.name);
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
    let listed: Vec<String> = place.templates.iter().map(|t| format!("- `{t}`")).collect();
    let mut text = format!("{what}, at:\n\n{}", listed.join("\n"));
    if !place.not_offered.is_empty() {
        let _ = write!(
            text,
            "\n\nNot offered here: {}.",
            place.not_offered.join(", ")
        );
    }
    let doc = docs(None, &text);
    let first = &place.templates[0];
    let mut methods: Vec<TokenStream> = place
        .requests
        .iter()
        .map(|request| {
            let reference = reference_doc(context.request_reference(place.ty, *request));
            entity_request(*request, first, &value, &reference, &place.query)
        })
        .collect();
    if let Some(member) = place.member {
        let item = ident(&plan.places[member].name);
        let by_id_doc = " The entity with this key. The key is percent-encoded; an empty key, `.` or `..` is an error.";
        methods.push(quote! {
            #[doc = #by_id_doc]
            pub fn by_id(&self, key: &str) -> ::std::result::Result<#item, crate::support::RequestError> {
                ::std::result::Result::Ok(#item { path: self.path.clone().key(key)? })
            }
        });
    }
    for child in &place.children {
        let child_name = ident(&plan.places[child.place].name);
        let method = ident(&child.method);
        let segment = &child.segment;
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
    for call in &place.calls {
        methods.push(emit_call(context, plan, place.ty, call, first));
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

/// The method of an entity request at `template`; `value` is the entity's type.
fn entity_request(
    request: EntityRequest,
    template: &str,
    value: &TokenStream,
    reference: &TokenStream,
    query: &[QueryOption],
) -> TokenStream {
    // A read takes the query options its place allows, as part of its type.
    let taken: Vec<String> = query.iter().map(|q| format!("`{}`", q.name())).collect();
    let query_doc = if taken.is_empty() {
        " Takes no query option.".to_owned()
    } else {
        format!(" Query options: {}.", taken.join(", "))
    };
    let options = QueryOption::ALL.map(|option| query.contains(&option));
    let options = quote!(crate::support::Options<#(#options),*>);
    match request {
        EntityRequest::List => {
            let doc = format!(" `GET {template}`: one page of the collection.");
            quote! {
                #[doc = #doc]
                #[doc = ""]
                #[doc = #query_doc]
                #reference
                pub fn list(&self) -> crate::support::Query<crate::support::Page<#value>, #options> {
                    crate::support::Query::new(crate::support::Request::new(crate::support::Method::Get, self.path.clone()))
                }
            }
        }
        EntityRequest::Create => {
            let doc =
                format!(" `POST {template}`: creates an entity; the service answers with it.");
            quote! {
                #[doc = #doc]
                #reference
                pub fn create(&self, value: &#value) -> ::std::result::Result<crate::support::Request<#value>, crate::support::RequestError> {
                    crate::support::Request::new(crate::support::Method::Post, self.path.clone()).with_json_body(value)
                }
            }
        }
        EntityRequest::Get => {
            let doc = format!(" `GET {template}`");
            quote! {
                #[doc = #doc]
                #[doc = ""]
                #[doc = #query_doc]
                #reference
                pub fn get(&self) -> crate::support::Query<#value, #options> {
                    crate::support::Query::new(crate::support::Request::new(crate::support::Method::Get, self.path.clone()))
                }
            }
        }
        EntityRequest::Update { put } => {
            let (method, doc) = if put {
                (
                    quote!(Put),
                    format!(" `PUT {template}`: replaces the entity with `value`."),
                )
            } else {
                (
                    quote!(Patch),
                    format!(
                        " `PATCH {template}`: sends only the properties that are present in `value`."
                    ),
                )
            };
            quote! {
                #[doc = #doc]
                #reference
                pub fn update(&self, value: &#value) -> ::std::result::Result<crate::support::Request<::serde_json::Value>, crate::support::RequestError> {
                    crate::support::Request::new(crate::support::Method::#method, self.path.clone()).with_json_body(value)
                }
            }
        }
        EntityRequest::Delete => {
            let doc = format!(" `DELETE {template}`");
            quote! {
                #[doc = #doc]
                #reference
                pub fn delete(&self) -> crate::support::Request<::serde_json::Value> {
                    crate::support::Request::new(crate::support::Method::Delete, self.path.clone())
                }
            }
        }
    }
}

/// The types of an operation's parameters (not its binding).
fn op_parameter_types(op: &Operation) -> impl Iterator<Item = TypeRef> + '_ {
    op.parameters.iter().map(|p| p.ty)
}

fn emit_call(
    context: &Context,
    plan: &ApiPlan,
    place: TypeId,
    call: &Call,
    template: &str,
) -> TokenStream {
    let op = &context.model.operations[call.operation];
    let method = ident(&call.method);
    let segment = &call.segment;
    let response = match &op.return_type {
        Some(r) => value_type(context, r.ty),
        None => quote!(::serde_json::Value),
    };
    let parameters = call.parameters.map(|i| &plan.parameters[i]);
    let parameters_type = parameters.map(|p| ident(&p.name));
    let argument = parameters_type.as_ref().map(|p| quote!(parameters: &#p));
    let validate = parameters.map(|_| quote!(parameters.validate()?;));
    let cfg = context.cfg_refs(
        Some(place),
        op_parameter_types(op)
            .chain(op.binding.iter().map(|b| b.ty))
            .chain(op.return_type.iter().map(|r| r.ty)),
    );
    match op.kind {
        OperationKind::Action => {
            let doc = format!(" `POST {template}/{segment}`{}", describe(op));
            let reference = reference_doc(context.operation_reference(op));
            let body = match &parameters {
                Some(_) => quote!(.with_json_body(parameters)),
                None => quote!(.with_json_body(&::serde_json::Map::new())),
            };
            quote! {
                #[doc = #doc]
                #reference
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
            let reference = reference_doc(context.operation_reference(op));
            let fields = parameters.map_or(&[][..], |p| p.fields.as_slice());
            let literals = fields.iter().map(|field| {
                let name = ident(&field.name);
                let wire = &field.wire_name;
                let literal = function_literal(context, field.ty, quote!(value));
                quote!((#wire, match &parameters.#name {
                    crate::support::Field::Value(value) => #literal,
                    _ => ::std::string::String::from("null"),
                }))
            });
            quote! {
                #[doc = #doc]
                #reference
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

/// A blank doc line and `reference` (`[API reference](url)`), if there is one.
fn reference_doc(reference: Option<String>) -> TokenStream {
    match reference {
        Some(reference) => {
            let line = format!(" {reference}");
            quote!(#[doc = ""] #[doc = #line])
        }
        None => TokenStream::new(),
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

fn emit_parameters(context: &Context, plan: &ParametersPlan) -> TokenStream {
    let op = &context.model.operations[plan.operation];
    let name = ident(&plan.name);
    let binding = op
        .binding
        .as_ref()
        .map(|b| context.csdl_type(b.ty))
        .unwrap_or_else(|| "nothing".to_owned());
    let kind = match op.kind {
        OperationKind::Action => "action",
        OperationKind::Function => "function",
    };
    let places: Vec<String> = plan.sent_to.iter().map(|t| format!("- `{t}`")).collect();
    let mut facts = format!(
        "The parameters of `{}` ({kind}), bound to `{binding}`.",
        op.name
    );
    if !places.is_empty() {
        facts.push_str(&format!("\n\nSent to:\n\n{}", places.join("\n")));
    }
    if let Some(reference) = context.operation_reference(op) {
        facts.push_str(&format!("\n\n{reference}"));
    }
    let doc = docs(op.description.as_deref(), &facts);
    // With nothing required, `Default` is the constructor and serves serde too.
    let defaults = !plan.fields.iter().any(|f| f.required);
    let mut fields = Vec::new();
    let mut required = Vec::new();
    let mut initializers = Vec::new();
    let mut checks = Vec::new();
    for p in &plan.fields {
        let field = ident(&p.name);
        let wire = &p.wire_name;
        let rust_type = context.rust_type(p.ty, None, "api");
        let mut facts = format!("`{wire}`: `{}`", context.csdl_type(p.ty));
        facts.push_str(if p.required {
            ", required"
        } else {
            ", optional"
        });
        if let Some(limit) = p.max_length {
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
        if p.required {
            required.push(quote!(#field: #rust_type));
            initializers.push(quote!(#field: crate::support::Field::Value(#field),));
            checks.push(quote!(crate::support::check_required(#wire, &self.#field)?;));
        } else {
            initializers.push(quote!(#field: crate::support::Field::Absent,));
        }
        if let Some(limit) = p.max_length.map(proc_macro2::Literal::usize_unsuffixed) {
            checks.push(quote! {
                if let crate::support::Field::Value(value) = &self.#field {
                    crate::support::check_max_length(#wire, value, #limit)?;
                }
            });
        }
    }
    let debug_name = plan.name.clone();
    let debug_fields = plan.fields.iter().map(|p| {
        let field = ident(&p.name);
        let label = p.name.trim_start_matches("r#").to_owned();
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
    let cfg = context.cfg_refs(None, op_parameter_types(op));
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
