//! Runtime support shared by all generated Microsoft Graph bindings.
//!
//! This module is hand-written and identical for every schema: the generator
//! copies these files verbatim into `src/support/` of the generated crate, and
//! generated code refers to its items as `crate::support::NAME`.
//!
//! - [`Field`]: a property that may be absent, `null`, or hold a value.
//! - [`EnumMember`], [`OpenEnum`], [`FlagSet`]: CSDL enum types that accept
//!   values unknown to the bindings and keep the text as sent.
//! - [`Guid`], [`DateTimeOffset`], [`Date`], [`TimeOfDay`], [`Duration`],
//!   [`Binary`], [`Double`], [`Int64`], [`Decimal`]: `Edm` primitive types
//!   that validate their input and write back exactly what they read.
//! - [`Object`] and [`Additional`]: what every generated entity and complex
//!   type shares, and the one reader ([`read_object`]) and writer
//!   ([`write_object`]) they all use; [`AnyObject`] and [`read_any`]: an
//!   `Any...` enum read as the type `@odata.type` names, streaming.
//! - [`DecodeError`], [`decode_as`] and [`DecodeAny`]: what every generated
//!   `decode` is built on.
//! - [`notifications()`], [`Notification`], [`call_id`], [`operation_id`],
//!   [`ResourceData`] and [`Resource`]: a callback body as a bot reads it:
//!   each notification's change type, call, operation and typed `resourceData`.
//! - [`PresentDebug`] and [`debug_object`]: `Debug` output that shows only the
//!   properties that are present.
//! - [`CallState`] and [`apply`]: a call and its roster kept current from
//!   notifications, each change an [`Event`] with its old and new value.
//! - [`Tracker`]: the actions a bot sends, followed to their outcome
//!   (completed, failed, timed out) through answers and notifications.
//! - [`Request`], [`Path`], [`Method`], [`Response`], [`Page`] and their
//!   errors: transport-free HTTP requests for Graph operations and the typed
//!   reading of their answers; [`Query`] is a read with the query options
//!   the service takes there, typed ([`Queryable`]).
//! - [`RetryPolicy`]: when to send a request again, a pure function that
//!   never repeats a `POST` the service may have received.
//! - With the cargo feature `client`: `client::Client` sends requests with
//!   `reqwest`, following the retry policy, with a timeout, a
//!   `client-request-id`, tokens from a `token::TokenProvider` (a static
//!   token, or the client-credentials flow), and `pages::Pages` pages a
//!   collection to its end.
//! - With the cargo feature `verify`, `verify::Verifier`: checks that a
//!   callback request was signed by Microsoft for this bot.

#![warn(missing_docs)]
#![deny(unsafe_code)]

pub mod additional;
pub mod call_state;
#[cfg(feature = "client")]
pub mod client;
pub mod decode;
pub mod edm;
pub mod enums;
pub mod field;
pub mod notifications;
pub mod object;
#[cfg(feature = "client")]
pub mod pages;
pub mod checks;
pub mod path;
pub mod query;
pub mod request;
pub mod response;
pub mod retry;
#[cfg(feature = "client")]
pub mod token;
pub mod tracker;
#[cfg(feature = "verify")]
pub mod verify;

#[cfg(feature = "client")]
pub use client::{Client, ClientBuilder, ClientError};
#[cfg(feature = "client")]
pub use pages::{Items, Pages};
#[cfg(feature = "client")]
pub use token::{AccessToken, ClientCredentials, StaticToken, TokenError, TokenProvider};
/// The HTTP client crate `Client` is built on, for configuring one without a
/// `reqwest` dependency of your own.
#[cfg(feature = "client")]
pub use reqwest;
pub use decode::{DecodeAny, DecodeError, Input, decode_as};
pub use edm::{
    Binary, Date, DateTimeOffset, Decimal, Double, Duration, EdmError, Guid, Int64, TimeOfDay,
};
pub use enums::{EnumMember, FlagSet, OpenEnum};
pub use field::Field;
pub use notifications::{
    Notification, Resource, ResourceData, call_id, notifications, operation_id, resources_of,
};
pub use additional::Additional;
pub(crate) use object::object;
pub use object::{
    AnyObject, Object, Partial, PresentDebug, debug_object, read_any, read_field, read_object,
    type_name_of, write_field, write_object, write_with_type,
};
pub use checks::{check_max_length, check_required};
pub use path::{Path, odata_literal_string};
pub use query::{
    Direction, GetOptions, ListOptions, NoNavigation, Options, Property, Query, Queryable,
    string_literal,
};
pub use request::{Method, Request, RequestError};
pub use response::{GraphError, Page, Response, ResponseError, ResponseErrorKind};
pub use retry::{Decision, Failure, RetryAfter, RetryPolicy, Stop};
pub use call_state::{CallState, Event, apply};
pub use tracker::{Millis, Outcome, Resolved, Tracked, Tracker};
#[cfg(feature = "verify")]
pub use verify::{Claims, Keys, Refusal, Verifier};
