//! Where a document departs from the CSDL specification in a way Microsoft
//! publishes, so the generator accepts it: the kinds, and their tally.
//!
//! The rule: what Microsoft publishes must generate, so what is merely
//! unusual is accepted and reported, one `note:` per kind with its first
//! place and a count; what is malformed (broken XML, dangling references,
//! cycles, duplicate types, a name no Rust identifier can stand for) stays an
//! error with its place.

use std::collections::BTreeMap;

use crate::error::Location;

/// One kind of departure the generator accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Departure {
    /// A name that is not a CSDL identifier but is one once its hyphens are
    /// read as `_` (`request-id` on `microsoft.graph.InnerError`): the wire
    /// name is kept, the Rust name is `request_id`.
    NameNotIdentifier,
    /// An enum type without members (`microsoft.graph.auditLogRecordType`);
    /// CSDL requires one. Every value received is kept as text.
    EmptyEnum,
    /// An action and a function of one name bound to one type (`browse` on
    /// `browseSessionBase`); CSDL lets only functions overload. The two get
    /// distinct Rust names.
    ActionAndFunctionShareName,
}

impl Departure {
    /// What was found, and what the generator does with it.
    fn describe(self) -> (&'static str, &'static str) {
        match self {
            Departure::NameNotIdentifier => (
                "name(s) not CSDL identifiers",
                "each keeps its wire name; its Rust name reads `-` as `_`",
            ),
            Departure::EmptyEnum => (
                "enum type(s) without the member CSDL requires",
                "each keeps every value it receives as text",
            ),
            Departure::ActionAndFunctionShareName => (
                "action(s) sharing name and binding type with a function, which CSDL forbids",
                "the function's Rust names end in `_function`",
            ),
        }
    }
}

/// How often each kind was seen, and where first (in document order).
#[derive(Clone, Debug, Default)]
pub struct Departures {
    seen: BTreeMap<Departure, Tally>,
}

#[derive(Clone, Debug)]
struct Tally {
    first: Location,
    example: String,
    count: usize,
}

impl Departures {
    /// Records one occurrence of `kind`, `example` being what it concerns.
    pub fn record(&mut self, kind: Departure, location: &Location, example: &str) {
        let tally = self.seen.entry(kind).or_insert_with(|| Tally {
            first: location.clone(),
            example: example.to_owned(),
            count: 0,
        });
        tally.count += 1;
        // The first in the document, whatever order resolution visits it in.
        let earlier = std::sync::Arc::ptr_eq(&location.source, &tally.first.source)
            && location.offset < tally.first.offset;
        if earlier {
            tally.first = location.clone();
            tally.example = example.to_owned();
        }
    }

    /// One note per kind, in a fixed order.
    pub fn notes(&self) -> Vec<String> {
        self.seen
            .iter()
            .map(|(kind, tally)| note(*kind, tally))
            .collect()
    }
}

fn note(kind: Departure, tally: &Tally) -> String {
    let (what, action) = kind.describe();
    format!(
        "{}: {} {what} (first `{}`): accepted; {action}",
        tally.first, tally.count, tally.example
    )
}
