//! `support::Client`'s retries against a scripted server on 127.0.0.1
//! (`conformance::scripted`), which records each request and when it
//! arrived: the whole matrix of status x method x `Retry-After` (absent, in
//! seconds, as an HTTP date), dropped and stalled connections, the bounds,
//! and the invite of both API versions, which is never sent twice after an
//! ambiguous failure. Delays are short; gaps are measured on the server.

use std::time::{Duration, SystemTime};

use conformance::scripted::{Action, Server};
use generated::support::{
    AccessToken, Client, ClientError, Method, Path, Request, RetryPolicy, StaticToken, Stop,
};
use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_millis(400);

fn policy() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        max_total_wait: Duration::from_secs(5),
        base_delay: Duration::from_millis(100),
        max_delay: Duration::from_millis(400),
    }
}

/// One `reqwest` client for all tests: making one loads the system's root
/// certificates, which is slow enough in a debug build to eat a short timeout.
fn http() -> generated::support::reqwest::Client {
    static HTTP: std::sync::OnceLock<generated::support::reqwest::Client> = std::sync::OnceLock::new();
    HTTP.get_or_init(generated::support::reqwest::Client::new).clone()
}

fn client(server: &Server) -> Client {
    Client::builder(&server.url, StaticToken(AccessToken::new("t0ken")))
        .http_client(http())
        .timeout(TIMEOUT)
        .retry(policy())
        .build()
        .unwrap()
}

const METHODS: [Method; 5] = [Method::Get, Method::Post, Method::Patch, Method::Put, Method::Delete];

fn request(method: Method) -> Request<Value> {
    let path = Path::root().segment("communications").segment("calls");
    let request = Request::new(method, path);
    match method {
        Method::Post | Method::Patch | Method::Put => request.with_json_body(&json!({"a": 1})).unwrap(),
        Method::Get | Method::Delete => request,
    }
}

fn idempotent(method: Method) -> bool {
    matches!(method, Method::Get | Method::Put | Method::Delete)
}

/// The backoff of the first retry: half of 100 ms, plus up to half as jitter.
const BACKOFF: (Duration, Duration) = (Duration::from_millis(50), Duration::from_millis(100));

/// The forms of `Retry-After` (absent, seconds, an HTTP date), and the
/// least and most wait each asks for.
const RETRY_AFTERS: [(&str, Duration, Duration); 3] = [
    ("none", BACKOFF.0, BACKOFF.1),
    ("seconds", Duration::from_secs(1), Duration::from_secs(1)),
    // Written as the server answers; dates have whole seconds, so 2 s ahead is 1 to 2 s away.
    ("date", Duration::from_secs(1), Duration::from_secs(2)),
];

/// One cell of the matrix: what the server saw and what the client said.
async fn cell(status: u16, method: Method, retry_after: &str) -> (Server, Result<(), ClientError>) {
    let first = match retry_after {
        "seconds" => Action::retry_after(status, "1"),
        "date" => Action::retry_after(status, &httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2))),
        _ => Action::status(status, ""),
    };
    let server = Server::start(vec![first, Action::status(200, r#"{"ok": true}"#)]).await;
    let result = client(&server).send(&request(method)).await.map(|_| ());
    (server, result)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_status_method_and_retry_after() {
    // At most 15 cells at a time, so that 2 cores keep the timings honest.
    let running = std::sync::Arc::new(tokio::sync::Semaphore::new(15));
    let mut cells = tokio::task::JoinSet::new();
    for status in [429, 503, 504, 502, 500, 404] {
        for method in METHODS {
            for (retry_after, least, most) in RETRY_AFTERS {
                let running = running.clone();
                cells.spawn(async move {
                    let _turn = running.acquire().await.unwrap();
                    let (server, result) = cell(status, method, retry_after).await;
                    (status, method, retry_after, least, most, server, result)
                });
            }
        }
    }
    let mut checked = 0;
    while let Some(outcome) = cells.join_next().await {
        let (status, method, retry_after, least, most, server, result) = outcome.unwrap();
        let what = format!("{status} to {method:?}, Retry-After: {retry_after}");
        let received = server.received();
        let retried = match status {
            429 | 503 => true,
            502 | 504 => idempotent(method),
            _ => false,
        };
        if retried {
            assert!(result.is_ok(), "{what}: {result:?}");
            assert_eq!(received.len(), 2, "{what}");
            let gap = server.gaps()[0];
            // The service's Retry-After is honoured for 429 and 503 only;
            // 502 and 504 back off. A little slack for the scheduler.
            let (least, most) = if matches!(status, 429 | 503) { (least, most) } else { BACKOFF };
            assert!(gap >= least && gap <= most + Duration::from_millis(250), "{what}: waited {gap:?}");
            let (first, second) = (&received[0], &received[1]);
            assert_eq!(first.header("client-request-id"), second.header("client-request-id"), "{what}");
            assert!(first.header("client-request-id").is_some_and(|id| id.len() == 36), "{what}");
            assert_eq!(first.header("retry-attempt"), None, "{what}");
            assert_eq!(second.header("retry-attempt"), Some("1"), "{what}");
            assert_eq!(first.body, second.body, "{what}");
        } else {
            assert_eq!(received.len(), 1, "{what}: sent {} times", received.len());
            let Err(ClientError::Response { error, attempts: 1, stopped }) = &result else {
                panic!("{what}: {result:?}");
            };
            assert_eq!(error.status, status, "{what}");
            let expected = if matches!(status, 502 | 504) { Stop::MayHaveArrived } else { Stop::NotRetryable };
            assert_eq!(*stopped, expected, "{what}");
        }
        checked += 1;
    }
    assert_eq!(checked, 6 * 5 * 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_dropped_or_stalled_after_sending_is_retried_only_when_idempotent() {
    for (name, failure) in [("dropped", Action::Drop), ("stalled", Action::Stall(TIMEOUT * 3))] {
        for method in METHODS {
            let what = format!("{name} {method:?}");
            let server = Server::start(vec![failure.clone(), Action::status(200, "{}")]).await;
            let started = std::time::Instant::now();
            let result = client(&server).send(&request(method)).await;
            let received = server.received();
            if idempotent(method) {
                assert!(result.is_ok(), "{what}: {result:?}");
                assert_eq!(received.len(), 2, "{what}");
                assert_eq!(received[1].header("retry-attempt"), Some("1"), "{what}");
                if name == "stalled" {
                    // The first attempt ended at the timeout, not when the server gave up.
                    assert!(server.gaps()[0] >= TIMEOUT && server.gaps()[0] < TIMEOUT * 3, "{what}: {:?}", server.gaps());
                }
            } else {
                assert_eq!(received.len(), 1, "{what}: a {method:?} was sent {} times", received.len());
                let Err(error @ ClientError::Transport { attempts: 1, may_have_arrived: true, stopped: Stop::MayHaveArrived, .. }) = &result else {
                    panic!("{what}: {result:?}");
                };
                assert!(error.to_string().contains("so it was not sent again"), "{error}");
                if name == "stalled" {
                    let elapsed = started.elapsed();
                    assert!(elapsed >= TIMEOUT && elapsed < TIMEOUT * 3, "{what}: gave up after {elapsed:?}");
                }
            }
        }
    }
}

#[tokio::test]
async fn nothing_listening_is_retried_for_every_method_until_the_attempts_run_out() {
    // A port that was free a moment ago: connecting fails, so nothing was sent.
    let url = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let client = Client::builder(url, StaticToken(AccessToken::new("t"))).http_client(http()).retry(policy()).build().unwrap();
    for method in METHODS {
        let result = client.send(&request(method)).await;
        let Err(ClientError::Transport { attempts: 3, may_have_arrived: false, stopped: Stop::Attempts, .. }) = &result else {
            panic!("{method:?}: {result:?}");
        };
    }
}

#[tokio::test]
async fn attempts_and_the_total_wait_are_bounded() {
    let throttled = || Action::retry_after(429, "0");
    let server = Server::start(vec![throttled(), throttled(), throttled(), throttled()]).await;
    let result = client(&server).send(&request(Method::Get)).await;
    assert_eq!(server.received().len(), 3);
    let Err(error @ ClientError::Response { attempts: 3, stopped: Stop::Attempts, .. }) = &result else {
        panic!("{result:?}");
    };
    assert!(error.to_string().starts_with("HTTP 429 with an empty body (retry after 0 s) (after 3 attempts)"), "{error}");
    let attempts: Vec<_> = server.received().iter().map(|r| r.header("retry-attempt").map(str::to_owned)).collect();
    assert_eq!(attempts, [None, Some("1".to_owned()), Some("2".to_owned())]);

    // A Retry-After beyond the total wait ends the retries at once.
    let server = Server::start(vec![Action::retry_after(503, "60")]).await;
    let result = client(&server).send(&request(Method::Post)).await;
    assert_eq!(server.received().len(), 1);
    assert!(matches!(result, Err(ClientError::Response { stopped: Stop::TotalWait, .. })), "{result:?}");
}

#[tokio::test]
async fn an_error_names_every_id_a_support_case_needs() {
    let headers = vec![
        ("request-id".to_owned(), "r-9".to_owned()),
        ("client-request-id".to_owned(), "c-9".to_owned()),
        ("Date".to_owned(), "Wed, 02 Dec 2026 16:00:00 GMT".to_owned()),
    ];
    let body = r#"{"error": {"code": "Forbidden", "message": "No permission."}}"#;
    let server = Server::start(vec![Action::Answer(403, headers, body.to_owned())]).await;
    let request = request(Method::Get).with_header("client-request-id", "c-9");
    let error = client(&server).send(&request).await.unwrap_err();
    assert_eq!(server.received()[0].header("client-request-id"), Some("c-9"));
    assert_eq!(
        error.to_string(),
        "HTTP 403: Forbidden: No permission. (request-id r-9, client-request-id c-9, date Wed, 02 Dec 2026 16:00:00 GMT)"
    );
    assert_eq!(error.response().unwrap().body, body);

    // A body that is not Graph's error shape is kept as text (a POST, so
    // that the 502 is not retried).
    let server = Server::start(vec![Action::status(502, "<html>Bad gateway</html>")]).await;
    let error = client(&server).send(&self::request(Method::Post)).await.unwrap_err();
    assert_eq!(error.response().unwrap().body, "<html>Bad gateway</html>");
}

/// The invite of each API version: after a 504 or a dropped connection it is
/// never sent again, and after a 429 it is sent again with the same body.
macro_rules! invite_is_never_sent_twice {
    ($version:ident) => {
        #[tokio::test]
        async fn $version() {
            let invite = || {
                generated::$version::api::communications()
                    .calls()
                    .by_id("call-1")
                    .and_then(|call| call.participants().invite(&conformance::invite::$version::invite_parameters()))
                    .unwrap()
            };
            for failure in [Action::status(504, ""), Action::Drop] {
                let server = Server::start(vec![failure.clone(), Action::status(200, "{}")]).await;
                let result = client(&server).send(&invite()).await;
                assert_eq!(server.received().len(), 1, "{failure:?}");
                assert!(result.is_err(), "{failure:?}");
            }
            let server = Server::start(vec![Action::retry_after(429, "0"), Action::status(200, r#"{"status": "running"}"#)]).await;
            let answer = client(&server).send(&invite()).await.unwrap();
            assert_eq!(answer.status, 200);
            let received = server.received();
            assert_eq!(received.len(), 2);
            assert_eq!(received[0].target, "/communications/calls/call-1/participants/invite");
            assert_eq!(received[0].body, received[1].body);
        }
    };
}

mod invite_is_never_sent_twice {
    use super::*;
    invite_is_never_sent_twice!(beta);
    invite_is_never_sent_twice!(v1);
}
