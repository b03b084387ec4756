//! The optional endpoint: `GET /metrics` (Prometheus text format) and
//! `GET /health` (200 when the gateway is connected and the database
//! answers, 503 otherwise, with a one-line JSON body saying which).

use super::Metrics;
use futures::future::BoxFuture;
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

/// What `/health` and the gauges are read from at each request.
pub trait Probe: Send + Sync + 'static {
    /// Running sessions and armed deadlines of this process.
    fn levels(&self) -> BoxFuture<'_, (usize, usize)>;
    fn gateway_connected(&self) -> BoxFuture<'_, bool>;
    fn database_reachable(&self) -> BoxFuture<'_, bool>;
}

/// Binds `addr` and serves until the task is dropped; returns the bound
/// address (port 0 picks a free one).
pub async fn serve(
    addr: SocketAddr,
    metrics: Metrics,
    probe: Arc<dyn Probe>,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    let task = tokio::spawn(async move {
        loop {
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                Err(e) => {
                    tracing::warn!(error = %e, "metrics endpoint could not accept a connection");
                    continue;
                }
            };
            let (metrics, probe) = (metrics.clone(), Arc::clone(&probe));
            tokio::spawn(async move {
                let service = service_fn(move |req| {
                    let (metrics, probe) = (metrics.clone(), Arc::clone(&probe));
                    async move { Ok::<_, Infallible>(answer(req, &metrics, &*probe).await) }
                });
                if let Err(e) = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await
                {
                    tracing::debug!(error = %e, "metrics connection ended");
                }
            });
        }
    });
    Ok((bound, task))
}

async fn answer(
    req: Request<Incoming>,
    metrics: &Metrics,
    probe: &dyn Probe,
) -> Response<Full<Bytes>> {
    match (req.method(), req.uri().path()) {
        (&Method::GET, "/metrics") => {
            let (running, armed) = probe.levels().await;
            metrics.set_levels(running, armed);
            reply(
                StatusCode::OK,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
                metrics.encode(),
            )
        }
        (&Method::GET, "/health") => {
            let gateway = probe.gateway_connected().await;
            let database = probe.database_reachable().await;
            let status = if gateway && database {
                StatusCode::OK
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            let body = format!(
                "{{\"gateway\":\"{}\",\"database\":\"{}\"}}\n",
                if gateway { "connected" } else { "disconnected" },
                if database { "reachable" } else { "unreachable" },
            );
            reply(status, "application/json", body)
        }
        _ => reply(
            StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            "Not found: try /metrics or /health.\n".to_string(),
        ),
    }
}

fn reply(status: StatusCode, content_type: &str, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    if let Ok(v) = content_type.parse() {
        response
            .headers_mut()
            .insert(hyper::header::CONTENT_TYPE, v);
    }
    response
}
