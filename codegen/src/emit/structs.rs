//! Entity and complex types become structs; a type with derived types also
//! gets an `Any...` enum that picks the concrete type by `@odata.type`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Context, docs};
use crate::model::{OperationKind, StructuredKind};
use crate::model::{Structured, TypeId, TypeRef};
use crate::names::ident;

/// One field of a generated struct.
struct FieldSpec {
    wire_name: String,
    ident: syn::Ident,
    rust_type: TokenStream,
    doc: TokenStream,
}

pub fn emit(context: &Context, id: TypeId, module: &str) -> TokenStream {
    let mut tokens = emit_struct(context, id, module);
    if context.names.any_ident(id).is_some() {
        tokens.extend(emit_any(context, id, module));
    }
    tokens
}

/// The fields of `id`'s struct, in the order of [`crate::names::Names::members`]:
/// properties (its bases' first), navigation properties, then `resourceData`
/// on a notification.
fn fields(context: &Context, id: TypeId, module: &str) -> Vec<FieldSpec> {
    let model = context.model;
    let mut rust_names = context.names.members(id).iter();
    let mut field = |wire: &str, rust_type: TokenStream, doc: TokenStream| FieldSpec {
        wire_name: wire.to_owned(),
        ident: ident(rust_names.next().expect("one name per member")),
        rust_type,
        doc,
    };
    let declared = |kind: &str, wire: &str, ty: TypeRef, nullable: bool, description: Option<&str>| {
        // On a collection, `Nullable` is about its items (which this type reads as values).
        let nullable = match (ty.collection, nullable) {
            (false, true) => "nullable",
            (false, false) => "not nullable",
            (true, true) => "items nullable",
            (true, false) => "items not nullable",
        };
        let facts = format!("{kind} `{wire}`: `{}`, {nullable}.", context.csdl_type(ty));
        (context.rust_type(ty, Some(id), module), docs(description, &facts))
    };
    let mut fields = Vec::new();
    for p in model.all_properties(id) {
        let (rust_type, doc) = declared("Property", &p.name, p.ty, p.nullable, p.description.as_deref());
        fields.push(field(&p.name, rust_type, doc));
    }
    for n in model.all_navigation_properties(id) {
        let (rust_type, doc) =
            declared("Navigation property", &n.name, n.ty, n.nullable, n.description.as_deref());
        fields.push(field(&n.name, rust_type, doc));
    }
    if model.carries_resource_data(id) {
        let root = context.names.root_path();
        let doc = docs(
            None,
            &format!(
                "`resourceData`, which the schema does not declare: the entity the\n\
                 notification is about, or a collection of them, each read as the type\n\
                 its `@odata.type` names ([`Decoded`]({}::Decoded)), or kept untyped\n\
                 when it names none.",
                context.names.root
            ),
        );
        fields.push(field(
            crate::model::RESOURCE_DATA,
            quote!(crate::support::ResourceData<#root::Decoded>),
            doc,
        ));
    }
    fields
}

fn emit_struct(context: &Context, id: TypeId, module: &str) -> TokenStream {
    let model = context.model;
    let ty = model.ty(id);
    let structured = model
        .structured(id)
        .expect("emit is called for structured types");
    let name = context.names.ident(id);
    let type_name = ty.name.to_string();
    let doc = docs(
        ty.description.as_deref(),
        &struct_facts(context, id, structured, module),
    );
    let fields = fields(context, id, module);
    let declarations = fields.iter().map(|f| {
        let FieldSpec { ident, rust_type, doc, .. } = f;
        quote! {
            #doc
            pub #ident: crate::support::Field<#rust_type>,
        }
    });
    let table = fields.iter().map(|f| {
        let (field, wire) = (&f.ident, &f.wire_name);
        quote!(#wire => #field)
    });
    let cfg = context.cfg([id]);
    quote! {
        #doc
        #cfg
        #[derive(Clone, Default, PartialEq)]
        pub struct #name {
            #(#declarations)*
            /// Properties and annotations the schema does not declare
            /// (`@odata.type`, `@odata.id`, `name@odata.nextLink`, ...), kept as sent.
            pub additional: crate::support::Additional,
        }

        #cfg
        crate::support::object!(#name = #type_name { #(#table),* });
    }
}

fn struct_facts(context: &Context, id: TypeId, structured: &Structured, module: &str) -> String {
    let model = context.model;
    let ty = model.ty(id);
    let kind = match structured.kind {
        StructuredKind::Entity => "entity type",
        StructuredKind::Complex => "complex type",
    };
    let mut traits = Vec::new();
    if structured.is_abstract {
        traits.push("abstract");
    }
    if structured.is_open {
        traits.push("open");
    }
    if structured.has_stream {
        traits.push("media");
    }
    let traits = if traits.is_empty() {
        String::new()
    } else {
        format!(" ({})", traits.join(", "))
    };
    let mut facts = vec![format!("`{}`: {kind}{traits}.", ty.name)];
    if !structured.key.is_empty() {
        facts.push(format!("Key: `{}`.", structured.key.join("`, `")));
    }
    let link = |id: TypeId| context.names.doc_link(model, id, module);
    if let Some(base) = structured.base {
        facts.push(format!("Base type: {}.", link(base)));
    }
    if !structured.derived.is_empty() {
        // A derived type of another area may be compiled out: named, not linked.
        let derived: Vec<String> = structured
            .derived
            .iter()
            .map(|d| {
                if context.cfg_within(Some(id), [*d]).is_empty() {
                    link(*d)
                } else {
                    format!("`{}`", context.names.name(*d))
                }
            })
            .collect();
        let any = context
            .names
            .any_ident(id)
            .expect("a type with derived types has an Any enum");
        facts.push(format!(
            "Derived types: {}. A value declared as this type is read as [`{any}`].",
            derived.join(", ")
        ));
    }
    let operations: Vec<String> = [false, true]
        .into_iter()
        .flat_map(|collection| {
            model
                .bound_operations(id, collection)
                .into_iter()
                .map(move |op| (collection, op))
        })
        .map(|(collection, op)| {
            let kind = match op.kind {
                OperationKind::Action => "action",
                OperationKind::Function => "function",
            };
            let on = if collection { " (on a collection)" } else { "" };
            format!("`{}` ({kind}{on})", op.name.name)
        })
        .collect();
    if !operations.is_empty() {
        facts.push(format!("Bound operations: {}.", operations.join(", ")));
    }
    facts.extend(context.type_reference(id));
    facts.join("\n\n")
}

fn emit_any(context: &Context, id: TypeId, module: &str) -> TokenStream {
    let model = context.model;
    let any = context.names.any_ident(id).expect("checked by the caller");
    let base_name = context.names.name(id);
    // The declared type first, then its descendants by name.
    let members: Vec<TypeId> = std::iter::once(id)
        .chain(model.with_descendants(id).into_iter().filter(|m| *m != id))
        .collect();
    // A variant is named after its type; types of the same name from two
    // namespaces take the crate-wide names `Decoded` uses instead.
    let variant_of = |m: TypeId| {
        let clashes = members
            .iter()
            .filter(|other| context.names.name(**other) == context.names.name(m))
            .count()
            > 1;
        if clashes {
            context.names.decoded_variant(m)
        } else {
            context.names.ident(m)
        }
    };
    // A derived type of another area is a variant only with its feature.
    let variants: Vec<(syn::Ident, TokenStream, String, TokenStream)> = members
        .iter()
        .map(|m| {
            (
                variant_of(*m),
                context.names.type_path(model, *m, module),
                model.ty(*m).name.to_string(),
                context.cfg_within(Some(id), [*m]),
            )
        })
        .collect();
    let doc = docs(
        None,
        &format!(
            "Either [`{base_name}`] or a type derived from it, chosen by `@odata.type` when read.\n\n\
             An absent, unknown or unrelated `@odata.type` reads as [`{base_name}`], which keeps it;\n\
             a derived variant writes its `@odata.type` when serialized."
        ),
    );
    let declarations = variants.iter().map(|(variant, path, qualified, cfg)| {
        let doc = format!(" `{qualified}`");
        quote! {
            #[doc = #doc]
            #cfg
            #variant(::std::boxed::Box<#path>),
        }
    });
    let base_variant = variant_of(id);
    let reads = variants.iter().filter(|(variant, ..)| *variant != base_variant).map(|(variant, _, qualified, cfg)| {
        // By length first, as `Decoded` reads a resource (see `emit::root`).
        let length = proc_macro2::Literal::usize_unsuffixed(qualified.len());
        quote!(#cfg ::std::option::Option::Some((#length, #qualified)) => Self::#variant(object.finish()?),)
    });
    let writes = variants.iter().map(|(variant, _, _, cfg)| {
        if *variant == base_variant {
            quote!(Self::#variant(value) => ::serde::Serialize::serialize(value, serializer),)
        } else {
            quote!(#cfg Self::#variant(value) => crate::support::write_with_type(&**value, serializer),)
        }
    });
    // The `From` impls stand outside the enum, so they also need its features.
    let froms = members
        .iter()
        .zip(&variants)
        .map(|(member, (variant, path, _, _))| {
            let cfg = context.cfg([id, *member]);
            quote! {
                #cfg
                impl ::std::convert::From<#path> for #any {
                    fn from(value: #path) -> Self {
                        Self::#variant(::std::boxed::Box::new(value))
                    }
                }

                // So that `property: value.into()` works on a property declared as the base.
                #cfg
                impl ::std::convert::From<#path> for crate::support::Field<#any> {
                    fn from(value: #path) -> Self {
                        crate::support::Field::Value(value.into())
                    }
                }
            }
        });
    let object_arms = variants
        .iter()
        .map(|(variant, _, _, cfg)| quote!(#cfg Self::#variant(value) => &value.additional,));
    let accessors = accessors(context, id, &members, &variants, module);
    let cfg = context.cfg([id]);
    quote! {
        #doc
        #cfg
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #any {
            #(#declarations)*
        }

        #cfg
        impl #any {
            /// The value's properties and annotations that no variant declares.
            pub fn additional(&self) -> &crate::support::Additional {
                match self {
                    #(#object_arms)*
                }
            }

            #(#accessors)*
        }

        #cfg
        impl crate::support::AnyObject for #any {
            fn read_variant<'de, A: ::serde::de::MapAccess<'de>>(object: crate::support::Partial<'de, A>) -> ::std::result::Result<Self, A::Error> {
                ::std::result::Result::Ok(match object.type_name().map(|name| (name.len(), name)) {
                    #(#reads)*
                    _ => Self::#base_variant(object.finish()?),
                })
            }
        }

        #cfg
        impl<'de> ::serde::Deserialize<'de> for #any {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                crate::support::read_any(deserializer)
            }
        }

        #cfg
        impl ::serde::Serialize for #any {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(#writes)*
                }
            }
        }

        #(#froms)*
    }
}

/// For an `Any...` enum over `id`: one method per property (and navigation
/// property) of `id`, giving the field whichever variant holds it, so reading
/// a base property needs no match and a derived type added later changes
/// nothing for code that reads it. Every variant's struct repeats the
/// properties of its bases, at the same position among its fields.
fn accessors(
    context: &Context,
    id: TypeId,
    members: &[TypeId],
    variants: &[(syn::Ident, TokenStream, String, TokenStream)],
    module: &str,
) -> Vec<TokenStream> {
    let model = context.model;
    let base_type = model.ty(id).name.to_string();
    let declared: Vec<(String, TypeRef)> = model
        .all_properties(id)
        .iter()
        .map(|p| (p.name.clone(), p.ty))
        .chain(
            model
                .all_navigation_properties(id)
                .iter()
                .map(|n| (n.name.clone(), n.ty)),
        )
        .collect();
    let property_count = model.all_properties(id).len();
    declared
        .iter()
        .enumerate()
        .filter_map(|(index, (wire, ty))| {
            // The position of the field in a member's struct: its bases'
            // properties come first, then its own, then the navigation ones.
            let position = |m: TypeId| {
                if index < property_count {
                    index
                } else {
                    model.all_properties(m).len() + index - property_count
                }
            };
            let field = |m: TypeId| ident(&context.names.members(m)[position(m)]);
            // A recursive type may box a field in one struct and not in another:
            // such a property has no single type to return, so no accessor.
            let rust_type = context.rust_type(*ty, Some(id), module);
            let same_everywhere = members.iter().all(|m| {
                context.rust_type(*ty, Some(*m), module).to_string() == rust_type.to_string()
            });
            if !same_everywhere {
                return None;
            }
            let method = field(id);
            let arms = members
                .iter()
                .zip(variants)
                .map(|(m, (variant, _, _, cfg))| {
                    let field = field(*m);
                    quote!(#cfg Self::#variant(value) => &value.#field,)
                });
            let doc =
                format!(" `{wire}`, as `{base_type}` declares it, whichever type the value is.");
            let cfg = context.cfg_refs(Some(id), [*ty]);
            Some(quote! {
                #[doc = #doc]
                #cfg
                pub fn #method(&self) -> &crate::support::Field<#rust_type> {
                    match self {
                        #(#arms)*
                    }
                }
            })
        })
        .collect()
}
