//! The example calling bot (`examples/calling_bot.rs`): it places a call,
//! invites a participant once the call is established, waits for the
//! invitation to complete and the participant to join, and hangs up.
//!
//! The core is plain data and functions: [`Memory`] is everything the bot
//! knows and [`on_callback`] folds one callback request into it (verify,
//! decode, apply to the call's state, feed the operation tracker). [`Bot`]
//! is the shell: a `support::Client` that sends the actions and an axum
//! router ([`Bot::router`]) that answers Microsoft's callbacks.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::post;
use generated::support::{
    CallState, Client, Event, Field, Millis, OpenEnum, Outcome, Refusal, Tracker, Verifier, apply,
    notifications,
};
use generated::v1::{
    self, AnyIdentity, AnyIdentitySet, AnyMediaConfig, Identity, IdentitySet,
    InvitationParticipantInfo, Modality, ServiceHostedMediaConfig,
};
use serde::Serialize;
use serde_json::Value;

/// Everything the bot knows. It serializes: a bot that keeps no memory
/// between requests would store this and load it for each callback.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Memory {
    /// Each call's state, by call id, from its notifications.
    pub calls: BTreeMap<String, CallState>,
    /// The actions sent and their outcomes.
    pub tracker: Tracker,
    /// What happened, one line per event, in order.
    pub log: Vec<String>,
}

/// Why a callback request was not taken.
#[derive(Debug, PartialEq)]
pub enum Rejected {
    /// The token is missing or refused: answer 401.
    Unauthorized(Option<Refusal>),
    /// The body is not a notification collection: answer 400.
    NotNotifications(String),
}

/// Folds one callback request (its `Authorization` header and body) into
/// `memory`, at time `now` (for the token) and `millis` (for the tracker).
/// Nothing changes unless the token is good and the body reads.
pub fn on_callback(
    memory: &mut Memory,
    verifier: &Verifier,
    authorization: Option<&str>,
    body: &[u8],
    now: SystemTime,
) -> Result<(), Rejected> {
    let authorization = authorization.ok_or(Rejected::Unauthorized(None))?;
    verifier
        .verify(authorization, now)
        .map_err(|refusal| Rejected::Unauthorized(Some(refusal)))?;
    let notifications = notifications::<v1::Decoded>(body)
        .map_err(|error| Rejected::NotNotifications(error.to_string()))?;
    for notification in &notifications {
        if let Some(call) = notification.call_id() {
            let state = memory.calls.entry(call.to_owned()).or_default();
            for event in apply(state, call, notification) {
                memory.log.push(describe(&event));
            }
        }
        for resolved in memory.tracker.on_notification(notification) {
            memory.log.push(format!("operation {}", outcome(&resolved.outcome)));
        }
    }
    Ok(())
}

fn describe(event: &Event) -> String {
    match event {
        Event::CallState { new, .. } => format!("call {new}"),
        Event::Terminated { result_info } => {
            let code = result_info.as_ref().and_then(|r| r.get("code")).unwrap_or(&Value::Null);
            format!("call terminated with code {code}")
        }
        Event::Deleted => "call deleted".to_owned(),
        Event::Joined { id, .. } => format!("participant {id} joined"),
        Event::Updated { id, .. } => format!("participant {id} updated"),
        Event::Left { id, .. } => format!("participant {id} left"),
        Event::Stale { id, .. } => format!("stale update of {id} ignored"),
    }
}

fn outcome(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Pending => "pending",
        Outcome::Completed => "completed",
        Outcome::Failed { .. } => "failed",
        Outcome::TimedOut => "timed out",
    }
}

/// Where the bot is and who it is.
#[derive(Clone, Debug)]
pub struct Config {
    /// The Graph base URL, e.g. `https://graph.microsoft.com/v1.0`.
    pub graph: String,
    /// The bot's Graph token.
    pub token: String,
    /// The bot's tenant.
    pub tenant: String,
    /// The public URL of the bot's callback route (`/callback`).
    pub callback: String,
    /// How long to wait for the service at each step.
    pub patience: Duration,
}

/// The bot: its memory behind a lock, the Graph client, the callback verifier.
#[derive(Clone)]
pub struct Bot {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    client: Client,
    verifier: Verifier,
    memory: Mutex<Memory>,
    changed: tokio::sync::Notify,
    started: Instant,
}

impl Bot {
    /// A bot that sends with `config` and accepts callbacks `verifier` passes.
    pub fn new(config: Config, verifier: Verifier) -> Bot {
        let client = Client::new(config.graph.clone(), config.token.clone());
        let inner = Inner {
            config,
            client,
            verifier,
            memory: Mutex::default(),
            changed: tokio::sync::Notify::new(),
            started: Instant::now(),
        };
        Bot { inner: Arc::new(inner) }
    }

    /// The callback route: `POST /callback`.
    pub fn router(&self) -> Router {
        Router::new().route("/callback", post(callback)).with_state(self.clone())
    }

    /// A copy of what the bot knows now.
    pub fn memory(&self) -> Memory {
        self.lock().clone()
    }

    fn lock(&self) -> MutexGuard<'_, Memory> {
        // A panic while holding the lock leaves plain data: keep going.
        self.inner.memory.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn millis(&self) -> Millis {
        u64::try_from(self.inner.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Places a call to `user` (an Entra user id) with service-hosted media;
    /// returns the call's id.
    pub async fn place_call(&self, user: &str) -> Result<String, String> {
        let config = &self.inner.config;
        let call = v1::Call {
            callback_uri: Field::Value(config.callback.clone()),
            targets: Field::Value(vec![participant(user)]),
            requested_modalities: Field::Value(vec![OpenEnum::from(Modality::Audio)]),
            media_config: Field::Value(AnyMediaConfig::from(ServiceHostedMediaConfig::default())),
            tenant_id: Field::Value(config.tenant.clone()),
            ..v1::Call::default()
        };
        let request = v1::api::communications().calls().create(&call).map_err(|e| e.to_string())?;
        let response = self.inner.client.send(&request).await.map_err(|e| e.to_string())?;
        let id = response.value.and_then(|call| call.id.into_value());
        id.ok_or_else(|| "the created call has no id".to_owned())
    }

    /// Waits until `call` is established.
    pub async fn established(&self, call: &str) -> Result<(), String> {
        self.wait("the call to be established", |memory| {
            memory.calls.get(call).and_then(|c| c.state.as_deref()) == Some("established")
        })
        .await
    }

    /// Invites `user` to `call` and waits for the invitation's outcome and,
    /// when it completes, for the participant to be in the roster.
    pub async fn invite(&self, call: &str, user: &str) -> Result<Outcome, String> {
        let context = {
            let millis = self.millis();
            let patience = u64::try_from(self.inner.config.patience.as_millis()).unwrap_or(u64::MAX);
            self.lock().tracker.register(None, millis, patience)
        };
        let mut parameters = v1::api::InviteParameters::new(vec![participant(user)]);
        parameters.client_context = Field::Value(context.clone());
        let request = v1::api::communications()
            .calls()
            .by_id(call)
            .and_then(|call| call.participants().invite(&parameters))
            .map_err(|e| e.to_string())?;
        let response = self.inner.client.send(&request).await.map_err(|e| e.to_string())?;
        let body = response.value.map(|operation| serde_json::to_value(operation).expect("operations serialize"));
        {
            let mut memory = self.lock();
            if let Some(resolved) = memory.tracker.on_response(&context, body.as_ref(), response.location.as_deref()) {
                memory.log.push(format!("operation {}", outcome(&resolved.outcome)));
            }
        }
        self.wait("the invitation's outcome", |memory| {
            memory.tracker.get(&context).is_some_and(|t| t.outcome.is_final())
        })
        .await?;
        let outcome = self.lock().tracker.get(&context).map(|t| t.outcome.clone()).unwrap_or(Outcome::Pending);
        if outcome == Outcome::Completed {
            self.wait("the participant to join", |memory| {
                memory.calls.get(call).is_some_and(|c| c.participants.values().any(|p| is_user(p, user)))
            })
            .await?;
        }
        Ok(outcome)
    }

    /// Hangs up `call` and waits until the service deleted it.
    pub async fn hang_up(&self, call: &str) -> Result<(), String> {
        let request = v1::api::communications().calls().by_id(call).map_err(|e| e.to_string())?.delete();
        self.inner.client.send(&request).await.map_err(|e| e.to_string())?;
        self.wait("the call to be deleted", |memory| memory.calls.get(call).is_some_and(|c| c.deleted))
            .await
    }

    /// Places a call to `callee`, invites `invitee` once it is established,
    /// and hangs up after the invitee joined.
    pub async fn run(&self, callee: &str, invitee: &str) -> Result<(), String> {
        let call = self.place_call(callee).await?;
        self.established(&call).await?;
        match self.invite(&call, invitee).await? {
            Outcome::Completed => {}
            other => self.lock().log.push(format!("invitation ended {other:?}")),
        }
        self.hang_up(&call).await
    }

    /// Waits until `done` holds of the memory, re-checking after each callback.
    async fn wait(&self, what: &str, done: impl Fn(&Memory) -> bool) -> Result<(), String> {
        let waiting = async {
            loop {
                let changed = self.inner.changed.notified();
                if done(&self.lock()) {
                    return;
                }
                changed.await;
            }
        };
        tokio::time::timeout(self.inner.config.patience, waiting)
            .await
            .map_err(|_| format!("gave up waiting for {what}"))
    }
}

/// `POST /callback`: 202 once the notifications are applied, 401 for a bad
/// token, 400 for a body that is not notifications.
async fn callback(State(bot): State<Bot>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let result = on_callback(&mut bot.lock(), &bot.inner.verifier, authorization, &body, SystemTime::now());
    match result {
        Ok(()) => {
            bot.inner.changed.notify_waiters();
            StatusCode::ACCEPTED
        }
        Err(Rejected::Unauthorized(_)) => StatusCode::UNAUTHORIZED,
        Err(Rejected::NotNotifications(_)) => StatusCode::BAD_REQUEST,
    }
}

/// A participant to invite or call: the user with this id.
fn participant(user: &str) -> InvitationParticipantInfo {
    let identity = IdentitySet {
        user: Field::Value(AnyIdentity::from(Identity {
            id: Field::Value(user.to_owned()),
            ..Identity::default()
        })),
        ..IdentitySet::default()
    };
    InvitationParticipantInfo {
        identity: Field::Value(AnyIdentitySet::from(identity)),
        ..InvitationParticipantInfo::default()
    }
}

/// Whether a roster entry (a participant as sent) is the user with this id.
fn is_user(participant: &Value, user: &str) -> bool {
    participant.pointer("/info/identity/user/id").and_then(Value::as_str) == Some(user)
}

/// What the example needs besides [`Config`].
#[derive(Clone, Debug)]
pub struct Settings {
    /// Where the bot sends and how it is reached.
    pub config: Config,
    /// The bot's app id: the audience of callback tokens.
    pub app_id: String,
    /// The OpenID configuration that names the callback keys (usually
    /// `support::verify::OPENID_CONFIGURATION`).
    pub openid_configuration: String,
    /// Who the bot calls.
    pub callee: String,
    /// Who the bot invites into the call.
    pub invitee: String,
}

/// The whole example: fetches the callback keys, answers callbacks on
/// `listener`, runs [`Bot::run`], and returns what the bot knew at the end.
pub async fn serve_and_run(settings: Settings, listener: tokio::net::TcpListener) -> Result<Memory, String> {
    let http = generated::support::reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| e.to_string())?;
    let keys = generated::support::verify::fetch_keys(&http, &settings.openid_configuration)
        .await
        .map_err(|e| e.to_string())?;
    let bot = Bot::new(settings.config, Verifier::new(settings.app_id, keys));
    let server = tokio::spawn(axum::serve(listener, bot.router()).into_future());
    let outcome = bot.run(&settings.callee, &settings.invitee).await;
    server.abort();
    outcome.map(|()| bot.memory())
}
