//! The example calling bot (`conformance::bot`, run by
//! `examples/calling_bot.rs`) against a fake Graph on 127.0.0.1, over real
//! HTTP both ways: the fake answers the bot's requests the way the
//! reference pages document and posts the documented notifications to the
//! bot's callback, signed with a key it publishes through its own OpenID
//! configuration. One forged callback (signed with another key) is posted
//! too; it must get 401 and change nothing.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use conformance::bot::{Config, Memory, Settings, on_callback, serve_and_run};
use conformance::signing::SigningKey;
use generated::support::{Keys, Verifier, reqwest};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

const APP_ID: &str = "2891555a-92ff-42e6-80fa-6e1300c6b5c6";
const TENANT: &str = "aa67bd4c-8475-432d-bd41-39f255720e0a";
/// The ids of the documented examples: create call (p2p, service-hosted
/// media) and invite (example 1).
const CALL: &str = "2e1a0b00-b3c5-4b0f-99b3-c133bc1e6116";
const INVITE_PAGE_CALL: &str = "ab6233a5-20b7-4c5e-bea2-ce56c9776429";
const INVITE_PAGE_CONTEXT: &str = "f2fa86af-3c51-4bc2-8fc0-475452d9764f";
const OPERATION: &str = "eec3812a-fdc3-4fb4-825c-a06c9f35414e";
const CALLEE: &str = "8d9c5f4e-2ab4-4c0c-9b6e-6c8a0f5f4c11";
const INVITEE: &str = "278405a3-f568-4b3e-b684-009193463064";
const GRAPH_TOKEN: &str = "graph-token-for-the-bot";

/// A request the bot sent the fake Graph.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    method: String,
    path: String,
    authorization: Option<String>,
    body: Option<Value>,
}

/// A callback the fake posted, and the bot's answer.
#[derive(Debug, Clone, PartialEq)]
struct Posted {
    what: &'static str,
    status: Option<u16>,
}

#[derive(Default)]
struct Record {
    seen: Vec<Seen>,
    posted: Vec<Posted>,
    tasks: Vec<JoinHandle<()>>,
}

#[derive(Clone)]
struct Fake {
    base: String,
    callback: String,
    key: Arc<SigningKey>,
    forger: Arc<SigningKey>,
    http: reqwest::Client,
    record: Arc<Mutex<Record>>,
}

impl Fake {
    fn seen(&self, method: &Method, uri: &Uri, headers: &HeaderMap, body: &Bytes) {
        let authorization = headers.get(header::AUTHORIZATION).map(|v| v.to_str().unwrap().to_owned());
        let body = (!body.is_empty()).then(|| serde_json::from_slice(body).expect("the bot sends JSON"));
        let seen = Seen { method: method.to_string(), path: uri.path().to_owned(), authorization, body };
        self.record.lock().unwrap().seen.push(seen);
    }

    /// A token for the bot, as Microsoft signs one (or, with `forged`, as
    /// someone without Microsoft's key would).
    fn token(&self, forged: bool) -> String {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        let claims = json!({
            "aud": APP_ID, "iss": "https://api.botframework.com", "tid": TENANT,
            "iat": now, "nbf": now, "exp": now + 3600,
        });
        if forged { self.forger.sign(&claims) } else { self.key.sign(&claims) }
    }

    /// Posts `bodies` to the bot's callback one after another, in the
    /// background, recording each answer in the order they were sent.
    fn post(&self, bodies: Vec<(&'static str, bool, Value)>) {
        let fake = self.clone();
        let task = tokio::spawn(async move {
            for (what, forged, body) in bodies {
                let slot = {
                    let mut record = fake.record.lock().unwrap();
                    record.posted.push(Posted { what, status: None });
                    record.posted.len() - 1
                };
                let response = fake
                    .http
                    .post(&fake.callback)
                    .bearer_auth(fake.token(forged))
                    .json(&body)
                    .send()
                    .await
                    .expect("the bot answers");
                fake.record.lock().unwrap().posted[slot].status = Some(response.status().as_u16());
            }
        });
        self.record.lock().unwrap().tasks.push(task);
    }
}

/// A documented body, with the ids of this run in place of the page's.
fn documented(fixture: &str, client_context: &str) -> Value {
    let path = format!("{}/fixtures/seeds/{fixture}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let text = text.replace(INVITE_PAGE_CALL, CALL).replace(INVITE_PAGE_CONTEXT, client_context);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `participants` updated: the callee and the invitee in the call, shaped
/// as the roster notification of the create call page.
fn roster() -> Value {
    let participant = |id: &str, user: &str, sequence: i64| {
        json!({
            "@odata.type": "#microsoft.graph.participant",
            "id": id,
            "info": {
                "@odata.type": "#microsoft.graph.participantInfo",
                "identity": {
                    "@odata.type": "#microsoft.graph.identitySet",
                    "user": {"@odata.type": "#microsoft.graph.identity", "id": user, "tenantId": TENANT}
                },
                "endpointType": "default"
            },
            "mediaStreams": [{
                "@odata.type": "#microsoft.graph.mediaStream",
                "mediaType": "audio", "sourceId": "1", "direction": "sendReceive", "serverMuted": false
            }],
            "isMuted": false,
            "isInLobby": false,
            "rosterSequenceNumber": sequence
        })
    };
    json!({
        "@odata.type": "#microsoft.graph.commsNotifications",
        "value": [{
            "@odata.type": "#microsoft.graph.commsNotification",
            "changeType": "updated",
            "resourceUrl": format!("/communications/calls/{CALL}/participants"),
            "resourceData": [participant("callee-participant", CALLEE, 1), participant("invitee-participant", INVITEE, 2)]
        }]
    })
}

/// The call, `updated` to `state` (or `deleted`), in the v1.0 form.
fn call_notification(change: &str, state: &str) -> Value {
    let mut call = json!({"@odata.type": "#microsoft.graph.call", "state": state, "id": CALL});
    if state == "terminated" {
        call["resultInfo"] = json!({"@odata.type": "#microsoft.graph.resultInfo", "code": 200, "subcode": 5001, "message": "The conversation has ended."});
    }
    json!({
        "@odata.type": "#microsoft.graph.commsNotifications",
        "value": [{
            "@odata.type": "#microsoft.graph.commsNotification",
            "changeType": change,
            "resourceUrl": format!("/communications/calls/{CALL}"),
            "resourceData": call
        }]
    })
}

async fn openid(State(fake): State<Fake>) -> Response {
    let configuration = json!({"issuer": "https://api.botframework.com", "jwks_uri": format!("{}/keys", fake.base)});
    axum::Json(configuration).into_response()
}

async fn keys(State(fake): State<Fake>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], fake.key.jwks()).into_response()
}

/// `POST /v1.0/communications/calls`: 201 with the call establishing, then
/// a forged `established`, the real `establishing` and `established`.
async fn create_call(State(fake): State<Fake>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    fake.seen(&method, &uri, &headers, &body);
    let mut call: Value = serde_json::from_slice(&body).unwrap();
    call["id"] = json!(CALL);
    call["state"] = json!("establishing");
    call["direction"] = json!("outgoing");
    let establishing = documented("create-call-beta-2019/p2p-service-hosted-media-notification-establishing.json", "");
    let established = documented("create-call-beta-2019/p2p-service-hosted-media-notification-established.json", "");
    fake.post(vec![
        ("forged established", true, established.clone()),
        ("establishing", false, establishing),
        ("established", false, established),
    ]);
    (StatusCode::CREATED, axum::Json(call)).into_response()
}

/// `POST .../participants/invite`: the documented running operation (with
/// the bot's `clientContext`), then the roster and the operation's completion.
async fn invite(State(fake): State<Fake>, Path(call): Path<String>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    fake.seen(&method, &uri, &headers, &body);
    assert_eq!(call, CALL);
    let request: Value = serde_json::from_slice(&body).unwrap();
    let context = request["clientContext"].as_str().expect("the bot sends a clientContext").to_owned();
    fake.post(vec![
        ("roster", false, roster()),
        ("invitation completed", false, documented("invite-v1-fr/ex1-notification-1.json", &context)),
    ]);
    let location = format!("{}/v1.0/communications/calls/{CALL}/operations/{OPERATION}", fake.base);
    let operation = documented("invite-v1-fr/ex1-response.json", &context);
    (StatusCode::OK, [(header::LOCATION, location)], axum::Json(operation)).into_response()
}

/// `DELETE /v1.0/communications/calls/{id}`: 204, then `terminated` and `deleted`.
async fn hang_up(State(fake): State<Fake>, Path(call): Path<String>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> StatusCode {
    fake.seen(&method, &uri, &headers, &body);
    assert_eq!(call, CALL);
    fake.post(vec![
        ("terminated", false, call_notification("updated", "terminated")),
        ("deleted", false, call_notification("deleted", "terminated")),
    ]);
    StatusCode::NO_CONTENT
}

async fn listen() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    (listener, base)
}

#[tokio::test]
async fn the_bot_calls_invites_and_hangs_up_against_a_fake_graph() {
    let (graph_listener, graph) = listen().await;
    let (bot_listener, bot) = listen().await;
    let fake = Fake {
        base: graph.clone(),
        callback: format!("{bot}/callback"),
        key: Arc::new(SigningKey::generate("graph-key")),
        forger: Arc::new(SigningKey::generate("graph-key")),
        http: reqwest::Client::new(),
        record: Arc::default(),
    };
    let app = Router::new()
        .route("/openid", get(openid))
        .route("/keys", get(keys))
        .route("/v1.0/communications/calls", post(create_call))
        .route("/v1.0/communications/calls/{call}/participants/invite", post(invite))
        .route("/v1.0/communications/calls/{call}", delete(hang_up))
        .with_state(fake.clone());
    let server = tokio::spawn(axum::serve(graph_listener, app).into_future());

    let settings = Settings {
        config: Config {
            graph: format!("{graph}/v1.0"),
            token: GRAPH_TOKEN.to_owned(),
            tenant: TENANT.to_owned(),
            callback: fake.callback.clone(),
            patience: Duration::from_secs(20),
        },
        app_id: APP_ID.to_owned(),
        openid_configuration: format!("{graph}/openid"),
        callee: CALLEE.to_owned(),
        invitee: INVITEE.to_owned(),
    };
    let memory = serve_and_run(settings, bot_listener).await.expect("the bot runs to the end");
    let tasks = std::mem::take(&mut fake.record.lock().unwrap().tasks);
    for task in tasks {
        task.await.unwrap();
    }
    server.abort();

    // Every state the bot reached, in order; the forged callback left no trace.
    assert_eq!(
        memory.log,
        [
            "call establishing",
            "call established",
            "participant callee-participant joined",
            "participant invitee-participant joined",
            "operation completed",
            "call terminated",
            "call terminated with code 200",
            "call deleted",
        ]
    );
    let call = &memory.calls[CALL];
    assert_eq!(call.state.as_deref(), Some("terminated"));
    assert!(call.deleted);
    assert_eq!(call.result_info.as_ref().unwrap()["subcode"], 5001);
    assert_eq!(call.participants.len(), 2);
    let [operation] = memory.tracker.operations() else { panic!("one operation: {:?}", memory.tracker) };
    assert_eq!(operation.operation_id.as_deref(), Some(OPERATION));
    assert_eq!(operation.outcome, generated::support::Outcome::Completed);

    // Every callback the fake posted, and how the bot answered.
    let record = fake.record.lock().unwrap();
    let posted: Vec<(&str, Option<u16>)> = record.posted.iter().map(|p| (p.what, p.status)).collect();
    assert_eq!(
        posted,
        [
            ("forged established", Some(401)),
            ("establishing", Some(202)),
            ("established", Some(202)),
            ("roster", Some(202)),
            ("invitation completed", Some(202)),
            ("terminated", Some(202)),
            ("deleted", Some(202)),
        ]
    );

    // Every request the bot sent, with its token and body.
    let bearer = Some(format!("Bearer {GRAPH_TOKEN}"));
    let [create, invite, hang_up] = record.seen.as_slice() else { panic!("three requests: {:#?}", record.seen) };
    assert_eq!((create.method.as_str(), create.path.as_str()), ("POST", "/v1.0/communications/calls"));
    assert_eq!(create.authorization, bearer);
    assert_eq!(
        create.body,
        Some(json!({
            "callbackUri": fake.callback,
            "mediaConfig": {"@odata.type": "#microsoft.graph.serviceHostedMediaConfig"},
            "requestedModalities": ["audio"],
            "targets": [{"identity": {"user": {"id": CALLEE}}}],
            "tenantId": TENANT,
        }))
    );
    assert_eq!(
        (invite.method.as_str(), invite.path.as_str()),
        ("POST", format!("/v1.0/communications/calls/{CALL}/participants/invite").as_str())
    );
    assert_eq!(invite.authorization, bearer);
    let context = operation.client_context.as_str();
    assert_eq!(
        invite.body,
        Some(json!({"participants": [{"identity": {"user": {"id": INVITEE}}}], "clientContext": context}))
    );
    assert_eq!(
        (hang_up.method.as_str(), hang_up.path.as_str(), &hang_up.body),
        ("DELETE", format!("/v1.0/communications/calls/{CALL}").as_str(), &None)
    );
    assert_eq!(hang_up.authorization, bearer);
}

/// The core alone: a refused callback leaves the memory exactly as it was,
/// whatever the notification would have done.
#[test]
fn a_refused_callback_changes_nothing() {
    let key = SigningKey::generate("graph-key");
    let forger = SigningKey::generate("graph-key");
    let verifier = Verifier::new(APP_ID, Keys::from_jwks(&key.jwks()).unwrap());
    let now = std::time::SystemTime::now();
    let seconds = now.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let claims = json!({"aud": APP_ID, "iss": "https://api.botframework.com", "exp": seconds + 600});
    let body = serde_json::to_vec(&call_notification("updated", "established")).unwrap();

    let mut memory = Memory::default();
    for authorization in [None, Some(format!("Bearer {}", forger.sign(&claims))), Some("Basic x".to_owned())] {
        let result = on_callback(&mut memory, &verifier, authorization.as_deref(), &body, now);
        assert!(matches!(result, Err(conformance::bot::Rejected::Unauthorized(_))), "{result:?}");
        assert_eq!(memory, Memory::default());
    }
    let good = format!("Bearer {}", key.sign(&claims));
    on_callback(&mut memory, &verifier, Some(&good), &body, now).unwrap();
    assert_eq!(memory.log, ["call established"]);
}
