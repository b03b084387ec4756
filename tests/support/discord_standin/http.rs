//! The REST side: a hyper 1 HTTP/1.1 server (keep-alive) that parses each request, hands it to
//! `routes::route` under the state lock, records it, and answers with Discord-style JSON.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Instant;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};
use tokio::net::TcpListener;

use super::hold;
use super::routes;
use super::state::{RecordedRequest, Shared, Violation};
use super::strict::{self, RestShape};

/// A file part of a multipart request.
#[derive(Clone, Debug)]
pub(crate) struct FilePart {
    pub filename: String,
    pub size: usize,
    pub content: Vec<u8>,
}

/// A parsed REST request.
pub(crate) struct Req {
    pub method: String,
    pub path: String,
    /// Path segments after `/api/v10/` (or `/api/`).
    pub segs: Vec<String>,
    pub query: Option<String>,
    pub auth: Option<String>,
    pub body: Value,
    pub files: Vec<FilePart>,
    pub at: Instant,
}

impl Req {
    pub fn seg(&self, i: usize) -> &str {
        self.segs.get(i).map(String::as_str).unwrap_or("")
    }
    /// Segment `i` as a snowflake.
    pub fn id(&self, i: usize) -> Option<u64> {
        self.seg(i).parse().ok()
    }
    pub fn query_flag(&self, name: &str) -> Option<String> {
        self.query.as_deref()?.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k == name).then(|| v.to_owned())
        })
    }
}

/// What a route handler answers.
pub(crate) struct Reply {
    pub status: u16,
    pub body: Option<Value>,
    pub route: Option<&'static str>,
    /// Discord rules the request broke (recorded as violations).
    pub violations: Vec<String>,
    /// The serenity type the bot decodes a success body into (checked before it goes out).
    pub shape: Option<RestShape>,
}

impl Reply {
    pub fn ok(route: &'static str, shape: RestShape, body: Value) -> Reply {
        Reply {
            status: 200,
            body: Some(body),
            route: Some(route),
            violations: Vec::new(),
            shape: Some(shape),
        }
    }
    pub fn json(route: &'static str, body: Value) -> Reply {
        Reply {
            status: 200,
            body: Some(body),
            route: Some(route),
            violations: Vec::new(),
            shape: None,
        }
    }
    pub fn no_content(route: &'static str) -> Reply {
        Reply {
            status: 204,
            body: None,
            route: Some(route),
            violations: Vec::new(),
            shape: None,
        }
    }
    /// A Discord JSON error (`{"message", "code"}`); not a violation by itself.
    pub fn error(route: Option<&'static str>, status: u16, code: u32, message: &str) -> Reply {
        Reply {
            status,
            body: Some(json!({"message": message, "code": code})),
            route,
            violations: Vec::new(),
            shape: None,
        }
    }
    /// An error that real Discord would also give, recorded as a violation.
    pub fn refuse(
        route: &'static str,
        status: u16,
        code: u32,
        message: &str,
        rule: String,
    ) -> Reply {
        let mut reply = Reply::error(Some(route), status, code, message);
        reply.violations.push(rule);
        reply
    }
    /// `400 Invalid Form Body` with Discord's nested `errors` object, one entry per problem.
    pub fn invalid_form(route: &'static str, problems: Vec<(String, String)>) -> Reply {
        let mut errors = json!({});
        for (path, message) in &problems {
            let mut node = &mut errors;
            for part in path.split('.').filter(|p| !p.is_empty()) {
                if node.get(part).is_none() {
                    node[part] = json!({});
                }
                node = &mut node[part];
            }
            if node.get("_errors").is_none() {
                node["_errors"] = json!([]);
            }
            if let Some(list) = node["_errors"].as_array_mut() {
                list.push(json!({"code": "STANDIN_LIMIT", "message": message}));
            }
        }
        Reply {
            status: 400,
            body: Some(json!({"message": "Invalid Form Body", "code": 50035, "errors": errors})),
            route: Some(route),
            violations: problems
                .into_iter()
                .map(|(p, m)| format!("{p}: {m}"))
                .collect(),
            shape: None,
        }
    }
}

pub(crate) async fn serve(shared: Arc<Shared>, listener: TcpListener) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            let service = service_fn(move |req| handle(Arc::clone(&shared), req));
            let _ = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn handle(
    shared: Arc<Shared>,
    req: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let at = Instant::now();
    let method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let query = req.uri().query().map(str::to_owned);
    let header = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let auth = header("authorization");
    let content_type = header("content-type").unwrap_or_default();
    let bytes = match req.into_body().collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => Bytes::new(),
    };
    let segs: Vec<String> = path
        .strip_prefix("/api/v10/")
        .or_else(|| path.strip_prefix("/api/"))
        .unwrap_or("")
        .split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();

    // Attachment URLs (the CDN's part): the bytes as uploaded, not an API
    // call, so not recorded among the REST requests.
    if method == "GET" && path.starts_with("/attachments/") {
        let body = shared.lock().uploads.get(&path).cloned();
        let response = match body {
            Some(bytes) => Response::builder()
                .status(200)
                .header("content-type", "application/octet-stream")
                .body(Full::new(Bytes::from(bytes))),
            None => Response::builder()
                .status(404)
                .body(Full::new(Bytes::new())),
        };
        return Ok(response.unwrap_or_else(|_| Response::new(Full::new(Bytes::new()))));
    }
    if let Some(channel) = hold::message_post_channel(&method, &segs) {
        hold::wait_while_held(&shared, channel).await;
    }
    let parsed = parse_body(&content_type, &bytes);
    let reply = {
        // Route, check and record under one lock: the log order is the order of effects.
        let mut st = shared.lock();
        let (mut reply, body) = match parsed {
            Ok((body, files)) => {
                let r = Req {
                    method: method.clone(),
                    path: path.clone(),
                    segs,
                    query: query.clone(),
                    auth,
                    body,
                    files,
                    at,
                };
                let reply = routes::route(&shared, &mut st, &r);
                (reply, r.body)
            }
            Err(problem) => (
                Reply::refuse(
                    "invalid-body",
                    400,
                    50109,
                    "The request body contains invalid JSON.",
                    problem,
                ),
                Value::Null,
            ),
        };
        // The answer as the bot will read it, checked from that text.
        let text = reply.body.as_ref().map(Value::to_string);
        if let (Some(shape), Some(out), true) = (reply.shape, &text, reply.status < 300) {
            if let Err(e) = strict::check_rest_text(shape, out) {
                st.internal_errors.push(format!("{method} {path}: {e}"));
            }
        }
        for rule in reply.violations.drain(..) {
            st.violations.push(Violation {
                method: method.clone(),
                path: path.clone(),
                rule,
            });
        }
        let index = st.requests.len();
        st.requests.push(RecordedRequest {
            index,
            method: method.clone(),
            path: path.clone(),
            query,
            body,
            status: reply.status,
            response: reply.body.take().unwrap_or(Value::Null),
            route: reply.route,
            at,
        });
        (reply.status, text)
    };
    shared.changed();

    let (status, text) = reply;
    let mut builder = Response::builder().status(status);
    let payload = match text {
        Some(body) => {
            builder = builder.header("content-type", "application/json");
            Bytes::from(body)
        }
        None => Bytes::new(),
    };
    let response = builder
        .body(Full::new(payload))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::from_static(b"{}"))));
    Ok(response)
}

/// JSON body, or the `payload_json` part of a multipart body (plus the file parts).
fn parse_body(content_type: &str, bytes: &[u8]) -> Result<(Value, Vec<FilePart>), String> {
    if bytes.is_empty() {
        return Ok((Value::Null, Vec::new()));
    }
    if let Some(boundary) = content_type.split("boundary=").nth(1) {
        return parse_multipart(boundary.trim_matches('"'), bytes);
    }
    serde_json::from_slice(bytes)
        .map(|v| (v, Vec::new()))
        .map_err(|e| format!("request body is not JSON: {e}"))
}

fn parse_multipart(boundary: &str, bytes: &[u8]) -> Result<(Value, Vec<FilePart>), String> {
    let delimiter = format!("--{boundary}");
    let text = String::from_utf8_lossy(bytes);
    let mut payload = Value::Null;
    let mut files = Vec::new();
    for part in text.split(delimiter.as_str()) {
        let Some((head, content)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let content = content.strip_suffix("\r\n").unwrap_or(content);
        if head.contains("name=\"payload_json\"") {
            payload = serde_json::from_str(content)
                .map_err(|e| format!("payload_json is not JSON: {e}"))?;
        } else if let Some(name) = head
            .split("filename=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
        {
            files.push(FilePart {
                filename: name.to_owned(),
                size: content.len(),
                content: content.as_bytes().to_vec(),
            });
        }
    }
    Ok((payload, files))
}
