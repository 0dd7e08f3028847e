//! Property test: arbitrary schema-valid values of every generated type are
//! read, written back byte for byte, and read again as an equal value.
//!
//! The payloads are built from the generator's own resolved model of the
//! committed schema (`codegen::Project::generate`), not from the generated
//! code, so `generated` is checked against the schema it claims to bind. A
//! payload is JSON a service could send for the type: every property
//! (inherited and navigation ones included) absent, `null` where the schema
//! allows it, or a value of its type; objects of derived types named by
//! `@odata.type`; enum members known and unknown; Edm primitives in the
//! lexical forms `generated::support::edm` accepts; undeclared properties and
//! instance annotations mixed in. For each type of each API version,
//! `generated::<version>::decode(type, json)` must succeed, serialize to
//! `json` exactly, and that output must decode to an equal value.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::time::Instant;

use codegen::model::StructuredKind;
use codegen::model::{Enum, Model, Primitive, Target, TypeId, TypeKind, TypeRef};
use proptest::prelude::*;
use proptest::strategy::Union;
use proptest::test_runner::{Config, TestError, TestRunner};
use serde_json::{Map, Value};

/// Nesting levels of structured values in one payload: enough to reach types
/// that only occur inside others, few enough to keep cases small.
const STRUCTURED_LEVELS: usize = 3;

/// Cases for each of the schema's types (`PROPTEST_CASES` does not apply).
const CASES_PER_TYPE: u32 = 64;

/// Strategies for the values of the model's types, each built once.
struct Payloads<'m> {
    model: &'m Model,
    /// Objects of exactly one structured type, by type and levels left.
    objects: HashMap<(TypeId, usize), BoxedStrategy<Map<String, Value>>>,
}

impl<'m> Payloads<'m> {
    fn new(model: &'m Model) -> Self {
        Payloads {
            model,
            objects: HashMap::new(),
        }
    }

    /// A value of type `id` standing alone, as `generated::decode` reads it.
    fn of_type(&mut self, id: TypeId) -> BoxedStrategy<Value> {
        self.single(Target::Type(id), STRUCTURED_LEVELS)
            .expect("a structured value has levels left at the top")
    }

    /// A value of a property declared as `ty`; `None` when it must be a
    /// structured value and no levels are left.
    fn value(&mut self, ty: TypeRef, levels: usize) -> Option<BoxedStrategy<Value>> {
        let single = self.single(ty.target, levels);
        if !ty.collection {
            return single;
        }
        // Items are values, never `null`: `Nullable` would allow a null item,
        // but the bindings read items as values by design (`Vec<T>`), and
        // `[null]` is refused.
        Some(match single {
            Some(item) => prop::collection::vec(item, 0..3)
                .prop_map(Value::Array)
                .boxed(),
            // Items too deep to build: the collection is sent empty.
            None => Just(Value::Array(Vec::new())).boxed(),
        })
    }

    fn single(&mut self, target: Target, levels: usize) -> Option<BoxedStrategy<Value>> {
        let id = match target {
            Target::Primitive(primitive) => return Some(primitive_value(primitive)),
            Target::Type(id) => id,
        };
        match &self.model.ty(id).kind {
            TypeKind::Enum(enumeration) => Some(enum_value(enumeration)),
            TypeKind::Definition { underlying, .. } => Some(primitive_value(*underlying)),
            TypeKind::Structured(_) => (levels > 0).then(|| self.declared_as(id, levels)),
        }
    }

    /// An object where structured type `id` is declared: of `id` itself or
    /// of a type derived from it, abstract types left out (a service sends
    /// a concrete type). A derived type must name itself in `@odata.type`;
    /// the declared type may.
    fn declared_as(&mut self, id: TypeId, levels: usize) -> BoxedStrategy<Value> {
        let model = self.model;
        let is_abstract = |t: &TypeId| model.structured(*t).is_some_and(|s| s.is_abstract);
        let mut concrete: Vec<TypeId> = model
            .with_descendants(id)
            .into_iter()
            .filter(|t| !is_abstract(t))
            .collect();
        if concrete.is_empty() {
            // Nothing concrete to send: the abstract type's own shape is the best there is.
            concrete.push(id);
        }
        // The declared type half the time (when concrete), derived ones the rest.
        let declared_weight = (concrete.len() as u32 - 1).max(1);
        let mut choices = Vec::new();
        for actual in concrete {
            let tag = Value::String(format!("#{}", model.ty(actual).name));
            let tag = if actual == id {
                prop::option::of(Just(tag)).boxed()
            } else {
                Just(Some(tag)).boxed()
            };
            let object = (self.object(actual, levels), tag).prop_map(|(mut object, tag)| {
                if let Some(tag) = tag {
                    object.insert("@odata.type".to_owned(), tag);
                }
                Value::Object(object)
            });
            let weight = if actual == id { declared_weight } else { 1 };
            choices.push((weight, object.boxed()));
        }
        Union::new_weighted(choices).boxed()
    }

    /// The members of an object of exactly type `id`, without `@odata.type`.
    fn object(&mut self, id: TypeId, levels: usize) -> BoxedStrategy<Map<String, Value>> {
        if let Some(known) = self.objects.get(&(id, levels)) {
            return known.clone();
        }
        let model = self.model;
        let declared: Vec<(&str, TypeRef, bool)> = model
            .all_properties(id)
            .into_iter()
            .map(|p| (p.name.as_str(), p.ty, p.nullable))
            .chain(
                model
                    .all_navigation_properties(id)
                    .into_iter()
                    .map(|n| (n.name.as_str(), n.ty, n.nullable)),
            )
            .collect();
        let properties: Vec<_> = declared
            .iter()
            .map(|(name, ty, nullable)| self.property(name, *ty, *nullable, levels - 1))
            .collect();
        let names = declared.iter().map(|(name, ..)| name.to_string()).collect();
        let strategy = (
            properties,
            prop::option::weighted(0.2, undeclared_property()),
            prop::option::weighted(0.2, annotation(names)),
        )
            .prop_map(|(properties, undeclared, annotation)| {
                properties
                    .into_iter()
                    .flatten()
                    .chain(undeclared)
                    .chain(annotation)
                    .collect()
            })
            .boxed();
        self.objects.insert((id, levels), strategy.clone());
        strategy
    }

    /// One declared property: absent, `null` if allowed, or a value.
    fn property(
        &mut self,
        name: &str,
        ty: TypeRef,
        nullable: bool,
        levels: usize,
    ) -> BoxedStrategy<Option<(String, Value)>> {
        let mut choices = vec![(1, Just(None).boxed())];
        // On a collection `Nullable` is about the items; the collection itself is never null.
        if nullable && !ty.collection {
            choices.push((1, Just(Some(Value::Null)).boxed()));
        }
        if let Some(value) = self.value(ty, levels) {
            choices.push((2, value.prop_map(Some).boxed()));
        }
        let name = name.to_owned();
        Union::new_weighted(choices)
            .prop_map(move |value| value.map(|value| (name.clone(), value)))
            .boxed()
    }
}

/// A property the schema does not declare (every struct keeps those).
fn undeclared_property() -> impl Strategy<Value = (String, Value)> {
    ("xExtra[A-Za-z0-9]{0,6}", any_json())
}

/// An instance annotation, of one of `properties`
/// (`members@odata.nextLink`) or of the object itself (`@odata.etag`).
fn annotation(properties: Vec<String>) -> impl Strategy<Value = (String, Value)> {
    let link = || {
        "https://graph\\.microsoft\\.com/v1\\.0/[a-z]{1,8}\\?\\$skiptoken=[A-Za-z0-9]{1,8}"
            .prop_map(Value::String)
    };
    let of_object = prop_oneof![
        (
            Just("@odata.etag"),
            "W/\"[A-Za-z0-9+/=]{4,12}\"".prop_map(Value::String)
        ),
        (Just("@odata.id"), link()),
        (Just("@odata.editLink"), link()),
    ]
    .prop_map(|(name, value)| (name.to_owned(), value));
    if properties.is_empty() {
        return of_object.boxed();
    }
    let of_property = (
        prop::sample::select(properties),
        prop_oneof![
            (Just("odata.nextLink"), link()),
            (Just("odata.navigationLink"), link()),
            (Just("odata.count"), (0u32..1000).prop_map(Value::from)),
        ],
    )
        .prop_map(|(property, (term, value))| (format!("{property}@{term}"), value));
    prop_oneof![of_property, of_object].boxed()
}

/// A member name, sometimes one the bindings do not know; for a flags enum,
/// member names joined by commas, in any order, as OData writes them.
fn enum_value(enumeration: &Enum) -> BoxedStrategy<Value> {
    let names: Vec<String> = enumeration.members.iter().map(|m| m.name.clone()).collect();
    let unknown = "[a-z][A-Za-z0-9]{0,11}";
    let text = if names.is_empty() {
        unknown.boxed()
    } else if enumeration.is_flags {
        let count = names.len();
        let known = prop::sample::subsequence(names.clone(), 1..=count).prop_shuffle();
        let with_unknown = (prop::sample::subsequence(names, 0..=count), unknown)
            .prop_map(|(mut listed, unknown)| {
                listed.push(unknown);
                listed
            })
            .prop_shuffle();
        prop_oneof![4 => known, 1 => with_unknown]
            .prop_map(|listed| listed.join(","))
            .boxed()
    } else {
        prop_oneof![4 => prop::sample::select(names), 1 => unknown].boxed()
    };
    text.prop_map(Value::String).boxed()
}

/// A value of an Edm type in a form `generated::support` reads (and OData
/// allows).
fn primitive_value(primitive: Primitive) -> BoxedStrategy<Value> {
    let string = |s: &'static str| s.prop_map(Value::String).boxed();
    match primitive {
        Primitive::String => any_text().prop_map(Value::String).boxed(),
        Primitive::Boolean => any::<bool>().prop_map(Value::Bool).boxed(),
        Primitive::Byte => any::<u8>().prop_map(Value::from).boxed(),
        Primitive::SByte => any::<i8>().prop_map(Value::from).boxed(),
        Primitive::Int16 => any::<i16>().prop_map(Value::from).boxed(),
        Primitive::Int32 => any::<i32>().prop_map(Value::from).boxed(),
        // A JSON number, or a string with `IEEE754Compatible=true`, spelled
        // canonically or not (`+007`).
        Primitive::Int64 => prop_oneof![
            3 => any::<i64>().prop_map(Value::from),
            1 => any::<i64>().prop_map(|n| Value::String(n.to_string())),
            1 => string("[+-]?0{0,2}[0-9]{1,15}"),
        ]
        .boxed(),
        Primitive::Double => prop_oneof![
            3 => finite_double().prop_map(Value::from),
            1 => any::<i64>().prop_map(Value::from),
            1 => prop::sample::select(&["NaN", "INF", "-INF"][..])
                .prop_map(|special| Value::String(special.to_owned())),
        ]
        .boxed(),
        Primitive::Single => prop_oneof![
            3 => (prop::num::f32::NORMAL | prop::num::f32::ZERO)
                .prop_map(|n| Value::from(f64::from(n))),
            1 => any::<i32>().prop_map(Value::from),
            1 => prop::sample::select(&["NaN", "INF", "-INF"][..])
                .prop_map(|special| Value::String(special.to_owned())),
        ]
        .boxed(),
        // A JSON number, or a string with `IEEE754Compatible=true`.
        Primitive::Decimal => prop_oneof![
            any::<i64>().prop_map(Value::from),
            finite_double().prop_map(Value::from),
            string("[+-]?[0-9]{1,20}(\\.[0-9]{1,10})?([eE][+-]?[0-9]{1,3})?"),
        ]
        .boxed(),
        Primitive::Guid => {
            string("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
        }
        Primitive::Date => date().prop_map(Value::String).boxed(),
        Primitive::TimeOfDay => time_of_day().prop_map(Value::String).boxed(),
        Primitive::DateTimeOffset => (date(), time_of_day(), time_zone())
            .prop_map(|(date, time, zone)| Value::String(format!("{date}T{time}{zone}")))
            .boxed(),
        Primitive::Duration => duration().prop_map(Value::String).boxed(),
        // Whole base64 quanta, then an optional short one: standard alphabet
        // padded, or URL-safe unpadded.
        Primitive::Binary => prop_oneof![
            string("([A-Za-z0-9+/]{4}){0,4}([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?"),
            string("([A-Za-z0-9_-]{4}){0,4}([A-Za-z0-9_-]{2,3})?"),
        ]
        .boxed(),
        // Carried as plain JSON: anything goes.
        Primitive::Stream | Primitive::Json(_) => any_json(),
    }
}

/// Any `String`: any characters, quotes and control characters included.
fn any_text() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..12).prop_map(String::from_iter)
}

/// Finite doubles: everyday ones with a fraction, and any finite bit pattern.
fn finite_double() -> impl Strategy<Value = f64> {
    prop_oneof![
        -1e6..1e6f64,
        prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO,
    ]
}

/// `YYYY-MM-DD`, a day that exists.
fn date() -> impl Strategy<Value = String> {
    (1u32..=9999, 1u32..=12, 1u32..=31).prop_map(|(year, month, day)| {
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let last = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        format!("{year:04}-{month:02}-{:02}", day.min(last))
    })
}

/// `hh:mm[:ss[.fraction]]`.
fn time_of_day() -> impl Strategy<Value = String> {
    let seconds = prop::option::of((0u32..60, prop::option::of("[0-9]{1,12}")));
    (0u32..24, 0u32..60, seconds).prop_map(|(hour, minute, seconds)| {
        let mut text = format!("{hour:02}:{minute:02}");
        if let Some((second, fraction)) = seconds {
            write!(text, ":{second:02}").unwrap();
            if let Some(fraction) = fraction {
                write!(text, ".{fraction}").unwrap();
            }
        }
        text
    })
}

/// `Z` or `±hh:mm`.
fn time_zone() -> impl Strategy<Value = String> {
    let offset = (
        prop::bool::ANY,
        0u32..=14,
        prop::sample::select(&[0u32, 30, 45][..]),
    )
        .prop_map(|(east, hours, minutes)| {
            let sign = if east { '+' } else { '-' };
            format!("{sign}{hours:02}:{minutes:02}")
        });
    prop_oneof![Just("Z".to_owned()), offset]
}

/// `[-]P[nD][T[nH][nM][n[.n]S]]` with at least one component.
fn duration() -> impl Strategy<Value = String> {
    let seconds = prop::option::of((0u32..60, prop::option::of("[0-9]{1,7}")));
    (
        prop::bool::weighted(0.2),
        prop::option::of(0u32..400),
        prop::option::of(0u32..24),
        prop::option::of(0u32..60),
        seconds,
    )
        .prop_map(|(negative, days, hours, minutes, mut seconds)| {
            if days.is_none() && hours.is_none() && minutes.is_none() && seconds.is_none() {
                seconds = Some((0, None));
            }
            let mut text = String::from(if negative { "-P" } else { "P" });
            if let Some(days) = days {
                write!(text, "{days}D").unwrap();
            }
            if hours.is_some() || minutes.is_some() || seconds.is_some() {
                text.push('T');
            }
            if let Some(hours) = hours {
                write!(text, "{hours}H").unwrap();
            }
            if let Some(minutes) = minutes {
                write!(text, "{minutes}M").unwrap();
            }
            if let Some((whole, fraction)) = seconds {
                write!(text, "{whole}").unwrap();
                if let Some(fraction) = fraction {
                    write!(text, ".{fraction}").unwrap();
                }
                text.push('S');
            }
            text
        })
}

/// Any JSON, small: what an undeclared or untyped property may hold.
fn any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        finite_double().prop_map(Value::from),
        any_text().prop_map(Value::String),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map(any_text(), inner, 0..3)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
    .boxed()
}

/// A generated `decode` (of one API version's module).
type Decode<D> = fn(&str, Value) -> Result<D, generated::support::DecodeError>;

/// Reads `json` as `type_name`, writes it back and reads that again.
fn round_trip<D: serde::Serialize + PartialEq + std::fmt::Debug>(
    decode: Decode<D>,
    type_name: &str,
    json: &Value,
) -> Result<(), String> {
    let decoded = decode(type_name, json.clone()).map_err(|e| format!("refused: {e}"))?;
    let written = serde_json::to_value(&decoded).map_err(|e| format!("not written: {e}"))?;
    if written != *json {
        return Err(format!("written back differently:\n    {written}"));
    }
    let again = decode(type_name, written).map_err(|e| format!("output refused: {e}"))?;
    if again != decoded {
        return Err(format!(
            "output read as a different value:\n    first  {decoded:?}\n    second {again:?}"
        ));
    }
    Ok(())
}

/// What the payloads held, counted so the test cannot pass on trivial ones.
#[derive(Default)]
struct Seen {
    objects: usize,
    typed_objects: usize,
    nulls: usize,
    non_empty_collections: usize,
    undeclared: usize,
    annotations: usize,
}

impl Seen {
    fn count(&mut self, value: &Value) {
        match value {
            Value::Object(members) => {
                self.objects += 1;
                for (name, member) in members {
                    if name == "@odata.type" {
                        self.typed_objects += 1;
                    } else if name.starts_with("xExtra") {
                        self.undeclared += 1;
                        continue; // arbitrary JSON, not the schema's
                    } else if name.contains('@') {
                        self.annotations += 1;
                    } else if member.is_null() {
                        self.nulls += 1;
                    }
                    self.count(member);
                }
            }
            Value::Array(items) => {
                self.non_empty_collections += usize::from(!items.is_empty());
                items.iter().for_each(|item| self.count(item));
            }
            _ => {}
        }
    }

    fn features(&self) -> [(&'static str, usize); 6] {
        [
            ("objects", self.objects),
            ("with @odata.type", self.typed_objects),
            ("explicit nulls", self.nulls),
            ("non-empty collections", self.non_empty_collections),
            ("undeclared properties", self.undeclared),
            ("annotations", self.annotations),
        ]
    }
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Structured(s) if s.kind == StructuredKind::Entity => "entity",
        TypeKind::Structured(_) => "complex",
        TypeKind::Enum(_) => "enum",
        TypeKind::Definition { .. } => "type definition",
    }
}

#[test]
fn arbitrary_values_round_trip() {
    let generated = codegen::Project::this_repository()
        .generate()
        .unwrap_or_else(|e| panic!("{e}"));
    let [beta, v1] = &generated.models[..] else {
        panic!("expected the models of beta and v1.0");
    };
    check_version("beta", beta, generated::beta::decode);
    check_version("v1", v1, generated::v1::decode);
}

/// Every type of `model` through `decode`, the module generated from it.
fn check_version<D: serde::Serialize + PartialEq + std::fmt::Debug>(
    version: &str,
    model: &Model,
    decode: Decode<D>,
) {
    let started = Instant::now();
    let mut payloads = Payloads::new(model);
    let mut round_trips_by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    let seen = RefCell::new(Seen::default());
    let mut failures = Vec::new();
    for (index, ty) in model.types.iter().enumerate() {
        let type_name = ty.name.to_string();
        let strategy = payloads.of_type(TypeId(index));
        let round_trips = Cell::new(0);
        let mut runner = TestRunner::new(Config {
            cases: CASES_PER_TYPE,
            // Shrunk failures are printed below; no regression files are written.
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&strategy, |json| {
            seen.borrow_mut().count(&json);
            round_trip(decode, &type_name, &json).map_err(TestCaseError::fail)?;
            round_trips.set(round_trips.get() + 1);
            Ok(())
        });
        *round_trips_by_kind.entry(kind_name(&ty.kind)).or_default() += round_trips.get();
        match result {
            Ok(()) => {}
            Err(TestError::Fail(reason, json)) => {
                failures.push(format!("{type_name}: {reason}\n  input: {json}"));
            }
            Err(TestError::Abort(reason)) => failures.push(format!("{type_name}: {reason}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{version}: {} of {} types do not round-trip (minimal inputs):\n{}",
        failures.len(),
        model.types.len(),
        failures.join("\n")
    );

    let total: usize = round_trips_by_kind.values().sum();
    let by_kind: Vec<String> = round_trips_by_kind
        .iter()
        .map(|(kind, cases)| format!("{cases} {kind}"))
        .collect();
    let seen = seen.into_inner();
    let features: Vec<String> = seen
        .features()
        .iter()
        .map(|(what, count)| format!("{count} {what}"))
        .collect();
    println!(
        "arbitrary values of {version}: {total} cases over {} types, all round-trip ({}; {}) in {:.1?}",
        model.types.len(),
        by_kind.join(", "),
        features.join(", "),
        started.elapsed()
    );
    assert_eq!(total, model.types.len() * CASES_PER_TYPE as usize);
    for kind in ["entity", "complex", "enum"] {
        assert!(round_trips_by_kind.contains_key(kind), "no {kind} cases");
    }
    for (what, count) in seen.features() {
        assert!(count >= 100, "only {count} {what} in all payloads");
    }
}
