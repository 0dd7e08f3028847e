//! What the `Org.OData.Capabilities.V1` vocabulary says of a place, as far
//! as the generator honours it: which entity requests the service takes.
//! The reader fills it in ([`crate::csdl`]), the model keeps it
//! ([`crate::model`]), and the api plan acts on it ([`crate::api_plan`]); the
//! slice writer and `xtask diff` go through [`Restrictions::all`], so a new
//! statement is read in one place and used in another.

/// What the `Org.OData.Capabilities.V1` `Read`/`Insert`/`Update`/`DeleteRestrictions`
/// terms say of an entity set, singleton, containment navigation property or
/// entity type. `None` is "not stated", which OData reads as allowed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Restrictions {
    /// `ReadRestrictions/Readable`: list a collection, get a single entity.
    pub readable: Option<bool>,
    /// `ReadRestrictions/ReadByKeyRestrictions/Readable`: get a member by key.
    pub readable_by_key: Option<bool>,
    pub insertable: Option<bool>,
    pub updatable: Option<bool>,
    /// `UpdateRestrictions/UpdateMethod`: `true` for PUT, `false` for PATCH.
    pub update_by_put: Option<bool>,
    pub deletable: Option<bool>,
}

impl Restrictions {
    pub fn is_empty(&self) -> bool {
        *self == Restrictions::default()
    }

    /// Each statement of `self`, or else of `fallback`.
    pub fn or(self, fallback: Restrictions) -> Restrictions {
        Restrictions {
            readable: self.readable.or(fallback.readable),
            readable_by_key: self.readable_by_key.or(fallback.readable_by_key),
            insertable: self.insertable.or(fallback.insertable),
            updatable: self.updatable.or(fallback.updatable),
            update_by_put: self.update_by_put.or(fallback.update_by_put),
            deletable: self.deletable.or(fallback.deletable),
        }
    }

    /// Every statement, made or not, by name, in a fixed order.
    pub fn all(&self) -> [(&'static str, Option<bool>); 6] {
        [
            ("Readable", self.readable),
            ("ReadByKeyRestrictions/Readable", self.readable_by_key),
            ("Insertable", self.insertable),
            ("Updatable", self.updatable),
            ("UpdateMethod/PUT", self.update_by_put),
            ("Deletable", self.deletable),
        ]
    }

    /// The statements made, as `(name, value)`, for messages and writers.
    pub fn statements(&self) -> Vec<(&'static str, bool)> {
        self.all()
            .into_iter()
            .filter_map(|(name, value)| value.map(|v| (name, v)))
            .collect()
    }
}
