//! The closed vocabularies of the rehearsal documents, as the JSON writes them (each with its JSON
//! Schema enumeration): protocols, how a run ended, and what a move did.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use truce_sim::{Action, End, Protocol};

/// A negotiation protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum ProtocolName {
    /// Alternating offers.
    #[serde(rename = "saop")]
    Saop,
    /// Stacked alternating offers.
    #[serde(rename = "stacked")]
    Stacked,
    /// The mediator's single negotiating text.
    #[serde(rename = "single-text")]
    SingleText,
}

impl ProtocolName {
    /// The name as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ProtocolName::Saop => "saop",
            ProtocolName::Stacked => "stacked",
            ProtocolName::SingleText => "single-text",
        }
    }
}

impl From<Protocol> for ProtocolName {
    fn from(p: Protocol) -> ProtocolName {
        match p {
            Protocol::Saop => ProtocolName::Saop,
            Protocol::Stacked => ProtocolName::Stacked,
            Protocol::SingleText => ProtocolName::SingleText,
        }
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EndName {
    /// The parties agreed.
    Agreement,
    /// The deadline passed without agreement.
    Deadline,
    /// A party walked away.
    WalkedAway,
    /// No package gives every party its reservation value, so the mediator had no text.
    NoText,
}

impl EndName {
    /// The name as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            EndName::Agreement => "agreement",
            EndName::Deadline => "deadline",
            EndName::WalkedAway => "walked_away",
            EndName::NoText => "no_text",
        }
    }
}

impl From<End> for EndName {
    fn from(end: End) -> EndName {
        match end {
            End::Agreement => EndName::Agreement,
            End::Deadline => EndName::Deadline,
            End::WalkedAway(_) => EndName::WalkedAway,
            End::NoText => EndName::NoText,
        }
    }
}

/// What a move did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionName {
    /// A party offered a package.
    Offer,
    /// A party accepted the package on the table.
    Accept,
    /// The mediator put a text on the table.
    Text,
    /// A party objected to the text, asking for changes.
    Object,
    /// A party walked away.
    WalkAway,
}

impl ActionName {
    /// The name as written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionName::Offer => "offer",
            ActionName::Accept => "accept",
            ActionName::Text => "text",
            ActionName::Object => "object",
            ActionName::WalkAway => "walk_away",
        }
    }

    /// Whether the move put a package on the table (an offer, or the mediator's text).
    pub fn proposes(self) -> bool {
        matches!(self, ActionName::Offer | ActionName::Text)
    }
}

impl From<&Action> for ActionName {
    fn from(action: &Action) -> ActionName {
        match action {
            Action::Offer => ActionName::Offer,
            Action::Accept => ActionName::Accept,
            Action::Text => ActionName::Text,
            Action::Object(_) => ActionName::Object,
            Action::WalkAway => ActionName::WalkAway,
        }
    }
}

macro_rules! display_as_str {
    ($($name:ty),*) => {$(
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}

display_as_str!(ProtocolName, EndName, ActionName);
