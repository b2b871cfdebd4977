//! The one error type of the actors crate. The HTTP layer maps each variant to a status.

/// Everything that can go wrong inside the domain.
#[derive(Debug, thiserror::Error)]
pub enum ActorError {
    /// The named actor, account or item does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// The request conflicts with existing state (e.g. a username that is taken).
    #[error("{0}")]
    Conflict(String),
    /// The input is malformed or violates a rule; the message is safe to show.
    #[error("{0}")]
    Invalid(String),
    /// The caller is not allowed to do this.
    #[error("{0}")]
    Forbidden(String),
    /// Credentials are missing or wrong.
    #[error("invalid credentials")]
    Unauthorized,
    /// The storage engine failed (its I/O error, or another failure as one).
    #[error("storage error: {0}")]
    Storage(std::io::Error),
    /// A multi-tree transaction failed in storage.
    #[error("storage transaction error: {0}")]
    Transaction(String),
    /// Stored data could not be decoded (corruption or an incompatible format).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// The database on disk lost data or cannot be read (detected at open): never served.
    #[error("the database at {path} is damaged: {reason}. Orchard refuses to serve with data missing. Stop Orchard, restore {path} from a backup and start again (to start an empty instance instead, move the directory away)")]
    Damaged { path: String, reason: String },
    /// A cryptographic operation failed.
    #[error("crypto error: {0}")]
    Crypto(String),
    /// The actor's mailbox is closed or full.
    #[error("actor unavailable: {0}")]
    Mailbox(#[from] actix::MailboxError),
    /// A background task failed to complete.
    #[error("internal task failed: {0}")]
    Task(String),
}

impl ActorError {
    /// True when the storage failed because the disk (or quota) is full (ENOSPC, EDQUOT),
    /// whether the engine reports the I/O error itself or a failed group commit names it.
    pub fn is_full_disk(&self) -> bool {
        match self {
            ActorError::Storage(e) => {
                matches!(e.raw_os_error(), Some(28) | Some(122))
                    || e.kind() == std::io::ErrorKind::StorageFull
                    || e.kind() == std::io::ErrorKind::QuotaExceeded
            }
            ActorError::Transaction(m) | ActorError::Task(m) => {
                m.contains("No space left on device") || m.contains("Disk quota exceeded")
            }
            _ => false,
        }
    }
}

impl From<serde_json::Error> for ActorError {
    fn from(e: serde_json::Error) -> Self {
        ActorError::Corrupt(e.to_string())
    }
}

impl From<tokio::task::JoinError> for ActorError {
    fn from(e: tokio::task::JoinError) -> Self {
        ActorError::Task(e.to_string())
    }
}

/// Result alias for the actors crate.
pub type Result<T, E = ActorError> = std::result::Result<T, E>;
