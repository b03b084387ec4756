//! The operators' endpoint (`metrics.listen`), scraped over 127.0.0.1 from
//! the real bot running against the loopback stand-in.

mod support;

use serde_json::json;
use std::time::Duration;
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Status code and body of `GET path`.
async fn get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .expect("connects");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("sends");
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.expect("reads");
    let status = raw
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("a status line: {raw}"));
    let body = raw.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, body.to_string())
}

/// The value of the sample line starting with `name` (labels included).
fn sample(text: &str, name: &str) -> f64 {
    text.lines()
        .find(|l| l.starts_with(name) && l[name.len()..].starts_with(' '))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("no sample {name} in:\n{text}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn metrics_and_health_are_scraped_over_loopback() {
    let knobs = BotKnobs {
        metrics_listen: Some("127.0.0.1:0".parse().expect("address")),
        // The deadline fires when the test moves the clock past it.
        question_seconds: Some(60.0),
        ..BotKnobs::default()
    };
    let world = World::start(knobs).await;
    // The process's log layers, as `serve` installs them (this test binary
    // has no other test, so the global subscriber is its own).
    let _ = tracing_subscriber::registry()
        .with(interview_bot::metrics::rest::layer(world.metrics.clone()))
        .try_init();
    let addr = world
        .bot
        .as_ref()
        .and_then(|b| b.metrics_address())
        .expect("the endpoint is served");
    assert!(addr.ip().is_loopback());

    let d = &world.discord;
    let (thread, _q) = world
        .start_interview(
            d.alice(),
            &[("topic", json!(TOPIC)), ("questions", json!(2))],
        )
        .await;
    let (status, text) = get(addr, "/metrics").await;
    assert_eq!(status, 200);
    assert_eq!(sample(&text, "interview_bot_sessions_running"), 1.0);
    assert_eq!(sample(&text, "interview_bot_deadlines_armed"), 1.0);
    assert!(
        sample(
            &text,
            "interview_bot_rest_requests_total{route=\"InteractionResponse\"}"
        ) >= 1.0,
        "{text}"
    );
    assert!(sample(&text, "interview_bot_first_response_seconds_count") >= 1.0);

    // The question's deadline passes: its firing is observed as late.
    world.advance(Duration::from_secs(61));
    world.message_with(thread, "Time is up").await;
    let (_, text) = get(addr, "/metrics").await;
    assert!(sample(&text, "interview_bot_deadline_lateness_seconds_count") >= 1.0);
    assert!(
        sample(
            &text,
            "interview_bot_rest_requests_total{route=\"ChannelMessages\"}"
        ) >= 1.0,
        "{text}"
    );

    let (status, body) = get(addr, "/health").await;
    assert_eq!(
        (status, body.trim()),
        (200, r#"{"gateway":"connected","database":"reachable"}"#)
    );
    let (status, _) = get(addr, "/nothing").await;
    assert_eq!(status, 404);

    // Discord closes the gateway for good (bad token): health says so.
    assert!(d.force_close_gateway(4004));
    let deadline = tokio::time::Instant::now() + T;
    loop {
        let (status, body) = get(addr, "/health").await;
        if status == 503 {
            assert!(body.contains(r#""gateway":"disconnected""#), "{body}");
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "health still {status}: {body}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
