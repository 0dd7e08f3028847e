//! What the `Org.OData.Capabilities.V1` vocabulary says of a place, as far
//! as the generator honours it: which entity requests the service takes,
//! and which query options its reads take.
//!
//! Each statement the generator honours is one [`Statement`], described once
//! here (its term, its property path, how its value is written). The reader
//! ([`crate::csdl`]), the model ([`crate::model`]), the slice writer and
//! `xtask diff` go through [`Statement::ALL`] and know no statement by name;
//! the api plan ([`crate::api_plan`]) decides what each means for the
//! requests of a place. So honouring a new statement takes two places: a
//! variant here, and its use in the plan.

/// A statement of `Org.OData.Capabilities.V1` that decides which entity
/// requests exist at a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Statement {
    /// `ReadRestrictions/Readable`: list a collection, get a single entity.
    Readable,
    /// `ReadRestrictions/ReadByKeyRestrictions/Readable`: get a member by key.
    ReadableByKey,
    /// `InsertRestrictions/Insertable`: create in a collection.
    Insertable,
    /// `UpdateRestrictions/Updatable`.
    Updatable,
    /// `UpdateRestrictions/UpdateMethod`: true when it lists PUT and not PATCH.
    UpdateByPut,
    /// `DeleteRestrictions/Deletable`.
    Deletable,
    /// `IndexableByKey`: the members of a collection are addressed by key.
    IndexableByKey,
    /// `SelectSupport/Supported`: `$select`.
    Selectable,
    /// `ExpandRestrictions/Expandable`: `$expand`.
    Expandable,
    /// `FilterRestrictions/Filterable`: `$filter`.
    Filterable,
    /// `SortRestrictions/Sortable`: `$orderby`.
    Sortable,
    /// `SearchRestrictions/Searchable`: `$search`.
    Searchable,
    /// `CountRestrictions/Countable`: `$count`.
    Countable,
    /// `TopSupported`: `$top`.
    TopSupported,
    /// `SkipSupported`: `$skip`.
    SkipSupported,
}

/// How a statement's value is written in CSDL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// `Bool="true"` (or a `<Bool>` element).
    Bool,
    /// A list of `Org.OData.Capabilities.V1.HttpMethod` members; the
    /// statement holds when PUT is listed without PATCH.
    PutOverPatch,
}

/// The namespace of the vocabulary's terms.
pub const VOCABULARY: &str = "Org.OData.Capabilities.V1";

impl Statement {
    /// Every statement, in the order of [`Restrictions::all`] and of the
    /// annotations a slice writes.
    pub const ALL: [Statement; 15] = [
        Statement::Readable,
        Statement::ReadableByKey,
        Statement::Insertable,
        Statement::Updatable,
        Statement::UpdateByPut,
        Statement::Deletable,
        Statement::IndexableByKey,
        Statement::Selectable,
        Statement::Expandable,
        Statement::Filterable,
        Statement::Sortable,
        Statement::Searchable,
        Statement::Countable,
        Statement::TopSupported,
        Statement::SkipSupported,
    ];

    /// The term it belongs to, without the vocabulary: `ReadRestrictions`.
    pub fn term(self) -> &'static str {
        match self {
            Statement::Readable | Statement::ReadableByKey => "ReadRestrictions",
            Statement::Insertable => "InsertRestrictions",
            Statement::Updatable | Statement::UpdateByPut => "UpdateRestrictions",
            Statement::Deletable => "DeleteRestrictions",
            Statement::IndexableByKey => "IndexableByKey",
            Statement::Selectable => "SelectSupport",
            Statement::Expandable => "ExpandRestrictions",
            Statement::Filterable => "FilterRestrictions",
            Statement::Sortable => "SortRestrictions",
            Statement::Searchable => "SearchRestrictions",
            Statement::Countable => "CountRestrictions",
            Statement::TopSupported => "TopSupported",
            Statement::SkipSupported => "SkipSupported",
        }
    }

    /// The property path within the term's record; empty for a term that
    /// is a value itself (`<Annotation Term="...IndexableByKey" Bool="false"/>`).
    pub fn path(self) -> &'static [&'static str] {
        match self {
            Statement::Readable => &["Readable"],
            Statement::ReadableByKey => &["ReadByKeyRestrictions", "Readable"],
            Statement::Insertable => &["Insertable"],
            Statement::Updatable => &["Updatable"],
            Statement::UpdateByPut => &["UpdateMethod"],
            Statement::Deletable => &["Deletable"],
            Statement::IndexableByKey | Statement::TopSupported | Statement::SkipSupported => &[],
            Statement::Selectable => &["Supported"],
            Statement::Expandable => &["Expandable"],
            Statement::Filterable => &["Filterable"],
            Statement::Sortable => &["Sortable"],
            Statement::Searchable => &["Searchable"],
            Statement::Countable => &["Countable"],
        }
    }

    pub fn value(self) -> Value {
        match self {
            Statement::UpdateByPut => Value::PutOverPatch,
            _ => Value::Bool,
        }
    }

    /// Its name in messages and reports: `ReadByKeyRestrictions/Readable`.
    pub fn name(self) -> &'static str {
        match self {
            Statement::Readable => "Readable",
            Statement::ReadableByKey => "ReadByKeyRestrictions/Readable",
            Statement::Insertable => "Insertable",
            Statement::Updatable => "Updatable",
            Statement::UpdateByPut => "UpdateMethod/PUT",
            Statement::Deletable => "Deletable",
            Statement::IndexableByKey => "IndexableByKey",
            Statement::Selectable => "SelectSupport/Supported",
            Statement::Expandable => "Expandable",
            Statement::Filterable => "Filterable",
            Statement::Sortable => "Sortable",
            Statement::Searchable => "Searchable",
            Statement::Countable => "Countable",
            Statement::TopSupported => "TopSupported",
            Statement::SkipSupported => "SkipSupported",
        }
    }

    /// The CSDL `<PropertyValue>` that states `value` in the term's record.
    pub fn property_value(self, value: bool) -> String {
        let leaf = |property: &str| match self.value() {
            Value::Bool => format!(r#"<PropertyValue Property="{property}" Bool="{value}" />"#),
            Value::PutOverPatch => {
                let method = if value { "PUT" } else { "PATCH" };
                format!(
                    r#"<PropertyValue Property="{property}"><EnumMember>{VOCABULARY}.HttpMethod/{method}</EnumMember></PropertyValue>"#
                )
            }
        };
        match self.path() {
            [property] => leaf(property),
            [outer, property] => format!(
                r#"<PropertyValue Property="{outer}"><Record>{}</Record></PropertyValue>"#,
                leaf(property)
            ),
            _ => unreachable!("a record holds statements at most two properties deep"),
        }
    }
}

/// What the statements say of an entity set, singleton, containment
/// navigation property or entity type. `None` is "not stated", which OData
/// reads as allowed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Restrictions([Option<bool>; Statement::ALL.len()]);

impl std::ops::Index<Statement> for Restrictions {
    type Output = Option<bool>;

    fn index(&self, statement: Statement) -> &Option<bool> {
        &self.0[statement as usize]
    }
}

impl std::ops::IndexMut<Statement> for Restrictions {
    fn index_mut(&mut self, statement: Statement) -> &mut Option<bool> {
        &mut self.0[statement as usize]
    }
}

impl Restrictions {
    pub fn is_empty(&self) -> bool {
        *self == Restrictions::default()
    }

    /// Each statement of `self`, or else of `fallback`.
    pub fn or(mut self, fallback: Restrictions) -> Restrictions {
        for statement in Statement::ALL {
            self[statement] = self[statement].or(fallback[statement]);
        }
        self
    }

    /// Every statement, made or not, by name, in a fixed order.
    pub fn all(&self) -> Vec<(&'static str, Option<bool>)> {
        Statement::ALL
            .iter()
            .map(|s| (s.name(), self[*s]))
            .collect()
    }

    /// The statements made, as `(name, value)`, for messages and writers.
    pub fn statements(&self) -> Vec<(&'static str, bool)> {
        self.all()
            .into_iter()
            .filter_map(|(name, value)| value.map(|v| (name, v)))
            .collect()
    }
}
