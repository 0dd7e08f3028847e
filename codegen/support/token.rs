//! Where `client::Client` gets its bearer tokens (cargo feature `client`):
//! [`TokenProvider`], with [`StaticToken`] and the OAuth 2.0
//! client-credentials flow of the Microsoft identity platform,
//! [`ClientCredentials`]. No token ever appears in `Debug` or `Display`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::support::path::encode_into;

/// A future a [`TokenProvider`] returns.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<AccessToken, TokenError>> + Send + 'a>>;

/// Gives the client a token for each request.
pub trait TokenProvider: Send + Sync {
    /// A token for the next request. `refused` is the token the service has
    /// just refused as expired, if it did: that one must not be given again
    /// (another may have replaced it meanwhile, and serves).
    fn token<'a>(&'a self, refused: Option<&'a AccessToken>) -> TokenFuture<'a>;
}

/// A bearer token. `Debug` and `Display` show `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        AccessToken(token.into())
    }

    /// The token itself, for the `Authorization` header.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"<redacted>\"")
    }
}

impl fmt::Display for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The same token for every request.
#[derive(Clone, Debug)]
pub struct StaticToken(pub AccessToken);

impl TokenProvider for StaticToken {
    fn token<'a>(&'a self, _refused: Option<&'a AccessToken>) -> TokenFuture<'a> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

/// Why no token could be had.
#[derive(Debug)]
pub enum TokenError {
    /// The token endpoint could not be reached or did not answer.
    Transport(reqwest::Error),
    /// The token endpoint refused: its status and OAuth error (`error`,
    /// `error_description`), or its body when it sent no such error.
    Refused {
        /// The HTTP status.
        status: u16,
        /// `error`, such as `invalid_client`.
        error: Option<String>,
        /// `error_description`.
        description: Option<String>,
    },
    /// The token endpoint answered 2xx without a usable token.
    Malformed(String),
    /// No token came within the client's timeout.
    TimedOut,
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::Transport(error) => write!(f, "the token endpoint failed: {error}"),
            TokenError::Refused { status, error, description } => {
                write!(f, "the token endpoint refused (HTTP {status})")?;
                if let Some(error) = error {
                    write!(f, ": {error}")?;
                }
                if let Some(description) = description {
                    let first_line = description.lines().next().unwrap_or_default();
                    write!(f, ": {first_line}")?;
                }
                Ok(())
            }
            TokenError::Malformed(why) => write!(f, "the token endpoint's answer is unusable: {why}"),
            TokenError::TimedOut => f.write_str("no token came in time"),
        }
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TokenError::Transport(error) => Some(error),
            _ => None,
        }
    }
}

/// The client-credentials flow (an app's own identity, with a secret):
/// `POST {authority}/{tenant}/oauth2/v2.0/token`. The token is cached and
/// fetched again a little before it expires, or when the service refused it
/// (once for a burst of refusals of the same token). The token requests time out after 30 seconds
/// and follow no redirect, so the secret goes to the authority only.
pub struct ClientCredentials {
    http: reqwest::Client,
    endpoint: String,
    form: String,
    early: Duration,
    /// The token, and until when it is used.
    cached: tokio::sync::Mutex<Option<(AccessToken, Instant)>>,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials").field("endpoint", &self.endpoint).finish_non_exhaustive()
    }
}

impl ClientCredentials {
    /// The authority of the global cloud.
    pub const GLOBAL_AUTHORITY: &'static str = "https://login.microsoftonline.com";
    /// The scope of every Graph permission the app was granted.
    pub const GRAPH_SCOPE: &'static str = "https://graph.microsoft.com/.default";

    /// The app `client_id` of `tenant`, with `secret`, asking for
    /// [`Self::GRAPH_SCOPE`] from [`Self::GLOBAL_AUTHORITY`].
    pub fn new(tenant: &str, client_id: &str, secret: &str) -> Self {
        Self::with_authority(Self::GLOBAL_AUTHORITY, tenant, client_id, secret, Self::GRAPH_SCOPE)
    }

    /// As [`Self::new`], at another authority (a national cloud) and scope.
    pub fn with_authority(authority: &str, tenant: &str, client_id: &str, secret: &str, scope: &str) -> Self {
        let mut tenant_segment = String::new();
        encode_into(&mut tenant_segment, tenant, b"");
        let mut form = String::from("grant_type=client_credentials");
        for (name, value) in [("client_id", client_id), ("client_secret", secret), ("scope", scope)] {
            form.push('&');
            form.push_str(name);
            form.push('=');
            encode_into(&mut form, value, b"");
        }
        // Building fails only when the TLS backend cannot start, as for `reqwest::Client::new`.
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_default();
        ClientCredentials {
            http,
            endpoint: format!("{}/{tenant_segment}/oauth2/v2.0/token", authority.trim_end_matches('/')),
            form,
            early: Duration::from_secs(300),
            cached: tokio::sync::Mutex::new(None),
        }
    }

    /// Fetches a new token this long before the cached one expires
    /// (5 minutes unless set; at most half the token's lifetime).
    pub fn refresh_early(mut self, early: Duration) -> Self {
        self.early = early;
        self
    }

    /// Uses `http` for the token requests (give it a timeout, and no
    /// redirects: the request carries the secret).
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    async fn fetch(&self) -> Result<(AccessToken, Instant), TokenError> {
        #[derive(Deserialize)]
        struct Answer {
            access_token: Option<String>,
            expires_in: Option<serde_json::Value>,
            error: Option<String>,
            error_description: Option<String>,
        }
        let asked = Instant::now();
        let response = self
            .http
            .post(&self.endpoint)
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(self.form.clone())
            .send()
            .await
            .map_err(TokenError::Transport)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(TokenError::Transport)?;
        let answer: Option<Answer> = serde_json::from_slice(&body).ok();
        if !(200..300).contains(&status) {
            let (error, description) = answer.map_or((None, None), |a| (a.error, a.error_description));
            return Err(TokenError::Refused { status, error, description });
        }
        let answer = answer.ok_or_else(|| TokenError::Malformed("not JSON".to_owned()))?;
        let token = answer.access_token.ok_or_else(|| TokenError::Malformed("no access_token".to_owned()))?;
        // `expires_in` is a number of seconds, sent as a number or as text.
        let lifetime = match answer.expires_in {
            Some(serde_json::Value::Number(n)) => n.as_u64(),
            Some(serde_json::Value::String(s)) => s.parse().ok(),
            _ => None,
        }
        .ok_or_else(|| TokenError::Malformed("no expires_in".to_owned()))?;
        // A day at most: tokens live about an hour, and a huge value must not overflow.
        let lifetime = Duration::from_secs(lifetime.min(24 * 3600));
        let fresh_for = lifetime.saturating_sub(self.early.min(lifetime / 2));
        Ok((AccessToken(token), asked + fresh_for))
    }
}

impl TokenProvider for ClientCredentials {
    fn token<'a>(&'a self, refused: Option<&'a AccessToken>) -> TokenFuture<'a> {
        Box::pin(async move {
            // One fetch at a time: concurrent requests wait for it and share the token.
            let mut cached = self.cached.lock().await;
            if let Some((token, fresh_until)) = cached.as_ref()
                && Instant::now() < *fresh_until
                && refused != Some(token)
            {
                return Ok(token.clone());
            }
            let fetched = self.fetch().await?;
            let token = fetched.0.clone();
            *cached = Some(fetched);
            Ok(token)
        })
    }
}
