//! The generated requests against a real HTTP server: each test starts a
//! wiremock server on 127.0.0.1, sends a request built with the `api` of an
//! API version's module through `support::Client`, and has the server check
//! exactly what arrives (method, encoded path, headers, JSON body) and answer
//! with a documented response, whose decoding the test then checks. Every
//! test runs for `generated::beta` and for `generated::v1` (modules `beta`
//! and `v1` below), the invite with the example its version's page documents.

use std::error::Error;

use conformance::{fixture_text, manifest, repair_trailing_commas};
use generated::support::{Additional, Client};
use serde_json::{Value, json};
use wiremock::MockServer;

type TestResult = Result<(), Box<dyn Error>>;

const TOKEN: &str = "t0ken-for-the-mock";
/// The call of seed example 1 (from the `resourceUrl` of its notifications).
const CALL_ID: &str = "ab6233a5-20b7-4c5e-bea2-ce56c9776429";

/// A mock server on 127.0.0.1 and a client whose base URL is that server.
async fn start() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::new(server.uri(), TOKEN);
    (server, client)
}

/// A fixture's text exactly as documented, looked up in the manifest.
fn seed(fixture: &str) -> String {
    let entries = manifest();
    let entry = entries
        .iter()
        .find(|entry| entry.fixture == fixture)
        .unwrap_or_else(|| panic!("{fixture} is not in the manifest"));
    fixture_text(entry)
}

/// A fixture as JSON, with the trailing commas of the documented text removed.
fn seed_json(fixture: &str) -> Value {
    serde_json::from_str(&repair_trailing_commas(&seed(fixture))).unwrap()
}

/// `additional` holding only `"@odata.type": odata_type`: values whose Rust
/// type is the declared type do not write their annotation themselves.
fn odata_type(odata_type: &str) -> Additional {
    [("@odata.type".to_owned(), json!(odata_type))]
        .into_iter()
        .collect()
}

/// The tests for one API version's module: `$invite` is the documented
/// invite example of its page (request and response fixtures without
/// `-request.json`), `$user` the identity it invites.
macro_rules! http_tests {
    ($version:ident, $invite:literal, $user:expr) => {
        mod $version {
            use super::*;
            use generated::$version::api::{self, AnswerParameters, InviteParameters};
            use generated::$version::{
                AnyIdentity, AnyIdentitySet, AnyMediaConfig, Call, CallDirection, CallState,
                Identity, IdentitySet, InvitationParticipantInfo, MediaInfo, Modality,
                OperationStatus, ServiceHostedMediaConfig,
            };
            use generated::support::{ClientError, Field, OpenEnum, Response};
            use wiremock::matchers::{
                body_json, header, method, path, query_param, query_param_is_missing,
            };
            use wiremock::{Mock, ResponseTemplate};

            /// The `identitySet` of one user, annotated like the documented examples.
            fn user_identity_set(mut user: Identity) -> AnyIdentitySet {
                user.additional
                    .insert("@odata.type".to_owned(), json!("#microsoft.graph.identity"));
                AnyIdentitySet::from(IdentitySet {
                    user: AnyIdentity::from(user).into(),
                    additional: odata_type("#microsoft.graph.identitySet"),
                    ..IdentitySet::default()
                })
            }

            /// The parameters of invite example 1 of the version's page.
            fn example_invite() -> InviteParameters {
                let user: Identity = $user;
                let participant = InvitationParticipantInfo {
                    replaces_call_id: Field::Value("a7ebfb2d-871e-419c-87af-27290b22e8db".to_owned()),
                    identity: user_identity_set(user).into(),
                    additional: odata_type("#microsoft.graph.invitationParticipantInfo"),
                    ..InvitationParticipantInfo::default()
                };
                let mut parameters = InviteParameters::new(vec![participant]);
                parameters.client_context = Field::Value("f2fa86af-3c51-4bc2-8fc0-475452d9764f".to_owned());
                parameters
            }

            #[tokio::test]
            async fn invite_sends_the_documented_request_and_reads_the_operation() -> TestResult {
                let (server, client) = start().await;
                let documented_request: Value = serde_json::from_str(&seed(concat!($invite, "-request.json")))?;
                let location = format!(
                    "{}/communications/calls/{CALL_ID}/operations/eec3812a-fdc3-4fb4-825c-a06c9f35414e",
                    server.uri()
                );
                Mock::given(method("POST"))
                    .and(path(format!(
                        "/communications/calls/{CALL_ID}/participants/invite"
                    )))
                    .and(header("Content-Type", "application/json"))
                    .and(header("Authorization", format!("Bearer {TOKEN}").as_str()))
                    .and(body_json(&documented_request))
                    .respond_with(
                        ResponseTemplate::new(200)
                            .set_body_raw(seed(concat!($invite, "-response.json")), "application/json")
                            .insert_header("Location", location.as_str())
                            .insert_header("request-id", "0b8c6f4e-request")
                            .insert_header("client-request-id", "6d2f9a1c-client"),
                    )
                    .expect(1)
                    .mount(&server)
                    .await;

                let request = api::communications()
                    .calls()
                    .by_id(CALL_ID)?
                    .participants()
                    .invite(&example_invite())?;
                let response = client.send(&request).await?;

                assert_eq!(response.status, 200);
                assert_eq!(response.location.as_deref(), Some(location.as_str()));
                assert_eq!(response.request_id.as_deref(), Some("0b8c6f4e-request"));
                assert_eq!(
                    response.client_request_id.as_deref(),
                    Some("6d2f9a1c-client")
                );
                let operation = response.value.expect("a body");
                assert_eq!(
                    operation.id.value().map(String::as_str),
                    Some("eec3812a-fdc3-4fb4-825c-a06c9f35414e")
                );
                assert_eq!(
                    operation.status.value().and_then(OpenEnum::member),
                    Some(OperationStatus::Running)
                );
                assert_eq!(
                    operation.client_context.value().map(String::as_str),
                    Some("f2fa86af-3c51-4bc2-8fc0-475452d9764f")
                );
                assert!(operation.result_info.is_null());
                let participants = operation.participants.value().expect("participants");
                assert_eq!(
                    participants[0].replaces_call_id.value().map(String::as_str),
                    Some("a7ebfb2d-871e-419c-87af-27290b22e8db")
                );
                assert_eq!(
                    serde_json::to_value(&operation)?,
                    seed_json(concat!($invite, "-response.json"))
                );
                Ok(())
            }

            /// The call of `create-call-beta-2019/p2p-service-hosted-media-request.json`.
            fn example_call() -> Call {
                let john = Identity {
                    display_name: Field::Value("John".to_owned()),
                    id: Field::Value("112f7296-5fa4-42ca-bae8-6a692b15d4b8".to_owned()),
                    ..Identity::default()
                };
                let target = InvitationParticipantInfo {
                    identity: user_identity_set(john).into(),
                    additional: odata_type("#microsoft.graph.participantInfo"),
                    ..InvitationParticipantInfo::default()
                };
                Call {
                    callback_uri: Field::Value("https://bot.contoso.com/callback".to_owned()),
                    targets: vec![target].into(),
                    requested_modalities: vec![Modality::Audio.into()].into(),
                    media_config: AnyMediaConfig::from(ServiceHostedMediaConfig::default()).into(),
                    additional: odata_type("#microsoft.graph.call"),
                    ..Call::default()
                }
            }

            #[tokio::test]
            async fn create_call_posts_the_documented_call_and_reads_the_created_one() -> TestResult {
                let (server, client) = start().await;
                // Both documented blocks have trailing commas: the service would send
                // (and expect) the repaired JSON.
                let documented_response =
                    seed_json("create-call-beta-2019/p2p-service-hosted-media-response.json");
                Mock::given(method("POST"))
                    .and(path("/communications/calls"))
                    .and(header("Content-Type", "application/json"))
                    .and(header("Authorization", format!("Bearer {TOKEN}").as_str()))
                    .and(body_json(seed_json(
                        "create-call-beta-2019/p2p-service-hosted-media-request.json",
                    )))
                    .respond_with(ResponseTemplate::new(201).set_body_json(&documented_response))
                    .expect(1)
                    .mount(&server)
                    .await;

                let response = client
                    .send(&api::communications().calls().create(&example_call())?)
                    .await?;

                assert_eq!(response.status, 201);
                let call = response.value.expect("a body");
                assert_eq!(
                    call.id.value().map(String::as_str),
                    Some("2e1a0b00-2db4-4022-9570-243709c565ab")
                );
                assert_eq!(
                    call.state.value().and_then(OpenEnum::member),
                    Some(CallState::Establishing)
                );
                assert_eq!(
                    call.direction.value().and_then(OpenEnum::member),
                    Some(CallDirection::Outgoing)
                );
                let Some(AnyMediaConfig::ServiceHostedMediaConfig(media)) = call.media_config.value() else {
                    panic!("not a service-hosted media config: {:?}", call.media_config);
                };
                assert_eq!(media.pre_fetch_media.value().map(Vec::len), Some(2));
                let source = call
                    .source
                    .value()
                    .and_then(|source| source.identity.value());
                let Some(AnyIdentitySet::IdentitySet(source)) = source else {
                    panic!("{source:?}")
                };
                let Some(AnyIdentity::Identity(application)) = source.application.value() else {
                    panic!("{source:?}")
                };
                assert_eq!(
                    application.display_name.value().map(String::as_str),
                    Some("Calling Bot")
                );
                assert!(call.subject.is_null());
                assert_eq!(serde_json::to_value(&call)?, documented_response);
                Ok(())
            }

            #[tokio::test]
            async fn answer_is_accepted_without_a_body() -> TestResult {
                let (server, client) = start().await;
                // The current reference's answer request (the 2018 seed uses retired names).
                let expected_body = json!({
                    "callbackUri": "https://bot.contoso.com/api/calls",
                    "acceptedModalities": ["audio"],
                    "mediaConfig": {
                        "@odata.type": "#microsoft.graph.serviceHostedMediaConfig",
                        "preFetchMedia": [{"uri": "https://cdn.contoso.com/beep.wav", "resourceId": "f8971b04-b53e-418c-9222-c82ce681a582"}]
                    },
                    "participantCapacity": 200
                });
                Mock::given(method("POST"))
                    .and(path(format!("/communications/calls/{CALL_ID}/answer")))
                    .and(header("Content-Type", "application/json"))
                    .and(header("Authorization", format!("Bearer {TOKEN}").as_str()))
                    .and(body_json(&expected_body))
                    .respond_with(ResponseTemplate::new(202))
                    .expect(1)
                    .mount(&server)
                    .await;

                let beep = MediaInfo {
                    uri: Field::Value("https://cdn.contoso.com/beep.wav".to_owned()),
                    resource_id: Field::Value("f8971b04-b53e-418c-9222-c82ce681a582".to_owned()),
                    ..MediaInfo::default()
                };
                let media = ServiceHostedMediaConfig {
                    pre_fetch_media: vec![beep].into(),
                    ..ServiceHostedMediaConfig::default()
                };
                let mut parameters =
                    AnswerParameters::new("https://bot.contoso.com/api/calls".to_owned(), media.into());
                parameters.accepted_modalities = vec![Modality::Audio.into()].into();
                parameters.participant_capacity = 200.into();
                let response = client
                    .send(
                        &api::communications()
                            .calls()
                            .by_id(CALL_ID)?
                            .answer(&parameters)?,
                    )
                    .await?;

                assert_eq!(response.status, 202);
                assert_eq!(response.value, None);
                Ok(())
            }

            #[tokio::test]
            async fn a_graph_error_body_is_a_typed_error() -> TestResult {
                let (server, client) = start().await;
                Mock::given(method("GET"))
                    .and(path("/communications/calls/gone"))
                    .respond_with(
                        ResponseTemplate::new(404)
                            .insert_header("request-id", "5c8e-header")
                            .set_body_json(json!({
                                "error": {
                                    "code": "itemNotFound",
                                    "message": "The call was not found.",
                                    "innerError": {"request-id": "5c8e-inner", "date": "2024-05-01T08:00:00"}
                                }
                            })),
                    )
                    .expect(1)
                    .mount(&server)
                    .await;

                let result = client
                    .send(&api::communications().calls().by_id("gone")?.get())
                    .await;

                let response = match &result {
                    Err(ClientError::Response { error, attempts: 1, .. }) => error,
                    other => panic!("not an answered error: {other:?}"),
                };
                let Some(error) = response.graph_error() else {
                    panic!("not a Graph error: {response:?}");
                };
                assert_eq!(response.status, 404);
                assert_eq!(error.code, "itemNotFound");
                assert_eq!(error.message, "The call was not found.");
                assert_eq!(
                    error.inner_error.as_ref().map(|inner| &inner["date"]),
                    Some(&json!("2024-05-01T08:00:00"))
                );
                assert_eq!(response.request_id(), Some("5c8e-header"));
                // The server's `Date` header comes before `innerError.date`.
                assert!(response.date().is_some_and(|date| date.ends_with(" GMT")));
                // Sent with a client-request-id, which the error names only if echoed.
                let received = server.received_requests().await.unwrap_or_default();
                assert_eq!(received.len(), 1);
                assert!(received[0].headers.get("client-request-id").is_some());
                Ok(())
            }

            #[tokio::test]
            async fn hostile_ids_stay_one_encoded_segment() -> TestResult {
                let (server, client) = start().await;
                Mock::given(method("GET"))
                    .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "whatever"})))
                    .expect(2)
                    .mount(&server)
                    .await;
                let calls = api::communications().calls();

                for id in ["a/b?c#d", "../../me"] {
                    let response: Response<Call> = client.send(&calls.by_id(id)?.get()).await?;
                    assert_eq!(response.status, 200);
                }
                for id in ["..", ".", ""] {
                    let error = calls
                        .by_id(id)
                        .expect_err("a dot segment or empty key is refused");
                    assert!(error.to_string().contains("not a valid key"), "{error}");
                }

                let received = server.received_requests().await.expect("recording is on");
                let targets: Vec<_> = received
                    .iter()
                    .map(|request| {
                        (
                            request.url.path(),
                            request.url.query(),
                            request.url.fragment(),
                        )
                    })
                    .collect();
                assert_eq!(
                    targets,
                    [
                        ("/communications/calls/a%2Fb%3Fc%23d", None, None),
                        ("/communications/calls/..%2F..%2Fme", None, None),
                    ]
                );
                Ok(())
            }

            /// `GET /communications/calls/{id}/participants` (List participants) pages with `@odata.nextLink`.
            #[tokio::test]
            async fn next_page_follows_the_next_link() -> TestResult {
                let (server, client) = start().await;
                let participants_path = "/communications/calls/call-1/participants";
                let next_link = format!("{}{participants_path}?$skiptoken=page-2", server.uri());
                let participant = |id: &str, muted: bool| json!({"id": id, "isMuted": muted});
                Mock::given(method("GET"))
                    .and(path(participants_path))
                    .and(query_param_is_missing("$skiptoken"))
                    .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                        "@odata.context": "https://graph.microsoft.com/beta/$metadata#communications/calls('call-1')/participants",
                        "value": [participant("p1", false)],
                        "@odata.nextLink": next_link
                    })))
                    .expect(1)
                    .mount(&server)
                    .await;
                Mock::given(method("GET"))
                    .and(path(participants_path))
                    .and(query_param("$skiptoken", "page-2"))
                    .and(header("Authorization", format!("Bearer {TOKEN}").as_str()))
                    .respond_with(
                        ResponseTemplate::new(200).set_body_json(json!({"value": [participant("p2", true)]})),
                    )
                    .expect(1)
                    .mount(&server)
                    .await;

                let first = api::communications()
                    .calls()
                    .by_id("call-1")?
                    .participants()
                    .list();
                let page = client.send(&first).await?.value.expect("a page");
                assert_eq!(page.value[0].id.value().map(String::as_str), Some("p1"));
                assert_eq!(page.next_link.as_deref(), Some(next_link.as_str()));

                let next = first.next_page(&page).expect("a next page");
                let page = client.send(&next).await?.value.expect("a page");
                assert_eq!(page.value[0].is_muted.value(), Some(&true));
                assert!(first.next_page(&page).is_none());
                Ok(())
            }

            /// The documented limit of `clientContext` (256 characters) is checked before anything is sent.
            #[test]
            fn an_overlong_client_context_is_refused_before_sending() {
                let invite = |length: usize| {
                    let mut parameters = InviteParameters::new(Vec::new());
                    parameters.client_context = "é".repeat(length).into();
                    api::communications()
                        .calls()
                        .by_id("call")
                        .unwrap()
                        .participants()
                        .invite(&parameters)
                };
                assert!(invite(256).is_ok());
                let error = invite(257).unwrap_err();
                assert_eq!(
                    error.to_string(),
                    "`clientContext` is 257 characters long; the API accepts at most 256"
                );
            }

            /// `Object::with_odata_type` writes the annotation the documented examples carry on base-type values.
            #[test]
            fn with_odata_type_writes_the_declared_type() {
                use generated::support::Object;
                let identity = Identity {
                    id: "278405a3".into(),
                    ..Default::default()
                }
                .with_odata_type();
                assert_eq!(
                    serde_json::to_value(&identity).unwrap(),
                    serde_json::json!({"@odata.type": "#microsoft.graph.identity", "id": "278405a3"})
                );
            }
        }
    };
}

http_tests!(
    beta,
    "invite-beta-ja/ex1",
    Identity {
        id: Field::Value("278405a3-f568-4b3e-b684-009193463064".to_owned()),
        additional: [("identityProvider".to_owned(), json!("AAD"))]
            .into_iter()
            .collect(),
        ..Identity::default()
    }
);

http_tests!(
    v1,
    "invite-v1-fr/ex1",
    Identity {
        id: Field::Value("278405a3-f568-4b3e-b684-009193463064".to_owned()),
        display_name: Field::Value("string".to_owned()),
        ..Identity::default()
    }
);
