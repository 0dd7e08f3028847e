//! Callback tokens signed the way Microsoft signs them (RS256, a `kid` in
//! the header), with RSA keys made at run time, for testing
//! `support::Verifier` and the example bot.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::{KeyPair as _, RSA_PKCS1_SHA256};
use aws_lc_rs::hmac;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

/// base64url without padding, as JWS uses it.
pub fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn part(value: &Value) -> String {
    base64url(&serde_json::to_vec(value).expect("JSON values serialize"))
}

/// An RSA key pair and the `kid` its tokens name.
pub struct SigningKey {
    pair: KeyPair,
    id: String,
}

impl SigningKey {
    /// A new 2048-bit key.
    pub fn generate(id: &str) -> SigningKey {
        let pair = KeyPair::generate(KeySize::Rsa2048).expect("RSA key generation");
        SigningKey { pair, id: id.to_owned() }
    }

    /// A token with `claims`, header `{"alg": "RS256", "typ": "JWT", "kid": ..}`.
    pub fn sign(&self, claims: &Value) -> String {
        self.sign_with_header(&json!({"alg": "RS256", "typ": "JWT", "kid": self.id}), claims)
    }

    /// A token with this header, RS256-signed whatever the header says.
    pub fn sign_with_header(&self, header: &Value, claims: &Value) -> String {
        let message = format!("{}.{}", part(header), part(claims));
        let mut signature = vec![0; self.pair.public_modulus_len()];
        self.pair
            .sign(&RSA_PKCS1_SHA256, &SystemRandom::new(), message.as_bytes(), &mut signature)
            .expect("RSA signing");
        format!("{message}.{}", base64url(&signature))
    }

    /// The JWKS document that publishes this key, as Microsoft's does.
    pub fn jwks(&self) -> Vec<u8> {
        let public = self.pair.public_key();
        let set = json!({"keys": [{
            "kty": "RSA",
            "use": "sig",
            "kid": self.id,
            "n": base64url(public.modulus().big_endian_without_leading_zero()),
            "e": base64url(public.exponent().big_endian_without_leading_zero()),
        }]});
        serde_json::to_vec(&set).expect("JSON values serialize")
    }

    /// The public key's DER bytes: what an attacker who read the key set has.
    pub fn public_der(&self) -> Vec<u8> {
        self.pair.public_key().as_ref().to_vec()
    }
}

/// A token with `alg: none` and no signature.
pub fn unsigned(claims: &Value) -> String {
    format!("{}.{}.", part(&json!({"alg": "none", "typ": "JWT"})), part(claims))
}

/// An HS256 token keyed with `secret` (the key-confusion attack when
/// `secret` is a public key).
pub fn hs256(secret: &[u8], id: &str, claims: &Value) -> String {
    let message = format!("{}.{}", part(&json!({"alg": "HS256", "typ": "JWT", "kid": id})), part(claims));
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, secret), message.as_bytes());
    format!("{message}.{}", base64url(tag.as_ref()))
}
