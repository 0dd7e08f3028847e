//! Checking that a callback really comes from Microsoft (cargo feature
//! `verify`).
//!
//! Microsoft posts every notification for a calling bot with
//! `Authorization: Bearer <JWT>`: signed RS256 by a key published at the
//! `jwks_uri` of the OpenID configuration [`OPENID_CONFIGURATION`], issued by
//! `https://api.botframework.com`, for the audience of the bot's app id, with
//! the caller's tenant in `tid`. Source: "Incoming call notifications:
//! technical details", section "Authenticating the callback"
//! (<https://learn.microsoft.com/microsoftteams/platform/bots/calls-and-meetings/call-notifications#authenticating-the-callback>).
//! Microsoft's sample validator (`AuthenticationProvider.cs` in
//! microsoft-graph-comms-samples) also accepts the issuer
//! `https://graph.microsoft.com`, so [`ISSUERS`] holds both.
//!
//! Nothing here does I/O: the bot fetches the key set (with the `client`
//! feature, [`fetch_keys`]), keeps it as long as it likes, and hands
//! [`Verifier::verify`] the header value and the time. The signature check
//! is `jsonwebtoken`'s; this module picks the key, refuses every algorithm
//! but RS256 before any key is used, and checks the claims with the
//! caller's clock.

use std::collections::BTreeMap;
use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};

/// The OpenID configuration whose `jwks_uri` lists the keys callbacks are
/// signed with.
pub const OPENID_CONFIGURATION: &str =
    "https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration";

/// The issuers a callback token may name: the documented one and the one
/// Microsoft's sample validator also accepts.
pub const ISSUERS: &[&str] = &[
    "https://api.botframework.com",
    "https://graph.microsoft.com",
];

/// The public keys of a JSON Web Key Set, by key id.
///
/// Only RSA keys for signatures (`kty` RSA; `use`, if stated, `sig`; `alg`,
/// if stated, RS256) are kept: callbacks are RS256. Such a key that cannot
/// be used (no `kid`, no `n` or `e`) is skipped and listed in
/// [`Keys::skipped`]; the others are kept.
#[derive(Clone, Default)]
pub struct Keys {
    by_id: BTreeMap<String, DecodingKey>,
    skipped: Vec<String>,
}

impl Keys {
    /// Reads a JWKS document (`{"keys": [...]}`).
    pub fn from_jwks(json: &[u8]) -> Result<Keys, KeysError> {
        #[derive(serde::Deserialize)]
        struct Set {
            keys: Vec<Map<String, Value>>,
        }
        let set: Set = serde_json::from_slice(json).map_err(KeysError::Json)?;
        let mut keys = Keys::default();
        for key in set.keys {
            let text = |name: &'static str| key.get(name).and_then(Value::as_str);
            let signs_rs256 = text("kty") == Some("RSA")
                && text("use").is_none_or(|u| u == "sig")
                && text("alg").is_none_or(|a| a == "RS256");
            if !signs_rs256 {
                continue;
            }
            let skip = |id: Option<&str>, missing| {
                let key = KeysError::Key {
                    id: id.map(str::to_owned),
                    missing,
                };
                key.to_string()
            };
            // One odd key (during a rotation, say) must not cost the others.
            let Some(id) = text("kid") else {
                keys.skipped.push(skip(None, "kid"));
                continue;
            };
            let (Some(n), Some(e)) = (text("n"), text("e")) else {
                keys.skipped.push(skip(Some(id), if text("n").is_none() { "n" } else { "e" }));
                continue;
            };
            match DecodingKey::from_rsa_components(n, e) {
                Ok(decoding) => {
                    keys.by_id.insert(id.to_owned(), decoding);
                }
                Err(_) => keys.skipped.push(skip(Some(id), "base64url n and e")),
            }
        }
        Ok(keys)
    }

    /// The key ids, in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.by_id.keys().map(String::as_str)
    }

    /// The RSA signing keys that could not be used, and why.
    pub fn skipped(&self) -> &[String] {
        &self.skipped
    }
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keys")
            .field("ids", &self.by_id.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// A JWKS document that could not be read, or a key of it that was skipped.
#[derive(Debug)]
pub enum KeysError {
    /// Not JSON of the shape `{"keys": [...]}`.
    Json(serde_json::Error),
    /// An RSA key without a usable member.
    Key {
        /// The key's `kid`, when it has one.
        id: Option<String>,
        /// What is missing or malformed.
        missing: &'static str,
    },
}

impl fmt::Display for KeysError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeysError::Json(error) => write!(f, "the key set is not a JWKS document: {error}"),
            KeysError::Key {
                id: Some(id),
                missing,
            } => write!(f, "key {id:?} has no {missing}"),
            KeysError::Key { id: None, missing } => write!(f, "an RSA key has no {missing}"),
        }
    }
}

impl std::error::Error for KeysError {}

/// Checks callback tokens for one bot.
#[derive(Clone, Debug)]
pub struct Verifier {
    app_id: String,
    issuers: Vec<String>,
    tenants: Option<Vec<String>>,
    skew_seconds: u64,
    keys: Keys,
}

/// What a verified token says.
#[derive(Clone, Debug, PartialEq)]
pub struct Claims {
    /// `iss`.
    pub issuer: String,
    /// `tid`: the tenant the call belongs to, when sent.
    pub tenant: Option<String>,
    /// `exp`, in seconds since the Unix epoch.
    pub expires: u64,
    /// Every claim as sent.
    pub all: Map<String, Value>,
}

/// Why a callback was refused. Each reason is its own variant, so a bot can
/// log and count them apart; all of them call for `401 Unauthorized`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The header is not `Bearer <token>`.
    NotBearer,
    /// The token is not three base64url parts with a JSON header and payload.
    Malformed(&'static str),
    /// `alg: none`: an unsigned token.
    Unsigned,
    /// An algorithm other than RS256 (an HS256 token keyed with the public
    /// key, for one).
    Algorithm(String),
    /// No `kid` in the header.
    NoKeyId,
    /// A `kid` the key set does not have. The keys may have rotated: fetch
    /// the key set again before refusing for good, but not more than once
    /// every few minutes, since anyone can send a token naming any `kid`.
    UnknownKey(String),
    /// The signature does not match the header and payload under the key:
    /// a changed payload or a signature made with another key (RSA tells
    /// only match or no match).
    BadSignature,
    /// `exp` (plus the skew) is before the time given.
    Expired {
        /// `exp`.
        expires: u64,
        /// The time given to [`Verifier::verify`].
        now: u64,
    },
    /// `nbf` (minus the skew) is after the time given.
    NotYetValid {
        /// `nbf`.
        not_before: u64,
        /// The time given to [`Verifier::verify`].
        now: u64,
    },
    /// A claim the check needs is absent or of the wrong JSON type.
    Claim(&'static str),
    /// `aud` does not name the bot's app id.
    Audience(Value),
    /// `iss` is not one of the accepted issuers.
    Issuer(String),
    /// `tid` is absent or not one of the accepted tenants.
    Tenant(Option<String>),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::NotBearer => f.write_str("the Authorization header is not a bearer token"),
            Refusal::Malformed(what) => write!(f, "the token is malformed: {what}"),
            Refusal::Unsigned => f.write_str("the token is unsigned (alg: none)"),
            Refusal::Algorithm(alg) => write!(f, "the token is signed with {alg}, not RS256"),
            Refusal::NoKeyId => f.write_str("the token names no key (kid)"),
            Refusal::UnknownKey(id) => write!(
                f,
                "the token names key {id:?}, which the key set does not have"
            ),
            Refusal::BadSignature => f.write_str("the token's signature does not match"),
            Refusal::Expired { expires, now } => {
                write!(f, "the token expired at {expires} (now {now})")
            }
            Refusal::NotYetValid { not_before, now } => {
                write!(f, "the token is valid from {not_before} (now {now})")
            }
            Refusal::Claim(name) => write!(f, "the token has no usable {name:?} claim"),
            Refusal::Audience(aud) => write!(f, "the token is for {aud}, not this bot"),
            Refusal::Issuer(iss) => {
                write!(f, "the token was issued by {iss:?}, which is not accepted")
            }
            Refusal::Tenant(Some(tid)) => {
                write!(f, "the token is for tenant {tid:?}, which is not accepted")
            }
            Refusal::Tenant(None) => f.write_str("the token names no tenant (tid)"),
        }
    }
}

impl std::error::Error for Refusal {}

impl Verifier {
    /// The default allowance for clocks that disagree, in seconds.
    pub const SKEW_SECONDS: u64 = 60;

    /// A verifier for the bot with app id `app_id`, accepting [`ISSUERS`],
    /// any tenant, and [`Verifier::SKEW_SECONDS`] of clock skew.
    pub fn new(app_id: impl Into<String>, keys: Keys) -> Verifier {
        Verifier {
            app_id: app_id.into(),
            issuers: ISSUERS.iter().map(|s| (*s).to_owned()).collect(),
            tenants: None,
            skew_seconds: Self::SKEW_SECONDS,
            keys,
        }
    }

    /// Accepts only these issuers.
    pub fn with_issuers<I: Into<String>>(mut self, issuers: impl IntoIterator<Item = I>) -> Self {
        self.issuers = issuers.into_iter().map(Into::into).collect();
        self
    }

    /// Accepts only calls of these tenants (`tid`).
    pub fn with_tenants<I: Into<String>>(mut self, tenants: impl IntoIterator<Item = I>) -> Self {
        self.tenants = Some(tenants.into_iter().map(Into::into).collect());
        self
    }

    /// Allows clocks to disagree by this many seconds on `exp` and `nbf`.
    pub fn with_skew_seconds(mut self, seconds: u64) -> Self {
        self.skew_seconds = seconds;
        self
    }

    /// Replaces the key set, e.g. after [`Refusal::UnknownKey`].
    pub fn set_keys(&mut self, keys: Keys) {
        self.keys = keys;
    }

    /// Checks the value of a callback's `Authorization` header at time `now`.
    pub fn verify(&self, authorization: &str, now: SystemTime) -> Result<Claims, Refusal> {
        let token = bearer(authorization).ok_or(Refusal::NotBearer)?;
        let header = header(token)?;
        match header.get("alg").and_then(Value::as_str) {
            Some("RS256") => {}
            Some(alg) if alg.eq_ignore_ascii_case("none") => return Err(Refusal::Unsigned),
            Some(alg) => return Err(Refusal::Algorithm(alg.to_owned())),
            None => return Err(Refusal::Malformed("the header has no alg")),
        }
        let id = header
            .get("kid")
            .and_then(Value::as_str)
            .ok_or(Refusal::NoKeyId)?;
        let key = self
            .keys
            .by_id
            .get(id)
            .ok_or_else(|| Refusal::UnknownKey(id.to_owned()))?;

        let mut signature_only = Validation::new(Algorithm::RS256);
        signature_only.required_spec_claims.clear();
        signature_only.validate_exp = false;
        signature_only.validate_nbf = false;
        signature_only.validate_aud = false;
        let all = jsonwebtoken::decode::<Map<String, Value>>(token, key, &signature_only)
            .map_err(|error| match error.kind() {
                ErrorKind::InvalidSignature => Refusal::BadSignature,
                ErrorKind::Base64(_) => Refusal::Malformed("a part is not base64url"),
                ErrorKind::Json(_) | ErrorKind::Utf8(_) => {
                    Refusal::Malformed("the payload is not a JSON object")
                }
                _ => Refusal::Malformed("not a JWS in compact form"),
            })?
            .claims;
        self.check(all, seconds(now))
    }

    fn check(&self, all: Map<String, Value>, now: u64) -> Result<Claims, Refusal> {
        let time = |name| {
            all.get(name)
                .map(|v| v.as_u64().ok_or(Refusal::Claim(name)))
                .transpose()
        };
        let expires = time("exp")?.ok_or(Refusal::Claim("exp"))?;
        // RFC 7519 §4.1.4: valid only before `exp` (plus the skew).
        if now >= expires.saturating_add(self.skew_seconds) {
            return Err(Refusal::Expired { expires, now });
        }
        if let Some(not_before) = time("nbf")?
            && not_before > now.saturating_add(self.skew_seconds)
        {
            return Err(Refusal::NotYetValid { not_before, now });
        }
        let audience = all.get("aud").ok_or(Refusal::Claim("aud"))?;
        let for_us = match audience {
            Value::String(aud) => *aud == self.app_id,
            Value::Array(auds) => auds
                .iter()
                .any(|aud| aud.as_str() == Some(self.app_id.as_str())),
            _ => false,
        };
        if !for_us {
            return Err(Refusal::Audience(audience.clone()));
        }
        let issuer = all
            .get("iss")
            .and_then(Value::as_str)
            .ok_or(Refusal::Claim("iss"))?;
        if !self.issuers.iter().any(|accepted| accepted == issuer) {
            return Err(Refusal::Issuer(issuer.to_owned()));
        }
        let tenant = all.get("tid").and_then(Value::as_str).map(str::to_owned);
        if let Some(tenants) = &self.tenants
            && !tenant.as_ref().is_some_and(|tid| tenants.contains(tid))
        {
            return Err(Refusal::Tenant(tenant));
        }
        Ok(Claims {
            issuer: issuer.to_owned(),
            tenant,
            expires,
            all,
        })
    }
}

/// The token of `Bearer <token>`; the scheme is case-insensitive (RFC 9110).
fn bearer(authorization: &str) -> Option<&str> {
    let (scheme, token) = authorization.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The JOSE header, read before any key is chosen.
fn header(token: &str) -> Result<Map<String, Value>, Refusal> {
    let mut parts = token.split('.');
    let (Some(header), Some(_), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(Refusal::Malformed("not three dot-separated parts"));
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(header)
        .map_err(|_| Refusal::Malformed("the header is not base64url"))?;
    serde_json::from_slice(&bytes)
        .map_err(|_| Refusal::Malformed("the header is not a JSON object"))
}

fn seconds(time: SystemTime) -> u64 {
    // A clock before 1970 reads as 1970: every real token is then not yet valid.
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Fetches the OpenID configuration at `openid_configuration` (usually
/// [`OPENID_CONFIGURATION`]) and then the key set its `jwks_uri` names.
#[cfg(feature = "client")]
pub async fn fetch_keys(
    http: &reqwest::Client,
    openid_configuration: &str,
) -> Result<Keys, FetchError> {
    #[derive(serde::Deserialize)]
    struct Configuration {
        jwks_uri: String,
    }
    let get = |url: String| async move {
        let response = http
            .get(&url)
            .send()
            .await
            .map_err(|e| FetchError::Http(url.clone(), e))?;
        let response = response
            .error_for_status()
            .map_err(|e| FetchError::Http(url.clone(), e))?;
        response.bytes().await.map_err(|e| FetchError::Http(url, e))
    };
    let configuration = get(openid_configuration.to_owned()).await?;
    let configuration: Configuration =
        serde_json::from_slice(&configuration).map_err(FetchError::Configuration)?;
    let jwks = get(configuration.jwks_uri).await?;
    Keys::from_jwks(&jwks).map_err(FetchError::Keys)
}

/// Why [`fetch_keys`] failed.
#[cfg(feature = "client")]
#[derive(Debug)]
pub enum FetchError {
    /// A request failed, or was answered with an error status.
    Http(String, reqwest::Error),
    /// The OpenID configuration has no `jwks_uri`.
    Configuration(serde_json::Error),
    /// The key set could not be read.
    Keys(KeysError),
}

#[cfg(feature = "client")]
impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Http(url, error) => write!(f, "GET {url}: {error}"),
            FetchError::Configuration(error) => {
                write!(f, "the OpenID configuration has no jwks_uri: {error}")
            }
            FetchError::Keys(error) => error.fmt(f),
        }
    }
}

#[cfg(feature = "client")]
impl std::error::Error for FetchError {}
