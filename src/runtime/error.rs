use crate::bank::SelectError;
use crate::interview::EngineError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// A refusal the person can act on; the text is safe to show.
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Select(#[from] SelectError),
    #[error("no interview with id {0}")]
    NoSuchSession(i64),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A request the rules refuse (not yours, not finished); safe to show.
    #[error("{0}")]
    Refused(String),
}

impl RuntimeError {
    /// The text to show a person, or None for an internal failure (which
    /// gets an apology, while the full error goes to the log).
    pub fn user_message(&self) -> Option<String> {
        match self {
            RuntimeError::Engine(e) => Some(e.to_string()),
            RuntimeError::Select(e) => Some(e.to_string()),
            RuntimeError::NoSuchSession(_) => Some("that interview no longer exists".into()),
            RuntimeError::Store(StoreError::AlreadyRunning(_)) => {
                Some("you already have an interview running here: finish it or end it first".into())
            }
            RuntimeError::Refused(m) => Some(m.clone()),
            RuntimeError::Store(_) => None,
        }
    }
}
