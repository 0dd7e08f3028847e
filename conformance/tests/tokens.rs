//! `support::ClientCredentials` against a fake token endpoint on 127.0.0.1
//! (`conformance::scripted`), through `support::Client` and a fake Graph:
//! the request it makes, caching, fetching again before expiry, one refresh
//! on a 401 for an expired token, and a refused token request reported with
//! its OAuth error. The secret and the tokens appear in no `Debug` or
//! `Display`.

use std::time::Duration;

use conformance::scripted::{Action, Server};
use generated::support::{Client, ClientCredentials, ClientError, Method, Path, Request, RetryPolicy, TokenError};
use serde_json::Value;

const SECRET: &str = "s3cret~with&odd=chars";

fn token(access_token: &str, expires_in: u64) -> Action {
    Action::status(200, &format!(r#"{{"token_type": "Bearer", "expires_in": {expires_in}, "access_token": "{access_token}"}}"#))
}

fn credentials(authority: &Server) -> ClientCredentials {
    ClientCredentials::with_authority(&authority.url, "contoso.onmicrosoft.com", "app-id", SECRET, ClientCredentials::GRAPH_SCOPE)
}

fn graph_client(graph: &Server, tokens: ClientCredentials) -> Client {
    Client::builder(&graph.url, tokens).retry(RetryPolicy::never()).build().unwrap()
}

fn get() -> Request<Value> {
    Request::new(Method::Get, Path::root().segment("communications").segment("calls"))
}

fn bearers(graph: &Server) -> Vec<String> {
    graph.received().iter().map(|r| r.header("authorization").unwrap_or_default().to_owned()).collect()
}

#[tokio::test]
async fn the_token_is_fetched_once_and_cached() {
    let authority = Server::start(vec![token("tok-1", 3600)]).await;
    let graph = Server::start(vec![Action::status(200, "{}"), Action::status(200, "{}")]).await;
    let client = graph_client(&graph, credentials(&authority));
    client.send(&get()).await.unwrap();
    client.send(&get()).await.unwrap();

    let asked = authority.received();
    assert_eq!(asked.len(), 1);
    assert_eq!((asked[0].method.as_str(), asked[0].target.as_str()), ("POST", "/contoso.onmicrosoft.com/oauth2/v2.0/token"));
    assert_eq!(asked[0].header("content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(
        asked[0].body,
        "grant_type=client_credentials&client_id=app-id&client_secret=s3cret~with%26odd%3Dchars\
         &scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
    );
    assert_eq!(bearers(&graph), ["Bearer tok-1", "Bearer tok-1"]);
}

#[tokio::test]
async fn a_token_is_fetched_again_before_it_expires() {
    // A 2-second token is used for at most half its life.
    let authority = Server::start(vec![token("tok-1", 2), token("tok-2", 3600)]).await;
    let graph = Server::start(vec![Action::status(200, "{}"), Action::status(200, "{}"), Action::status(200, "{}")]).await;
    let client = graph_client(&graph, credentials(&authority));
    client.send(&get()).await.unwrap();
    client.send(&get()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    client.send(&get()).await.unwrap();
    assert_eq!(authority.received().len(), 2);
    assert_eq!(bearers(&graph), ["Bearer tok-1", "Bearer tok-1", "Bearer tok-2"]);
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once() {
    let expired = r#"{"error": {"code": "InvalidAuthenticationToken", "message": "Access token has expired or is not yet valid."}}"#;
    let authority = Server::start(vec![token("tok-1", 3600), token("tok-2", 3600)]).await;
    let graph = Server::start(vec![Action::status(401, expired), Action::status(200, "{}")]).await;
    let client = graph_client(&graph, credentials(&authority));
    client.send(&get()).await.unwrap();
    assert_eq!(bearers(&graph), ["Bearer tok-1", "Bearer tok-2"]);
    let received = graph.received();
    assert_eq!(received[0].header("client-request-id"), received[1].header("client-request-id"));

    // Refused again with the fresh token: reported, not refreshed forever.
    let authority = Server::start(vec![token("tok-3", 3600), token("tok-4", 3600), token("tok-5", 3600)]).await;
    let graph = Server::start(vec![Action::status(401, expired), Action::status(401, expired), Action::status(200, "{}")]).await;
    let client = graph_client(&graph, credentials(&authority));
    let error = client.send(&get()).await.unwrap_err();
    assert_eq!(graph.received().len(), 2);
    assert_eq!(error.response().map(|e| e.status), Some(401));
    assert_eq!(bearers(&graph), ["Bearer tok-3", "Bearer tok-4"]);
    // A 401 for another reason is not a token to refresh.
    let denied = r#"{"error": {"code": "Forbidden", "message": "Nope."}}"#;
    let graph = Server::start(vec![Action::status(401, denied), Action::status(200, "{}")]).await;
    let client = graph_client(&graph, credentials(&authority));
    assert!(client.send(&get()).await.is_err());
    assert_eq!(graph.received().len(), 1);
}

#[tokio::test]
async fn a_refused_token_request_is_reported_with_its_error() {
    let refusal = r#"{"error": "invalid_client", "error_description": "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 1", "error_codes": [7000215]}"#;
    let authority = Server::start(vec![Action::status(401, refusal), Action::status(200, "not json")]).await;
    let graph = Server::start(vec![]).await;
    let client = graph_client(&graph, credentials(&authority));
    let error = client.send(&get()).await.unwrap_err();
    let ClientError::Token(TokenError::Refused { status: 401, error: Some(code), .. }) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(code, "invalid_client");
    assert_eq!(
        error.to_string(),
        "the token endpoint refused (HTTP 401): invalid_client: AADSTS7000215: Invalid client secret provided."
    );
    let error = client.send(&get()).await.unwrap_err();
    assert!(matches!(error, ClientError::Token(TokenError::Malformed(_))), "{error:?}");
    assert!(graph.received().is_empty(), "nothing reaches Graph without a token");
}

#[tokio::test]
async fn neither_the_secret_nor_a_token_is_ever_shown() {
    let authority = Server::start(vec![token("tok-secret-1", 3600)]).await;
    let graph = Server::start(vec![Action::status(500, "{}")]).await;
    let tokens = credentials(&authority);
    let shown = format!("{tokens:?}");
    assert!(!shown.contains("s3cret"), "{shown}");
    let client = graph_client(&graph, tokens);
    let error = client.send(&get()).await.unwrap_err();
    for shown in [format!("{client:?}"), format!("{error:?}"), error.to_string()] {
        assert!(!shown.contains("tok-secret") && !shown.contains("s3cret"), "{shown}");
    }
}
