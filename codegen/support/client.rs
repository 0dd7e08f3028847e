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
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::de::DeserializeOwned;

use super::retry::{Decision, Failure, RetryPolicy, Stop};
use super::token::{AccessToken, StaticToken, TokenError, TokenProvider};
use super::pages::Pages;
use super::{Method, Page, Request, Response, ResponseError};

/// Sends [`Request`]s to a Graph service, with a bearer token from a
/// [`TokenProvider`], retrying as its [`RetryPolicy`] says.
///
/// Every request carries a `client-request-id` (a fresh UUID unless the
/// request sets one), the same on every attempt, and from the second
/// attempt on a `Retry-Attempt` header with the attempt's number less one.
/// Each attempt times out after [`Client::DEFAULT_TIMEOUT`] unless the
/// builder says otherwise. On a `401` whose error is
/// `InvalidAuthenticationToken` (an expired token), the client asks the
/// provider for a fresh token once and sends again.
///
/// The token is sent only to the origin (scheme, host and port) of the base
/// URL: an absolute-URL request (an `@odata.nextLink`) elsewhere is refused
/// with [`ClientError::ForeignUrl`].
#[derive(Clone)]
pub struct Client {
    base_url: String,
    tokens: Arc<dyn TokenProvider>,
    http: reqwest::Client,
    timeout: Duration,
    retry: RetryPolicy,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`]: see [`Client::builder`].
pub struct ClientBuilder {
    base_url: String,
    tokens: Arc<dyn TokenProvider>,
    http: Option<reqwest::Client>,
    timeout: Duration,
    retry: RetryPolicy,
}

impl ClientBuilder {
    /// Each attempt of a request fails after this long without a complete
    /// answer (default [`Client::DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// When to send a request again (default [`RetryPolicy::default`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Sends with `http` (proxies, TLS settings, ...); the timeout still
    /// applies to each attempt.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// The client.
    ///
    /// # Errors
    ///
    /// When no `reqwest` client was given and one cannot be made (its TLS
    /// backend fails to initialize).
    pub fn build(self) -> Result<Client, ClientError> {
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder().build().map_err(|error| ClientError::Transport {
                error,
                attempts: 0,
                may_have_arrived: false,
                stopped: Stop::NotRetryable,
            })?,
        };
        Ok(Client {
            base_url: self.base_url.trim_end_matches('/').to_owned(),
            tokens: self.tokens,
            http,
            timeout: self.timeout,
            retry: self.retry,
        })
    }
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
    /// How long an attempt may take unless the builder says otherwise: the
    /// 100 seconds .NET's `HttpClient`, under Microsoft's SDKs, waits.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(100);

    /// The base URL of `version` (`"beta"` or `"v1.0"`) on `host`, e.g.
    /// `Client::for_cloud(Client::US_GOV_HOST, "v1.0")`.
    pub fn for_cloud(host: &str, version: &str) -> String {
        format!(
            "{}/{}",
            host.trim_end_matches('/'),
            version.trim_matches('/')
        )
    }

    /// A builder for a client of the service at `base_url` (such as
    /// [`Client::V1`]) with tokens from `tokens`.
    pub fn builder(base_url: impl Into<String>, tokens: impl TokenProvider + 'static) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            tokens: Arc::new(tokens),
            http: None,
            timeout: Self::DEFAULT_TIMEOUT,
            retry: RetryPolicy::default(),
        }
    }

    /// A client for the service at `base_url` (such as [`Client::BETA`]),
    /// authenticating with `bearer_token`, with the default timeout and
    /// retries.
    ///
    /// # Panics
    ///
    /// If `reqwest` cannot initialize its TLS backend, as
    /// `reqwest::Client::new` does; use [`Client::builder`] to handle that
    /// instead.
    pub fn new(base_url: impl Into<String>, bearer_token: impl Into<String>) -> Self {
        Self::builder(base_url, StaticToken(AccessToken::new(bearer_token)))
            .http_client(reqwest::Client::new())
            .build()
            .expect("a client with a given reqwest client always builds")
    }

    /// The base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends `request`, retrying as the policy says, and reads the answer
    /// with [`Request::decode_response`].
    ///
    /// The request carries `Authorization: Bearer <token>` (replacing any
    /// `Authorization` header of the request), `Content-Type:
    /// application/json` when it has a body (unless it sets its own),
    /// `client-request-id`, and its headers.
    ///
    /// # Errors
    ///
    /// [`ClientError::ForeignUrl`] for an absolute URL outside the base
    /// URL's origin (before anything is sent), [`ClientError::Token`] when
    /// no token can be had, [`ClientError::Transport`] when no answer came,
    /// and [`ClientError::Response`] for an error status or an unreadable
    /// body, each after the retries the policy allows.
    pub async fn send<T: DeserializeOwned>(
        &self,
        request: &Request<T>,
    ) -> Result<Response<T>, ClientError> {
        let url = request.url(&self.base_url);
        if request.is_absolute() && !same_origin(&url, &self.base_url) {
            return Err(ClientError::ForeignUrl(url));
        }
        let client_request_id = request
            .header("client-request-id")
            .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
        let method = request.method();
        let mut attempt: u32 = 1;
        let mut waited = Duration::ZERO;
        // The provider is asked for a fresh token once, after a 401 for an expired one.
        let mut refused: Option<AccessToken> = None;
        let mut refreshed = false;
        loop {
            let token = tokio::time::timeout(self.timeout, self.tokens.token(refused.as_ref()))
                .await
                .map_err(|_| ClientError::Token(TokenError::TimedOut))?
                .map_err(ClientError::Token)?;
            refused = None;
            let built = self.build(request, &token, &client_request_id, attempt)?;
            let mut error = match self.attempt(built).await {
                Ok((status, headers, body)) => match request.decode_response(status, &headers, body.as_ref()) {
                    Ok(response) => return Ok(response),
                    Err(error) if status == 401 && !refreshed && expired_token(&error) => {
                        (refused, refreshed) = (Some(token), true);
                        attempt += 1;
                        continue;
                    }
                    Err(error) => ClientError::Response { error, attempts: attempt, stopped: Stop::NotRetryable },
                },
                Err(error) => ClientError::Transport {
                    may_have_arrived: !error.is_connect(),
                    error,
                    attempts: attempt,
                    stopped: Stop::NotRetryable,
                },
            };
            match self.retry.decide(method, &error.failure(), attempt, waited, SystemTime::now(), jitter()) {
                Decision::Retry(delay) => {
                    tokio::time::sleep(delay).await;
                    waited += delay;
                    attempt += 1;
                }
                Decision::Stop(stop) => {
                    error.set_stopped(stop);
                    return Err(error);
                }
            }
        }
    }

    /// Sends one attempt and reads the whole answer (the body as reqwest
    /// holds it: not copied).
    async fn attempt(
        &self,
        built: reqwest::Request,
    ) -> Result<(u16, Vec<(String, String)>, impl AsRef<[u8]>), reqwest::Error> {
        let answer = self.http.execute(built).await?;
        let status = answer.status().as_u16();
        let headers = headers_of(&answer);
        let body = answer.bytes().await?;
        Ok((status, headers, body))
    }

    /// The pages of the collection `first` asks for, following
    /// `@odata.nextLink` to the end; `.items()` gives their items.
    pub fn pages<T: DeserializeOwned + Send + 'static>(
        &self,
        first: impl Into<Request<Page<T>>>,
    ) -> Pages<T> {
        Pages::new(self.clone(), first.into())
    }

    /// The `reqwest` request for one attempt of `request`.
    fn build<T>(
        &self,
        request: &Request<T>,
        token: &AccessToken,
        client_request_id: &str,
        attempt: u32,
    ) -> Result<reqwest::Request, ClientError> {
        let method = match request.method() {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Patch => reqwest::Method::PATCH,
            Method::Put => reqwest::Method::PUT,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self.http.request(method, request.url(&self.base_url)).timeout(self.timeout);
        for (name, value) in request.headers() {
            if !name.eq_ignore_ascii_case("authorization") && !name.eq_ignore_ascii_case("client-request-id") {
                builder = builder.header(name, value);
            }
        }
        builder = builder.bearer_auth(token.secret()).header("client-request-id", client_request_id);
        if attempt > 1 {
            builder = builder.header("Retry-Attempt", (attempt - 1).to_string());
        }
        if let Some(body) = request.body_bytes() {
            if let Some(content_type) = request.content_type()
                && !request.has_header("content-type")
            {
                builder = builder.header(reqwest::header::CONTENT_TYPE, content_type);
            }
            builder = builder.body(body);
        }
        builder.build().map_err(|error| ClientError::Transport {
            error,
            attempts: 0,
            may_have_arrived: false,
            stopped: Stop::NotRetryable,
        })
    }
}

/// The response's headers, values with invalid UTF-8 replaced.
fn headers_of(response: &reqwest::Response) -> Vec<(String, String)> {
    response
        .headers()
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_owned(), value)
        })
        .collect()
}

/// Whether a 401 says the token expired (rather than that it lacks a permission).
fn expired_token(error: &ResponseError) -> bool {
    error.graph_error().is_some_and(|e| e.code.eq_ignore_ascii_case("InvalidAuthenticationToken"))
}

/// A number in `[0, 1)` from the operating system's generator (through
/// `uuid`, which the crate has anyway), to spread backoffs.
fn jitter() -> f64 {
    let bits = (uuid::Uuid::new_v4().as_u128() >> 64) as u64 >> 11;
    bits as f64 / (1u64 << 53) as f64
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
    /// No answer: the connection failed, or the attempt timed out or was
    /// cut. `may_have_arrived` says whether the service may have received
    /// the request; a `POST` or `PATCH` that may have is not sent again.
    Transport {
        /// The last attempt's error.
        error: reqwest::Error,
        /// How many times the request was sent.
        attempts: u32,
        /// Whether the last attempt may have reached the service.
        may_have_arrived: bool,
        /// Why it was not sent again.
        stopped: Stop,
    },
    /// The service answered with an error, or with a body that is not the
    /// expected type.
    Response {
        /// The last answer.
        error: ResponseError,
        /// How many times the request was sent.
        attempts: u32,
        /// Why it was not sent again.
        stopped: Stop,
    },
    /// No token could be had.
    Token(TokenError),
    /// An absolute-URL request outside the origin of the base URL: the
    /// bearer token is not sent there.
    ForeignUrl(String),
}

impl ClientError {
    /// The answer's error, if the service answered.
    pub fn response(&self) -> Option<&ResponseError> {
        match self {
            ClientError::Response { error, .. } => Some(error),
            _ => None,
        }
    }

    fn set_stopped(&mut self, stop: Stop) {
        if let ClientError::Transport { stopped, .. } | ClientError::Response { stopped, .. } = self {
            *stopped = stop;
        }
    }

    /// The failure the retry policy reads.
    fn failure(&self) -> Failure {
        match self {
            ClientError::Response { error, .. } => Failure::Status {
                status: error.status,
                retry_after: error.retry_after(),
            },
            ClientError::Transport { may_have_arrived: false, .. } => Failure::NotSent,
            _ => Failure::NoAnswer,
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let after = |attempts: u32| {
            if attempts > 1 { format!(" (after {attempts} attempts)") } else { String::new() }
        };
        match self {
            ClientError::Transport { error, attempts, may_have_arrived, stopped } => {
                write!(f, "the request failed: {error}{}", after(*attempts))?;
                if *stopped == Stop::MayHaveArrived {
                    f.write_str("; it may have reached the service, and is not idempotent, so it was not sent again")?;
                } else if *may_have_arrived {
                    f.write_str("; it may have reached the service")?;
                }
                Ok(())
            }
            ClientError::Response { error, attempts, .. } => write!(f, "{error}{}", after(*attempts)),
            ClientError::Token(error) => fmt::Display::fmt(error, f),
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
            ClientError::Transport { error, .. } => Some(error),
            ClientError::Response { error, .. } => error.source(),
            ClientError::Token(error) => Some(error),
            ClientError::ForeignUrl(_) => None,
        }
    }
}

impl From<ResponseError> for ClientError {
    fn from(error: ResponseError) -> Self {
        ClientError::Response { error, attempts: 1, stopped: Stop::NotRetryable }
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

    /// The first attempt of `request`, as `send` builds it.
    fn build<T>(request: &Request<T>) -> Result<reqwest::Request, ClientError> {
        client().build(request, &AccessToken::new("s3cr3t-t0ken"), "id-1", 1)
    }

    #[test]
    fn debug_never_shows_the_token() {
        let debug = format!("{:?}", client());
        assert!(!debug.contains("s3cr3t"), "{debug}");
        let token = AccessToken::new("s3cr3t-t0ken");
        assert_eq!(format!("{token:?} {token}"), "\"<redacted>\" <redacted>");
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
        let custom = Client::builder(Client::BETA, StaticToken(AccessToken::new("t")))
            .http_client(reqwest::Client::new())
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        assert_eq!(custom.base_url(), Client::BETA);
        assert_eq!(custom.timeout, Duration::from_secs(5));
        assert_eq!(client().timeout, Client::DEFAULT_TIMEOUT);
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
        let built = build(&request).unwrap();
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
        let built = build(&get).unwrap();
        assert!(built.headers().get("content-type").is_none());
        assert!(built.body().is_none());

        let own_type = Request::<serde_json::Value>::new(Method::Put, Path::root())
            .with_header("Content-Type", "application/json; odata.metadata=none")
            .with_json_body(&1)
            .unwrap();
        let built = build(&own_type).unwrap();
        let types: Vec<_> = built.headers().get_all("content-type").iter().collect();
        assert_eq!(types, ["application/json; odata.metadata=none"]);

        let bad_header = Request::<serde_json::Value>::new(Method::Get, Path::root())
            .with_header("X-Bad", "a\r\nInjected: yes");
        assert!(matches!(
            build(&bad_header),
            Err(ClientError::Transport { attempts: 0, .. })
        ));
        // Every attempt names the same request; later ones say which they are.
        let retry = client().build(&get, &AccessToken::new("t"), "id-1", 3).unwrap();
        assert_eq!(retry.headers()["client-request-id"], "id-1");
        assert_eq!(retry.headers()["retry-attempt"], "2");
        assert!(build(&get).unwrap().headers().get("retry-attempt").is_none());
        assert_eq!(build(&get).unwrap().timeout(), Some(&Client::DEFAULT_TIMEOUT));
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
        assert!(build(&same).is_ok());

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
            // `send` refuses before any I/O, so it completes on the first poll.
            let client = client();
            let mut future = pin!(client.send(&request));
            let poll = future
                .as_mut()
                .poll(&mut Context::from_waker(Waker::noop()));
            let Poll::Ready(Err(error)) = poll else {
                panic!("{url} was not refused at once");
            };
            assert!(
                matches!(&error, ClientError::ForeignUrl(u) if u == url),
                "{url}"
            );
            assert!(
                error
                    .to_string()
                    .starts_with("refusing to send the bearer token")
            );
        }
    }

    #[test]
    fn response_errors_pass_through() {
        let error = ClientError::from(ResponseError::new(503, &[], b"", None));
        assert_eq!(error.to_string(), "HTTP 503 with an empty body");
        assert!(std::error::Error::source(&error).is_none());
        let again = ClientError::Response {
            error: ResponseError::new(503, &[], b"", None),
            attempts: 4,
            stopped: Stop::Attempts,
        };
        assert_eq!(again.to_string(), "HTTP 503 with an empty body (after 4 attempts)");
        assert!(again.response().is_some());
    }
}
