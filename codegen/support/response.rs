//! Reading the answer to a [`Request<T>`]: a typed [`Response<T>`], a
//! [`Page<T>`] of a collection, or a [`ResponseError`] (a Graph
//! [`GraphError`], an unexpected body, or a body that is not a `T`).

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::support::{Request, RetryAfter};

impl<T> Request<T> {
    /// Reads the answer to this request: its status, headers and body.
    ///
    /// A 2xx status gives a [`Response`] whose `value` is `None` when the
    /// body is empty (or only whitespace) and the body read as `T`
    /// otherwise. Any other status is an error: a [`ResponseErrorKind::Graph`]
    /// when the body is a Graph error object, a
    /// [`ResponseErrorKind::Unexpected`] otherwise. Never panics, whatever the
    /// input.
    ///
    /// # Errors
    ///
    /// A non-2xx status, or a 2xx body that is not a `T`
    /// ([`ResponseErrorKind::Decode`]).
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
        if !(200..300).contains(&status) {
            return Err(ResponseError::new(status, headers, body, None));
        }
        let value = if body.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            match super::decode::from_json_bytes(body) {
                Ok(value) => Some(value),
                Err(error) => {
                    return Err(ResponseError::new(status, headers, body, Some(error)));
                }
            }
        };
        Ok(Response {
            status,
            value,
            location: header(headers, "location").map(str::to_owned),
            request_id: header(headers, "request-id").map(str::to_owned),
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

/// Why a response is not the expected success, with everything a support
/// case asks for: `Display` prints the status, the Graph error code and
/// message, and the ids, so one log line is enough.
#[derive(Debug)]
pub struct ResponseError {
    /// The HTTP status.
    pub status: u16,
    /// What was wrong with the response.
    pub kind: ResponseErrorKind,
    /// All response headers as received.
    pub headers: Vec<(String, String)>,
    /// The body, with invalid UTF-8 replaced.
    pub body: String,
}

/// What was wrong with a response.
#[derive(Debug)]
pub enum ResponseErrorKind {
    /// A non-2xx status with a Graph error body (boxed to keep `Result`s small).
    Graph(Box<GraphError>),
    /// A non-2xx status whose body is not a Graph error (an HTML error page
    /// from a proxy, say, or nothing).
    Unexpected,
    /// A 2xx status whose body is not the expected type.
    Decode(serde_json::Error),
}

impl ResponseError {
    /// The error for a response with `status`, `headers` and `body`:
    /// `decode` is why a 2xx body could not be read; for other statuses the
    /// body is read as a Graph error if it is one.
    pub fn new(
        status: u16,
        headers: &[(String, String)],
        body: &[u8],
        decode: Option<serde_json::Error>,
    ) -> ResponseError {
        let kind = match decode {
            Some(error) => ResponseErrorKind::Decode(error),
            None => match super::decode::from_json_bytes::<ErrorBody>(body) {
                Ok(ErrorBody { error }) => ResponseErrorKind::Graph(Box::new(error)),
                Err(_) => ResponseErrorKind::Unexpected,
            },
        };
        ResponseError {
            status,
            headers: headers.to_vec(),
            body: String::from_utf8_lossy(body).into_owned(),
            kind,
        }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The Graph error, if the service sent one.
    pub fn graph_error(&self) -> Option<&GraphError> {
        match &self.kind {
            ResponseErrorKind::Graph(error) => Some(error),
            _ => None,
        }
    }

    /// The value of the first response header named `name` (compared ASCII
    /// case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    /// The header `name`, or else the member `name` of the Graph error's
    /// `innerError`, where the service repeats its ids.
    fn header_or_inner(&self, name: &str) -> Option<&str> {
        self.header(name).or_else(|| {
            let inner = self.graph_error()?.inner_error.as_ref()?;
            inner.get(name)?.as_str()
        })
    }

    /// The `request-id` the service gave the request.
    pub fn request_id(&self) -> Option<&str> {
        self.header_or_inner("request-id")
    }

    /// The `client-request-id`, as the service echoed it.
    pub fn client_request_id(&self) -> Option<&str> {
        self.header_or_inner("client-request-id")
    }

    /// When the service answered (`date`).
    pub fn date(&self) -> Option<&str> {
        self.header_or_inner("date")
    }

    /// The `Retry-After` header, if it was sent and is readable.
    pub fn retry_after(&self) -> Option<RetryAfter> {
        self.header("retry-after").and_then(RetryAfter::parse)
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
        let status = self.status;
        match &self.kind {
            // The service's text, on one line and bounded, like the body's.
            ResponseErrorKind::Graph(error) => write!(
                f,
                "HTTP {status}: {}: {}",
                excerpt(&error.code, 80),
                excerpt(&error.message, MAX_EXCERPT_CHARS)
            )?,
            ResponseErrorKind::Unexpected => match excerpt(&self.body, MAX_EXCERPT_CHARS) {
                excerpt if excerpt.is_empty() => write!(f, "HTTP {status} with an empty body")?,
                excerpt => write!(f, "HTTP {status}: unexpected body: {excerpt}")?,
            },
            ResponseErrorKind::Decode(error) => {
                write!(f, "HTTP {status}: the body is not the expected type: {error}")?
            }
        }
        let ids = [
            ("request-id", self.request_id()),
            ("client-request-id", self.client_request_id()),
            ("date", self.date()),
        ];
        let mut ids: Vec<String> = ids
            .iter()
            .filter_map(|(name, value)| Some(format!("{name} {}", excerpt((*value)?, 80))))
            .collect();
        match (self.retry_after(), self.header("retry-after")) {
            (Some(RetryAfter::Seconds(seconds)), _) => ids.push(format!("retry after {seconds} s")),
            (Some(RetryAfter::Date(_)), Some(value)) => {
                ids.push(format!("retry after {}", excerpt(value, 40)));
            }
            _ => {}
        }
        if !ids.is_empty() {
            write!(f, " ({})", ids.join(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for ResponseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ResponseErrorKind::Graph(error) => Some(&**error),
            ResponseErrorKind::Unexpected => None,
            ResponseErrorKind::Decode(error) => Some(error),
        }
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

impl<T> Page<T> {
    /// `@odata.deltaLink`: on the last page of a delta query, the URL that
    /// asks for the changes since.
    pub fn delta_link(&self) -> Option<&str> {
        self.additional.get("@odata.deltaLink")?.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::{Method, Path};
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
        let Some(graph) = error.graph_error() else {
            panic!("not a Graph error: {error:?}");
        };
        assert_eq!(error.status, 400);
        assert_eq!(graph.code, "BadRequest");
        assert_eq!(graph.message, "Invalid request.");
        assert_eq!(
            graph.inner_error.as_ref().unwrap()["date"],
            "2024-05-01T00:00:00"
        );
        assert_eq!(graph.details.len(), 1);
        assert_eq!(graph.additional["target"], "id");
        assert_eq!(error.request_id(), Some("inner-id"));
        assert_eq!(error.date(), Some("2024-05-01T00:00:00"));
        assert_eq!(graph.to_string(), "BadRequest: Invalid request.");
        assert_eq!(
            error.to_string(),
            "HTTP 400: BadRequest: Invalid request. (request-id inner-id, date 2024-05-01T00:00:00)"
        );
        assert_eq!(error.body.as_bytes(), body);
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
        let throttled = get_call("1")
            .decode_response(
                429,
                &headers(&[
                    ("Request-Id", "r-1"),
                    ("client-request-id", "c-1"),
                    ("Date", "Wed, 02 Dec 2026 16:00:00 GMT"),
                    ("Retry-After", "7"),
                ]),
                br#"{"error":{"code":"TooManyRequests","message":"Slow down"}}"#,
            )
            .unwrap_err();
        assert_eq!(
            throttled.to_string(),
            "HTTP 429: TooManyRequests: Slow down (request-id r-1, client-request-id c-1, \
             date Wed, 02 Dec 2026 16:00:00 GMT, retry after 7 s)"
        );
        assert_eq!(throttled.retry_after(), Some(RetryAfter::Seconds(7)));
        assert_eq!(throttled.header("retry-after"), Some("7"));
        assert_eq!(not_found.graph_error().unwrap().inner_error, None);
    }

    #[test]
    fn decode_html_error_page() {
        let body = b"<html>\r\n<head><title>502 Bad Gateway</title></head>\n</html>";
        let error = get_call("1").decode_response(502, &[], body).unwrap_err();
        assert!(matches!(error.kind, ResponseErrorKind::Unexpected));
        assert_eq!(error.status, 502);
        assert!(error.body.starts_with("<html>"));
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
            assert!(matches!(error.kind, ResponseErrorKind::Unexpected));
            assert_eq!(error.status, 401);
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
        assert!(matches!(error.kind, ResponseErrorKind::Decode(_)), "{error:?}");
        assert_eq!(error.status, 200);
        assert_eq!(error.body, r#"{"name": "no id"}"#);
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
        assert!(matches!(error.kind, ResponseErrorKind::Unexpected));
        assert_eq!(error.body, "\u{fffd}a");
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
}
