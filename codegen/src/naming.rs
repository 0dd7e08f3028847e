//! Rust names for CSDL names: PascalCase types and variants, snake_case
//! fields and modules, keywords escaped, and names that collide after case
//! conversion told apart by a numeric suffix in a stable order.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves in any edition we target.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// A PascalCase name for a type or variant.
pub fn pascal(raw: &str) -> String {
    let name = raw.to_upper_camel_case();
    escape(
        if name.is_empty() {
            "Unnamed".to_owned()
        } else {
            name
        },
        "T",
    )
}

/// A snake_case name for a field, function or module.
pub fn snake(raw: &str) -> String {
    let name = raw.to_snake_case();
    escape(
        if name.is_empty() {
            "unnamed".to_owned()
        } else {
            name
        },
        "_",
    )
}

/// Makes `name` a legal identifier: a digit first gets `prefix`, a keyword
/// becomes a raw identifier (or gets a trailing `_` where Rust forbids that).
fn escape(name: String, prefix: &str) -> String {
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("{prefix}{name}");
    }
    if NOT_RAW.contains(&name.as_str()) {
        return format!("{name}_");
    }
    if KEYWORDS.contains(&name.as_str()) {
        return format!("r#{name}");
    }
    name
}

/// Hands out unique names within one scope (a module, a struct, an enum).
#[derive(Default)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    /// A scope in which `reserved` are already taken by generated items.
    pub fn with_reserved(reserved: &[&str]) -> Scope {
        Scope {
            taken: reserved.iter().map(|r| (*r).to_owned()).collect(),
        }
    }

    /// `wanted`, or `wanted` with the first free suffix `2`, `3`, ... Callers
    /// ask in a stable order (see [`claim_all`]) so the result is deterministic.
    pub fn claim(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        // `r#type` becomes `type_2`, `self_` becomes `self_2`, `Self_` becomes `Self2`.
        let base = wanted
            .strip_prefix("r#")
            .unwrap_or(&wanted)
            .trim_end_matches('_');
        let snake_case = base.starts_with(|c: char| c.is_lowercase() || c == '_');
        let separator = if snake_case { "_" } else { "" };
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }

    /// Names for all of `raw` (in their order), converted by `convert`. Where
    /// two convert to the same name, the usual Graph spelling (starting with a
    /// lower-case letter, `displayName` over `DisplayName`) keeps the natural
    /// name and the other gets a suffix.
    pub fn claim_all(&mut self, raw: &[&str], convert: impl Fn(&str) -> String) -> Vec<String> {
        let mut order: Vec<usize> = (0..raw.len()).collect();
        order.sort_by_key(|i| (raw[*i].starts_with(|c: char| c.is_uppercase()), *i));
        let mut names = vec![String::new(); raw.len()];
        for i in order {
            names[i] = self.claim(convert(raw[i]));
        }
        names
    }
}

/// The module a namespace becomes: `microsoft.graph.callRecords` -> `call_records`,
/// `microsoft.graph` -> `graph`.
pub fn module(namespace: &str) -> String {
    let tail = namespace.strip_prefix("microsoft.").unwrap_or(namespace);
    let tail = tail.strip_prefix("graph.").unwrap_or(tail);
    snake(&tail.replace('.', "_"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases_and_keywords() {
        assert_eq!(pascal("callRecords"), "CallRecords");
        assert_eq!(snake("callChainId"), "call_chain_id");
        assert_eq!(snake("type"), "r#type");
        assert_eq!(snake("self"), "self_");
        assert_eq!(pascal("self"), "Self_");
        assert_eq!(snake("1080p"), "_1080p");
        assert_eq!(pascal("3d"), "T3d");
        assert_eq!(module("microsoft.graph.callRecords"), "call_records");
        assert_eq!(module("microsoft.graph"), "graph");
    }

    #[test]
    fn collisions_get_stable_suffixes() {
        let mut scope = Scope::with_reserved(&["additional"]);
        assert_eq!(scope.claim(snake("additional")), "additional_2");
        assert_eq!(
            scope.claim_all(&["DisplayName", "displayName"], snake),
            ["display_name_2", "display_name"]
        );
        let mut types = Scope::default();
        assert_eq!(types.claim_all(&["OK", "ok"], pascal), ["Ok2", "Ok"]);
        assert_eq!(types.claim(snake("type")), "r#type");
        assert_eq!(types.claim(snake("Type")), "type_2");
        assert_eq!(
            types.claim_all(&["Self", "self"], snake),
            ["self_2", "self_"]
        );
        assert_eq!(
            types.claim_all(&["Self", "self"], pascal),
            ["Self2", "Self_"]
        );
    }
}
