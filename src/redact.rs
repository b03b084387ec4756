//! Credentials written into a URL (`http://user:password@proxy/?key=...`)
//! never reach a log line or an error: URLs are shown without their
//! userinfo, query or fragment.

use std::fmt;
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::format::{DefaultFields, Writer};
use tracing_subscriber::fmt::FormatFields;

const HIDDEN: &str = "<redacted>";

/// `url` with any userinfo, query and fragment replaced by a placeholder.
/// Text without `://` is returned as it is.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let (scheme, rest) = url.split_at(scheme_end + 3);
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let mut out = String::from(scheme);
    match authority.rfind('@') {
        Some(at) => {
            out.push_str(HIDDEN);
            out.push_str(&authority[at..]);
        }
        None => out.push_str(authority),
    }
    let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
    out.push_str(&tail[..path_end]);
    if tail[path_end..].starts_with('?') {
        out.push('?');
        out.push_str(HIDDEN);
    }
    out
}

/// `text` with every URL in it redacted, for log lines and error chains
/// that quote one (a library's error, a `Debug` of its client).
pub fn scrub(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(sep) = rest.find("://") {
        let start = rest[..sep]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
            .map_or(0, |i| {
                i + rest[i..].chars().next().map_or(1, char::len_utf8)
            });
        let end = rest[sep..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | ')' | '`'))
            .map_or(rest.len(), |i| sep + i);
        out.push_str(&rest[..start]);
        out.push_str(&redact_url(&rest[start..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Formats the fields of every event and span as tracing does by default,
/// then scrubs the URLs in them: serenity's request span carries a `Debug`
/// of its HTTP client, the proxy URL (our `discord.api_base`) included.
pub struct ScrubbedFields;

impl<'w> FormatFields<'w> for ScrubbedFields {
    fn format_fields<R: RecordFields>(&self, mut writer: Writer<'w>, fields: R) -> fmt::Result {
        let mut plain = String::new();
        DefaultFields::new().format_fields(Writer::new(&mut plain), fields)?;
        writer.write_str(&scrub(&plain))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_loses_its_credentials_and_query_but_keeps_where_it_points() {
        assert_eq!(
            redact_url("http://bot:hunter2@127.0.0.1:8080/api?key=s3cret#x"),
            "http://<redacted>@127.0.0.1:8080/api?<redacted>"
        );
        assert_eq!(
            redact_url("https://proxy.example/base"),
            "https://proxy.example/base"
        );
        assert_eq!(redact_url("http://u@h"), "http://<redacted>@h");
        assert_eq!(redact_url("not a url"), "not a url");
    }

    #[test]
    fn every_url_in_a_text_is_redacted_and_the_rest_kept() {
        let text = r#"error for url (http://a:pw@h/x?t=1) proxy: Some("ws://b:pw2@g")"#;
        let clean = scrub(text);
        assert!(!clean.contains("pw"), "{clean}");
        assert_eq!(
            clean,
            r#"error for url (http://<redacted>@h/x?<redacted>) proxy: Some("ws://<redacted>@g")"#
        );
        assert_eq!(scrub("no links here"), "no links here");
        assert_eq!(scrub("é://u:p@h"), "é://<redacted>@h");
    }

    #[test]
    fn log_fields_and_spans_are_scrubbed() {
        use std::sync::{Arc, Mutex};
        #[derive(Clone, Default)]
        struct Sink(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Sink {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0.lock().expect("sink").extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let sink = Sink::default();
        let out = sink.clone();
        let subscriber = tracing_subscriber::fmt()
            .fmt_fields(ScrubbedFields)
            .with_ansi(false)
            .with_writer(move || out.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            let span = tracing::info_span!("request", proxy = ?Some("http://u:pw1@h"));
            let _in = span.enter();
            tracing::info!(base = "http://u:pw2@h/api", "sent to http://u:pw3@h");
        });
        let logged = String::from_utf8(sink.0.lock().expect("sink").clone()).expect("utf-8");
        assert!(logged.contains("http://<redacted>@h/api"), "{logged}");
        assert!(!logged.contains("pw"), "{logged}");
    }
}
