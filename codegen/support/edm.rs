//! OData `Edm` primitive types that keep the exact JSON text they were read
//! from.
//!
//! Each type validates its lexical form (per the OData ABNF and XML Schema)
//! when parsed or deserialized, and serializes back to exactly what was read,
//! so reading a response and sending it back never changes a value's
//! spelling. Constructors from Rust values (`from_u128`, `from_bytes`,
//! `Double::new`, ...) produce the canonical spelling.

use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Number;

/// A value that is not a valid literal of an `Edm` type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EdmError {
    type_name: &'static str,
    value: String,
    reason: &'static str,
}

/// At most this many characters of a bad value are kept in an [`EdmError`].
const MAX_ERROR_VALUE_CHARS: usize = 80;

impl EdmError {
    fn new(type_name: &'static str, value: &str, reason: &'static str) -> Self {
        let value = match value.char_indices().nth(MAX_ERROR_VALUE_CHARS) {
            Some((end, _)) => format!("{}...", &value[..end]),
            None => value.to_owned(),
        };
        EdmError {
            type_name,
            value,
            reason,
        }
    }

    /// The `Edm` type that was expected, e.g. `Edm.Guid`.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The rejected text (shortened if it was very long).
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for EdmError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} value {:?}: {}",
            self.type_name, self.value, self.reason
        )
    }
}

impl std::error::Error for EdmError {}

// ---------------------------------------------------------------------------
// Text-backed types
// ---------------------------------------------------------------------------

/// A type whose value is its validated lexical form.
trait Lexical: Sized {
    /// The `Edm` type name, for messages.
    const EDM: &'static str;
    /// Checks a literal, returning why it is invalid.
    fn check(text: &str) -> Result<(), &'static str>;
    /// Wraps text that passed [`Lexical::check`].
    fn wrap(text: Box<str>) -> Self;

    /// Validates and wraps borrowed text.
    fn lex(text: &str) -> Result<Self, EdmError> {
        match Self::check(text) {
            Ok(()) => Ok(Self::wrap(text.into())),
            Err(reason) => Err(EdmError::new(Self::EDM, text, reason)),
        }
    }

    /// Validates and wraps owned text, reusing its buffer.
    fn lex_owned(text: String) -> Result<Self, EdmError> {
        match Self::check(&text) {
            Ok(()) => Ok(Self::wrap(text.into_boxed_str())),
            Err(reason) => Err(EdmError::new(Self::EDM, &text, reason)),
        }
    }
}

/// Deserializes a [`Lexical`] type from a string.
struct LexicalVisitor<T>(std::marker::PhantomData<fn() -> T>);

impl<T: Lexical> Visitor<'_> for LexicalVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an {} string", T::EDM)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        T::lex(text).map_err(E::custom)
    }

    fn visit_string<E: de::Error>(self, text: String) -> Result<T, E> {
        T::lex_owned(text).map_err(E::custom)
    }
}

/// Defines a newtype over validated text with the shared API and trait impls.
macro_rules! lexical_type {
    ($(#[$doc:meta])* $name:ident, $edm:literal, $check:path) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash)]
        pub struct $name(Box<str>);

        impl Lexical for $name {
            const EDM: &'static str = $edm;
            fn check(text: &str) -> Result<(), &'static str> {
                $check(text)
            }
            fn wrap(text: Box<str>) -> Self {
                $name(text)
            }
        }

        impl $name {
            #[doc = concat!("Validates an `", $edm, "` literal, keeping its text exactly.")]
            pub fn parse(text: &str) -> Result<Self, EdmError> {
                Self::lex(text)
            }

            /// The text exactly as read (or as built).
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&&*self.0).finish()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = EdmError;
            fn from_str(text: &str) -> Result<Self, EdmError> {
                Self::lex(text)
            }
        }

        impl TryFrom<String> for $name {
            type Error = EdmError;
            fn try_from(text: String) -> Result<Self, EdmError> {
                Self::lex_owned(text)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str(LexicalVisitor(std::marker::PhantomData))
            }
        }
    };
}

lexical_type!(
    /// `Edm.Guid`: `8-4-4-4-12` hexadecimal digits, in the case they were
    /// sent. Equality compares the text, so differently-cased spellings of
    /// one GUID are unequal; compare [`Guid::to_u128`] to ignore case.
    Guid,
    "Edm.Guid",
    check_guid
);

lexical_type!(
    /// `Edm.DateTimeOffset`:
    /// `YYYY-MM-DDThh:mm[:ss[.fraction]](Z|±hh:mm)`.
    ///
    /// Equality compares the text, not the instant.
    DateTimeOffset,
    "Edm.DateTimeOffset",
    check_date_time_offset
);

lexical_type!(
    /// `Edm.Date`: `YYYY-MM-DD`.
    Date,
    "Edm.Date",
    check_date
);

lexical_type!(
    /// `Edm.TimeOfDay`: `hh:mm[:ss[.fraction]]`.
    TimeOfDay,
    "Edm.TimeOfDay",
    check_time_of_day
);

lexical_type!(
    /// `Edm.Duration`: an ISO 8601 day-time duration,
    /// `[-]P[nD][T[nH][nM][n[.n]S]]`, e.g. `PT1H30M` or `-P2DT0.5S`.
    Duration,
    "Edm.Duration",
    check_duration
);

lexical_type!(
    /// `Edm.Binary`: base64 in the standard or URL-safe alphabet, padded or
    /// not, kept as sent.
    Binary,
    "Edm.Binary",
    check_binary
);

impl Guid {
    /// The GUID with these 128 bits, in lower case.
    pub fn from_u128(value: u128) -> Guid {
        Guid(
            format!(
                "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
                value >> 96,
                (value >> 80) & 0xffff,
                (value >> 64) & 0xffff,
                (value >> 48) & 0xffff,
                value & 0xffff_ffff_ffff,
            )
            .into_boxed_str(),
        )
    }

    /// The GUID's 128 bits (the hex digits read in order, ignoring case).
    pub fn to_u128(&self) -> u128 {
        self.0
            .chars()
            .filter_map(|c| c.to_digit(16))
            .fold(0u128, |acc, digit| (acc << 4) | u128::from(digit))
    }
}

impl DateTimeOffset {
    /// The instant this value denotes, or `None` if it is outside what
    /// [`SystemTime`] can represent. Fractional digits beyond nanoseconds
    /// are truncated.
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let mut cursor = Cursor::new(&self.0);
        let (_, year) = cursor.year()?;
        cursor.eat(b'-');
        let month = cursor.fixed(2)?;
        cursor.eat(b'-');
        let day = cursor.fixed(2)?;
        cursor.eat(b'T');
        let (hour, minute, second, nanos) = cursor.clock()?;
        let offset_seconds = match cursor.next()? {
            b'Z' => 0,
            sign => {
                let hours = i64::from(cursor.fixed(2)?);
                cursor.eat(b':');
                let minutes = i64::from(cursor.fixed(2)?);
                let seconds = hours * 3600 + minutes * 60;
                if sign == b'-' { -seconds } else { seconds }
            }
        };
        let days = days_from_civil(year?, month, day)?;
        let seconds = days
            .checked_mul(86_400)?
            .checked_add(i64::from(hour * 3600 + minute * 60 + second))?
            .checked_sub(offset_seconds)?;
        let whole = std::time::Duration::from_secs(seconds.unsigned_abs());
        let time = if seconds >= 0 {
            SystemTime::UNIX_EPOCH.checked_add(whole)?
        } else {
            SystemTime::UNIX_EPOCH.checked_sub(whole)?
        };
        time.checked_add(std::time::Duration::from_nanos(u64::from(nanos)))
    }

    /// The instant `time` in UTC, e.g. `2024-05-01T12:30:00.25Z` (fractional
    /// seconds only when non-zero, without trailing zeros).
    pub fn from_system_time(time: SystemTime) -> DateTimeOffset {
        let (mut seconds, mut nanos) = match time.duration_since(SystemTime::UNIX_EPOCH) {
            Ok(after) => (
                i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
                after.subsec_nanos(),
            ),
            Err(before) => {
                let before = before.duration();
                (
                    i64::try_from(before.as_secs()).map_or(i64::MIN, |s| -s),
                    before.subsec_nanos(),
                )
            }
        };
        if seconds < 0 && nanos > 0 {
            seconds = seconds.saturating_sub(1);
            nanos = 1_000_000_000 - nanos;
        }
        let days = seconds.div_euclid(86_400);
        let of_day = seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        let mut text = String::with_capacity(32);
        if year < 0 {
            text.push('-');
        }
        text.push_str(&format!(
            "{:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
            year.unsigned_abs(),
            of_day / 3600,
            of_day / 60 % 60,
            of_day % 60,
        ));
        push_fraction(&mut text, nanos);
        text.push('Z');
        DateTimeOffset(text.into_boxed_str())
    }
}

impl Duration {
    /// The duration as a [`std::time::Duration`], or `None` if it is
    /// negative (and not zero) or too large. Fractional digits beyond
    /// nanoseconds are truncated.
    pub fn to_std(&self) -> Option<std::time::Duration> {
        let mut cursor = Cursor::new(&self.0);
        let negative = cursor.eat(b'-');
        cursor.eat(b'P');
        let mut seconds: u64 = 0;
        let mut nanos: u32 = 0;
        while let Some(byte) = cursor.peek() {
            if byte == b'T' {
                cursor.next();
                continue;
            }
            let amount = cursor.run_value()?;
            let fraction = if cursor.eat(b'.') {
                fraction_nanos(cursor.run()?)
            } else {
                0
            };
            let unit: u64 = match cursor.next()? {
                b'D' => 86_400,
                b'H' => 3600,
                b'M' => 60,
                _ => {
                    nanos = fraction;
                    1
                }
            };
            seconds = seconds.checked_add(amount.checked_mul(unit)?)?;
        }
        if negative && (seconds != 0 || nanos != 0) {
            return None;
        }
        Some(std::time::Duration::new(seconds, nanos))
    }

    /// The canonical literal for `duration`, e.g. `P1DT2H3M4.5S`, or `PT0S`
    /// for zero.
    pub fn from_std(duration: std::time::Duration) -> Duration {
        let total = duration.as_secs();
        let nanos = duration.subsec_nanos();
        let (days, hours, minutes, seconds) = (
            total / 86_400,
            total / 3600 % 24,
            total / 60 % 60,
            total % 60,
        );
        let mut text = String::from("P");
        if days > 0 {
            text.push_str(&format!("{days}D"));
        }
        if hours > 0 || minutes > 0 || seconds > 0 || nanos > 0 || days == 0 {
            text.push('T');
            if hours > 0 {
                text.push_str(&format!("{hours}H"));
            }
            if minutes > 0 {
                text.push_str(&format!("{minutes}M"));
            }
            if seconds > 0 || nanos > 0 || (days == 0 && hours == 0 && minutes == 0) {
                text.push_str(&seconds.to_string());
                push_fraction(&mut text, nanos);
                text.push('S');
            }
        }
        Duration(text.into_boxed_str())
    }
}

/// Decodes standard-alphabet base64, padded or not, tolerating non-zero
/// trailing bits.
const LENIENT_STANDARD: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Decodes URL-safe base64, padded or not, tolerating non-zero trailing bits.
const LENIENT_URL_SAFE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    LENIENT_STANDARD
        .decode(text)
        .or_else(|_| LENIENT_URL_SAFE.decode(text))
        .ok()
}

impl Binary {
    /// The bytes encoded as standard, padded base64.
    pub fn from_bytes(bytes: &[u8]) -> Binary {
        Binary(STANDARD.encode(bytes).into_boxed_str())
    }

    /// The decoded bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        decode_base64(&self.0).unwrap_or_default()
    }
}

// ---------------------------------------------------------------------------
// Lexical checks
// ---------------------------------------------------------------------------

/// A forward-only reader over ASCII text.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor {
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let byte = self.peek()?;
        self.pos += 1;
        Some(byte)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    /// Consumes `byte` if it comes next.
    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Consumes exactly `count` digits and returns their value.
    fn fixed(&mut self, count: usize) -> Option<u32> {
        let digits = self.bytes.get(self.pos..self.pos + count)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.pos += count;
        Some(
            digits
                .iter()
                .fold(0, |acc, d| acc * 10 + u32::from(d - b'0')),
        )
    }

    /// Consumes one or more digits and returns them.
    fn run(&mut self) -> Option<&'a [u8]> {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        (self.pos > start).then(|| &self.bytes[start..self.pos])
    }

    /// Consumes one or more digits and returns their value, if it fits.
    fn run_value(&mut self) -> Option<u64> {
        self.run()?.iter().try_fold(0u64, |acc, d| {
            acc.checked_mul(10)?.checked_add(u64::from(d - b'0'))
        })
    }

    /// Consumes `[-]YYYY` (more digits allowed, then without a leading
    /// zero). Returns the year modulo 400 (enough to tell leap years) and the
    /// year itself if it fits in an `i64`.
    fn year(&mut self) -> Option<(u32, Option<i64>)> {
        let negative = self.eat(b'-');
        let digits = self.run()?;
        if digits.len() < 4 || (digits.len() > 4 && digits[0] == b'0') {
            return None;
        }
        let modulo = digits
            .iter()
            .fold(0, |acc, d| (acc * 10 + u32::from(d - b'0')) % 400);
        let value = digits.iter().try_fold(0i64, |acc, d| {
            acc.checked_mul(10)?.checked_add(i64::from(d - b'0'))
        });
        Some((modulo, value.map(|v| if negative { -v } else { v })))
    }

    /// Consumes `YYYY-MM-DD` with a valid month and day.
    fn date(&mut self) -> Result<(), &'static str> {
        let (year_mod_400, _) = self
            .year()
            .ok_or("expected a year of at least four digits")?;
        if !self.eat(b'-') {
            return Err("expected '-' after the year");
        }
        let month = self.fixed(2).ok_or("expected a two-digit month")?;
        if !(1..=12).contains(&month) {
            return Err("month out of range");
        }
        if !self.eat(b'-') {
            return Err("expected '-' after the month");
        }
        let day = self.fixed(2).ok_or("expected a two-digit day")?;
        if day < 1 || day > days_in_month(year_mod_400, month) {
            return Err("day out of range for the month");
        }
        Ok(())
    }

    /// Consumes `hh:mm[:ss[.fraction]]` and returns the hour, minute,
    /// second and nanoseconds (fraction truncated).
    fn clock(&mut self) -> Option<(u32, u32, u32, u32)> {
        let hour = self.fixed(2).filter(|h| *h < 24)?;
        if !self.eat(b':') {
            return None;
        }
        let minute = self.fixed(2).filter(|m| *m < 60)?;
        let mut second = 0;
        let mut nanos = 0;
        if self.eat(b':') {
            second = self.fixed(2).filter(|s| *s < 60)?;
            if self.eat(b'.') {
                nanos = fraction_nanos(self.run()?);
            }
        }
        Some((hour, minute, second, nanos))
    }
}

fn is_leap(year_mod_400: u32) -> bool {
    year_mod_400.is_multiple_of(4) && (!year_mod_400.is_multiple_of(100) || year_mod_400 == 0)
}

fn days_in_month(year_mod_400: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year_mod_400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Nanoseconds from fractional-second digits (beyond nine truncated).
fn fraction_nanos(digits: &[u8]) -> u32 {
    (0..9).fold(0, |acc, i| {
        acc * 10 + digits.get(i).map_or(0, |d| u32::from(d - b'0'))
    })
}

/// Appends `.fraction` for non-zero `nanos`, without trailing zeros.
fn push_fraction(text: &mut String, nanos: u32) {
    if nanos > 0 {
        let digits = format!("{nanos:09}");
        text.push('.');
        text.push_str(digits.trim_end_matches('0'));
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (years up to a
/// billion either way).
fn days_from_civil(year: i64, month: u32, day: u32) -> Option<i64> {
    if year.unsigned_abs() > 1_000_000_000 {
        return None;
    }
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

/// The proleptic Gregorian date `days` after 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // `day` is in 1..=31 and `month` in 1..=12 by construction.
    (year, month as u32, day as u32)
}

fn check_guid(text: &str) -> Result<(), &'static str> {
    let bytes = text.as_bytes();
    if bytes.len() != 36 {
        return Err("expected 8-4-4-4-12 hexadecimal digits");
    }
    for (index, byte) in bytes.iter().enumerate() {
        let ok = match index {
            8 | 13 | 18 | 23 => *byte == b'-',
            _ => byte.is_ascii_hexdigit(),
        };
        if !ok {
            return Err("expected 8-4-4-4-12 hexadecimal digits");
        }
    }
    Ok(())
}

fn check_date(text: &str) -> Result<(), &'static str> {
    let mut cursor = Cursor::new(text);
    cursor.date()?;
    if !cursor.at_end() {
        return Err("unexpected text after the date");
    }
    Ok(())
}

fn check_time_of_day(text: &str) -> Result<(), &'static str> {
    let mut cursor = Cursor::new(text);
    if cursor.clock().is_none() || !cursor.at_end() {
        return Err("expected hh:mm[:ss[.fraction]] with hour 0-23 and minute, second 0-59");
    }
    Ok(())
}

fn check_date_time_offset(text: &str) -> Result<(), &'static str> {
    let mut cursor = Cursor::new(text);
    cursor.date()?;
    if !cursor.eat(b'T') {
        return Err("expected 'T' after the date");
    }
    if cursor.clock().is_none() {
        return Err("expected hh:mm[:ss[.fraction]] with hour 0-23 and minute, second 0-59");
    }
    match cursor.next() {
        Some(b'Z') => {}
        Some(b'+' | b'-') => {
            let hour = cursor.fixed(2).filter(|h| *h < 24);
            let colon = cursor.eat(b':');
            let minute = cursor.fixed(2).filter(|m| *m < 60);
            if hour.is_none() || !colon || minute.is_none() {
                return Err("expected a time zone offset ±hh:mm");
            }
        }
        _ => return Err("expected a time zone: 'Z' or ±hh:mm"),
    }
    if !cursor.at_end() {
        return Err("unexpected text after the time zone");
    }
    Ok(())
}

fn check_duration(text: &str) -> Result<(), &'static str> {
    const SHAPE: &str = "expected [-]P[nD][T[nH][nM][n[.n]S]] with at least one component";
    let mut cursor = Cursor::new(text);
    cursor.eat(b'-');
    if !cursor.eat(b'P') {
        return Err(SHAPE);
    }
    let mut any = false;
    if cursor.peek().is_some_and(|b| b.is_ascii_digit()) {
        cursor.run();
        if !cursor.eat(b'D') {
            return Err(SHAPE);
        }
        any = true;
    }
    if cursor.eat(b'T') {
        // Designators must come in this order, each at most once.
        let mut allowed = &b"HMS"[..];
        let mut any_time = false;
        while !cursor.at_end() {
            if cursor.run().is_none() {
                return Err(SHAPE);
            }
            let fraction = cursor.eat(b'.');
            if fraction && cursor.run().is_none() {
                return Err(SHAPE);
            }
            let designator = cursor.next().ok_or(SHAPE)?;
            let position = allowed.iter().position(|d| *d == designator).ok_or(SHAPE)?;
            if fraction && designator != b'S' {
                return Err(SHAPE);
            }
            allowed = &allowed[position + 1..];
            any_time = true;
        }
        if !any_time {
            return Err("expected a component after 'T'");
        }
        any = true;
    }
    if !any || !cursor.at_end() {
        return Err(SHAPE);
    }
    Ok(())
}

fn check_binary(text: &str) -> Result<(), &'static str> {
    match decode_base64(text) {
        Some(_) => Ok(()),
        None => Err("expected base64 (standard or URL-safe alphabet)"),
    }
}

// ---------------------------------------------------------------------------
// Number-backed types
// ---------------------------------------------------------------------------

/// What an `Edm.Double` holds.
#[derive(Clone, PartialEq, Eq, Hash)]
enum DoubleRepr {
    Number(Number),
    NaN,
    Infinity,
    NegInfinity,
}

/// `Edm.Double` (also used for `Edm.Single`): a JSON number kept as read, so
/// `1` stays `1` and `1.5` stays `1.5`, or one of OData's strings `"NaN"`,
/// `"INF"` and `"-INF"`.
///
/// Equality compares the representation: `1` and `1.0` are unequal, and
/// `NaN` equals `NaN`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Double(DoubleRepr);

impl Double {
    /// Not a number, written as `"NaN"`.
    pub const NAN: Double = Double(DoubleRepr::NaN);
    /// Positive infinity, written as `"INF"`.
    pub const INFINITY: Double = Double(DoubleRepr::Infinity);
    /// Negative infinity, written as `"-INF"`.
    pub const NEG_INFINITY: Double = Double(DoubleRepr::NegInfinity);

    /// The value `value`; NaN and infinities become the special strings.
    pub fn new(value: f64) -> Double {
        if value.is_nan() {
            Double::NAN
        } else if value == f64::INFINITY {
            Double::INFINITY
        } else if value == f64::NEG_INFINITY {
            Double::NEG_INFINITY
        } else {
            Number::from_f64(value).map_or(Double::NAN, |n| Double(DoubleRepr::Number(n)))
        }
    }

    /// A JSON number, kept as is.
    pub fn from_number(number: Number) -> Double {
        Double(DoubleRepr::Number(number))
    }

    /// Parses a JSON number literal or `NaN`, `INF`, `-INF`.
    pub fn parse(text: &str) -> Result<Double, EdmError> {
        match text {
            "NaN" => Ok(Double::NAN),
            "INF" => Ok(Double::INFINITY),
            "-INF" => Ok(Double::NEG_INFINITY),
            _ => parse_json_number(text)
                .map(Double::from_number)
                .ok_or_else(|| {
                    EdmError::new("Edm.Double", text, "expected a number, NaN, INF or -INF")
                }),
        }
    }

    /// The value as an `f64`.
    pub fn get(&self) -> f64 {
        match &self.0 {
            DoubleRepr::Number(number) => number.as_f64().unwrap_or(f64::NAN),
            DoubleRepr::NaN => f64::NAN,
            DoubleRepr::Infinity => f64::INFINITY,
            DoubleRepr::NegInfinity => f64::NEG_INFINITY,
        }
    }

    /// The JSON number, unless the value is one of the special strings.
    pub fn as_number(&self) -> Option<&Number> {
        match &self.0 {
            DoubleRepr::Number(number) => Some(number),
            _ => None,
        }
    }
}

impl From<f64> for Double {
    fn from(value: f64) -> Self {
        Double::new(value)
    }
}

impl fmt::Display for Double {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            DoubleRepr::Number(number) => number.fmt(f),
            DoubleRepr::NaN => f.write_str("NaN"),
            DoubleRepr::Infinity => f.write_str("INF"),
            DoubleRepr::NegInfinity => f.write_str("-INF"),
        }
    }
}

impl fmt::Debug for Double {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Double({self})")
    }
}

impl FromStr for Double {
    type Err = EdmError;
    fn from_str(text: &str) -> Result<Self, EdmError> {
        Double::parse(text)
    }
}

impl Serialize for Double {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            DoubleRepr::Number(number) => number.serialize(serializer),
            DoubleRepr::NaN => serializer.serialize_str("NaN"),
            DoubleRepr::Infinity => serializer.serialize_str("INF"),
            DoubleRepr::NegInfinity => serializer.serialize_str("-INF"),
        }
    }
}

impl<'de> Deserialize<'de> for Double {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DoubleVisitor;

        impl Visitor<'_> for DoubleVisitor {
            type Value = Double;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an Edm.Double: a number or one of \"NaN\", \"INF\", \"-INF\"")
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Double, E> {
                Ok(Double::from_number(value.into()))
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Double, E> {
                Ok(Double::from_number(value.into()))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Double, E> {
                Ok(Double::new(value))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Double, E> {
                match text {
                    "NaN" => Ok(Double::NAN),
                    "INF" => Ok(Double::INFINITY),
                    "-INF" => Ok(Double::NEG_INFINITY),
                    _ => Err(E::custom(EdmError::new(
                        "Edm.Double",
                        text,
                        "the only strings allowed are \"NaN\", \"INF\" and \"-INF\"",
                    ))),
                }
            }
        }

        deserializer.deserialize_any(DoubleVisitor)
    }
}

/// A JSON number literal (as `serde_json` would read it), or `None`.
fn parse_json_number(text: &str) -> Option<Number> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Number(number)) if text.trim() == text => Some(number),
        _ => None,
    }
}

/// How an `Edm.Int64` was written.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Int64Form {
    /// A JSON number.
    Number,
    /// A JSON string holding the canonical decimal spelling.
    String,
    /// A JSON string with a non-canonical spelling (`"+5"`, `"007"`).
    Text(Box<str>),
}

/// `Edm.Int64`: a JSON number, or a JSON string holding an integer (the
/// `IEEE754Compatible=true` form). Remembers which form it was read in and
/// writes the same form, and the same text, back.
///
/// Equality compares the representation: `5` and `"5"` are unequal.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Int64 {
    value: i64,
    form: Int64Form,
}

impl Int64 {
    /// `value` in the JSON number form.
    pub const fn new(value: i64) -> Int64 {
        Int64 {
            value,
            form: Int64Form::Number,
        }
    }

    /// `value` in the JSON string (`IEEE754Compatible`) form.
    pub const fn quoted(value: i64) -> Int64 {
        Int64 {
            value,
            form: Int64Form::String,
        }
    }

    /// Parses a decimal integer literal (optional sign, digits) into the
    /// JSON number form.
    pub fn parse(text: &str) -> Result<Int64, EdmError> {
        parse_int64(text).map(Int64::new)
    }

    /// The value.
    pub const fn get(&self) -> i64 {
        self.value
    }

    /// Whether the value is in the JSON string form.
    pub const fn is_quoted(&self) -> bool {
        !matches!(self.form, Int64Form::Number)
    }

    /// Reads the string form, keeping non-canonical text.
    fn from_quoted_text(text: &str) -> Result<Int64, EdmError> {
        let value = parse_int64(text)?;
        let form = if value.to_string() == text {
            Int64Form::String
        } else {
            Int64Form::Text(text.into())
        };
        Ok(Int64 { value, form })
    }
}

fn parse_int64(text: &str) -> Result<i64, EdmError> {
    text.parse::<i64>().map_err(|_| {
        EdmError::new(
            "Edm.Int64",
            text,
            "expected an integer from -9223372036854775808 to 9223372036854775807",
        )
    })
}

impl From<i64> for Int64 {
    fn from(value: i64) -> Self {
        Int64::new(value)
    }
}

impl fmt::Display for Int64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl fmt::Debug for Int64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.form {
            Int64Form::Number => write!(f, "Int64({})", self.value),
            Int64Form::String => write!(f, "Int64(\"{}\")", self.value),
            Int64Form::Text(text) => write!(f, "Int64({text:?})"),
        }
    }
}

impl FromStr for Int64 {
    type Err = EdmError;
    fn from_str(text: &str) -> Result<Self, EdmError> {
        Int64::parse(text)
    }
}

impl Serialize for Int64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.form {
            Int64Form::Number => serializer.serialize_i64(self.value),
            Int64Form::String => serializer.collect_str(&self.value),
            Int64Form::Text(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for Int64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Int64Visitor;

        impl Visitor<'_> for Int64Visitor {
            type Value = Int64;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an Edm.Int64: an integer or a string holding one")
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Int64, E> {
                Ok(Int64::new(value))
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Int64, E> {
                i64::try_from(value).map(Int64::new).map_err(|_| {
                    E::custom(EdmError::new(
                        "Edm.Int64",
                        &value.to_string(),
                        "out of range",
                    ))
                })
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Int64, E> {
                Err(E::custom(EdmError::new(
                    "Edm.Int64",
                    &value.to_string(),
                    "expected an integer",
                )))
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Int64, E> {
                Int64::from_quoted_text(text).map_err(E::custom)
            }
        }

        deserializer.deserialize_any(Int64Visitor)
    }
}

/// What an `Edm.Decimal` holds.
#[derive(Clone, PartialEq, Eq, Hash)]
enum DecimalRepr {
    Number(Number),
    Text(Box<str>),
}

/// `Edm.Decimal`: a JSON number (kept as read), or a JSON string holding a
/// decimal literal (the `IEEE754Compatible=true` form, kept exactly and so
/// without loss of precision). Writes back the form it was read in.
///
/// Equality compares the representation: `1.5` and `"1.5"` are unequal.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Decimal(DecimalRepr);

impl Decimal {
    /// A JSON number, kept as is.
    pub fn new(number: Number) -> Decimal {
        Decimal(DecimalRepr::Number(number))
    }

    /// The value `value` as a JSON number, or `None` for NaN and infinities.
    pub fn from_f64(value: f64) -> Option<Decimal> {
        Number::from_f64(value).map(Decimal::new)
    }

    /// Validates a decimal literal (`[+-]digits[.digits][(e|E)[+-]digits]`)
    /// and keeps it exactly, in the JSON string (`IEEE754Compatible`) form.
    pub fn parse(text: &str) -> Result<Decimal, EdmError> {
        if is_decimal_literal(text) {
            Ok(Decimal(DecimalRepr::Text(text.into())))
        } else {
            Err(EdmError::new(
                "Edm.Decimal",
                text,
                "expected [+-]digits[.digits][e[+-]digits]",
            ))
        }
    }

    /// The value as an `f64` (rounded if it has more precision).
    pub fn to_f64(&self) -> f64 {
        match &self.0 {
            DecimalRepr::Number(number) => number.as_f64().unwrap_or(f64::NAN),
            DecimalRepr::Text(text) => text.parse().unwrap_or(f64::NAN),
        }
    }

    /// The JSON number, if the value is in the number form.
    pub fn as_number(&self) -> Option<&Number> {
        match &self.0 {
            DecimalRepr::Number(number) => Some(number),
            DecimalRepr::Text(_) => None,
        }
    }

    /// Whether the value is in the JSON string form.
    pub fn is_quoted(&self) -> bool {
        matches!(self.0, DecimalRepr::Text(_))
    }
}

fn is_decimal_literal(text: &str) -> bool {
    let mut cursor = Cursor::new(text);
    if !cursor.eat(b'+') {
        cursor.eat(b'-');
    }
    if cursor.run().is_none() {
        return false;
    }
    if cursor.eat(b'.') && cursor.run().is_none() {
        return false;
    }
    if cursor.eat(b'e') || cursor.eat(b'E') {
        if !cursor.eat(b'+') {
            cursor.eat(b'-');
        }
        if cursor.run().is_none() {
            return false;
        }
    }
    cursor.at_end()
}

impl From<i64> for Decimal {
    fn from(value: i64) -> Self {
        Decimal::new(value.into())
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            DecimalRepr::Number(number) => number.fmt(f),
            DecimalRepr::Text(text) => f.write_str(text),
        }
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            DecimalRepr::Number(number) => write!(f, "Decimal({number})"),
            DecimalRepr::Text(text) => write!(f, "Decimal({text:?})"),
        }
    }
}

impl FromStr for Decimal {
    type Err = EdmError;
    fn from_str(text: &str) -> Result<Self, EdmError> {
        Decimal::parse(text)
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            DecimalRepr::Number(number) => number.serialize(serializer),
            DecimalRepr::Text(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DecimalVisitor;

        impl Visitor<'_> for DecimalVisitor {
            type Value = Decimal;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an Edm.Decimal: a number or a string holding one")
            }

            fn visit_u64<E: de::Error>(self, value: u64) -> Result<Decimal, E> {
                Ok(Decimal::new(value.into()))
            }

            fn visit_i64<E: de::Error>(self, value: i64) -> Result<Decimal, E> {
                Ok(Decimal::new(value.into()))
            }

            fn visit_f64<E: de::Error>(self, value: f64) -> Result<Decimal, E> {
                Decimal::from_f64(value).ok_or_else(|| {
                    E::custom(EdmError::new(
                        "Edm.Decimal",
                        &value.to_string(),
                        "expected a finite number",
                    ))
                })
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Decimal, E> {
                Decimal::parse(text).map_err(E::custom)
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<Decimal, E> {
                if is_decimal_literal(&text) {
                    Ok(Decimal(DecimalRepr::Text(text.into_boxed_str())))
                } else {
                    Decimal::parse(&text).map_err(E::custom)
                }
            }
        }

        deserializer.deserialize_any(DecimalVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeOwned;

    /// Reads `json` as `T` and writes it back, requiring identical text.
    fn round_trip<T: Serialize + DeserializeOwned + fmt::Debug>(json: &str) -> T {
        let value: T = serde_json::from_str(json)
            .unwrap_or_else(|error| panic!("{json} should parse: {error}"));
        let back = serde_json::to_string(&value).expect("serializes");
        assert_eq!(back, json, "round trip of {value:?}");
        value
    }

    /// Requires `json` to be rejected as `T` with an error naming `edm`.
    fn rejects<T: DeserializeOwned + fmt::Debug>(json: &str, edm: &str) {
        match serde_json::from_str::<T>(json) {
            Ok(value) => panic!("{json} should be rejected, got {value:?}"),
            Err(error) => {
                let message = error.to_string();
                assert!(message.contains(edm), "{json}: {message}");
            }
        }
    }

    #[test]
    fn guid_round_trips_and_keeps_case() {
        let upper = round_trip::<Guid>("\"8A34C2D1-0B7E-4F5A-9C3D-2E1F0A9B8C7D\"");
        assert_eq!(upper.as_str(), "8A34C2D1-0B7E-4F5A-9C3D-2E1F0A9B8C7D");
        let lower = round_trip::<Guid>("\"8a34c2d1-0b7e-4f5a-9c3d-2e1f0a9b8c7d\"");
        assert_ne!(upper, lower);
        assert_eq!(upper.to_u128(), lower.to_u128());
        assert_eq!(upper.to_u128(), 0x8a34c2d1_0b7e_4f5a_9c3d_2e1f0a9b8c7d);
        assert_eq!(Guid::from_u128(upper.to_u128()), lower);
        assert_eq!(
            Guid::from_u128(1).as_str(),
            "00000000-0000-0000-0000-000000000001"
        );
        assert_eq!(
            format!("{upper:?}"),
            "Guid(\"8A34C2D1-0B7E-4F5A-9C3D-2E1F0A9B8C7D\")"
        );
    }

    #[test]
    fn guid_rejects_bad_forms() {
        for bad in [
            "\"\"",
            "\"8a34c2d1-0b7e-4f5a-9c3d-2e1f0a9b8c7\"",
            "\"8a34c2d10b7e-4f5a-9c3d-2e1f0a9b8c7d0\"",
            "\"{8a34c2d1-0b7e-4f5a-9c3d-2e1f0a9b8c7d}\"",
            "\"8a34c2d1-0b7e-4f5a-9c3d-2e1f0a9b8c7g\"",
            "\"8a34c2d1-0b7e-4f5a-9c3d-2e1f0a9b8cé\"",
            "12",
        ] {
            rejects::<Guid>(bad, "Edm.Guid");
        }
        let error = Guid::parse("nope").expect_err("invalid");
        assert_eq!(error.type_name(), "Edm.Guid");
        assert_eq!(error.value(), "nope");
        assert!(error.to_string().contains("\"nope\""));
    }

    #[test]
    fn date_time_offset_forms() {
        for good in [
            "\"2024-02-29T23:59:59Z\"",
            "\"2024-05-01T12:30:00.1234567Z\"",
            "\"2024-05-01T12:30:00.123456789012+05:30\"",
            "\"2024-05-01T12:30:00-08:00\"",
            "\"2024-05-01T12:30Z\"",
            "\"0001-01-01T00:00:00Z\"",
            "\"-0044-03-15T12:00:00Z\"",
            "\"12024-01-01T00:00:00Z\"",
        ] {
            round_trip::<DateTimeOffset>(good);
        }
        for bad in [
            "\"2023-02-29T00:00:00Z\"",
            "\"1900-02-29T00:00:00Z\"",
            "\"2024-13-01T00:00:00Z\"",
            "\"2024-00-01T00:00:00Z\"",
            "\"2024-04-31T00:00:00Z\"",
            "\"2024-05-01T24:00:00Z\"",
            "\"2024-05-01T12:60:00Z\"",
            "\"2024-05-01T12:00:60Z\"",
            "\"2024-05-01T12:00:00\"",
            "\"2024-05-01T12:00:00.Z\"",
            "\"2024-05-01t12:00:00Z\"",
            "\"2024-05-01T12:00:00+0530\"",
            "\"2024-05-01T12:00:00Zjunk\"",
            "\"2024-05-01\"",
            "\"24-05-01T12:00:00Z\"",
            "\"02024-05-01T12:00:00Z\"",
            "\"2024-5-01T12:00:00Z\"",
            "\"\"",
            "null",
        ] {
            rejects::<DateTimeOffset>(bad, "Edm.DateTimeOffset");
        }
        assert!(DateTimeOffset::parse("2000-02-29T00:00:00Z").is_ok());
    }

    #[test]
    fn date_time_offset_system_time() {
        let epoch = DateTimeOffset::parse("1970-01-01T00:00:00Z").expect("valid");
        assert_eq!(epoch.to_system_time(), Some(SystemTime::UNIX_EPOCH));
        let shifted = DateTimeOffset::parse("1970-01-01T01:00:00.5+01:00").expect("valid");
        assert_eq!(
            shifted.to_system_time(),
            SystemTime::UNIX_EPOCH.checked_add(std::time::Duration::from_millis(500))
        );
        let time = SystemTime::UNIX_EPOCH + std::time::Duration::new(1_714_566_600, 250_000_000);
        let value = DateTimeOffset::from_system_time(time);
        assert_eq!(value.as_str(), "2024-05-01T12:30:00.25Z");
        assert_eq!(value.to_system_time(), Some(time));
        let before = SystemTime::UNIX_EPOCH - std::time::Duration::new(86_400, 1);
        let value = DateTimeOffset::from_system_time(before);
        assert_eq!(value.as_str(), "1969-12-30T23:59:59.999999999Z");
        assert_eq!(value.to_system_time(), Some(before));
        let huge = DateTimeOffset::parse("99999999999999999999-01-01T00:00:00Z").expect("valid");
        assert_eq!(huge.to_system_time(), None);
    }

    #[test]
    fn date_and_time_of_day_forms() {
        round_trip::<Date>("\"2024-02-29\"");
        round_trip::<Date>("\"1999-12-31\"");
        for bad in [
            "\"2023-02-29\"",
            "\"2024-02-29T00:00:00Z\"",
            "\"2024-1-1\"",
            "5",
        ] {
            rejects::<Date>(bad, "Edm.Date");
        }
        for good in ["\"00:00\"", "\"23:59:59\"", "\"12:30:15.0000001\""] {
            round_trip::<TimeOfDay>(good);
        }
        for bad in [
            "\"24:00\"",
            "\"12:60\"",
            "\"12\"",
            "\"12:30:15.\"",
            "\"12:30Z\"",
        ] {
            rejects::<TimeOfDay>(bad, "Edm.TimeOfDay");
        }
    }

    #[test]
    fn duration_forms() {
        for good in [
            "\"P1D\"",
            "\"PT1H\"",
            "\"PT30M\"",
            "\"PT0S\"",
            "\"PT0.5S\"",
            "\"P2DT3H4M5.25S\"",
            "\"-PT1H\"",
            "\"P10DT1M\"",
        ] {
            round_trip::<Duration>(good);
        }
        for bad in [
            "\"P\"",
            "\"PT\"",
            "\"P1DT\"",
            "\"-P\"",
            "\"1D\"",
            "\"PT1M1H\"",
            "\"PT1H1H\"",
            "\"PT1.5H\"",
            "\"P1Y\"",
            "\"P1H\"",
            "\"PT1\"",
            "\"PT.5S\"",
            "\"pt1h\"",
            "\"PT1S \"",
        ] {
            rejects::<Duration>(bad, "Edm.Duration");
        }
    }

    #[test]
    fn duration_std_conversion() {
        let value = Duration::parse("P1DT2H3M4.5S").expect("valid");
        assert_eq!(
            value.to_std(),
            Some(std::time::Duration::new(
                86_400 + 7200 + 180 + 4,
                500_000_000
            ))
        );
        assert_eq!(Duration::parse("-PT1S").expect("valid").to_std(), None);
        assert_eq!(
            Duration::parse("-PT0S").expect("valid").to_std(),
            Some(std::time::Duration::ZERO)
        );
        assert_eq!(
            Duration::parse("P99999999999999999999D")
                .expect("valid")
                .to_std(),
            None
        );
        let std = std::time::Duration::new(86_400 + 7200 + 180 + 4, 500_000_000);
        assert_eq!(Duration::from_std(std).as_str(), "P1DT2H3M4.5S");
        assert_eq!(
            Duration::from_std(std::time::Duration::ZERO).as_str(),
            "PT0S"
        );
        assert_eq!(
            Duration::from_std(std::time::Duration::from_secs(86_400)).as_str(),
            "P1D"
        );
        assert_eq!(
            Duration::from_std(std::time::Duration::from_secs(3600)).as_str(),
            "PT1H"
        );
        for seconds in [0, 1, 59, 61, 3599, 3601, 86_399, 86_401, 1_000_000] {
            let std = std::time::Duration::new(seconds, 1000);
            let value = Duration::from_std(std);
            assert!(Duration::parse(value.as_str()).is_ok(), "{value:?}");
            assert_eq!(value.to_std(), Some(std), "{value:?}");
        }
    }

    #[test]
    fn binary_forms() {
        for good in [
            "\"\"",
            "\"aGVsbG8=\"",
            "\"aGVsbG8\"",
            "\"+/8=\"",
            "\"-_8\"",
            "\"-_8=\"",
        ] {
            round_trip::<Binary>(good);
        }
        let value = Binary::parse("-_8").expect("valid");
        assert_eq!(value.to_bytes(), vec![0xfb, 0xff]);
        assert_eq!(
            Binary::parse("+/8=").expect("valid").to_bytes(),
            vec![0xfb, 0xff]
        );
        assert_eq!(Binary::from_bytes(b"hello").as_str(), "aGVsbG8=");
        assert_eq!(
            Binary::from_bytes(&[0xfb, 0xff]).to_bytes(),
            vec![0xfb, 0xff]
        );
        for bad in ["\"a\"", "\"aGVsbG8*\"", "\"aG Vs\"", "\"+_8=\"", "[1]"] {
            rejects::<Binary>(bad, "Edm.Binary");
        }
    }

    #[test]
    fn double_forms() {
        let one = round_trip::<Double>("1");
        let one_point_zero = round_trip::<Double>("1.0");
        assert_ne!(one, one_point_zero);
        assert_eq!(one.get(), one_point_zero.get());
        round_trip::<Double>("1.5");
        round_trip::<Double>("-2");
        round_trip::<Double>("18446744073709551615");
        assert!(round_trip::<Double>("\"NaN\"").get().is_nan());
        assert_eq!(round_trip::<Double>("\"INF\"").get(), f64::INFINITY);
        assert_eq!(round_trip::<Double>("\"-INF\"").get(), f64::NEG_INFINITY);
        rejects::<Double>("\"1.5\"", "Edm.Double");
        rejects::<Double>("\"Infinity\"", "Edm.Double");
        rejects::<Double>("true", "Edm.Double");
        rejects::<Double>("null", "Edm.Double");

        assert_eq!(
            serde_json::to_string(&Double::new(2.5)).ok(),
            Some("2.5".into())
        );
        assert_eq!(
            serde_json::to_string(&Double::new(f64::NAN)).ok(),
            Some("\"NaN\"".into())
        );
        assert_eq!(Double::new(f64::NEG_INFINITY), Double::NEG_INFINITY);
        assert_eq!(Double::parse("INF"), Ok(Double::INFINITY));
        assert_eq!(Double::parse("1").ok(), Some(one.clone()));
        assert!(Double::parse("1 ").is_err());
        assert!(Double::parse("x").is_err());
        assert_eq!(one.to_string(), "1");
        assert_eq!(format!("{:?}", Double::NAN), "Double(NaN)");
        assert_eq!(one.as_number(), Some(&Number::from(1)));
    }

    #[test]
    fn int64_forms() {
        let number = round_trip::<Int64>("9007199254740993");
        assert_eq!(number.get(), 9_007_199_254_740_993);
        assert!(!number.is_quoted());
        let quoted = round_trip::<Int64>("\"9007199254740993\"");
        assert!(quoted.is_quoted());
        assert_eq!(quoted.get(), number.get());
        assert_ne!(quoted, number);
        round_trip::<Int64>("-9223372036854775808");
        round_trip::<Int64>("\"-9223372036854775808\"");
        let odd = round_trip::<Int64>("\"+007\"");
        assert_eq!(odd.get(), 7);
        assert_eq!(format!("{odd:?}"), "Int64(\"+007\")");
        for bad in [
            "9223372036854775808",
            "1.5",
            "1.0",
            "\"1.5\"",
            "\"\"",
            "\"x\"",
            "true",
        ] {
            rejects::<Int64>(bad, "Edm.Int64");
        }
        assert_eq!(serde_json::to_string(&Int64::new(5)).ok(), Some("5".into()));
        assert_eq!(
            serde_json::to_string(&Int64::quoted(5)).ok(),
            Some("\"5\"".into())
        );
        assert_eq!("-3".parse::<Int64>(), Ok(Int64::new(-3)));
        assert!(Int64::parse("3x").is_err());
        assert_eq!(format!("{:?}", Int64::quoted(5)), "Int64(\"5\")");
    }

    #[test]
    fn decimal_forms() {
        round_trip::<Decimal>("1");
        round_trip::<Decimal>("1.5");
        round_trip::<Decimal>("-0.25");
        let exact = round_trip::<Decimal>("\"12345678901234567890.123456789012345678\"");
        assert!(exact.is_quoted());
        assert_eq!(exact.to_string(), "12345678901234567890.123456789012345678");
        assert!((exact.to_f64() - 1.2345678901234567e19).abs() < 1e4);
        round_trip::<Decimal>("\"1E+3\"");
        round_trip::<Decimal>("\"-00.50\"");
        for bad in [
            "\"1.\"", "\".5\"", "\"1e\"", "\"NaN\"", "\"1,5\"", "true", "null",
        ] {
            rejects::<Decimal>(bad, "Edm.Decimal");
        }
        assert_eq!(Decimal::from(3).to_f64(), 3.0);
        assert_eq!(
            Decimal::from_f64(0.5).map(|d| d.to_string()),
            Some("0.5".into())
        );
        assert_eq!(Decimal::from_f64(f64::NAN), None);
        assert!(Decimal::parse("+1.5e-3").is_ok());
        assert_eq!(format!("{:?}", Decimal::from(3)), "Decimal(3)");
    }

    #[test]
    fn arbitrary_text_never_panics() {
        // Deterministic xorshift, over characters that matter to the grammars.
        const ALPHABET: &[u8] = b"0123456789-+:.TZPDHMSe=/_aF ";
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let seeds = [
            "2024-02-29T23:59:59.123Z",
            "P1DT2H3M4.5S",
            "12:30:15.5",
            "8a34c2d1-0b7e-4f5a-9c3d-2e1f0a9b8c7d",
        ];
        for round in 0..20_000 {
            let mut text: Vec<u8> = seeds[round % seeds.len()].bytes().collect();
            for _ in 0..(next() % 4) {
                let at = (next() as usize) % (text.len() + 1);
                let byte = ALPHABET[(next() as usize) % ALPHABET.len()];
                match next() % 3 {
                    0 if at < text.len() => text[at] = byte,
                    1 if at < text.len() => {
                        text.remove(at);
                    }
                    _ => text.insert(at, byte),
                }
            }
            let text = String::from_utf8(text).expect("ASCII");
            if let Ok(value) = DateTimeOffset::parse(&text) {
                let _ = value.to_system_time();
            }
            if let Ok(value) = Duration::parse(&text) {
                let _ = value.to_std();
            }
            if let Ok(value) = Guid::parse(&text) {
                assert_eq!(Guid::from_u128(value.to_u128()).to_u128(), value.to_u128());
            }
            if let Ok(value) = Binary::parse(&text) {
                let _ = value.to_bytes();
            }
            let _ = (Date::parse(&text), TimeOfDay::parse(&text));
            let _ = (Double::parse(&text), Int64::parse(&text));
            if let Ok(value) = Decimal::parse(&text) {
                let _ = value.to_f64();
            }
        }
    }

    #[test]
    fn edm_types_inside_a_flattened_struct() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Holder {
            id: Guid,
            when: DateTimeOffset,
            size: Int64,
            ratio: Double,
            amount: Decimal,
            #[serde(flatten)]
            additional: serde_json::Map<String, serde_json::Value>,
        }
        let text = r#"{"id":"8A34C2D1-0B7E-4F5A-9C3D-2E1F0A9B8C7D","when":"2024-05-01T12:30:00.1234567Z","size":"42","ratio":"-INF","amount":"0.10","x":1}"#;
        let holder: Holder = serde_json::from_str(text).expect("parses");
        assert_eq!(holder.size, Int64::quoted(42));
        let back = serde_json::to_value(&holder).expect("serializes");
        assert_eq!(
            back,
            serde_json::from_str::<serde_json::Value>(text).expect("json")
        );
        let bad = text.replace("-INF", "-Infinity");
        assert!(serde_json::from_str::<Holder>(&bad).is_err());
    }
}
