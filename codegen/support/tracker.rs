//! Operations that complete: a tracker of the actions a bot sends, without
//! I/O. The bot registers an action before sending it (the tracker makes its
//! `clientContext` when the bot has none), hands the tracker the HTTP answer
//! and every callback notification, and reads each operation's outcome:
//! `Completed`, `Failed` with the service's `resultInfo`, or `TimedOut` by
//! the bot's own clock.
//!
//! Operations are matched by `clientContext` and, where the service names
//! it, by operation id (from the answer's body, its `Location`, or a
//! notification's resource URL). A completion may arrive before the answer,
//! twice, or in the answer itself; an outcome, once reached, never changes.
//! Every action that answers with a `commsOperation` (invite, mute,
//! playPrompt, record, subscribeToTone, ...) of any API version fits: the
//! tracker reads the operation's JSON, not a generated type. Its state is
//! plain data that serializes, so a bot without memory between requests can
//! keep it in its own store.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::support::{Notification, operation_id};

/// Milliseconds on the bot's clock: any epoch, the same for one tracker.
pub type Millis = u64;

/// Where an operation stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum Outcome {
    /// Sent, and neither completed nor failed yet.
    Pending,
    /// The service completed it.
    Completed,
    /// The service failed it; `resultInfo` as it was sent, if it was.
    Failed {
        /// The operation's `resultInfo` (code, subcode, message).
        #[serde(rename = "resultInfo", skip_serializing_if = "Option::is_none")]
        result_info: Option<Value>,
    },
    /// No outcome by its deadline.
    TimedOut,
}

impl Outcome {
    /// Whether the outcome is final.
    pub fn is_final(&self) -> bool {
        !matches!(self, Outcome::Pending)
    }
}

/// One operation the tracker follows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tracked {
    /// The `clientContext` it was sent with.
    pub client_context: String,
    /// The service's id of the operation, once known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    /// When it times out, on the bot's clock.
    pub deadline: Millis,
    /// Where it stands.
    pub outcome: Outcome,
}

/// An operation reaching its final outcome: what [`Tracker`] reports, once
/// per operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    /// The `clientContext` of the operation.
    pub client_context: String,
    /// Its final outcome.
    pub outcome: Outcome,
}

/// The operations a bot has sent and what became of them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tracker {
    operations: Vec<Tracked>,
}

impl Tracker {
    /// A tracker that follows nothing yet.
    pub fn new() -> Self {
        Tracker::default()
    }

    /// Starts following an action about to be sent with `client_context`
    /// (a fresh UUID when `None`: put it in the action's parameters), which
    /// times out `timeout` milliseconds after `now`. Returns the context.
    pub fn register(&mut self, client_context: Option<&str>, now: Millis, timeout: Millis) -> String {
        let client_context = client_context
            .map(str::to_owned)
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        self.operations.retain(|t| t.client_context != client_context);
        self.operations.push(Tracked {
            client_context: client_context.clone(),
            operation_id: None,
            deadline: now.saturating_add(timeout),
            outcome: Outcome::Pending,
        });
        client_context
    }

    /// The operation sent with `client_context`.
    pub fn get(&self, client_context: &str) -> Option<&Tracked> {
        self.operations.iter().find(|t| t.client_context == client_context)
    }

    /// Stops following an operation (after its outcome was acted on).
    pub fn forget(&mut self, client_context: &str) -> Option<Tracked> {
        let index = self.operations.iter().position(|t| t.client_context == client_context)?;
        Some(self.operations.remove(index))
    }

    /// Every operation followed, in the order they were registered.
    pub fn operations(&self) -> &[Tracked] {
        &self.operations
    }

    /// The HTTP answer to the action sent with `client_context`: its body (a
    /// `commsOperation`, or `None` for a 202 without one) and its `Location`.
    /// An operation that completes synchronously resolves here.
    pub fn on_response(
        &mut self,
        client_context: &str,
        body: Option<&Value>,
        location: Option<&str>,
    ) -> Option<Resolved> {
        let tracked = self
            .operations
            .iter_mut()
            .find(|t| t.client_context == client_context)?;
        let id = body
            .and_then(|b| b.get("id"))
            .and_then(Value::as_str)
            .or_else(|| location.and_then(operation_id));
        if let Some(id) = id {
            tracked.operation_id.get_or_insert_with(|| id.to_owned());
        }
        body.and_then(|b| resolve(tracked, b))
    }

    /// A callback notification: each operation in its resources (by
    /// `clientContext`, else by id, from the resource or its URL) that it
    /// completes or fails. Operations the tracker does not follow are left alone.
    pub fn on_notification<D>(&mut self, notification: &Notification<D>) -> Vec<Resolved> {
        let url_id = notification.operation_id();
        let mut resolved = Vec::new();
        for item in notification.items() {
            let text = |name: &str| item.get(name).and_then(Value::as_str);
            let id = text("id").or(url_id);
            let tracked = self.operations.iter_mut().find(|t| {
                text("clientContext") == Some(t.client_context.as_str())
                    || (id.is_some() && t.operation_id.as_deref() == id)
            });
            let Some(tracked) = tracked else {
                continue;
            };
            if let Some(id) = id {
                tracked.operation_id.get_or_insert_with(|| id.to_owned());
            }
            resolved.extend(resolve(tracked, item));
        }
        resolved
    }

    /// The operations still pending at their deadline time out.
    pub fn tick(&mut self, now: Millis) -> Vec<Resolved> {
        self.operations
            .iter_mut()
            .filter(|t| !t.outcome.is_final() && t.deadline <= now)
            .map(|t| {
                t.outcome = Outcome::TimedOut;
                Resolved {
                    client_context: t.client_context.clone(),
                    outcome: Outcome::TimedOut,
                }
            })
            .collect()
    }
}

/// The final outcome `operation` (a `commsOperation` as JSON) gives `tracked`,
/// if it gives one and `tracked` has none yet.
fn resolve(tracked: &mut Tracked, operation: &Value) -> Option<Resolved> {
    if tracked.outcome.is_final() {
        return None;
    }
    let status = operation.get("status").and_then(Value::as_str)?;
    let outcome = if status.eq_ignore_ascii_case("completed") {
        Outcome::Completed
    } else if status.eq_ignore_ascii_case("failed") {
        Outcome::Failed {
            result_info: operation.get("resultInfo").filter(|v| !v.is_null()).cloned(),
        }
    } else {
        return None;
    };
    tracked.outcome = outcome.clone();
    Some(Resolved {
        client_context: tracked.client_context.clone(),
        outcome,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::support::notifications::testing::notification;
    use serde_json::json;

    const URL: &str = "/communications/calls/c1/operations/op1";

    #[test]
    fn completion_after_the_answer() {
        let mut tracker = Tracker::new();
        let context = tracker.register(Some("ctx"), 0, 1_000);
        let running = json!({"id": "op1", "status": "Running", "clientContext": "ctx"});
        assert_eq!(tracker.on_response(&context, Some(&running), None), None);
        assert_eq!(tracker.get("ctx").unwrap().operation_id.as_deref(), Some("op1"));
        // The notification names the operation by id only.
        let done = notification("deleted", URL, json!({"status": "completed"}));
        let resolved = tracker.on_notification(&done);
        assert_eq!(resolved, [Resolved { client_context: "ctx".into(), outcome: Outcome::Completed }]);
        // A duplicate resolves nothing again; a timeout no longer applies.
        assert!(tracker.on_notification(&done).is_empty());
        assert!(tracker.tick(5_000).is_empty());
    }

    #[test]
    fn completion_before_the_answer() {
        let mut tracker = Tracker::new();
        let context = tracker.register(None, 0, 1_000);
        assert_eq!(context.len(), 36, "a UUID: {context}");
        let done = notification("deleted", URL, json!({"status": "completed", "clientContext": context}));
        assert_eq!(tracker.on_notification(&done).len(), 1);
        // The late answer says Running: the outcome stays.
        let running = json!({"id": "op1", "status": "Running", "clientContext": context});
        assert_eq!(tracker.on_response(&context, Some(&running), None), None);
        assert_eq!(tracker.get(&context).unwrap().outcome, Outcome::Completed);
    }

    #[test]
    fn synchronous_completion_and_failure_in_the_answer() {
        let mut tracker = Tracker::new();
        tracker.register(Some("a"), 0, 1_000);
        tracker.register(Some("b"), 0, 1_000);
        let completed = json!({"id": "1", "status": "completed"});
        assert_eq!(
            tracker.on_response("a", Some(&completed), None).map(|r| r.outcome),
            Some(Outcome::Completed)
        );
        let failed = json!({"id": "2", "status": "failed", "resultInfo": {"code": 400, "subcode": 8513}});
        assert_eq!(
            tracker.on_response("b", Some(&failed), None).map(|r| r.outcome),
            Some(Outcome::Failed { result_info: Some(json!({"code": 400, "subcode": 8513})) })
        );
    }

    #[test]
    fn an_answer_with_only_a_location_and_a_timeout() {
        let mut tracker = Tracker::new();
        tracker.register(Some("a"), 100, 1_000);
        tracker.register(Some("b"), 100, 5_000);
        assert_eq!(tracker.on_response("a", None, Some("https://graph.microsoft.com/v1.0/communications/calls/c1/operations/op1")), None);
        assert_eq!(tracker.get("a").unwrap().operation_id.as_deref(), Some("op1"));
        assert!(tracker.tick(1_099).is_empty());
        let timed_out = tracker.tick(1_100);
        assert_eq!(timed_out, [Resolved { client_context: "a".into(), outcome: Outcome::TimedOut }]);
        // A completion after the timeout changes nothing.
        assert!(tracker.on_notification(&notification("deleted", URL, json!({"status": "completed"}))).is_empty());
        assert_eq!(tracker.get("b").unwrap().outcome, Outcome::Pending);
    }

    /// The state is plain data: a stateless bot stores it and reads it back.
    #[test]
    fn state_serializes() {
        let mut tracker = Tracker::new();
        tracker.register(Some("a"), 0, 10);
        tracker.register(Some("b"), 0, 10);
        tracker.on_response("b", Some(&json!({"id": "2", "status": "failed"})), None);
        let stored = serde_json::to_string(&tracker).unwrap();
        assert_eq!(
            stored,
            r#"{"operations":[{"clientContext":"a","deadline":10,"outcome":{"state":"pending"}},{"clientContext":"b","operationId":"2","deadline":10,"outcome":{"state":"failed"}}]}"#
        );
        assert_eq!(serde_json::from_str::<Tracker>(&stored).unwrap(), tracker);
    }

    /// Unknown operations and resources that are no operation are ignored.
    #[test]
    fn what_is_not_followed_is_left_alone() {
        let mut tracker = Tracker::new();
        tracker.register(Some("a"), 0, 10);
        let roster = notification(
            "updated",
            "/communications/calls/c1/participants",
            json!([{"@odata.type": "#microsoft.graph.participant", "id": "p1"}]),
        );
        assert!(tracker.on_notification(&roster).is_empty());
        let other = notification("deleted", URL, json!({"status": "completed", "clientContext": "z"}));
        assert!(tracker.on_notification(&other).is_empty());
        assert_eq!(tracker.forget("a").map(|t| t.outcome), Some(Outcome::Pending));
        assert!(tracker.operations().is_empty());
    }
}
