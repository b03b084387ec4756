//! One chat-completions call to an OpenAI-compatible endpoint, over the
//! reqwest that serenity already builds: a few typed serde structs instead
//! of a client crate.

use super::key::ApiKey;
use crate::interview::Trouble;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The most of a reply body that is read: a JSON opinion is a few KB.
const MAX_REPLY_BYTES: usize = 256 * 1024;

#[derive(Serialize)]
struct ChatRequest<'a> {
    model: &'a str,
    messages: Vec<Message>,
    response_format: ResponseFormat,
    temperature: f32,
    stream: bool,
}

#[derive(Serialize)]
struct Message {
    role: &'static str,
    content: String,
}

#[derive(Serialize)]
struct ResponseFormat {
    #[serde(rename = "type")]
    kind: &'static str,
    json_schema: JsonSchema,
}

#[derive(Serialize)]
struct JsonSchema {
    name: &'static str,
    strict: bool,
    schema: serde_json::Value,
}

#[derive(Deserialize)]
struct ChatResponse {
    choices: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    message: ReplyMessage,
}

#[derive(Deserialize)]
struct ReplyMessage {
    content: Option<String>,
}

/// Why a call brought no content. The detail is for the log: it is
/// scrubbed of URLs' credentials and never holds the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallError {
    pub trouble: Trouble,
    pub detail: String,
}

impl CallError {
    fn new(trouble: Trouble, detail: impl Into<String>) -> CallError {
        CallError {
            trouble,
            detail: crate::redact::scrub(&detail.into()),
        }
    }
}

pub struct Client {
    http: reqwest::Client,
    url: String,
    model: String,
    key: Option<ApiKey>,
    timeout: Duration,
}

impl Client {
    pub fn new(
        base_url: &str,
        model: &str,
        key: Option<ApiKey>,
        timeout: Duration,
    ) -> Result<Client, reqwest::Error> {
        let http = reqwest::Client::builder()
            // Nothing the endpoint says may send the answers elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Client {
            http,
            url: format!("{}/chat/completions", base_url.trim_end_matches('/')),
            model: model.to_string(),
            key,
            timeout,
        })
    }

    pub fn model(&self) -> &str {
        &self.model
    }

    /// Sends `messages` asking for a reply that fits `schema`; returns the
    /// reply's text, all within the configured timeout.
    pub async fn complete(
        &self,
        messages: Vec<(&'static str, String)>,
        schema: serde_json::Value,
    ) -> Result<String, CallError> {
        tokio::time::timeout(self.timeout, self.call(messages, schema))
            .await
            .unwrap_or_else(|_| Err(CallError::new(Trouble::Timeout, "no reply in time")))
    }

    async fn call(
        &self,
        messages: Vec<(&'static str, String)>,
        schema: serde_json::Value,
    ) -> Result<String, CallError> {
        let body = ChatRequest {
            model: &self.model,
            messages: messages
                .into_iter()
                .map(|(role, content)| Message { role, content })
                .collect(),
            response_format: ResponseFormat {
                kind: "json_schema",
                json_schema: JsonSchema {
                    name: "answer_review",
                    strict: true,
                    schema,
                },
            },
            temperature: 0.0,
            stream: false,
        };
        let mut request = self.http.post(&self.url).json(&body);
        if let Some(key) = &self.key {
            request = request.bearer_auth(key.expose());
        }
        let mut response = request.send().await.map_err(transport)?;
        let status = response.status();
        if !status.is_success() {
            return Err(CallError::new(
                Trouble::Status(status.as_u16()),
                format!("HTTP {status}"),
            ));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_REPLY_BYTES {
                return Err(CallError::new(Trouble::Malformed, "reply body too large"));
            }
        }
        let parsed: ChatResponse = serde_json::from_slice(&bytes).map_err(|e| {
            CallError::new(Trouble::Malformed, format!("not a chat completion: {e}"))
        })?;
        parsed
            .choices
            .into_iter()
            .next()
            .and_then(|c| c.message.content)
            .filter(|c| !c.trim().is_empty())
            .ok_or_else(|| CallError::new(Trouble::Malformed, "no message content"))
    }
}

fn transport(e: reqwest::Error) -> CallError {
    let trouble = if e.is_timeout() {
        Trouble::Timeout
    } else if e.is_decode() || e.is_body() {
        Trouble::Malformed
    } else {
        Trouble::Unreachable
    };
    CallError::new(trouble, e.to_string())
}
