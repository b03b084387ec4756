//! A loopback OpenAI-compatible chat-completions server for the AI reviewer
//! tests: a small hyper 1 server on 127.0.0.1 that records every request and
//! answers as the test tells it (a good reply built from the request, a
//! given reply text, an HTTP error, or nothing at all).

#![allow(dead_code)]

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

/// How the stand-in answers one request.
#[derive(Clone, Debug)]
pub enum Answer {
    /// Every key point covered, quoting the answer's first words.
    Good,
    /// This text as the message content (malformed replies).
    Content(String),
    /// This HTTP status with a small error body.
    Status(u16),
    /// Never answers (the client's timeout must end it).
    Hang,
}

#[derive(Clone, Debug)]
pub struct Recorded {
    pub path: String,
    pub authorization: Option<String>,
    pub body: Value,
}

#[derive(Default)]
struct State {
    requests: Vec<Recorded>,
    /// Answers for the next requests, in order; then `Good`.
    queue: VecDeque<Answer>,
    default: Option<Answer>,
}

#[derive(Clone)]
pub struct ModelStandIn {
    port: u16,
    state: Arc<Mutex<State>>,
    notify: Arc<tokio::sync::Notify>,
    server: Arc<tokio::task::JoinHandle<()>>,
}

impl Drop for ModelStandIn {
    fn drop(&mut self) {
        if Arc::strong_count(&self.server) == 1 {
            self.server.abort();
        }
    }
}

impl ModelStandIn {
    pub async fn start() -> ModelStandIn {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let port = listener.local_addr().expect("addr").port();
        let state = Arc::new(Mutex::new(State::default()));
        let notify = Arc::new(tokio::sync::Notify::new());
        let shared = Arc::clone(&state);
        let told = Arc::clone(&notify);
        let server = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = Arc::clone(&shared);
                let told = Arc::clone(&told);
                tokio::spawn(async move {
                    let service =
                        service_fn(move |req| handle(Arc::clone(&state), Arc::clone(&told), req));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        ModelStandIn {
            port,
            state,
            notify,
            server: Arc::new(server),
        }
    }

    /// The API base the bot is given (`.../v1`).
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.port)
    }

    pub fn then(&self, answer: Answer) -> &Self {
        self.lock().queue.push_back(answer);
        self
    }

    /// How every request without a queued answer is answered.
    pub fn always(&self, answer: Answer) {
        self.lock().default = Some(answer);
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }

    pub fn calls(&self) -> usize {
        self.lock().requests.len()
    }

    /// Waits (at most 20 s) until `n` requests have come in.
    pub async fn wait_for_calls(&self, n: usize) {
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            let notified = self.notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if self.calls() >= n {
                return;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!("model stand-in: {} of {n} requests came", self.calls());
            }
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

async fn handle(
    state: Arc<Mutex<State>>,
    notify: Arc<tokio::sync::Notify>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = req.uri().path().to_string();
    let authorization = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let answer = {
        let mut st = state.lock().unwrap_or_else(|p| p.into_inner());
        st.requests.push(Recorded {
            path,
            authorization,
            body: body.clone(),
        });
        let next = st.queue.pop_front();
        next.or_else(|| st.default.clone()).unwrap_or(Answer::Good)
    };
    notify.notify_waiters();
    let (status, payload) = match answer {
        Answer::Good => (200, completion(&good_reply(&body))),
        Answer::Content(text) => (200, completion(&text)),
        Answer::Status(s) => (s, json!({"error": {"message": "stand-in error"}})),
        Answer::Hang => {
            std::future::pending::<()>().await;
            unreachable!()
        }
    };
    let response = Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(payload.to_string())))
        .unwrap_or_default();
    Ok(response)
}

fn completion(content: &str) -> Value {
    json!({
        "id": "chatcmpl-standin",
        "object": "chat.completion",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}]
    })
}

/// The candidate's answer, as the prompt carries it.
pub fn answer_in(body: &Value) -> String {
    let user = body["messages"][1]["content"].as_str().unwrap_or_default();
    user.split("<<<ANSWER\n")
        .nth(1)
        .and_then(|s| s.split("\nANSWER>>>").next())
        .unwrap_or_default()
        .to_string()
}

/// Every key point covered, each quoting the answer's first three words.
pub fn good_reply(body: &Value) -> String {
    let n = body["response_format"]["json_schema"]["schema"]["properties"]["key_points"]
        ["minItems"]
        .as_u64()
        .unwrap_or(0);
    let answer = answer_in(body);
    let quote: Vec<&str> = answer.split_whitespace().take(3).collect();
    let points: Vec<Value> = (1..=n)
        .map(|i| {
            json!({"point": i, "verdict": "covered",
                   "reason": "The answer states it.", "quote": quote.join(" ")})
        })
        .collect();
    json!({
        "key_points": points,
        "feedback": "A clear answer that names the mechanism. Say when it matters in practice.",
        "follow_up": "How would you show this in a test?"
    })
    .to_string()
}
