// SPDX-License-Identifier: AGPL-3.0-or-later
//! The ForgeFed OCAP roles granted by `Grant` and requested by `Invite`/`Join`, with their order.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::context::FORGEFED_NS;

/// A role of ForgeFed's object capabilities, ordered from least to most powerful:
/// `Visit < Report < Triage < Write < Maintain < Admin`. A grant of a role implies every
/// lower role, so a guard checks `granted >= required`.
///
/// Serialized as the lowercase term (`"admin"`); parsed from the term, the full IRI
/// (`"https://forgefed.org/ns#admin"`) or the compact IRI (`"forge:admin"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// See the resource (clone a repository, read tickets).
    Visit,
    /// Open tickets and comment.
    Report,
    /// Label, assign and close tickets.
    Triage,
    /// Push to a repository, merge.
    Write,
    /// Manage collaborators below maintain, settings.
    Maintain,
    /// Everything, including deleting the resource.
    Admin,
}

impl Role {
    /// Every role, in ascending order.
    pub const ALL: [Role; 6] = [
        Role::Visit,
        Role::Report,
        Role::Triage,
        Role::Write,
        Role::Maintain,
        Role::Admin,
    ];

    /// The JSON-LD term of the role (`"visit"`, ..., `"admin"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Visit => "visit",
            Role::Report => "report",
            Role::Triage => "triage",
            Role::Write => "write",
            Role::Maintain => "maintain",
            Role::Admin => "admin",
        }
    }

    /// The full IRI of the role, e.g. `https://forgefed.org/ns#admin`.
    pub fn iri(self) -> String {
        format!("{FORGEFED_NS}{}", self.as_str())
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a string that names no known role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRole(pub String);

impl fmt::Display for UnknownRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown role {:?}", self.0)
    }
}

impl std::error::Error for UnknownRole {}

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let term = s
            .strip_prefix(FORGEFED_NS)
            .or_else(|| s.strip_prefix("forge:"))
            .unwrap_or(s);
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == term)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

impl Serialize for Role {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordering() {
        assert!(Role::Visit < Role::Report);
        assert!(Role::Report < Role::Triage);
        assert!(Role::Triage < Role::Write);
        assert!(Role::Write < Role::Maintain);
        assert!(Role::Maintain < Role::Admin);
        let mut shuffled = vec![Role::Admin, Role::Visit, Role::Write, Role::Triage];
        shuffled.sort();
        assert_eq!(
            shuffled,
            vec![Role::Visit, Role::Triage, Role::Write, Role::Admin]
        );
        assert_eq!(Role::ALL.iter().max(), Some(&Role::Admin));
    }

    #[test]
    fn parses_terms_and_iris() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
            assert_eq!(role.iri().parse::<Role>(), Ok(role));
            assert_eq!(format!("forge:{role}").parse::<Role>(), Ok(role));
            assert_eq!(role.to_string(), role.as_str());
        }
        assert_eq!(
            "https://forgefed.org/ns#admin".parse::<Role>(),
            Ok(Role::Admin)
        );
    }

    #[test]
    fn rejects_unknown() {
        for bad in [
            "",
            "Admin",
            "develop",
            "owner",
            "https://forgefed.org/ns#owner",
            "https://example.dev/roles/developer",
            "http://forgefed.org/ns#admin",
            " admin",
        ] {
            assert_eq!(
                bad.parse::<Role>(),
                Err(UnknownRole(bad.to_owned())),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn serde_lowercase() {
        assert_eq!(
            serde_json::to_string(&Role::Maintain).unwrap(),
            "\"maintain\""
        );
        let r: Role = serde_json::from_str("\"https://forgefed.org/ns#triage\"").unwrap();
        assert_eq!(r, Role::Triage);
        assert!(serde_json::from_str::<Role>("\"superuser\"").is_err());
        assert!(serde_json::from_str::<Role>("3").is_err());
    }
}
