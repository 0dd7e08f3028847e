//! Transport-free HTTP requests for Graph operations.
//!
//! A generated operation returns a [`Request<T>`]: the method, an encoded
//! [`Path`] (or an absolute URL when following `@odata.nextLink`), query
//! options, headers and an optional JSON body, typed with the success body
//! `T` it expects. Any HTTP library can send it: build the URL with
//! [`Request::url`], send [`Request::body_bytes`] with the headers, and hand
//! the status, headers and body of the answer to [`Request::decode_response`]
//! (see [`response`](crate::support::response)).
//!
//! Collections come back as [`Page<T>`]; [`Request::next_page`] builds the
//! request for the following page.

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde_json::Value;

use crate::support::path::{QUERY_KEEP, encode_into};
use crate::support::{Page, Path};

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

    /// Sets query option `name` to `value`, replacing any it had.
    pub fn with_query_replaced(mut self, name: &str, value: impl Into<String>) -> Self {
        self.query.retain(|(n, _)| n != name);
        self.query.push((name.to_owned(), value.into()));
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
        self.header(name).is_some()
    }

    /// The value of the first header of this name (compared ASCII
    /// case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Call {
        id: String,
        #[serde(default)]
        state: Option<String>,
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
}
