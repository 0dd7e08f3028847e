//! Open enumerations for CSDL `EnumType`s.
//!
//! The generator emits a plain, closed Rust enum per CSDL enum type and
//! implements [`EnumMember`] for it. Properties of that type are then
//! [`OpenEnum<E>`] (or [`FlagSet<E>`] for `IsFlags="true"` types), which
//! accept any string the service sends — including members added after the
//! bindings were generated, and spellings that differ in case — and write back
//! exactly the text that was read.

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A closed Rust enum generated for a CSDL `EnumType`, with its wire names and
/// numeric values.
pub trait EnumMember: Copy + Eq + 'static {
    /// The qualified CSDL name of the enum type, e.g.
    /// `microsoft.graph.operationStatus`.
    const TYPE_NAME: &'static str;

    /// Every member with its documented name and numeric value, in schema
    /// order.
    const MEMBERS: &'static [(Self, &'static str, i64)];

    /// The member's documented name, as written on the wire.
    ///
    /// Returns `""` for a value missing from [`EnumMember::MEMBERS`], which
    /// only happens if the implementation is incomplete.
    fn name(self) -> &'static str {
        Self::MEMBERS
            .iter()
            .find(|(member, _, _)| *member == self)
            .map_or("", |(_, name, _)| name)
    }

    /// The member's numeric value from the schema (`0` for a value missing
    /// from [`EnumMember::MEMBERS`]).
    fn value(self) -> i64 {
        Self::MEMBERS
            .iter()
            .find(|(member, _, _)| *member == self)
            .map_or(0, |(_, _, value)| *value)
    }

    /// The member with this name, compared ASCII case-insensitively.
    ///
    /// An exact match wins over a case-insensitive one, so two members whose
    /// names differ only in case stay distinguishable.
    fn parse_ignore_case(text: &str) -> Option<Self> {
        Self::MEMBERS
            .iter()
            .find(|(_, name, _)| *name == text)
            .or_else(|| {
                Self::MEMBERS
                    .iter()
                    .find(|(_, name, _)| name.eq_ignore_ascii_case(text))
            })
            .map(|(member, _, _)| *member)
    }

    /// The first member with this numeric value.
    fn from_value(value: i64) -> Option<Self> {
        Self::MEMBERS
            .iter()
            .find(|(_, _, v)| *v == value)
            .map(|(member, _, _)| *member)
    }
}

/// A value of enum type `E` as sent on the wire.
///
/// Keeps the exact text it was read from, and the member that text names, if
/// any (matched ASCII case-insensitively). `"completed"` therefore
/// re-serializes as `"completed"` even though the member is documented as
/// `Completed`, and an unknown `"brandNew"` re-serializes as `"brandNew"`.
///
/// Two values are equal when they name the same member, or, when neither
/// names a member, when their texts are equal.
#[derive(Clone)]
pub struct OpenEnum<E> {
    member: Option<E>,
    text: Cow<'static, str>,
}

impl<E: EnumMember> OpenEnum<E> {
    /// The value naming `member`, spelled as documented (no allocation).
    pub fn new(member: E) -> Self {
        OpenEnum {
            member: Some(member),
            text: Cow::Borrowed(member.name()),
        }
    }

    /// Reads a value from its wire text. Never fails: text that names no
    /// member gives an unknown value that keeps the text.
    pub fn parse(text: &str) -> Self {
        match E::parse_ignore_case(text) {
            Some(member) if member.name() == text => Self::new(member),
            member => OpenEnum {
                member,
                text: Cow::Owned(text.to_owned()),
            },
        }
    }

    /// Like [`OpenEnum::parse`], reusing the string's buffer.
    fn parse_owned(text: String) -> Self {
        match E::parse_ignore_case(&text) {
            Some(member) if member.name() == text => Self::new(member),
            member => OpenEnum {
                member,
                text: Cow::Owned(text),
            },
        }
    }

    /// The member this value names, if it names one.
    pub fn member(&self) -> Option<E> {
        self.member
    }

    /// The text as sent (or the documented name, when built from a member).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the text names a member of `E`.
    pub fn is_known(&self) -> bool {
        self.member.is_some()
    }
}

impl<E: EnumMember> From<E> for OpenEnum<E> {
    fn from(member: E) -> Self {
        Self::new(member)
    }
}

impl<E: EnumMember> PartialEq for OpenEnum<E> {
    fn eq(&self, other: &Self) -> bool {
        match (self.member, other.member) {
            (Some(a), Some(b)) => a == b,
            (None, None) => self.text == other.text,
            _ => false,
        }
    }
}

impl<E: EnumMember> Eq for OpenEnum<E> {}

impl<E: EnumMember> PartialEq<E> for OpenEnum<E> {
    fn eq(&self, other: &E) -> bool {
        self.member == Some(*other)
    }
}

impl<E: EnumMember> Hash for OpenEnum<E> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self.member {
            Some(member) => {
                state.write_u8(1);
                member.name().hash(state);
            }
            None => {
                state.write_u8(0);
                self.text.hash(state);
            }
        }
    }
}

impl<E: EnumMember + fmt::Debug> fmt::Debug for OpenEnum<E> {
    /// `Completed` when the text is the documented name,
    /// `Completed("completed")` when it is spelled differently, and
    /// `Unknown("brandNew")` when it names no member.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.member {
            Some(member) if member.name() == self.text => member.fmt(f),
            Some(member) => write!(f, "{member:?}({:?})", self.text),
            None => f.debug_tuple("Unknown").field(&self.text).finish(),
        }
    }
}

impl<E> fmt::Display for OpenEnum<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<E: EnumMember> FromStr for OpenEnum<E> {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self::parse(text))
    }
}

impl<E> Serialize for OpenEnum<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de, E: EnumMember> Deserialize<'de> for OpenEnum<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_enum_text(deserializer)
    }
}

/// A value that can be built from the wire text of an enum of type `E`.
trait FromEnumText {
    /// The enum's qualified CSDL name, for error messages.
    const TYPE_NAME: &'static str;
    /// What the value is, for error messages.
    const WHAT: &'static str;
    /// Builds the value from a borrowed string.
    fn from_text(text: &str) -> Self;
    /// Builds the value from an owned string.
    fn from_string(text: String) -> Self;
}

impl<E: EnumMember> FromEnumText for OpenEnum<E> {
    const TYPE_NAME: &'static str = E::TYPE_NAME;
    const WHAT: &'static str = "member name";
    fn from_text(text: &str) -> Self {
        Self::parse(text)
    }
    fn from_string(text: String) -> Self {
        Self::parse_owned(text)
    }
}

impl<E: EnumMember> FromEnumText for FlagSet<E> {
    const TYPE_NAME: &'static str = E::TYPE_NAME;
    const WHAT: &'static str = "comma-separated list of member names";
    fn from_text(text: &str) -> Self {
        Self::parse(text)
    }
    fn from_string(text: String) -> Self {
        FlagSet {
            text: Cow::Owned(text),
            marker: PhantomData,
        }
    }
}

/// Reads the string of an [`OpenEnum`] or [`FlagSet`].
///
/// The same type for every enum (what it expects is data, not a type
/// parameter), so that reading the string ([`read_text`]) is compiled once
/// per input format, not once per enum; only [`read_enum_text`]'s last step
/// is per enum.
struct EnumTextVisitor {
    what: &'static str,
    type_name: &'static str,
}

/// The text of an enum value: borrowed from the input where it can be.
enum EnumText<'a> {
    Borrowed(&'a str),
    Owned(String),
}

impl<'de> Visitor<'de> for EnumTextVisitor {
    type Value = EnumText<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a string with a {} of {}", self.what, self.type_name)
    }

    fn visit_borrowed_str<Er: de::Error>(self, text: &'de str) -> Result<Self::Value, Er> {
        Ok(EnumText::Borrowed(text))
    }

    fn visit_str<Er: de::Error>(self, text: &str) -> Result<Self::Value, Er> {
        Ok(EnumText::Owned(text.to_owned()))
    }

    fn visit_string<Er: de::Error>(self, text: String) -> Result<Self::Value, Er> {
        Ok(EnumText::Owned(text))
    }
}

/// Reads an [`OpenEnum`] or [`FlagSet`] from a string.
fn read_enum_text<'de, T: FromEnumText, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    let visitor = EnumTextVisitor {
        what: T::WHAT,
        type_name: T::TYPE_NAME,
    };
    Ok(match read_text(deserializer, visitor)? {
        EnumText::Borrowed(text) => T::from_text(text),
        EnumText::Owned(text) => T::from_string(text),
    })
}

/// The string of an enum value. Not inlined, so that each enum's reader
/// calls this one copy rather than holding its own.
#[inline(never)]
fn read_text<'de, D: Deserializer<'de>>(deserializer: D, visitor: EnumTextVisitor) -> Result<EnumText<'de>, D::Error> {
    deserializer.deserialize_str(visitor)
}

/// A value of an `IsFlags="true"` enum type `E`: a comma-separated list of
/// member names on the wire, e.g. `"audio,video"`.
///
/// Keeps the exact text it was read from; members are parsed on demand with
/// [`FlagSet::members`]. Equality compares the text exactly.
pub struct FlagSet<E> {
    text: Cow<'static, str>,
    marker: PhantomData<fn() -> E>,
}

impl<E: EnumMember> FlagSet<E> {
    /// The empty set (empty text).
    pub const fn empty() -> Self {
        FlagSet {
            text: Cow::Borrowed(""),
            marker: PhantomData,
        }
    }

    /// Reads a value from its wire text. Never fails.
    pub fn parse(text: &str) -> Self {
        FlagSet {
            text: Cow::Owned(text.to_owned()),
            marker: PhantomData,
        }
    }

    /// The text as sent.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The listed members, in order: the text split on `,` with ASCII spaces
    /// trimmed and empty entries skipped. Unknown names come out as unknown
    /// [`OpenEnum`] values.
    pub fn members(&self) -> impl Iterator<Item = OpenEnum<E>> {
        self.text
            .split(',')
            .map(|part| part.trim_matches(' '))
            .filter(|part| !part.is_empty())
            .map(OpenEnum::parse)
    }

    /// Whether `member` is listed (names compared ASCII case-insensitively).
    pub fn contains(&self, member: E) -> bool {
        self.members().any(|listed| listed == member)
    }

    /// Whether no member is listed.
    pub fn is_empty(&self) -> bool {
        self.members().next().is_none()
    }

    /// Adds `member` at the end unless it is already listed.
    pub fn insert(&mut self, member: E) {
        if self.contains(member) {
            return;
        }
        let text = self.text.to_mut();
        if !text.trim_matches(' ').is_empty() {
            text.push(',');
        }
        text.push_str(member.name());
    }
}

impl<E: EnumMember> Default for FlagSet<E> {
    fn default() -> Self {
        Self::empty()
    }
}

impl<E> Clone for FlagSet<E> {
    fn clone(&self) -> Self {
        FlagSet {
            text: self.text.clone(),
            marker: PhantomData,
        }
    }
}

impl<E> PartialEq for FlagSet<E> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl<E> Eq for FlagSet<E> {}

impl<E> Hash for FlagSet<E> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl<E> fmt::Debug for FlagSet<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("FlagSet").field(&self.text).finish()
    }
}

impl<E> fmt::Display for FlagSet<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<E: EnumMember> FromStr for FlagSet<E> {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Self::parse(text))
    }
}

impl<E: EnumMember> From<E> for FlagSet<E> {
    fn from(member: E) -> Self {
        FlagSet {
            text: Cow::Borrowed(member.name()),
            marker: PhantomData,
        }
    }
}

impl<E: EnumMember> FromIterator<E> for FlagSet<E> {
    fn from_iter<I: IntoIterator<Item = E>>(members: I) -> Self {
        let mut set = Self::empty();
        for member in members {
            if set.text.is_empty() {
                set.text = Cow::Borrowed(member.name());
            } else {
                let text = set.text.to_mut();
                text.push(',');
                text.push_str(member.name());
            }
        }
        set
    }
}

impl<E> Serialize for FlagSet<E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de, E: EnumMember> Deserialize<'de> for FlagSet<E> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read_enum_text(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::{EnumMember, FlagSet, OpenEnum};
    use std::collections::HashSet;

    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    enum Status {
        NotStarted,
        Running,
        Completed,
    }

    impl EnumMember for Status {
        const TYPE_NAME: &'static str = "microsoft.graph.operationStatus";
        const MEMBERS: &'static [(Self, &'static str, i64)] = &[
            (Self::NotStarted, "notStarted", 0),
            (Self::Running, "running", 1),
            (Self::Completed, "Completed", 2),
        ];
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    enum Modality {
        Audio,
        Video,
        Data,
    }

    impl EnumMember for Modality {
        const TYPE_NAME: &'static str = "microsoft.graph.modality";
        const MEMBERS: &'static [(Self, &'static str, i64)] = &[
            (Self::Audio, "audio", 1),
            (Self::Video, "video", 2),
            (Self::Data, "data", 4),
        ];
    }

    fn json<T: serde::Serialize>(value: &T) -> String {
        serde_json::to_string(value).expect("serializes")
    }

    #[test]
    fn member_names_values_and_lookup() {
        assert_eq!(Status::Running.name(), "running");
        assert_eq!(Status::Completed.value(), 2);
        assert_eq!(Status::parse_ignore_case("RUNNING"), Some(Status::Running));
        assert_eq!(
            Status::parse_ignore_case("notstarted"),
            Some(Status::NotStarted)
        );
        assert_eq!(Status::parse_ignore_case("run"), None);
        assert_eq!(Status::from_value(1), Some(Status::Running));
        assert_eq!(Status::from_value(9), None);
    }

    #[test]
    fn open_enum_from_member_borrows_documented_name() {
        let value = OpenEnum::new(Status::Completed);
        assert!(matches!(
            value.text,
            std::borrow::Cow::Borrowed("Completed")
        ));
        assert_eq!(value.as_str(), "Completed");
        assert_eq!(value, Status::Completed);
        assert_eq!(
            OpenEnum::from(Status::Running).member(),
            Some(Status::Running)
        );
        assert_eq!(json(&value), "\"Completed\"");
    }

    #[test]
    fn open_enum_parses_case_insensitively_and_keeps_text() {
        let value: OpenEnum<Status> = serde_json::from_str("\"completed\"").expect("parses");
        assert_eq!(value.member(), Some(Status::Completed));
        assert!(value.is_known());
        assert_eq!(value.as_str(), "completed");
        assert_eq!(json(&value), "\"completed\"");
        assert_eq!(value, OpenEnum::new(Status::Completed));
        assert_eq!(format!("{value:?}"), "Completed(\"completed\")");
        assert_eq!(format!("{:?}", OpenEnum::new(Status::Running)), "Running");
        assert_eq!(value.to_string(), "completed");
    }

    #[test]
    fn open_enum_keeps_unknown_values() {
        let value: OpenEnum<Status> = serde_json::from_str("\"brandNew\"").expect("parses");
        assert_eq!(value.member(), None);
        assert!(!value.is_known());
        assert_eq!(json(&value), "\"brandNew\"");
        assert_eq!(format!("{value:?}"), "Unknown(\"brandNew\")");
        assert_ne!(value, OpenEnum::parse("brandnew"));
        assert_eq!(
            value,
            "brandNew".parse::<OpenEnum<Status>>().expect("infallible")
        );
        assert_ne!(value, Status::Running);
    }

    /// An enum type without members, as Microsoft publishes some: every
    /// value is unknown, and kept.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    enum Empty {}

    impl EnumMember for Empty {
        const TYPE_NAME: &'static str = "microsoft.graph.auditLogRecordType";
        const MEMBERS: &'static [(Self, &'static str, i64)] = &[];
    }

    #[test]
    fn an_enum_without_members_keeps_every_value() {
        let value: OpenEnum<Empty> = serde_json::from_str("\"azureActiveDirectory\"").expect("parses");
        assert_eq!(value.member(), None);
        assert_eq!(json(&value), "\"azureActiveDirectory\"");
        let set: FlagSet<Empty> = serde_json::from_str("\"a,b\"").expect("parses");
        assert_eq!(json(&set), "\"a,b\"");
    }

    #[test]
    fn open_enum_equality_and_hash_agree() {
        let mut set = HashSet::new();
        set.insert(OpenEnum::parse("RUNNING"));
        set.insert(OpenEnum::parse("running"));
        set.insert(OpenEnum::new(Status::Running));
        set.insert(OpenEnum::<Status>::parse("x"));
        set.insert(OpenEnum::<Status>::parse("x"));
        set.insert(OpenEnum::<Status>::parse("X"));
        assert_eq!(set.len(), 3);
    }

    #[test]
    fn open_enum_rejects_non_strings_naming_the_type() {
        let error = serde_json::from_str::<OpenEnum<Status>>("3")
            .expect_err("a number is not an enum value")
            .to_string();
        assert!(error.contains("microsoft.graph.operationStatus"), "{error}");
        assert!(serde_json::from_str::<OpenEnum<Status>>("null").is_err());
    }

    #[test]
    fn flag_set_round_trips_exactly() {
        let text = "\"Audio, video,brandNew\"";
        let set: FlagSet<Modality> = serde_json::from_str(text).expect("parses");
        assert_eq!(json(&set), text);
        let members: Vec<_> = set.members().collect();
        assert_eq!(members.len(), 3);
        assert_eq!(members[0], Modality::Audio);
        assert_eq!(members[0].as_str(), "Audio");
        assert_eq!(members[1], Modality::Video);
        assert!(!members[2].is_known());
        assert!(set.contains(Modality::Video));
        assert!(!set.contains(Modality::Data));
        assert!(!set.is_empty());
        assert_eq!(format!("{set:?}"), "FlagSet(\"Audio, video,brandNew\")");
    }

    #[test]
    fn flag_set_construction() {
        let set: FlagSet<Modality> = [Modality::Audio, Modality::Data].into_iter().collect();
        assert_eq!(set.as_str(), "audio,data");
        assert_eq!(json(&set), "\"audio,data\"");
        assert_eq!(FlagSet::from(Modality::Video).as_str(), "video");

        let mut set = FlagSet::<Modality>::default();
        assert!(set.is_empty());
        set.insert(Modality::Video);
        set.insert(Modality::Video);
        set.insert(Modality::Audio);
        assert_eq!(set.as_str(), "video,audio");
        assert_eq!(set, FlagSet::parse("video,audio"));
        assert_ne!(set, FlagSet::parse("video, audio"));

        let empty: FlagSet<Modality> = std::iter::empty().collect();
        assert_eq!(empty.as_str(), "");
        assert!(FlagSet::<Modality>::parse(" , ").is_empty());
    }

    #[test]
    fn flag_set_rejects_non_strings() {
        let error = serde_json::from_str::<FlagSet<Modality>>("[\"audio\"]")
            .expect_err("an array is not a flag set")
            .to_string();
        assert!(error.contains("microsoft.graph.modality"), "{error}");
    }
}
