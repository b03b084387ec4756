//! Counting Discord REST requests without wrapping every call: serenity
//! opens a `request` span (in `serenity::http::client`) around each one,
//! with the request as a field. This layer reads the route's name from that
//! field, and for an interaction's callback (the first response, which
//! Discord wants within 3 s) measures from the interaction's creation,
//! which its snowflake id carries, to the span's close.

use super::Metrics;
use std::fmt::{self, Write};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing::Subscriber;
use tracing_subscriber::filter::{Filtered, Targets};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

const SPAN_TARGET: &str = "serenity::http::client";
const SPAN_NAME: &str = "request";
/// Discord's epoch (2015-01-01) in Unix milliseconds.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// The layer, with the filter that enables serenity's request spans for it
/// alone (the log's own filter may leave serenity at `warn`).
pub fn layer<S>(metrics: Metrics) -> Filtered<RestLayer, Targets, S>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    let only_requests = Targets::new().with_target(SPAN_TARGET, tracing::Level::INFO);
    RestLayer { metrics }.with_filter(only_requests)
}

pub struct RestLayer {
    metrics: Metrics,
}

/// Stored on an interaction callback's span: when the interaction was made.
struct CreatedAt(u64);

impl<S> Layer<S> for RestLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let meta = attrs.metadata();
        if meta.name() != SPAN_NAME || meta.target() != SPAN_TARGET {
            return;
        }
        let mut seen = RequestFields::default();
        attrs.record(&mut seen);
        let Some(route) = seen.route else { return };
        self.metrics.rest_request(&route);
        if let (Some(interaction), Some(span)) = (seen.interaction, ctx.span(id)) {
            span.extensions_mut()
                .insert(CreatedAt(snowflake_ms(interaction)));
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        let Some(span) = ctx.span(&id) else { return };
        let created = span.extensions().get::<CreatedAt>().map(|c| c.0);
        if let Some(at) = created {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_millis() as u64)
                .unwrap_or(0);
            self.metrics
                .first_response(Duration::from_millis(now.saturating_sub(at)));
        }
    }
}

fn snowflake_ms(id: u64) -> u64 {
    (id >> 22) + DISCORD_EPOCH_MS
}

#[derive(Default)]
struct RequestFields {
    route: Option<String>,
    interaction: Option<u64>,
}

impl Visit for RequestFields {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() != "req" {
            return;
        }
        let mut scan = Scan::default();
        // The scan stops formatting (with an error) once it has what it
        // needs, so a large body is not copied anywhere.
        let _ = write!(scan, "{value:?}");
        self.route = scan.route;
        if self.route.as_deref() == Some("InteractionResponse") {
            self.interaction = scan.interaction;
        }
    }
}

/// Reads `route: Name { interaction_id: InteractionId(123), .. }` out of a
/// request's Debug text as it streams by. The text before the route is the
/// request's body as a list of byte values, written a few characters at a
/// time, so each write is matched byte by byte against what is wanted next,
/// with nothing kept or searched again (a search of a kept tail on every
/// write was a tenth of the process's time at 1,000 interactions a second).
#[derive(Default)]
struct Scan {
    phase: Phase,
    /// Bytes of the current pattern matched so far.
    matched: usize,
    name: String,
    digits: String,
    route: Option<String>,
    interaction: Option<u64>,
}

#[derive(Default, PartialEq, Eq)]
enum Phase {
    #[default]
    Route,
    Name,
    Interaction,
    Digits,
}

const ROUTE: &[u8] = b"route: ";
const INTERACTION: &[u8] = b"interaction_id: InteractionId(";

/// `matched` bytes of `pattern` were matched; `b` follows. The new count,
/// falling back (as KMP would) to the longest prefix still matching.
fn step(pattern: &[u8], matched: usize, b: u8) -> usize {
    let mut k = matched;
    loop {
        if pattern[k] == b {
            return k + 1;
        }
        if k == 0 {
            return 0;
        }
        // The longest proper prefix of pattern[..k] that is also its suffix.
        k = (1..k)
            .rev()
            .find(|&j| pattern[..j] == pattern[k - j..k])
            .unwrap_or(0);
    }
}

impl Write for Scan {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for &b in s.as_bytes() {
            match self.phase {
                Phase::Route => {
                    self.matched = step(ROUTE, self.matched, b);
                    if self.matched == ROUTE.len() {
                        self.phase = Phase::Name;
                    }
                }
                Phase::Name if b.is_ascii_alphanumeric() => self.name.push(b as char),
                Phase::Name => {
                    let route = std::mem::take(&mut self.name);
                    let callback = route == "InteractionResponse";
                    self.route = Some(route);
                    if !callback {
                        return Err(fmt::Error);
                    }
                    self.phase = Phase::Interaction;
                    self.matched = step(INTERACTION, 0, b);
                }
                Phase::Interaction => {
                    self.matched = step(INTERACTION, self.matched, b);
                    if self.matched == INTERACTION.len() {
                        self.phase = Phase::Digits;
                    }
                }
                Phase::Digits if b == b')' => {
                    self.interaction = self.digits.parse().ok();
                    return Err(fmt::Error);
                }
                Phase::Digits => self.digits.push(b as char),
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str, chunk: usize) -> Scan {
        let mut s = Scan::default();
        let chars: Vec<char> = text.chars().collect();
        for part in chars.chunks(chunk) {
            let part: String = part.iter().collect();
            if s.write_str(&part).is_err() {
                break;
            }
        }
        s
    }

    #[test]
    fn routes_and_interaction_ids_are_read_however_the_text_is_split() {
        let body = format!("{:?}", vec![7u8; 600]);
        let callback = format!(
            "Request {{ body: Some({body}), multipart: None, headers: None, method: Post, route: InteractionResponse {{ interaction_id: InteractionId(1577582840265048072), token: \"t\" }}, params: None }}"
        );
        for chunk in [1, 3, 7, 64, 10_000] {
            let s = scan(&callback, chunk);
            assert_eq!(
                s.route.as_deref(),
                Some("InteractionResponse"),
                "chunk {chunk}"
            );
            assert_eq!(s.interaction, Some(1577582840265048072), "chunk {chunk}");
        }
        let post = "Request { body: None, multipart: None, headers: None, method: Post, route: ChannelMessages { channel_id: ChannelId(5) }, params: None }";
        let s = scan(post, 5);
        assert_eq!(s.route.as_deref(), Some("ChannelMessages"));
        assert_eq!(s.interaction, None);
    }

    #[test]
    fn a_partial_match_just_before_a_pattern_does_not_hide_it() {
        let text = "Request { body: Some([114, 111]), x: \"rroute: \", route: InteractionResponse { interaction_iinteraction_id: InteractionId(42), token: \"t\" } }";
        for chunk in [1, 2, 5, 10_000] {
            let s = scan(text, chunk);
            // The first `route: ` is the one inside the string, as before.
            assert_eq!(s.route.as_deref(), Some(""), "chunk {chunk}");
        }
        let text = "route: InteractionResponse { interaction_iinteraction_id: InteractionId(42) }";
        for chunk in [1, 2, 5, 10_000] {
            let s = scan(text, chunk);
            assert_eq!(s.route.as_deref(), Some("InteractionResponse"));
            assert_eq!(s.interaction, Some(42), "chunk {chunk}");
        }
        assert_eq!(step(b"aab", 2, b'a'), 2, "\"aaa\" still ends in \"aa\"");
        assert_eq!(step(b"abab", 3, b'a'), 1);
    }

    #[test]
    fn a_snowflake_carries_its_creation_time() {
        // 2026-12-02 is about 11.9 years after Discord's epoch.
        let ms = snowflake_ms(1577582840265048072);
        let years = (ms - DISCORD_EPOCH_MS) as f64 / 3.156e10;
        assert!((11.0..13.0).contains(&years), "{years}");
    }
}
