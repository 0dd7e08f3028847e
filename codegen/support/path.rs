//! Paths and their encoding: an encoded path below the service root built
//! one segment at a time, keys that always stay one segment, function calls
//! with their parameters, and OData string literals.

use std::fmt;

use crate::support::RequestError;

/// Characters RFC 3986 allows in a path segment besides the unreserved ones
/// (`sub-delims`, `:` and `@`).
const SEGMENT_KEEP: &[u8] = b"!$&'()*+,;=:@";
/// Characters left as they are in function parameter values: those of
/// [`SEGMENT_KEEP`] and `%`, so already-encoded literals pass unchanged.
const PARAMETER_KEEP: &[u8] = b"!$&'()*+,;=:@%";
/// Characters left as they are in a query name or value. `&`, `=`, `+`, `;`,
/// `#` and `%` are encoded, so a value cannot end its pair or the query.
pub(crate) const QUERY_KEEP: &[u8] = b"!$'()*,:@/?";

/// Appends `text` to `out`, percent-encoding (upper-case hex) every byte that
/// is neither an RFC 3986 unreserved character (`A-Z a-z 0-9 - . _ ~`) nor
/// one of `keep`.
pub(crate) fn encode_into(out: &mut String, text: &str, keep: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &byte in text.as_bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) || keep.contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
    }
}

/// Whether a segment of this (unencoded) text would be read as a path of its
/// own: empty, or a dot-segment.
fn is_unsafe_segment(text: &str) -> bool {
    matches!(text, "" | "." | "..")
}

/// An encoded URL path relative to the service root, such as
/// `/communications/calls/4f1e...`, built one segment at a time.
///
/// Names from the schema are added with [`Path::segment`] and
/// [`Path::function_call`]; values supplied by users (ids) with
/// [`Path::key`], which encodes them so that they always stay one segment.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Path {
    encoded: String,
}

impl Path {
    /// The service root, `/`.
    pub fn root() -> Self {
        Path {
            encoded: String::from("/"),
        }
    }

    /// Starts a new segment.
    fn separator(&mut self) {
        if !self.encoded.ends_with('/') {
            self.encoded.push('/');
        }
    }

    /// Appends a name from the schema: an entity set, singleton, navigation
    /// property, bound operation or type cast (`"communications"`,
    /// `"calls"`, `"microsoft.graph.answer"`). Bytes that may not appear in
    /// a path segment are percent-encoded.
    ///
    /// # Panics
    ///
    /// If `name` is empty, `.` or `..`, which no schema name is.
    pub fn segment(mut self, name: &'static str) -> Self {
        assert!(
            !is_unsafe_segment(name),
            "`{name}` is not a path segment name"
        );
        self.separator();
        encode_into(&mut self.encoded, name, SEGMENT_KEEP);
        self
    }

    /// Appends a key supplied by the caller, such as the id of a call, as
    /// one segment: every byte but the RFC 3986 unreserved characters
    /// (`A-Z a-z 0-9 - . _ ~`) is percent-encoded, so `/`, `?`, `#`, `%`,
    /// spaces and non-ASCII text cannot change which resource is addressed.
    ///
    /// # Errors
    ///
    /// An empty key, `.` or `..`: URL parsers read `.` and `..` (and their
    /// encoded forms) as relative paths, so no encoding makes them safe.
    pub fn key(mut self, key: &str) -> Result<Self, RequestError> {
        if is_unsafe_segment(key) {
            return Err(RequestError::invalid_key(key));
        }
        self.separator();
        encode_into(&mut self.encoded, key, b"");
        Ok(self)
    }

    /// Appends a function call segment, `name(p1=v1,p2=v2)`.
    ///
    /// Each value must already be an OData literal: strings made with
    /// [`odata_literal_string`], and numbers, booleans, dates, times,
    /// durations and GUIDs as their text (`42`, `true`,
    /// `2024-05-01T08:00:00Z`). As a safeguard, bytes that may not appear
    /// in a path segment (such as `/`, `?`, `#`, spaces and non-ASCII
    /// bytes) are percent-encoded; `%` is left alone, so encoded literals
    /// pass unchanged.
    ///
    /// # Panics
    ///
    /// If `name` is empty, `.` or `..`, which no schema name is.
    pub fn function_call(mut self, name: &'static str, params: &[(&'static str, String)]) -> Self {
        assert!(!is_unsafe_segment(name), "`{name}` is not a function name");
        self.separator();
        encode_into(&mut self.encoded, name, SEGMENT_KEEP);
        self.encoded.push('(');
        for (index, (param, value)) in params.iter().enumerate() {
            if index > 0 {
                self.encoded.push(',');
            }
            encode_into(&mut self.encoded, param, SEGMENT_KEEP);
            self.encoded.push('=');
            encode_into(&mut self.encoded, value, PARAMETER_KEEP);
        }
        self.encoded.push(')');
        self
    }

    /// The encoded path, starting with `/`.
    pub fn as_str(&self) -> &str {
        &self.encoded
    }
}

impl Default for Path {
    /// The service root.
    fn default() -> Self {
        Path::root()
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encoded)
    }
}

/// An OData string literal for a function parameter: `text` in single
/// quotes, each `'` in it doubled, and the text between the quotes
/// percent-encoded like a [key](Path::key) (the quotes themselves stay
/// literal): `O'Brien/ü` gives `'O''Brien%2F%C3%BC'`.
///
/// Numbers, booleans, dates and other non-string literals need no helper:
/// pass their text to [`Path::function_call`] as is.
pub fn odata_literal_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for (index, part) in text.split('\'').enumerate() {
        if index > 0 {
            out.push_str("''");
        }
        encode_into(&mut out, part, b"");
    }
    out.push('\'');
    out
}

#[cfg(test)]
mod tests {
    use super::*;


    fn calls() -> Path {
        Path::root().segment("communications").segment("calls")
    }

    #[test]
    fn paths_are_built_segment_by_segment() {
        assert_eq!(Path::root().as_str(), "/");
        assert_eq!(Path::default(), Path::root());
        let path = calls()
            .key("57dab8b1-894c-409a-b240-bd8beae78896")
            .unwrap()
            .segment("microsoft.graph.answer");
        assert_eq!(
            path.as_str(),
            "/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/microsoft.graph.answer"
        );
        assert_eq!(path.to_string(), path.as_str());
        assert_eq!(
            Path::root().segment("me").segment("$value").as_str(),
            "/me/$value"
        );
    }

    #[test]
    fn hostile_keys_are_encoded() {
        let cases = [
            ("a/b", "a%2Fb"),
            ("a?b", "a%3Fb"),
            ("a#b", "a%23b"),
            ("%2e%2e", "%252e%252e"),
            ("%2E", "%252E"),
            ("ü", "%C3%BC"),
            ("a b", "a%20b"),
            ("...", "..."),
            (".a", ".a"),
            ("a+b=c&d;e", "a%2Bb%3Dc%26d%3Be"),
            ("'x'(1)", "%27x%27%281%29"),
            ("\\..\\", "%5C..%5C"),
            ("\0\r\n", "%00%0D%0A"),
            ("AZaz09-._~", "AZaz09-._~"),
        ];
        for (key, encoded) in cases {
            let path = Path::root().segment("users").key(key).unwrap();
            assert_eq!(path.as_str(), format!("/users/{encoded}"), "key {key:?}");
        }
    }

    #[test]
    fn dot_and_empty_keys_are_errors() {
        for key in ["", ".", ".."] {
            let error = Path::root().segment("users").key(key).unwrap_err();
            assert!(error.to_string().contains("not a valid key"), "{error}");
        }
        assert_eq!(
            Path::root().key("..").unwrap_err().to_string(),
            "`..` is not a valid key: URLs read it as a relative path"
        );
    }

    #[test]
    #[should_panic(expected = "not a path segment name")]
    fn dot_segment_names_panic() {
        let _ = Path::root().segment("..");
    }

    #[test]
    fn function_calls() {
        let path = Path::root()
            .segment("communications")
            .segment("callRecords")
            .function_call(
                "microsoft.graph.callRecords.getPstnCalls",
                &[
                    ("fromDateTime", "2024-05-01T00:00:00Z".to_owned()),
                    ("toDateTime", "2024-05-02T00:00:00+01:00".to_owned()),
                ],
            );
        assert_eq!(
            path.as_str(),
            "/communications/callRecords/microsoft.graph.callRecords.getPstnCalls(\
             fromDateTime=2024-05-01T00:00:00Z,toDateTime=2024-05-02T00:00:00+01:00)"
        );
        let none = Path::root().function_call("microsoft.graph.delta", &[]);
        assert_eq!(none.as_str(), "/microsoft.graph.delta()");
        let string = Path::root().function_call("f", &[("s", odata_literal_string("a/b?#"))]);
        assert_eq!(string.as_str(), "/f(s='a%2Fb%3F%23')");
        // Raw text is still kept inside the segment.
        let raw = Path::root().function_call("f", &[("s", "x/../y?z#w ü".to_owned())]);
        assert_eq!(raw.as_str(), "/f(s=x%2F..%2Fy%3Fz%23w%20%C3%BC)");
    }

    #[test]
    fn string_literals() {
        assert_eq!(odata_literal_string(""), "''");
        assert_eq!(odata_literal_string("abc"), "'abc'");
        assert_eq!(odata_literal_string("O'Brien/ü"), "'O''Brien%2F%C3%BC'");
        assert_eq!(odata_literal_string("''"), "''''''");
        assert_eq!(odata_literal_string("50% off"), "'50%25%20off'");
    }
}
