//! What an operator scrapes from each process (`metrics.listen`): running
//! sessions and armed deadlines, how late deadlines are delivered, how fast
//! interactions get their first response, REST requests by route, rate
//! limits, and errors by kind. One registry per process, handed to whoever
//! measures, so two bots in one test binary never count into each other.

pub mod rest;
pub mod server;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabel {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ScopeLabel {
    scope: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabel {
    kind: String,
}

/// The process's metrics; cheap to clone (one shared registry).
#[derive(Clone)]
pub struct Metrics {
    inner: Arc<Inner>,
}

struct Inner {
    registry: Registry,
    sessions_running: Gauge,
    deadlines_armed: Gauge,
    deadline_lateness: Histogram,
    first_response: Histogram,
    rest_requests: Family<RouteLabel, Counter>,
    rate_limited: Family<ScopeLabel, Counter>,
    errors: Family<KindLabel, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

/// 1 ms to about 16 s, doubling: a deadline or a first response later than
/// that is an outage, not a distribution.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("interview_bot");
        let inner = Inner {
            sessions_running: Gauge::default(),
            deadlines_armed: Gauge::default(),
            deadline_lateness: latency_histogram(),
            first_response: latency_histogram(),
            rest_requests: Family::default(),
            rate_limited: Family::default(),
            errors: Family::default(),
            registry: Registry::default(),
        };
        registry.register(
            "sessions_running",
            "Interviews and panels running in this process",
            inner.sessions_running.clone(),
        );
        registry.register(
            "deadlines_armed",
            "Deadlines this process has armed",
            inner.deadlines_armed.clone(),
        );
        registry.register(
            "deadline_lateness_seconds",
            "From a deadline to its stored transition being handed to the front end",
            inner.deadline_lateness.clone(),
        );
        registry.register(
            "first_response_seconds",
            "From an interaction's creation to the bot's first response to it",
            inner.first_response.clone(),
        );
        registry.register(
            "rest_requests",
            "Discord REST requests, by route",
            inner.rest_requests.clone(),
        );
        registry.register(
            "rate_limited",
            "Discord rate limits met (429s and waits), by scope",
            inner.rate_limited.clone(),
        );
        registry.register("errors", "Errors, by kind", inner.errors.clone());
        Metrics {
            inner: Arc::new(Inner { registry, ..inner }),
        }
    }

    pub fn deadline_late(&self, by: Duration) {
        self.inner.deadline_lateness.observe(by.as_secs_f64());
    }

    pub fn first_response(&self, after: Duration) {
        self.inner.first_response.observe(after.as_secs_f64());
    }

    pub fn rest_request(&self, route: &str) {
        let label = RouteLabel {
            route: route.to_string(),
        };
        self.inner.rest_requests.get_or_create(&label).inc();
    }

    /// A rate limit met: `global` for the bot-wide one, else a route's.
    pub fn rate_limited(&self, global: bool) {
        let scope = if global { "global" } else { "route" };
        let label = ScopeLabel {
            scope: scope.to_string(),
        };
        self.inner.rate_limited.get_or_create(&label).inc();
    }

    /// An error of `kind` (a short snake_case word: `internal`, `deadline`,
    /// `delivery`, `option`, `event_handler`).
    pub fn error(&self, kind: &str) {
        let label = KindLabel {
            kind: kind.to_string(),
        };
        self.inner.errors.get_or_create(&label).inc();
    }

    /// The gauges, read fresh at each scrape.
    pub fn set_levels(&self, sessions_running: usize, deadlines_armed: usize) {
        let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
        self.inner.sessions_running.set(n(sessions_running));
        self.inner.deadlines_armed.set(n(deadlines_armed));
    }

    /// Everything in Prometheus' text format (OpenMetrics flavour).
    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.inner.registry);
        out
    }
}
