//! When to send a request again, as a pure function of what happened:
//! [`RetryPolicy::decide`]. `client::Client` follows it; a bot with its own
//! transport can too.
//!
//! The rules keep a retry from ever repeating an action the service may have
//! carried out (a second call placed, a second invitation sent):
//! - `429 Too Many Requests` and `503 Service Unavailable` say the service
//!   did not process the request: retried whatever the method, after the
//!   `Retry-After` the service asks for (seconds or an HTTP date), or else
//!   after an exponential backoff with jitter.
//! - A failure after the request may have arrived (`502`, `504`, a timeout
//!   or a connection reset once it was sent) is retried only for idempotent
//!   requests: `GET` (functions included), `PUT` and `DELETE`. A `POST` or
//!   `PATCH` is never sent again after one; the error says so.
//! - A connection that could not be made sent nothing: retried for every
//!   method.
//! - Attempts and the total wait are bounded; a `Retry-After` beyond what is
//!   left of the wait ends the retries rather than being shortened.

use std::time::{Duration, SystemTime};

use crate::support::Method;

/// How often and how long to retry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1: never retry).
    pub max_attempts: u32,
    /// The most time spent waiting between attempts, in all.
    pub max_total_wait: Duration,
    /// The first backoff without `Retry-After`; doubled at each attempt.
    pub base_delay: Duration,
    /// The longest single backoff without `Retry-After`.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// 4 attempts, at most 2 minutes of waiting, backoff from 1 s to 30 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            max_total_wait: Duration::from_secs(120),
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// A policy that sends each request once.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }
}

/// How an attempt failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The service answered with this status, and maybe a `Retry-After`.
    Status {
        /// The HTTP status.
        status: u16,
        /// The `Retry-After` header, read.
        retry_after: Option<RetryAfter>,
    },
    /// No connection could be made: nothing was sent.
    NotSent,
    /// The request was sent (or may have been) and no answer came: a
    /// timeout, a reset connection.
    NoAnswer,
}

/// What to do after a failed attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Send the request again after this long.
    Retry(Duration),
    /// Do not send it again.
    Stop(Stop),
}

/// Why a request is not sent again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The failure is not one a retry can cure (a `400`, a `404`, ...).
    NotRetryable,
    /// The request may have reached the service and is not idempotent
    /// (`POST`, `PATCH`): sending it again could do it twice.
    MayHaveArrived,
    /// The policy's attempts are used up.
    Attempts,
    /// Waiting again would exceed the policy's total wait.
    TotalWait,
}

/// A `Retry-After` header: a delay in seconds or a date (RFC 9110 §10.2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryAfter {
    /// `Retry-After: 120`.
    Seconds(u64),
    /// `Retry-After: Fri, 31 Dec 1999 23:59:59 GMT`.
    Date(SystemTime),
}

impl RetryAfter {
    /// Reads a header value; `None` for anything else.
    pub fn parse(value: &str) -> Option<RetryAfter> {
        let value = value.trim();
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            // More digits than u64 holds is still "a long time".
            return Some(RetryAfter::Seconds(value.parse().unwrap_or(u64::MAX)));
        }
        httpdate::parse_http_date(value).ok().map(RetryAfter::Date)
    }

    /// How long from `now` it asks to wait (nothing for a date past).
    pub fn delay(self, now: SystemTime) -> Duration {
        match self {
            RetryAfter::Seconds(seconds) => Duration::from_secs(seconds),
            RetryAfter::Date(date) => date.duration_since(now).unwrap_or(Duration::ZERO),
        }
    }
}

/// Whether sending `method` twice has the effect of sending it once.
pub fn is_idempotent(method: Method) -> bool {
    matches!(method, Method::Get | Method::Put | Method::Delete)
}

impl RetryPolicy {
    /// What to do after attempt number `attempt` (1 for the first) of a
    /// `method` request failed with `failure`, having already waited
    /// `waited` between attempts. `now` reads a `Retry-After` date;
    /// `jitter`, in `[0, 1)`, spreads the backoff of clients that failed
    /// together.
    pub fn decide(
        &self,
        method: Method,
        failure: &Failure,
        attempt: u32,
        waited: Duration,
        now: SystemTime,
        jitter: f64,
    ) -> Decision {
        let asked = match failure {
            Failure::Status {
                status: 429 | 503,
                retry_after,
            } => retry_after.map(|r| r.delay(now)),
            Failure::NotSent => None,
            Failure::Status {
                status: 502 | 504, ..
            }
            | Failure::NoAnswer => {
                if !is_idempotent(method) {
                    return Decision::Stop(Stop::MayHaveArrived);
                }
                None
            }
            Failure::Status { .. } => return Decision::Stop(Stop::NotRetryable),
        };
        if attempt >= self.max_attempts {
            return Decision::Stop(Stop::Attempts);
        }
        let delay = asked.unwrap_or_else(|| self.backoff(attempt, jitter));
        if waited.saturating_add(delay) > self.max_total_wait {
            return Decision::Stop(Stop::TotalWait);
        }
        Decision::Retry(delay)
    }

    /// `base_delay * 2^(attempt - 1)`, at most `max_delay`, of which the
    /// upper half is scaled by `jitter`.
    fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let doubled = self
            .base_delay
            .saturating_mul(1 << attempt.saturating_sub(1).min(20));
        let full = doubled.min(self.max_delay);
        let jitter = if jitter.is_finite() { jitter.clamp(0.0, 1.0) } else { 0.0 };
        full / 2 + full.mul_f64(jitter / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: SystemTime = SystemTime::UNIX_EPOCH;

    fn status(status: u16, retry_after: Option<RetryAfter>) -> Failure {
        Failure::Status {
            status,
            retry_after,
        }
    }

    fn decide(method: Method, failure: &Failure) -> Decision {
        RetryPolicy::default().decide(method, failure, 1, Duration::ZERO, NOW, 0.0)
    }

    #[test]
    fn throttling_and_unavailable_are_retried_for_every_method() {
        for method in [Method::Get, Method::Post, Method::Patch, Method::Put, Method::Delete] {
            for code in [429, 503] {
                let asked = status(code, Some(RetryAfter::Seconds(7)));
                assert_eq!(decide(method, &asked), Decision::Retry(Duration::from_secs(7)));
                assert!(matches!(decide(method, &status(code, None)), Decision::Retry(_)));
            }
            assert!(matches!(decide(method, &Failure::NotSent), Decision::Retry(_)));
        }
    }

    #[test]
    fn a_failure_after_sending_is_retried_only_when_idempotent() {
        for failure in [status(504, None), status(502, None), Failure::NoAnswer] {
            for method in [Method::Get, Method::Put, Method::Delete] {
                assert!(matches!(decide(method, &failure), Decision::Retry(_)), "{method:?}");
            }
            for method in [Method::Post, Method::Patch] {
                assert_eq!(decide(method, &failure), Decision::Stop(Stop::MayHaveArrived));
            }
        }
    }

    #[test]
    fn other_statuses_are_not_retried() {
        for code in [400, 401, 403, 404, 409, 500, 501] {
            assert_eq!(decide(Method::Get, &status(code, None)), Decision::Stop(Stop::NotRetryable));
        }
    }

    #[test]
    fn attempts_and_total_wait_are_bounded() {
        let policy = RetryPolicy::default();
        let throttled = status(429, Some(RetryAfter::Seconds(10)));
        let at = |attempt, waited| policy.decide(Method::Get, &throttled, attempt, waited, NOW, 0.0);
        assert!(matches!(at(3, Duration::ZERO), Decision::Retry(_)));
        assert_eq!(at(4, Duration::ZERO), Decision::Stop(Stop::Attempts));
        assert_eq!(at(2, Duration::from_secs(111)), Decision::Stop(Stop::TotalWait));
        assert!(matches!(at(2, Duration::from_secs(110)), Decision::Retry(_)));
        assert_eq!(RetryPolicy::never().decide(Method::Get, &throttled, 1, Duration::ZERO, NOW, 0.0), Decision::Stop(Stop::Attempts));
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter_in_the_upper_half() {
        let policy = RetryPolicy::default();
        let delays: Vec<Duration> = (1..=7).map(|attempt| policy.backoff(attempt, 0.0)).collect();
        let ms = |d: &Duration| d.as_millis();
        assert_eq!(delays.iter().map(ms).collect::<Vec<_>>(), [500, 1000, 2000, 4000, 8000, 15000, 15000]);
        assert_eq!(policy.backoff(1, 0.999_999).as_millis(), 999);
        assert_eq!(policy.backoff(40, 1.0), Duration::from_secs(30));
        assert_eq!(policy.backoff(1, f64::NAN), Duration::from_millis(500));
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        assert_eq!(RetryAfter::parse(" 120 "), Some(RetryAfter::Seconds(120)));
        assert_eq!(RetryAfter::parse("99999999999999999999999"), Some(RetryAfter::Seconds(u64::MAX)));
        let date = RetryAfter::parse("Thu, 01 Jan 1970 00:01:40 GMT").unwrap();
        assert_eq!(date.delay(NOW), Duration::from_secs(100));
        assert_eq!(date.delay(NOW + Duration::from_secs(500)), Duration::ZERO);
        for bad in ["", "-1", "1.5", "soon", "Thu, 01 Jan 1970"] {
            assert_eq!(RetryAfter::parse(bad), None, "{bad}");
        }
    }
}
