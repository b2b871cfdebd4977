//! `[admin]` of the settings: the Unix socket a running server answers `orchard admin` on
//! (`server::admin_socket`), by default `admin.sock` beside `[storage] path`.

use super::storage::StorageSettings;
use serde::Deserialize;
use std::path::PathBuf;

/// Longest path a Unix socket can be bound to, in bytes (`sun_path` holds 108 with its NUL).
pub const MAX_SOCKET_PATH_BYTES: usize = 107;

/// `[admin]`
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminSettings {
    /// The admin socket; default: `admin.sock` beside `[storage] path`.
    #[serde(default)]
    pub socket: Option<PathBuf>,
}

impl AdminSettings {
    /// The socket's path, with its default applied.
    pub fn socket_path(&self, storage: &StorageSettings) -> PathBuf {
        match &self.socket {
            Some(p) => p.clone(),
            None => storage
                .path
                .parent()
                .map(|p| p.join("admin.sock"))
                .unwrap_or_else(|| PathBuf::from("admin.sock")),
        }
    }

    /// Refuses a path a Unix socket cannot be bound to; the message names the key.
    pub fn validate(&self, storage: &StorageSettings) -> Result<(), String> {
        let path = self.socket_path(storage);
        let len = path.as_os_str().len();
        let key = match self.socket {
            Some(_) => "key `admin.socket`",
            None => "key `admin.socket` (default: admin.sock beside [storage] path)",
        };
        if len == 0 {
            return Err(format!("{key}: must not be empty"));
        }
        if len > MAX_SOCKET_PATH_BYTES {
            return Err(format!(
                "{key}: the Unix socket path {} is {len} bytes long, more than the \
                 {MAX_SOCKET_PATH_BYTES} a Unix socket allows; set a shorter [admin] socket",
                path.display()
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn storage(path: &str) -> StorageSettings {
        toml::from_str(&format!("path = \"{path}\"")).unwrap()
    }

    #[test]
    fn defaults_beside_the_database_and_refuses_long_paths() {
        let s = AdminSettings::default();
        assert_eq!(
            s.socket_path(&storage("/srv/orchard/db")),
            PathBuf::from("/srv/orchard/admin.sock")
        );
        assert!(s.validate(&storage("/srv/orchard/db")).is_ok());
        let long = format!("/{}/db", "d".repeat(100));
        let e = s.validate(&storage(&long)).unwrap_err();
        assert!(e.contains("admin.socket") && e.contains("107"), "{e}");
        let own = AdminSettings {
            socket: Some(PathBuf::from("/run/orchard/admin.sock")),
        };
        assert!(own.validate(&storage(&long)).is_ok());
    }
}
