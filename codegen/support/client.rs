//! An HTTP transport for [`Request`]s, built on `reqwest` (cargo feature
//! `client`).
//!
//! ```rust,ignore
//! use crate::support::{Client, Method, Path, Request};
//!
//! let client = Client::new(Client::BETA, token);
//! let request = Request::<Call>::new(
//!     Method::Get,
//!     Path::root().segment("communications").segment("calls").key(&id)?,
//! );
//! let call: Option<Call> = client.send(&request).await?.value;
//! ```

use std::fmt;

use serde::de::DeserializeOwned;

use super::{Method, Request, Response, ResponseError};

/// A bearer token that `Debug` never shows.
#[derive(Clone)]
struct Token(String);

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

/// Sends [`Request`]s to a Graph service with a bearer token.
///
/// The token is sent only to the origin (scheme, host and port) of the base
/// URL: an absolute-URL request (an `@odata.nextLink`) elsewhere is refused
/// with [`ClientError::ForeignUrl`]. The default `reqwest::Client` has no
/// timeout; pass one configured as needed to [`Client::with_http_client`].
#[derive(Clone, Debug)]
pub struct Client {
    base_url: String,
    token: Token,
    http: reqwest::Client,
}

impl Client {
    /// The beta endpoint of the global service.
    pub const BETA: &'static str = "https://graph.microsoft.com/beta";
    /// The v1.0 endpoint of the global service.
    pub const V1: &'static str = "https://graph.microsoft.com/v1.0";
    /// The host of the global service; see [`Client::for_cloud`].
    pub const GLOBAL_HOST: &'static str = "https://graph.microsoft.com";
    /// The host of the US Government L4 cloud.
    pub const US_GOV_HOST: &'static str = "https://graph.microsoft.us";
    /// The host of the US Government L5 (DoD) cloud.
    pub const US_GOV_DOD_HOST: &'static str = "https://dod-graph.microsoft.us";
    /// The host of the cloud in China operated by 21Vianet.
    pub const CHINA_HOST: &'static str = "https://microsoftgraph.chinacloudapi.cn";

    /// The base URL of `version` (`"beta"` or `"v1.0"`) on `host`, e.g.
    /// `Client::for_cloud(Client::US_GOV_HOST, "v1.0")`.
    pub fn for_cloud(host: &str, version: &str) -> String {
        format!(
            "{}/{}",
            host.trim_end_matches('/'),
            version.trim_matches('/')
        )
    }

    /// A client for the service at `base_url` (such as [`Client::BETA`]),
    /// authenticating with `bearer_token`.
    ///
    /// # Panics
    ///
    /// If `reqwest` cannot initialize its TLS backend, as
    /// `reqwest::Client::new` does; use [`Client::with_http_client`] with a
    /// client from `reqwest::Client::builder()` to handle that instead.
    pub fn new(base_url: impl Into<String>, bearer_token: impl Into<String>) -> Self {
        Self::with_parts(base_url.into(), bearer_token.into(), reqwest::Client::new())
    }

    fn with_parts(base_url: String, token: String, http: reqwest::Client) -> Self {
        Client {
            base_url: base_url.trim_end_matches('/').to_owned(),
            token: Token(token),
            http,
        }
    }

    /// Uses `http` (configured with timeouts, proxies, ...) to send requests.
    pub fn with_http_client(self, http: reqwest::Client) -> Self {
        Client { http, ..self }
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends `request` and reads the answer with
    /// [`Request::decode_response`].
    ///
    /// The request carries `Authorization: Bearer <token>` (replacing any
    /// `Authorization` header of the request), `Content-Type:
    /// application/json` when it has a body (unless it sets its own), and its
    /// headers.
    ///
    /// # Errors
    ///
    /// [`ClientError::ForeignUrl`] for an absolute URL outside the base
    /// URL's origin, [`ClientError::Transport`] when the service cannot be
    /// reached or the request is malformed (an invalid header, say), and
    /// [`ClientError::Response`] for an error status or an unreadable body.
    pub async fn send<T: DeserializeOwned>(
        &self,
        request: &Request<T>,
    ) -> Result<Response<T>, ClientError> {
        let http_request = self.build(request)?;
        let response = self
            .http
            .execute(http_request)
            .await
            .map_err(ClientError::Transport)?;
        let status = response.status().as_u16();
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_owned(), value)
            })
            .collect();
        let body = response.bytes().await.map_err(ClientError::Transport)?;
        request
            .decode_response(status, &headers, &body)
            .map_err(ClientError::Response)
    }

    /// The `reqwest` request for `request`.
    fn build<T>(&self, request: &Request<T>) -> Result<reqwest::Request, ClientError> {
        let url = request.url(&self.base_url);
        if request.is_absolute() && !same_origin(&url, &self.base_url) {
            return Err(ClientError::ForeignUrl(url));
        }
        let method = match request.method() {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Patch => reqwest::Method::PATCH,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self.http.request(method, url);
        for (name, value) in request.headers() {
            if !name.eq_ignore_ascii_case("authorization") {
                builder = builder.header(name, value);
            }
        }
        builder = builder.bearer_auth(&self.token.0);
        if let Some(body) = request.body_bytes() {
            if let Some(content_type) = request.content_type()
                && !request.has_header("content-type")
            {
                builder = builder.header(reqwest::header::CONTENT_TYPE, content_type);
            }
            builder = builder.body(body);
        }
        builder.build().map_err(ClientError::Transport)
    }
}

/// The `scheme://authority` of an absolute URL, if it has one.
fn origin(url: &str) -> Option<&str> {
    let scheme_end = url.find("://")?;
    let authority_start = scheme_end + 3;
    let authority_end = url[authority_start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |end| authority_start + end);
    (authority_end > authority_start).then(|| &url[..authority_end])
}

/// Whether both URLs have the same scheme, host and port (compared ASCII
/// case-insensitively).
fn same_origin(a: &str, b: &str) -> bool {
    match (origin(a), origin(b)) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b) && !a.contains('@'),
        _ => false,
    }
}

/// Why [`Client::send`] failed.
#[derive(Debug)]
pub enum ClientError {
    /// The request could not be sent or the answer not received.
    Transport(reqwest::Error),
    /// The service answered with an error, or with a body that is not the
    /// expected type.
    Response(ResponseError),
    /// An absolute-URL request outside the origin of the base URL: the
    /// bearer token is not sent there.
    ForeignUrl(String),
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Transport(error) => write!(f, "the request failed: {error}"),
            ClientError::Response(error) => fmt::Display::fmt(error, f),
            ClientError::ForeignUrl(url) => write!(
                f,
                "refusing to send the bearer token to `{url}`: it is not on the client's base URL"
            ),
        }
    }
}

impl std::error::Error for ClientError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientError::Transport(error) => Some(error),
            ClientError::Response(error) => error.source(),
            ClientError::ForeignUrl(_) => None,
        }
    }
}

impl From<ResponseError> for ClientError {
    fn from(error: ResponseError) -> Self {
        ClientError::Response(error)
    }
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use super::*;
    use crate::support::{Page, Path};

    fn client() -> Client {
        Client::new(Client::BETA, "s3cr3t-t0ken")
    }

    #[test]
    fn debug_never_shows_the_token() {
        let debug = format!("{:?}", client());
        assert!(!debug.contains("s3cr3t"), "{debug}");
        assert!(debug.contains(r#"token: "<redacted>""#), "{debug}");
        assert!(
            debug.contains("https://graph.microsoft.com/beta"),
            "{debug}"
        );
        let pretty = format!("{:#?}", client());
        assert!(!pretty.contains("s3cr3t"), "{pretty}");
    }

    #[test]
    fn base_urls() {
        assert_eq!(
            Client::new("http://127.0.0.1:8080/beta/", "t").base_url(),
            "http://127.0.0.1:8080/beta"
        );
        assert_eq!(client().base_url(), Client::BETA);
        assert_eq!(Client::for_cloud(Client::GLOBAL_HOST, "beta"), Client::BETA);
        assert_eq!(Client::for_cloud(Client::GLOBAL_HOST, "v1.0"), Client::V1);
        assert_eq!(
            Client::for_cloud("https://graph.microsoft.us/", "/v1.0"),
            "https://graph.microsoft.us/v1.0"
        );
        assert_eq!(
            Client::for_cloud(Client::CHINA_HOST, "beta"),
            "https://microsoftgraph.chinacloudapi.cn/beta"
        );
        let custom = client().with_http_client(reqwest::Client::new());
        assert_eq!(custom.base_url(), Client::BETA);
    }

    #[test]
    fn builds_the_http_request() {
        let request = Request::<serde_json::Value>::new(
            Method::Post,
            Path::root().segment("communications").segment("calls"),
        )
        .with_query("$select", "id state")
        .with_header("Prefer", "return=minimal")
        .with_header("Authorization", "Bearer other")
        .with_json_body(&serde_json::json!({"a": 1}))
        .unwrap();
        let built = client().build(&request).unwrap();
        assert_eq!(built.method(), reqwest::Method::POST);
        assert_eq!(
            built.url().as_str(),
            "https://graph.microsoft.com/beta/communications/calls?$select=id%20state"
        );
        let headers = built.headers();
        let auth: Vec<_> = headers.get_all("authorization").iter().collect();
        assert_eq!(auth.len(), 1);
        assert_eq!(auth[0], "Bearer s3cr3t-t0ken");
        assert!(auth[0].is_sensitive());
        assert_eq!(headers["content-type"], "application/json");
        assert_eq!(headers["prefer"], "return=minimal");
        assert_eq!(built.body().unwrap().as_bytes(), Some(&br#"{"a":1}"#[..]));

        let get = Request::<serde_json::Value>::new(Method::Get, Path::root().segment("me"));
        let built = client().build(&get).unwrap();
        assert!(built.headers().get("content-type").is_none());
        assert!(built.body().is_none());

        let own_type = Request::<serde_json::Value>::new(Method::Put, Path::root())
            .with_header("Content-Type", "application/json; odata.metadata=none")
            .with_json_body(&1)
            .unwrap();
        let built = client().build(&own_type).unwrap();
        let types: Vec<_> = built.headers().get_all("content-type").iter().collect();
        assert_eq!(types, ["application/json; odata.metadata=none"]);

        let bad_header = Request::<serde_json::Value>::new(Method::Get, Path::root())
            .with_header("X-Bad", "a\r\nInjected: yes");
        assert!(matches!(
            client().build(&bad_header),
            Err(ClientError::Transport(_))
        ));
    }

    #[test]
    fn the_token_stays_on_the_base_origin() {
        let page = Request::<Page<serde_json::Value>>::new(Method::Get, Path::root());
        let next: Page<serde_json::Value> = serde_json::from_value(serde_json::json!({
            "value": [],
            "@odata.nextLink": "https://GRAPH.microsoft.com/v1.0/x?$skiptoken=1"
        }))
        .unwrap();
        let same = page.next_page(&next).unwrap();
        assert!(client().build(&same).is_ok());

        for url in [
            "https://evil.example/beta/x",
            "https://graph.microsoft.com.evil.example/beta",
            "https://graph.microsoft.com@evil.example/beta",
            "http://graph.microsoft.com/beta/x",
            "https://graph.microsoft.com:444/beta/x",
            "/beta/x",
            "graph.microsoft.com/beta",
        ] {
            let request = Request::<serde_json::Value>::from_url(Method::Get, url);
            let error = client().build(&request).unwrap_err();
            assert!(
                matches!(&error, ClientError::ForeignUrl(u) if u == url),
                "{url}"
            );
            assert!(
                error
                    .to_string()
                    .starts_with("refusing to send the bearer token")
            );
            // `send` refuses before any I/O, so it completes on the first poll.
            let client = client();
            let mut future = pin!(client.send(&request));
            let poll = future
                .as_mut()
                .poll(&mut Context::from_waker(Waker::noop()));
            assert!(matches!(poll, Poll::Ready(Err(ClientError::ForeignUrl(_)))));
        }
    }

    #[test]
    fn response_errors_pass_through() {
        let error = ClientError::from(ResponseError::Unexpected {
            status: 503,
            body: String::new(),
        });
        assert_eq!(error.to_string(), "HTTP 503 with an empty body");
        assert!(std::error::Error::source(&error).is_none());
    }
}
