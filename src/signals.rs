//! Stopping the service: Ctrl-C, and on Unix SIGTERM, what systemd, Docker
//! and Kubernetes send to stop a service, so both get the same clean stop.

/// The stop signals, listened for from the moment they are installed.
pub struct StopSignals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl StopSignals {
    pub fn install() -> anyhow::Result<StopSignals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let listen = |kind: SignalKind, name: &str| {
                signal(kind).map_err(|e| anyhow::anyhow!("cannot listen for {name}: {e}"))
            };
            Ok(StopSignals {
                interrupt: listen(SignalKind::interrupt(), "Ctrl-C")?,
                terminate: listen(SignalKind::terminate(), "SIGTERM")?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(StopSignals {})
        }
    }

    /// The name of the first stop signal that arrives.
    pub async fn next(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.interrupt.recv() => "Ctrl-C",
                _ = self.terminate.recv() => "SIGTERM",
            }
        }
        #[cfg(not(unix))]
        {
            match tokio::signal::ctrl_c().await {
                Ok(()) => "Ctrl-C",
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for Ctrl-C");
                    std::future::pending().await
                }
            }
        }
    }
}
