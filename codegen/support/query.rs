//! Typed query options for reads: `list()` and `get()` of the `api` modules
//! return a [`Query`], a [`Request`] that also takes the query options the
//! service supports there. Which ones is part of its type ([`Options`]), as
//! the metadata states them (`Org.OData.Capabilities.V1`), or all of them
//! where it states nothing: an option the service does not take there is a
//! method that does not exist. `$select`, `$expand` and `$orderby` take the
//! type's own property names ([`Queryable`]: an enum per type), so a
//! misspelled property does not compile and a renamed one breaks the build.
//!
//! ```rust,ignore
//! let request = api::communications().call_records().list()
//!     .select([CallRecordProperty::Id, CallRecordProperty::StartDateTime])
//!     .filter(&format!("type eq {}", string_literal("groupCall")))
//!     .top(50);
//! ```

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use crate::support::{Page, Request};

/// A property a query option names: an enum generated per type.
pub trait Property: Copy {
    /// The property's name in the service's JSON.
    fn name(self) -> &'static str;
}

/// The navigation properties of a type that has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoNavigation {}

impl Property for NoNavigation {
    fn name(self) -> &'static str {
        match self {}
    }
}

/// A type whose reads name its properties.
pub trait Queryable {
    /// Its properties (structural and navigation): `$select`, `$orderby`.
    type Property: Property;
    /// Its navigation properties: `$expand`.
    type Navigation: Property;
}

impl<T: Queryable> Queryable for Page<T> {
    type Property = T::Property;
    type Navigation = T::Navigation;
}

/// Which query options a read takes, in this order: `$select`, `$expand`,
/// `$filter`, `$orderby`, `$search`, `$top`, `$skip`, `$count`.
pub struct Options<
    const SELECT: bool,
    const EXPAND: bool,
    const FILTER: bool,
    const ORDER_BY: bool,
    const SEARCH: bool,
    const TOP: bool,
    const SKIP: bool,
    const COUNT: bool,
>;

/// Every option: a collection's read where the metadata restricts nothing.
pub type ListOptions = Options<true, true, true, true, true, true, true, true>;
/// `$select` and `$expand`: an entity's read where the metadata restricts nothing.
pub type GetOptions = Options<true, true, false, false, false, false, false, false>;

/// A read and the query options it takes ([`Options`]). It is the request
/// (`Deref`), and [`Query::into_request`] (or `Request::from`) gives it back.
pub struct Query<T, O> {
    request: Request<T>,
    options: PhantomData<fn() -> O>,
}

impl<T, O> Query<T, O> {
    /// A read of `request` taking the options `O`.
    pub fn new(request: Request<T>) -> Self {
        Query {
            request,
            options: PhantomData,
        }
    }

    /// The request, with the options set so far.
    pub fn into_request(self) -> Request<T> {
        self.request
    }

    /// Adds a header, such as `("ConsistencyLevel", "eventual")`.
    pub fn with_header(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        Query::new(self.request.with_header(name, value))
    }

    fn set(self, name: &str, value: String) -> Self {
        Query::new(self.request.with_query_replaced(name, value))
    }
}

impl<T, O> Deref for Query<T, O> {
    type Target = Request<T>;

    fn deref(&self) -> &Request<T> {
        &self.request
    }
}

impl<T, O> From<Query<T, O>> for Request<T> {
    fn from(query: Query<T, O>) -> Request<T> {
        query.request
    }
}

impl<T, O> Clone for Query<T, O> {
    fn clone(&self) -> Self {
        Query::new(self.request.clone())
    }
}

impl<T, O> fmt::Debug for Query<T, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.request, f)
    }
}

/// The direction of an `$orderby` key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// `asc`, the default.
    Ascending,
    /// `desc`.
    Descending,
}

/// `names` joined by commas.
fn list<P: Property>(names: impl IntoIterator<Item = P>) -> String {
    names.into_iter().map(Property::name).collect::<Vec<_>>().join(",")
}

// One impl block per option, generic over the other seven.
macro_rules! option {
    ($($doc:literal)* fn $method:ident($($arg:ident: $ty:ty),*) -> $name:literal = $value:expr;
     $s:tt $e:tt $f:tt $o:tt $se:tt $t:tt $sk:tt $c:tt; [$($free:ident),*]) => {
        impl<T: Queryable, $(const $free: bool),*> Query<T, Options<$s, $e, $f, $o, $se, $t, $sk, $c>> {
            $(#[doc = $doc])*
            pub fn $method(self, $($arg: $ty),*) -> Self {
                let value = $value;
                self.set($name, value)
            }
        }
    };
}

option!(" `$select`: only these properties (replacing an earlier `$select`)."
    fn select(properties: impl IntoIterator<Item = T::Property>) -> "$select" = list(properties);
    true E F O SE TP SK C; [E, F, O, SE, TP, SK, C]);
option!(" `$expand`: these navigation properties inline."
    fn expand(navigations: impl IntoIterator<Item = T::Navigation>) -> "$expand" = list(navigations);
    S true F O SE TP SK C; [S, F, O, SE, TP, SK, C]);
option!(" `$filter`: an OData expression; write string literals with"
    " [`string_literal`]. The expression is percent-encoded once, when sent."
    fn filter(expression: &str) -> "$filter" = expression.to_owned();
    S E true O SE TP SK C; [S, E, O, SE, TP, SK, C]);
option!(" `$orderby`: these keys, in order."
    fn order_by(keys: impl IntoIterator<Item = (T::Property, Direction)>) -> "$orderby" = keys
        .into_iter()
        .map(|(property, direction)| match direction {
            Direction::Ascending => property.name().to_owned(),
            Direction::Descending => format!("{} desc", property.name()),
        })
        .collect::<Vec<_>>()
        .join(",");
    S E F true SE TP SK C; [S, E, F, SE, TP, SK, C]);
option!(" `$search`: as the service reads it (Graph wants the terms in double quotes)."
    fn search(terms: &str) -> "$search" = terms.to_owned();
    S E F O true TP SK C; [S, E, F, O, TP, SK, C]);
option!(" `$top`: at most this many items (per page, where the service pages)."
    fn top(count: u32) -> "$top" = count.to_string();
    S E F O SE true SK C; [S, E, F, O, SE, SK, C]);
option!(" `$skip`: skip this many items."
    fn skip(count: u32) -> "$skip" = count.to_string();
    S E F O SE TP true C; [S, E, F, O, SE, TP, C]);
option!(" `$count`: whether the answer states the collection's size (`@odata.count`)."
    fn count(count: bool) -> "$count" = count.to_string();
    S E F O SE TP SK true; [S, E, F, O, SE, TP, SK]);

/// An OData string literal for `$filter`: `text` in single quotes, each `'`
/// doubled (`O'Brien` gives `'O''Brien'`). Not percent-encoded: the query
/// is encoded once, when the request is sent. (For a function parameter in
/// a path, [`odata_literal_string`](crate::support::odata_literal_string)
/// encodes as a path needs.)
pub fn string_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::{Method, Path};

    #[derive(Clone, Copy)]
    enum Prop {
        Id,
        DisplayName,
    }

    impl Property for Prop {
        fn name(self) -> &'static str {
            match self {
                Prop::Id => "id",
                Prop::DisplayName => "displayName",
            }
        }
    }

    struct Thing;

    impl Queryable for Thing {
        type Property = Prop;
        type Navigation = NoNavigation;
    }

    fn list() -> Query<Page<Thing>, ListOptions> {
        Query::new(Request::new(Method::Get, Path::root().segment("things")))
    }

    #[test]
    fn options_are_written_once_each_and_encoded_once() {
        let query = list()
            .select([Prop::Id])
            .select([Prop::Id, Prop::DisplayName])
            .filter(&format!("displayName eq {}", string_literal("O'Brien & Co")))
            .order_by([(Prop::DisplayName, Direction::Descending), (Prop::Id, Direction::Ascending)])
            .search("\"lunch\"")
            .top(5)
            .skip(10)
            .count(true);
        assert_eq!(
            query.url("https://graph.microsoft.com/v1.0"),
            "https://graph.microsoft.com/v1.0/things?$select=id,displayName\
             &$filter=displayName%20eq%20'O''Brien%20%26%20Co'\
             &$orderby=displayName%20desc,id&$search=%22lunch%22&$top=5&$skip=10&$count=true"
        );
        let request: Request<Page<Thing>> = query.into();
        assert_eq!(request.method(), Method::Get);
    }

    #[test]
    fn string_literals_double_quotes_only() {
        assert_eq!(string_literal("it's"), "'it''s'");
        assert_eq!(string_literal("a/b ü"), "'a/b ü'");
    }
}
