//! Links to Microsoft's Graph API reference. A page's address follows from
//! the item's name: `resources/<type>` for a type,
//! `api/<binding type>-<operation>` for a bound action or function and
//! `api/<type>-<get|list|update|delete>` for an entity request, lower case, with `<namespace>-` before the type for a namespace other than
//! `microsoft.graph` (`resources/callrecords-session`). Microsoft does not
//! give every type a page of its own (most enums and some complex types are
//! documented inside another page), so an address is used only when the
//! page is listed in `schemas/<version>/reference-pages.txt`: no link is
//! better than a dead one.

use std::collections::BTreeSet;

use crate::model::{Model, Operation, QualifiedName, Target, TypeId};

/// The pages of one API version's reference that are known to exist.
#[derive(Clone, Debug, Default)]
pub struct ReferencePages {
    /// The `view` query of the version: `graph-rest-1.0`, `graph-rest-beta`.
    view: String,
    /// `resources/call`, `api/participant-invite`, ...
    pages: BTreeSet<String>,
}

impl ReferencePages {
    /// Reads a list: one page a line (`resources/call`), `#` starts a comment.
    pub fn parse(text: &str, view: &str) -> ReferencePages {
        let pages = text
            .lines()
            .map(|line| line.split('#').next().unwrap_or("").trim())
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect();
        ReferencePages { view: view.to_owned(), pages }
    }

    /// `[API reference](url)` of the page documenting type `ty`, if it has one.
    pub fn type_page(&self, model: &Model, ty: TypeId) -> Option<String> {
        self.link(format!("resources/{}", slug(&model.ty(ty).name)))
    }

    /// `[API reference](url)` of the page documenting bound operation `op`, if it has one.
    pub fn operation_page(&self, model: &Model, op: &Operation) -> Option<String> {
        let Target::Type(binding) = op.binding.as_ref()?.ty.target else {
            return None;
        };
        let binding = slug(&model.ty(binding).name);
        self.link(format!("api/{binding}-{}", op.name.name.to_lowercase()))
    }

    /// The address of a listed page: the folders of the docs repository
    /// (`api-reference/<version>/api`, `.../resources`) are served as
    /// `graph/api` and `graph/api/resources`.
    /// `[API reference](url)` of the page documenting `verb` (`get`,
    /// `list`, `update`, `delete`) on entities of type `ty`, if it has one.
    pub fn request_page(&self, model: &Model, ty: TypeId, verb: &str) -> Option<String> {
        self.link(format!("api/{}-{verb}", slug(&model.ty(ty).name)))
    }

    /// The markdown link the docs write for a listed page.
    fn link(&self, page: String) -> Option<String> {
        self.url(page).map(|url| format!("[API reference]({url})"))
    }

    fn url(&self, page: String) -> Option<String> {
        let path = page.strip_prefix("api/").unwrap_or(&page);
        self.pages.contains(&page).then(|| {
            format!("https://learn.microsoft.com/graph/api/{path}?view={}", self.view)
        })
    }
}

/// `call`, `callrecords-session`: how the reference names a type's page.
fn slug(name: &QualifiedName) -> String {
    let type_name = name.name.to_lowercase();
    match name.namespace.strip_prefix("microsoft.graph.") {
        Some(namespace) => format!("{}-{type_name}", namespace.to_lowercase()),
        None => type_name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listed_page_is_linked_with_its_version_and_comments_are_ignored() {
        let pages = ReferencePages::parse("# from the docs\nresources/call  # a type\n\napi/participant-invite\n", "graph-rest-1.0");
        assert_eq!(
            pages.url("resources/call".into()).as_deref(),
            Some("https://learn.microsoft.com/graph/api/resources/call?view=graph-rest-1.0")
        );
        assert_eq!(
            pages.url("api/participant-invite".into()).as_deref(),
            Some("https://learn.microsoft.com/graph/api/participant-invite?view=graph-rest-1.0")
        );
        assert_eq!(pages.url("resources/participant".into()), None);
    }

    #[test]
    fn a_namespace_other_than_graph_prefixes_the_type() {
        let name = |namespace: &str, name: &str| QualifiedName {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
        };
        assert_eq!(slug(&name("microsoft.graph", "commsOperation")), "commsoperation");
        assert_eq!(slug(&name("microsoft.graph.callRecords", "session")), "callrecords-session");
    }
}
