//! Enum types become closed Rust enums of their documented members; values
//! travel as `support::OpenEnum` (or `support::FlagSet` for flags), which keep
//! any text the service sends, known or not.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Context, docs};
use crate::model::{TypeId, TypeKind};
use crate::names::ident;

pub fn emit(context: &Context, id: TypeId) -> TokenStream {
    let ty = context.model.ty(id);
    let TypeKind::Enum(enumeration) = &ty.kind else {
        unreachable!("emit is called for enum types")
    };
    let name = context.names.ident(id);
    let type_name = ty.name.to_string();
    let wrapper = if enumeration.is_flags {
        "a set of them travels as [`FlagSet`](crate::support::FlagSet), written comma-separated"
    } else {
        "a value travels as [`OpenEnum`](crate::support::OpenEnum), which also keeps values this list lacks"
    };
    let mut facts = format!("`{type_name}`: enum type; {wrapper}.");
    if let Some(reference) = context.type_reference(id) {
        facts.push_str(&format!("\n\n{reference}"));
    }
    let doc = docs(ty.description.as_deref(), &facts);
    let variants = context.names.members(id);
    let members: Vec<(syn::Ident, &str, i64, TokenStream)> = enumeration
        .members
        .iter()
        .zip(variants)
        .map(|(m, variant)| {
            let variant = ident(variant);
            let doc = docs(
                m.description.as_deref(),
                &format!("`{}` (value {}).", m.name, m.value),
            );
            (variant, m.name.as_str(), m.value, doc)
        })
        .collect();
    let variants = members
        .iter()
        .map(|(variant, _, _, doc)| quote!(#doc #variant,));
    let table = members.iter().map(|(variant, wire, value, _)| {
        let value = proc_macro2::Literal::i64_unsuffixed(*value);
        quote!((Self::#variant, #wire, #value),)
    });
    let cfg = context.cfg([id]);
    quote! {
        #doc
        #cfg
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        #cfg
        impl crate::support::EnumMember for #name {
            const TYPE_NAME: &'static str = #type_name;
            const MEMBERS: &'static [(Self, &'static str, i64)] = &[#(#table)*];
        }
    }
}
