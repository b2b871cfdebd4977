//! How an admin command fails: a message and the exit status it ends with (see
//! `protocol`: 1 failed, 2 not run).

/// Why a command failed, and the exit status it ends with.
#[derive(Debug)]
pub struct Failure {
    /// 2: the instance is running or the settings are bad; 1: anything else.
    pub status: u8,
    pub message: String,
    /// The store is held by a running server.
    pub locked: bool,
}

impl Failure {
    /// Status 1 with `e`'s text.
    pub fn other(e: impl std::fmt::Display) -> Failure {
        Failure {
            status: 1,
            message: e.to_string(),
            locked: false,
        }
    }

    /// Status 2 with `e`'s text.
    pub fn refused(e: impl std::fmt::Display) -> Failure {
        Failure {
            status: 2,
            message: e.to_string(),
            locked: false,
        }
    }
}

impl From<crate::error::Error> for Failure {
    fn from(e: crate::error::Error) -> Failure {
        Failure::other(e)
    }
}
