//! `support::Verifier` against tokens signed here, with RSA keys made for
//! each run: every way a callback token can be wrong is refused, each for
//! its own reason, and a good one passes.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use conformance::signing::{SigningKey, hs256, unsigned};
use generated::support::{Keys, Refusal, Verifier};
use serde_json::{Value, json};

const APP_ID: &str = "0efc74f7-41c3-47a4-8775-7259bfef4241";
const TENANT: &str = "1fdd12d0-4620-44ed-baec-459b611f84b2";
const NOW: u64 = 1_466_741_500;

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW)
}

/// The claims of the documented example token, valid at [`NOW`].
fn claims() -> Value {
    json!({
        "aud": APP_ID,
        "iss": "https://api.botframework.com",
        "iat": NOW - 60,
        "nbf": NOW - 60,
        "exp": NOW + 3600,
        "tid": TENANT,
    })
}

fn with(changes: Value) -> Value {
    let mut claims = claims();
    for (name, value) in changes.as_object().unwrap() {
        if value.is_null() {
            claims.as_object_mut().unwrap().remove(name);
        } else {
            claims[name] = value.clone();
        }
    }
    claims
}

struct Setup {
    key: SigningKey,
    verifier: Verifier,
}

fn setup() -> Setup {
    let key = SigningKey::generate("key-1");
    let keys = Keys::from_jwks(&key.jwks()).unwrap();
    Setup { verifier: Verifier::new(APP_ID, keys), key }
}

fn verify(verifier: &Verifier, token: &str) -> Result<Value, Refusal> {
    verifier.verify(&format!("Bearer {token}"), now()).map(|claims| Value::Object(claims.all))
}

#[test]
fn a_token_signed_for_this_bot_passes_and_gives_its_claims() {
    let Setup { key, verifier } = setup();
    let claims = verifier.verify(&format!("Bearer {}", key.sign(&claims())), now()).unwrap();
    assert_eq!(claims.issuer, "https://api.botframework.com");
    assert_eq!(claims.tenant.as_deref(), Some(TENANT));
    assert_eq!(claims.expires, NOW + 3600);
    assert_eq!(Value::Object(claims.all), self::claims());
    // The scheme is case-insensitive, and an audience list naming the bot passes.
    let listed = key.sign(&with(json!({"aud": ["someone-else", APP_ID]})));
    assert!(verifier.verify(&format!("bearer {listed}"), now()).is_ok());
    // Microsoft's sample accepts Graph as an issuer too.
    assert!(verify(&verifier, &key.sign(&with(json!({"iss": "https://graph.microsoft.com"})))).is_ok());
}

#[test]
fn each_bad_token_is_refused_for_its_own_reason() {
    let Setup { key, verifier } = setup();
    let other = SigningKey::generate("key-1");
    let good = key.sign(&claims());
    let (header, _, signature) = split(&good);
    let tampered = format!("{header}.{}.{signature}", encode(&with(json!({"tid": "another-tenant"}))));
    let mut flipped = good.clone().into_bytes();
    let last_signature_char = flipped.len() - 2;
    flipped[last_signature_char] = if flipped[last_signature_char] == b'A' { b'B' } else { b'A' };

    let cases: Vec<(&str, String, Refusal)> = vec![
        (
            "expired beyond the skew",
            key.sign(&with(json!({"exp": NOW - 61}))),
            Refusal::Expired { expires: NOW - 61, now: NOW },
        ),
        (
            "not yet valid beyond the skew",
            key.sign(&with(json!({"nbf": NOW + 61}))),
            Refusal::NotYetValid { not_before: NOW + 61, now: NOW },
        ),
        (
            "another bot's audience",
            key.sign(&with(json!({"aud": "another-app"}))),
            Refusal::Audience(json!("another-app")),
        ),
        (
            "another issuer",
            key.sign(&with(json!({"iss": "https://login.example.com"}))),
            Refusal::Issuer("https://login.example.com".into()),
        ),
        ("a key the set does not have", SigningKey::generate("key-2").sign(&claims()), Refusal::UnknownKey("key-2".into())),
        ("a changed payload", tampered, Refusal::BadSignature),
        ("signed by another key under the same kid", other.sign(&claims()), Refusal::BadSignature),
        ("a changed signature", String::from_utf8(flipped).unwrap(), Refusal::BadSignature),
        ("alg: none", unsigned(&claims()), Refusal::Unsigned),
        ("HS256 keyed with the public key", hs256(&key.public_der(), "key-1", &claims()), Refusal::Algorithm("HS256".into())),
        ("no exp", key.sign(&with(json!({"exp": null}))), Refusal::Claim("exp")),
        ("exp as text", key.sign(&with(json!({"exp": "soon"}))), Refusal::Claim("exp")),
        ("no audience", key.sign(&with(json!({"aud": null}))), Refusal::Claim("aud")),
        ("not a JWS", "abc.def".into(), Refusal::Malformed("not three dot-separated parts")),
        ("a header that is not base64url", format!("%%.{}", &good[good.find('.').unwrap() + 1..]), Refusal::Malformed("the header is not base64url")),
    ];
    for (what, token, refusal) in cases {
        assert_eq!(verify(&verifier, &token), Err(refusal), "{what}");
    }
    assert_eq!(verifier.verify(&format!("Basic {good}"), now()), Err(Refusal::NotBearer));
    assert_eq!(verifier.verify("Bearer ", now()), Err(Refusal::NotBearer));
    let no_kid = key.sign_with_header(&json!({"alg": "RS256", "typ": "JWT"}), &claims());
    assert_eq!(verify(&verifier, &no_kid), Err(Refusal::NoKeyId));
}

#[test]
fn the_skew_is_allowed_on_both_sides_and_configurable() {
    let Setup { key, verifier } = setup();
    // Valid strictly before `exp` plus the skew (RFC 7519 §4.1.4).
    let late = key.sign(&with(json!({"exp": NOW - 59})));
    let at_the_edge = key.sign(&with(json!({"exp": NOW - 60})));
    assert_eq!(verify(&verifier, &at_the_edge), Err(Refusal::Expired { expires: NOW - 60, now: NOW }));
    let early = key.sign(&with(json!({"nbf": NOW + 60})));
    assert!(verify(&verifier, &late).is_ok());
    assert!(verify(&verifier, &early).is_ok());
    let strict = verifier.with_skew_seconds(0);
    assert!(matches!(verify(&strict, &late), Err(Refusal::Expired { .. })));
    assert!(matches!(verify(&strict, &early), Err(Refusal::NotYetValid { .. })));
}

#[test]
fn a_tenant_check_refuses_other_tenants_and_tokens_without_one() {
    let Setup { key, verifier } = setup();
    let verifier = verifier.with_tenants([TENANT]);
    assert!(verify(&verifier, &key.sign(&claims())).is_ok());
    assert_eq!(
        verify(&verifier, &key.sign(&with(json!({"tid": "another"})))),
        Err(Refusal::Tenant(Some("another".into())))
    );
    assert_eq!(verify(&verifier, &key.sign(&with(json!({"tid": null})))), Err(Refusal::Tenant(None)));
}

#[test]
fn rotated_keys_are_taken_in_with_set_keys() {
    let Setup { mut verifier, .. } = setup();
    let next = SigningKey::generate("key-2");
    let token = next.sign(&claims());
    assert_eq!(verify(&verifier, &token), Err(Refusal::UnknownKey("key-2".into())));
    verifier.set_keys(Keys::from_jwks(&next.jwks()).unwrap());
    assert!(verify(&verifier, &token).is_ok());
}

#[test]
fn a_key_set_keeps_only_usable_signing_keys_and_names_the_broken_ones() {
    let key = SigningKey::generate("rsa");
    let mut set: Value = serde_json::from_slice(&key.jwks()).unwrap();
    set["keys"].as_array_mut().unwrap().push(json!({"kty": "EC", "kid": "ec", "crv": "P-256", "x": "AA", "y": "AA"}));
    let keys = Keys::from_jwks(&serde_json::to_vec(&set).unwrap()).unwrap();
    assert_eq!(keys.ids().collect::<Vec<_>>(), ["rsa"]);

    // Encryption keys and other algorithms are not signing keys for RS256.
    set["keys"].as_array_mut().unwrap().push(json!({"kty": "RSA", "kid": "enc", "use": "enc", "n": "AQAB", "e": "AQAB"}));
    set["keys"].as_array_mut().unwrap().push(json!({"kty": "RSA", "kid": "ps", "alg": "PS256", "n": "AQAB", "e": "AQAB"}));
    // A broken key is skipped and named; the good one is kept.
    let mut broken = set["keys"][0].clone();
    broken["kid"] = json!("broken");
    broken.as_object_mut().unwrap().remove("n");
    set["keys"].as_array_mut().unwrap().push(broken);
    set["keys"].as_array_mut().unwrap().push(json!({"kty": "RSA", "n": "AQAB", "e": "AQAB"}));
    let keys = Keys::from_jwks(&serde_json::to_vec(&set).unwrap()).unwrap();
    assert_eq!(keys.ids().collect::<Vec<_>>(), ["rsa"]);
    assert_eq!(keys.skipped(), ["key \"broken\" has no n", "an RSA key has no kid"]);
    assert!(Keys::from_jwks(b"{\"keys\": 1}").is_err());
}

fn split(token: &str) -> (&str, &str, &str) {
    let mut parts = token.split('.');
    (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap())
}

fn encode(value: &Value) -> String {
    conformance::signing::base64url(&serde_json::to_vec(value).unwrap())
}
