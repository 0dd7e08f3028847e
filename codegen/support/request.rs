//! Transport-free HTTP requests and responses for Graph operations.
//!
//! A generated operation returns a [`Request<T>`]: the method, an encoded
//! [`Path`] (or an absolute URL when following `@odata.nextLink`), query
//! options, headers and an optional JSON body, typed with the success body
//! `T` it expects. Any HTTP library can send it: build the URL with
//! [`Request::url`], send [`Request::body_bytes`] with the headers, and hand
//! the status, headers and body of the answer to [`Request::decode_response`],
//! which gives a typed [`Response<T>`] or a [`ResponseError`] (a Graph
//! [`GraphError`], an unexpected body, or a body that is not a `T`).
//!
//! Collections come back as [`Page<T>`]; [`Request::next_page`] builds the
//! request for the following page.

use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The HTTP methods Graph operations use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`: read.
    Get,
    /// `POST`: create, or invoke an action.
    Post,
    /// `PATCH`: update the properties that are sent.
    Patch,
    /// `PUT`: replace.
    Put,
    /// `DELETE`: delete.
    Delete,
}

impl Method {
    /// The method as it appears on the request line, e.g. `"GET"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Patch => "PATCH",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Characters RFC 3986 allows in a path segment besides the unreserved ones
/// (`sub-delims`, `:` and `@`).
const SEGMENT_KEEP: &[u8] = b"!$&'()*+,;=:@";
/// Characters left as they are in function parameter values: those of
/// [`SEGMENT_KEEP`] and `%`, so already-encoded literals pass unchanged.
const PARAMETER_KEEP: &[u8] = b"!$&'()*+,;=:@%";
/// Characters left as they are in a query name or value. `&`, `=`, `+`, `;`,
/// `#` and `%` are encoded, so a value cannot end its pair or the query.
const QUERY_KEEP: &[u8] = b"!$'()*,:@/?";

/// Appends `text` to `out`, percent-encoding (upper-case hex) every byte that
/// is neither an RFC 3986 unreserved character (`A-Z a-z 0-9 - . _ ~`) nor
/// one of `keep`.
fn encode_into(out: &mut String, text: &str, keep: &[u8]) {
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

/// Where a request goes: a path below the service root, or an absolute URL.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    Path(Path),
    Url(String),
}

/// An HTTP request for a Graph operation whose success body is a `T`,
/// independent of any HTTP library.
///
/// A request with a body is sent with `Content-Type: application/json`
/// ([`Request::content_type`]); the body is compact JSON
/// ([`Request::body_bytes`]). Object members are written in the order
/// `serde_json::Value` keeps them (sorted by name, unless `serde_json`'s
/// `preserve_order` feature is enabled).
pub struct Request<T> {
    method: Method,
    target: Target,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Option<Value>,
    expects: PhantomData<fn() -> T>,
}

impl<T> Request<T> {
    /// A request for `path` below the service root, with no query, headers
    /// or body.
    pub fn new(method: Method, path: Path) -> Self {
        Request {
            method,
            target: Target::Path(path),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            expects: PhantomData,
        }
    }

    /// A request for an absolute URL, such as an `@odata.nextLink`, which
    /// already holds its query; [`Request::url`] ignores the base URL.
    pub fn from_url(method: Method, url: impl Into<String>) -> Self {
        Request {
            target: Target::Url(url.into()),
            ..Request::new(method, Path::root())
        }
    }

    /// Sets the body to `body` serialized as JSON.
    ///
    /// # Errors
    ///
    /// If `body` cannot be serialized as JSON (for example a map whose keys
    /// are not strings).
    pub fn with_json_body(mut self, body: &impl Serialize) -> Result<Self, RequestError> {
        self.body = Some(serde_json::to_value(body).map_err(RequestError::body)?);
        Ok(self)
    }

    /// Adds a query option, such as `("$top", "10")` or
    /// `("$filter", "startsWith(displayName,'A')")`. Name and value are
    /// given decoded; they are encoded when the URL is built.
    pub fn with_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds a header, such as `("Prefer", "return=representation")`.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// The method.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The encoded path below the service root, or the absolute URL of a
    /// request made with [`Request::from_url`]; without the query options.
    pub fn path(&self) -> &str {
        match &self.target {
            Target::Path(path) => path.as_str(),
            Target::Url(url) => url,
        }
    }

    /// Whether the request was made with [`Request::from_url`].
    pub fn is_absolute(&self) -> bool {
        matches!(self.target, Target::Url(_))
    }

    /// The query options, decoded, in the order they were added.
    pub fn query(&self) -> &[(String, String)] {
        &self.query
    }

    /// The headers, in the order they were added (without the implied
    /// `Content-Type`).
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }

    /// The JSON body, if any.
    pub fn body(&self) -> Option<&Value> {
        self.body.as_ref()
    }

    /// The body as compact JSON, if there is one.
    pub fn body_bytes(&self) -> Option<Vec<u8>> {
        self.body.as_ref().map(|body| body.to_string().into_bytes())
    }

    /// `Some("application/json")` when the request has a body: the
    /// `Content-Type` to send it with.
    pub fn content_type(&self) -> Option<&'static str> {
        self.body.as_ref().map(|_| "application/json")
    }

    /// Whether [`Request::headers`] has a header of this name (compared
    /// ASCII case-insensitively).
    pub fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    }

    /// The full URL: `base_url` (such as `https://graph.microsoft.com/beta`,
    /// with or without a trailing `/`), the path, and the encoded query.
    /// A request made with [`Request::from_url`] ignores `base_url`; its
    /// query options are appended to those already in the URL.
    pub fn url(&self, base_url: &str) -> String {
        let mut url = match &self.target {
            Target::Path(path) => format!("{}{}", base_url.trim_end_matches('/'), path.as_str()),
            Target::Url(url) => url.clone(),
        };
        self.append_query(&mut url);
        url
    }

    /// The path (or absolute URL) with the encoded query.
    fn target_with_query(&self) -> String {
        let mut target = self.path().to_owned();
        self.append_query(&mut target);
        target
    }

    /// Appends `?name=value&...` (or `&name=value...` when `url` already has
    /// a query).
    fn append_query(&self, url: &mut String) {
        let mut separator = if url.contains('?') { '&' } else { '?' };
        for (name, value) in &self.query {
            url.push(separator);
            separator = '&';
            encode_into(url, name, QUERY_KEEP);
            url.push('=');
            encode_into(url, value, QUERY_KEEP);
        }
    }

    /// Reads the answer to this request: its status, headers and body.
    ///
    /// A 2xx status gives a [`Response`] whose `value` is `None` when the
    /// body is empty (or only whitespace) and the body read as `T`
    /// otherwise. Any other status is an error: a [`ResponseError::Graph`]
    /// when the body is a Graph error object, a
    /// [`ResponseError::Unexpected`] otherwise. Never panics, whatever the
    /// input.
    ///
    /// # Errors
    ///
    /// A non-2xx status, or a 2xx body that is not a `T`
    /// ([`ResponseError::Decode`]).
    pub fn decode_response(
        &self,
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
    ) -> Result<Response<T>, ResponseError>
    where
        T: DeserializeOwned,
    {
        let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
        let request_id = header(headers, "request-id").map(str::to_owned);
        if !(200..300).contains(&status) {
            return Err(error_response(status, request_id, body));
        }
        let value = if body.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            match serde_json::from_slice(body) {
                Ok(value) => Some(value),
                Err(error) => {
                    return Err(ResponseError::Decode {
                        status,
                        error,
                        body: String::from_utf8_lossy(body).into_owned(),
                    });
                }
            }
        };
        Ok(Response {
            status,
            value,
            location: header(headers, "location").map(str::to_owned),
            request_id,
            client_request_id: header(headers, "client-request-id").map(str::to_owned),
            headers: headers.to_vec(),
        })
    }
}

/// The value of the first header named `name` (ASCII case-insensitively).
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.as_str())
}

/// The body of a Graph error response.
#[derive(Deserialize)]
struct ErrorBody {
    error: GraphError,
}

/// The error for a non-2xx response.
fn error_response(status: u16, request_id: Option<String>, body: &[u8]) -> ResponseError {
    match serde_json::from_slice::<ErrorBody>(body) {
        Ok(ErrorBody { error }) => {
            let request_id = request_id.or_else(|| {
                let inner = error.inner_error.as_ref()?;
                Some(inner.get("request-id")?.as_str()?.to_owned())
            });
            ResponseError::Graph {
                status,
                error: Box::new(error),
                request_id,
            }
        }
        Err(_) => ResponseError::Unexpected {
            status,
            body: String::from_utf8_lossy(body).into_owned(),
        },
    }
}

impl<T> Request<Page<T>> {
    /// The request for the page after `page`: a `GET` of its
    /// `@odata.nextLink` with this request's headers and no body, or `None`
    /// on the last page.
    pub fn next_page(&self, page: &Page<T>) -> Option<Request<Page<T>>> {
        let link = page.next_link.as_deref()?;
        Some(Request {
            headers: self.headers.clone(),
            ..Request::from_url(Method::Get, link)
        })
    }
}

/// Whether a header's value must not be shown.
fn is_secret_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("authorization")
}

/// Headers for `Debug`, with secret values redacted.
struct DebugHeaders<'a>(&'a [(String, String)]);

impl fmt::Debug for DebugHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, value)| {
                let value = if is_secret_header(name) {
                    "<redacted>"
                } else {
                    value
                };
                (name, value)
            }))
            .finish()
    }
}

impl<T> fmt::Debug for Request<T> {
    /// Shows everything but the values of `Authorization` headers.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path())
            .field("query", &self.query)
            .field("headers", &DebugHeaders(&self.headers))
            .field("body", &self.body)
            .field("expects", &std::any::type_name::<T>())
            .finish()
    }
}

impl<T> Clone for Request<T> {
    fn clone(&self) -> Self {
        Request {
            method: self.method,
            target: self.target.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            expects: PhantomData,
        }
    }
}

impl<T> fmt::Display for Request<T> {
    /// The request as HTTP text: the request line (path relative to the
    /// service root, or the absolute URL, with the query), the headers, the
    /// implied `Content-Type`, and after a blank line the pretty-printed
    /// JSON body. Values of `Authorization` headers are redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} HTTP/1.1", self.method, self.target_with_query())?;
        for (name, value) in &self.headers {
            let value = if is_secret_header(name) {
                "<redacted>"
            } else {
                value
            };
            write!(f, "\n{name}: {value}")?;
        }
        if let Some(content_type) = self.content_type()
            && !self.has_header("content-type")
        {
            write!(f, "\nContent-Type: {content_type}")?;
        }
        if let Some(body) = &self.body {
            write!(f, "\n\n{body:#}")?;
        }
        Ok(())
    }
}

/// A successful (2xx) answer to a [`Request<T>`].
#[derive(Clone, Debug, PartialEq)]
pub struct Response<T> {
    /// The HTTP status, 200 to 299.
    pub status: u16,
    /// The body read as `T`; `None` when the body was empty (as for
    /// `204 No Content` or `202 Accepted`).
    pub value: Option<T>,
    /// The `Location` header: where a created or accepted resource is.
    pub location: Option<String>,
    /// The `request-id` header the service assigned.
    pub request_id: Option<String>,
    /// The `client-request-id` header, echoing the caller's id.
    pub client_request_id: Option<String>,
    /// All response headers as received.
    pub headers: Vec<(String, String)>,
}

impl<T> Response<T> {
    /// The value of the first header named `name` (compared ASCII
    /// case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

/// The `error` object of a Graph error response:
/// `{"error": {"code": ..., "message": ..., "innerError": {...}, "details": [...]}}`.
///
/// Members it does not name are kept in `additional`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GraphError {
    /// The error code, such as `BadRequest` or `itemNotFound`.
    #[serde(default)]
    pub code: String,
    /// The human-readable message.
    #[serde(default)]
    pub message: String,
    /// `innerError`: service diagnostics such as `request-id` and `date`.
    #[serde(
        rename = "innerError",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub inner_error: Option<Value>,
    /// `details`: more specific errors, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<Value>,
    /// Every other member, as sent.
    #[serde(flatten)]
    pub additional: Map<String, Value>,
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for GraphError {}

/// Why a response is not the expected success.
#[derive(Debug)]
pub enum ResponseError {
    /// A non-2xx status with a Graph error body.
    Graph {
        /// The HTTP status.
        status: u16,
        /// The error the service reported (boxed to keep `Result`s small).
        error: Box<GraphError>,
        /// The `request-id` header, or else `innerError.request-id`.
        request_id: Option<String>,
    },
    /// A non-2xx status whose body is not a Graph error (an HTML error page
    /// from a proxy, say).
    Unexpected {
        /// The HTTP status.
        status: u16,
        /// The body, with invalid UTF-8 replaced.
        body: String,
    },
    /// A 2xx status whose body is not the expected type.
    Decode {
        /// The HTTP status.
        status: u16,
        /// Why the body could not be read.
        error: serde_json::Error,
        /// The body, with invalid UTF-8 replaced.
        body: String,
    },
}

impl ResponseError {
    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        match self {
            ResponseError::Graph { status, .. }
            | ResponseError::Unexpected { status, .. }
            | ResponseError::Decode { status, .. } => *status,
        }
    }

    /// The Graph error, if the service sent one.
    pub fn graph_error(&self) -> Option<&GraphError> {
        match self {
            ResponseError::Graph { error, .. } => Some(error.as_ref()),
            _ => None,
        }
    }
}

/// At most this many characters of a body are shown by `Display`.
const MAX_EXCERPT_CHARS: usize = 200;

/// The start of `text` on one line: whitespace runs become one space,
/// control characters `?`, and text past `max` characters `...`.
fn excerpt(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    for word in text.split_whitespace() {
        if count > 0 {
            out.push(' ');
            count += 1;
        }
        for c in word.chars() {
            if count >= max {
                out.push_str("...");
                return out;
            }
            out.push(if c.is_control() { '?' } else { c });
            count += 1;
        }
    }
    out
}

impl fmt::Display for ResponseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseError::Graph {
                status,
                error,
                request_id,
            } => {
                write!(f, "HTTP {status}: {error}")?;
                if let Some(id) = request_id {
                    write!(f, " (request-id {id})")?;
                }
                Ok(())
            }
            ResponseError::Unexpected { status, body } => {
                let excerpt = excerpt(body, MAX_EXCERPT_CHARS);
                if excerpt.is_empty() {
                    write!(f, "HTTP {status} with an empty body")
                } else {
                    write!(f, "HTTP {status}: unexpected body: {excerpt}")
                }
            }
            ResponseError::Decode { status, error, .. } => write!(
                f,
                "HTTP {status}: the body is not the expected type: {error}"
            ),
        }
    }
}

impl std::error::Error for ResponseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ResponseError::Graph { error, .. } => Some(&**error),
            ResponseError::Unexpected { .. } => None,
            ResponseError::Decode { error, .. } => Some(error),
        }
    }
}

/// A request that cannot be built: an unusable key, a body that cannot be
/// serialized, or a value longer than the API accepts.
#[derive(Debug)]
pub struct RequestError {
    message: String,
    source: Option<serde_json::Error>,
}

impl RequestError {
    /// `key` cannot be a path segment: it is empty, `.` or `..`.
    pub fn invalid_key(key: &str) -> Self {
        let message = if key.is_empty() {
            String::from("an empty string is not a valid key")
        } else {
            format!("`{key}` is not a valid key: URLs read it as a relative path")
        };
        RequestError {
            message,
            source: None,
        }
    }

    /// The body could not be serialized as JSON.
    pub fn body(error: serde_json::Error) -> Self {
        RequestError {
            message: format!("the request body cannot be serialized as JSON: {error}"),
            source: Some(error),
        }
    }

    /// Parameter `name` is `length` characters long but at most `max` are
    /// accepted.
    pub fn too_long(name: &str, length: usize, max: usize) -> Self {
        RequestError {
            message: format!("`{name}` is {length} characters long; the API accepts at most {max}"),
            source: None,
        }
    }

    /// Parameter `name` is required but absent or `null`.
    pub fn missing(name: &str) -> Self {
        RequestError {
            message: format!("`{name}` is required and may not be null"),
            source: None,
        }
    }

    /// What is wrong, as `Display` shows it.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RequestError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|error| error as &(dyn std::error::Error + 'static))
    }
}

/// Checks that the required parameter `name` holds a value.
///
/// # Errors
///
/// [`RequestError::missing`] when it is absent or `null`.
pub fn check_required<T>(name: &str, value: &crate::support::Field<T>) -> Result<(), RequestError> {
    match value {
        crate::support::Field::Value(_) => Ok(()),
        _ => Err(RequestError::missing(name)),
    }
}

/// Checks that `value` (parameter or property `name`) is at most `max`
/// characters long, counting Unicode scalar values as the schema's
/// `MaxLength` does.
///
/// # Errors
///
/// [`RequestError::too_long`] when it is longer.
pub fn check_max_length(name: &str, value: &str, max: usize) -> Result<(), RequestError> {
    // Each character takes at least one byte: short strings need no count.
    if value.len() <= max {
        return Ok(());
    }
    match value.chars().count() {
        length if length > max => Err(RequestError::too_long(name, length, max)),
        _ => Ok(()),
    }
}

/// One page of a collection:
/// `{"value": [...], "@odata.nextLink": "...", "@odata.context": "..."}`.
///
/// Members other than `value` and `@odata.nextLink` (`@odata.context`,
/// `@odata.count`, `@odata.deltaLink`, ...) are kept in `additional`, so a
/// page serializes back to what was read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items on this page.
    pub value: Vec<T>,
    /// `@odata.nextLink`: the absolute URL of the next page, absent on the
    /// last page. See [`Request::next_page`].
    #[serde(
        rename = "@odata.nextLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_link: Option<String>,
    /// Every other member, as sent.
    #[serde(flatten)]
    pub additional: Map<String, Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Call {
        id: String,
        #[serde(default)]
        state: Option<String>,
    }

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    fn calls() -> Path {
        Path::root().segment("communications").segment("calls")
    }

    fn get_call(id: &str) -> Request<Call> {
        Request::new(Method::Get, calls().key(id).unwrap())
    }

    #[test]
    fn methods() {
        let all = [
            (Method::Get, "GET"),
            (Method::Post, "POST"),
            (Method::Patch, "PATCH"),
            (Method::Put, "PUT"),
            (Method::Delete, "DELETE"),
        ];
        for (method, text) in all {
            assert_eq!(method.as_str(), text);
            assert_eq!(method.to_string(), text);
        }
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

    #[test]
    fn urls_with_query() {
        let request = Request::<Page<Call>>::new(Method::Get, calls())
            .with_query("$top", "10")
            .with_query("$filter", "state eq 'established' & x=1+2#")
            .with_query("$select", "id,state");
        let expected = "https://graph.microsoft.com/beta/communications/calls?$top=10\
                        &$filter=state%20eq%20'established'%20%26%20x%3D1%2B2%23&$select=id,state";
        assert_eq!(request.url("https://graph.microsoft.com/beta"), expected);
        assert_eq!(request.url("https://graph.microsoft.com/beta/"), expected);
        assert_eq!(request.path(), "/communications/calls");
        assert_eq!(request.query()[0], ("$top".to_owned(), "10".to_owned()));
        assert!(!request.is_absolute());
        assert_eq!(
            Request::<Call>::new(Method::Get, Path::root()).url("http://localhost:1/v1.0/"),
            "http://localhost:1/v1.0/"
        );
    }

    #[test]
    fn absolute_urls_ignore_the_base() {
        let link = "https://graph.microsoft.com/beta/communications/calls?$skiptoken=abc%3D";
        let request = Request::<Call>::from_url(Method::Get, link);
        assert!(request.is_absolute());
        assert_eq!(request.path(), link);
        assert_eq!(request.url("http://elsewhere/"), link);
        let with_query = request.with_query("$top", "5");
        assert_eq!(with_query.url("x"), format!("{link}&$top=5"));
        let plain = Request::<Call>::from_url(Method::Get, "https://h/x").with_query("a", "b");
        assert_eq!(plain.url(""), "https://h/x?a=b");
    }

    #[test]
    fn json_bodies() {
        let get = get_call("1");
        assert_eq!(get.body(), None);
        assert_eq!(get.body_bytes(), None);
        assert_eq!(get.content_type(), None);

        let post = Request::<Call>::new(Method::Post, calls())
            .with_json_body(&json!({"state": "incoming", "callbackUri": "https://bot/cb"}))
            .unwrap();
        assert_eq!(
            post.body_bytes().unwrap(),
            br#"{"callbackUri":"https://bot/cb","state":"incoming"}"#
        );
        assert_eq!(post.content_type(), Some("application/json"));
        assert_eq!(post.body().unwrap()["state"], "incoming");

        let mut bad = std::collections::BTreeMap::new();
        bad.insert(vec![1u8], 1);
        let error = Request::<Call>::new(Method::Post, calls())
            .with_json_body(&bad)
            .unwrap_err();
        assert!(
            error
                .message()
                .starts_with("the request body cannot be serialized")
        );
        assert!(std::error::Error::source(&error).is_some());
    }

    #[test]
    fn display_renders_http_text() {
        let request = Request::<Call>::new(Method::Post, calls())
            .with_query("$select", "id")
            .with_header("Prefer", "return=representation")
            .with_header("Authorization", "Bearer secret")
            .with_json_body(&json!({"a": [1, 2], "b": "x"}))
            .unwrap();
        assert_eq!(
            request.to_string(),
            "POST /communications/calls?$select=id HTTP/1.1\n\
             Prefer: return=representation\n\
             Authorization: <redacted>\n\
             Content-Type: application/json\n\
             \n\
             {\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": \"x\"\n}"
        );
        assert_eq!(
            get_call("a b").to_string(),
            "GET /communications/calls/a%20b HTTP/1.1"
        );
        let explicit = Request::<Call>::new(Method::Patch, calls())
            .with_header("content-type", "application/json; charset=utf-8")
            .with_json_body(&json!({}))
            .unwrap();
        assert_eq!(
            explicit.to_string(),
            "PATCH /communications/calls HTTP/1.1\n\
             content-type: application/json; charset=utf-8\n\n{}"
        );
    }

    #[test]
    fn debug_and_clone_need_no_bounds_on_t() {
        struct Opaque;
        let request = Request::<Opaque>::new(Method::Delete, calls().key("x").unwrap())
            .with_header("authorization", "Bearer secret")
            .with_header("If-Match", "*");
        let copy = request.clone();
        let debug = format!("{copy:?}");
        assert!(debug.contains("Delete"), "{debug}");
        assert!(debug.contains("/communications/calls/x"), "{debug}");
        assert!(debug.contains("<redacted>"), "{debug}");
        assert!(debug.contains("If-Match"), "{debug}");
        assert!(!debug.contains("secret"), "{debug}");
        assert!(debug.contains("Opaque"), "{debug}");
        assert!(copy.has_header("IF-MATCH"));
        assert_eq!(copy.headers().len(), 2);
        assert_eq!(copy.method(), Method::Delete);
    }

    #[test]
    fn decode_200_typed_body() {
        let response = get_call("1")
            .decode_response(
                200,
                &headers(&[
                    ("Request-Id", "r-1"),
                    ("CLIENT-REQUEST-ID", "c-1"),
                    ("Content-Type", "application/json"),
                ]),
                br#"{"id": "1", "state": "established", "@odata.context": "x"}"#,
            )
            .unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(
            response.value,
            Some(Call {
                id: "1".into(),
                state: Some("established".into())
            })
        );
        assert_eq!(response.request_id.as_deref(), Some("r-1"));
        assert_eq!(response.client_request_id.as_deref(), Some("c-1"));
        assert_eq!(response.location, None);
        assert_eq!(response.headers.len(), 3);
        assert_eq!(response.header("content-type"), Some("application/json"));
    }

    #[test]
    fn decode_201_created() {
        let response = Request::<Call>::new(Method::Post, calls())
            .decode_response(
                201,
                &headers(&[("location", "https://graph/x/calls/2")]),
                b"\xEF\xBB\xBF{\"id\":\"2\"}",
            )
            .unwrap();
        assert_eq!(response.status, 201);
        assert_eq!(response.value.unwrap().id, "2");
        assert_eq!(
            response.location.as_deref(),
            Some("https://graph/x/calls/2")
        );
    }

    #[test]
    fn decode_202_and_204_without_body() {
        let request = Request::<Call>::new(Method::Post, calls());
        let accepted = request
            .decode_response(
                202,
                &headers(&[(
                    "Location",
                    "https://graph.microsoft.com/beta/communications/operations/9",
                )]),
                b"",
            )
            .unwrap();
        assert_eq!(accepted.status, 202);
        assert!(accepted.value.is_none());
        assert_eq!(
            accepted.location.as_deref(),
            Some("https://graph.microsoft.com/beta/communications/operations/9")
        );
        let no_content = request.decode_response(204, &[], b" \r\n\t").unwrap();
        assert_eq!(no_content.status, 204);
        assert!(no_content.value.is_none());
        assert!(no_content.headers.is_empty());
    }

    #[test]
    fn decode_graph_errors() {
        let body = br#"{"error":{"code":"BadRequest","message":"Invalid request.",
            "innerError":{"request-id":"inner-id","date":"2024-05-01T00:00:00"},
            "details":[{"code":"x","message":"y"}],"target":"id"}}"#;
        let error = get_call("1").decode_response(400, &[], body).unwrap_err();
        let ResponseError::Graph {
            status,
            error: graph,
            request_id,
        } = &error
        else {
            panic!("not a Graph error: {error:?}");
        };
        assert_eq!(*status, 400);
        assert_eq!(graph.code, "BadRequest");
        assert_eq!(graph.message, "Invalid request.");
        assert_eq!(
            graph.inner_error.as_ref().unwrap()["date"],
            "2024-05-01T00:00:00"
        );
        assert_eq!(graph.details.len(), 1);
        assert_eq!(graph.additional["target"], "id");
        assert_eq!(request_id.as_deref(), Some("inner-id"));
        assert_eq!(graph.to_string(), "BadRequest: Invalid request.");
        assert_eq!(
            error.to_string(),
            "HTTP 400: BadRequest: Invalid request. (request-id inner-id)"
        );
        assert_eq!(error.status(), 400);
        assert!(error.graph_error().is_some());
        assert!(std::error::Error::source(&error).is_some());
        // Lossless.
        let value: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(serde_json::to_value(graph).unwrap(), value["error"]);

        let not_found = get_call("1")
            .decode_response(
                404,
                &headers(&[("request-id", "header-id")]),
                br#"{"error":{"code":"itemNotFound","message":"Not found"}}"#,
            )
            .unwrap_err();
        assert_eq!(
            not_found.to_string(),
            "HTTP 404: itemNotFound: Not found (request-id header-id)"
        );
        assert_eq!(not_found.graph_error().unwrap().inner_error, None);
    }

    #[test]
    fn decode_html_error_page() {
        let body = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\n</html>";
        let error = get_call("1").decode_response(502, &[], body).unwrap_err();
        assert!(matches!(
            &error,
            ResponseError::Unexpected { status: 502, body: b } if b.starts_with("<html>")
        ));
        assert_eq!(
            error.to_string(),
            "HTTP 502: unexpected body: <html> <head><title>502 Bad Gateway</title></head> </html>"
        );
        assert!(std::error::Error::source(&error).is_none());
        let empty = get_call("1").decode_response(500, &[], b"").unwrap_err();
        assert_eq!(empty.to_string(), "HTTP 500 with an empty body");
        // Not Graph-shaped JSON errors are unexpected too.
        for body in [&br#"{"error":"invalid_token"}"#[..], b"[]", b"null", b"{}"] {
            let error = get_call("1").decode_response(401, &[], body).unwrap_err();
            assert!(matches!(
                error,
                ResponseError::Unexpected { status: 401, .. }
            ));
        }
        // Redirects and other non-2xx statuses are errors.
        let moved = get_call("1").decode_response(302, &[], b"").unwrap_err();
        assert_eq!(moved.status(), 302);
    }

    #[test]
    fn decode_body_that_is_not_t() {
        let error = get_call("1")
            .decode_response(200, &[], br#"{"name": "no id"}"#)
            .unwrap_err();
        let ResponseError::Decode { status, body, .. } = &error else {
            panic!("not a decode error: {error:?}");
        };
        assert_eq!(*status, 200);
        assert_eq!(body, r#"{"name": "no id"}"#);
        assert!(
            error
                .to_string()
                .starts_with("HTTP 200: the body is not the expected type: missing field `id`")
        );
        assert!(std::error::Error::source(&error).is_some());
    }

    #[test]
    fn garbage_never_panics() {
        let huge_text = "x".repeat(1 << 20);
        let deep = "[".repeat(100_000);
        let deep_error = format!("{{\"error\":{{\"code\":\"a\",\"innerError\":{deep}");
        let bodies: Vec<Vec<u8>> = vec![
            vec![0xff, 0xfe, 0x00, 0x80, 0xc3],
            b"\xEF\xBB\xBF".to_vec(),
            b"{\"error\":{\"code\":\"\xff\"}}".to_vec(),
            huge_text.clone().into_bytes(),
            deep.clone().into_bytes(),
            deep_error.into_bytes(),
            (0..=255u8).collect(),
            b"{\"id\":\"1\"} trailing".to_vec(),
        ];
        for status in [0, 100, 200, 204, 299, 300, 400, 500, 999, u16::MAX] {
            for body in &bodies {
                let result = get_call("1").decode_response(status, &[], body);
                if let Err(error) = result {
                    assert!(error.to_string().len() < 1000);
                    assert_eq!(error.status(), status);
                }
            }
        }
        let error = get_call("1")
            .decode_response(500, &[], &[0xff, b'a'])
            .unwrap_err();
        assert!(matches!(&error, ResponseError::Unexpected { body, .. } if body == "\u{fffd}a"));
        let error = get_call("1")
            .decode_response(500, &[], huge_text.as_bytes())
            .unwrap_err();
        assert!(error.to_string().ends_with("x..."));
    }

    #[test]
    fn page_round_trip_and_next_page() {
        let text = json!({
            "@odata.context": "https://graph.microsoft.com/beta/$metadata#calls",
            "@odata.count": 3,
            "value": [{"id": "1"}, {"id": "2", "state": "established"}],
            "@odata.nextLink": "https://graph.microsoft.com/beta/communications/calls?$skiptoken=X"
        });
        let page: Page<Value> = serde_json::from_value(text.clone()).unwrap();
        assert_eq!(page.value.len(), 2);
        assert_eq!(
            page.next_link.as_deref(),
            Some("https://graph.microsoft.com/beta/communications/calls?$skiptoken=X")
        );
        assert_eq!(page.additional["@odata.count"], 3);
        assert_eq!(serde_json::to_value(&page).unwrap(), text);

        let first = Request::<Page<Call>>::new(Method::Get, calls())
            .with_query("$top", "2")
            .with_header("ConsistencyLevel", "eventual");
        let body = serde_json::to_vec(&text).unwrap();
        let response = first.decode_response(200, &[], &body).unwrap();
        let typed = response.value.unwrap();
        assert_eq!(typed.value[1].state.as_deref(), Some("established"));
        let next = first.next_page(&typed).unwrap();
        assert_eq!(next.method(), Method::Get);
        assert!(next.is_absolute());
        assert_eq!(
            next.url("https://ignored"),
            "https://graph.microsoft.com/beta/communications/calls?$skiptoken=X"
        );
        assert_eq!(next.headers(), first.headers());
        assert!(next.query().is_empty());
        assert!(next.body().is_none());

        let last: Page<Call> =
            serde_json::from_value(json!({"value": [], "@odata.deltaLink": "d"})).unwrap();
        assert!(first.next_page(&last).is_none());
        assert_eq!(
            serde_json::to_value(&last).unwrap(),
            json!({"value": [], "@odata.deltaLink": "d"})
        );
    }

    #[test]
    fn max_length_counts_characters() {
        assert!(check_max_length("clientContext", &"a".repeat(256), 256).is_ok());
        assert!(check_max_length("clientContext", "", 0).is_ok());
        let error = check_max_length("clientContext", &"a".repeat(257), 256).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`clientContext` is 257 characters long; the API accepts at most 256"
        );
        // 256 two-byte and four-byte characters are 256 characters.
        assert!(check_max_length("x", &"ü".repeat(256), 256).is_ok());
        assert!(check_max_length("x", &"😀".repeat(256), 256).is_ok());
        let error = check_max_length("x", &"😀".repeat(300), 256).unwrap_err();
        assert_eq!(
            error.message(),
            "`x` is 300 characters long; the API accepts at most 256"
        );
        assert!(std::error::Error::source(&error).is_none());
    }
}
