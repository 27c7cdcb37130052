//! The agreement model. Ids are kept as written; the parser has checked that every reference resolves.

use jiff::civil::Date;

use crate::geo::{self, Point};

/// A signed text made of provisions, each holding commitments.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    /// Short id, e.g. `minsk-2015`.
    pub id: String,
    /// Title.
    pub title: String,
    /// Where the agreement stands.
    pub status: Status,
    /// Date of signature, if signed.
    pub signed: Option<Date>,
    /// Day 1: the date that `day = N` windows count from (day 1 is this date).
    pub day_one: Date,
    /// Parties, guarantors, verifiers and other actors.
    pub actors: Vec<Actor>,
    /// Who monitors and verifies, and how statuses are judged.
    pub mechanism: Mechanism,
    /// Dated sources quoted by provisions.
    pub sources: Vec<Source>,
    /// Zones and lines.
    pub zones: Vec<Zone>,
    /// The numbered parts of the text.
    pub provisions: Vec<Provision>,
}

/// Where an agreement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Being drafted.
    Draft,
    /// Initialled by negotiators.
    Initialed,
    /// Signed.
    Signed,
    /// Ratified.
    Ratified,
    /// In force.
    InForce,
    /// Suspended.
    Suspended,
    /// Terminated.
    Terminated,
}

impl Status {
    /// The vocabulary, as written in files.
    pub const WORDS: &'static str =
        "draft, initialed, signed, ratified, in_force, suspended, terminated";

    /// The word for this status.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Initialed => "initialed",
            Status::Signed => "signed",
            Status::Ratified => "ratified",
            Status::InForce => "in_force",
            Status::Suspended => "suspended",
            Status::Terminated => "terminated",
        }
    }
}

impl std::str::FromStr for Status {
    type Err = ();
    fn from_str(s: &str) -> Result<Status, ()> {
        Ok(match s {
            "draft" => Status::Draft,
            "initialed" => Status::Initialed,
            "signed" => Status::Signed,
            "ratified" => Status::Ratified,
            "in_force" => Status::InForce,
            "suspended" => Status::Suspended,
            "terminated" => Status::Terminated,
            _ => return Err(()),
        })
    }
}

/// One actor of an agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// Id, e.g. `UKR_GOV`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Role: `party`, `guarantor`, `verifier`, `implementing_body`, `endorser`, `forum`, or another word.
    pub role: String,
}

/// The monitoring and verification mechanism.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mechanism {
    /// Name, e.g. "OSCE Special Monitoring Mission".
    pub name: String,
    /// The actors that verify.
    pub verifiers: Vec<String>,
    /// How many days back a status looks: evidence older than this no longer decides the status
    /// (it stays in the history and in the implementation score).
    pub lookback_days: u32,
}

/// A dated source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Id.
    pub id: String,
    /// Publication and title.
    pub title: String,
    /// Date.
    pub date: Option<Date>,
    /// Address.
    pub url: Option<String>,
}

/// A zone or a line.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// What it is: `contact_line`, `withdrawal_line`, `security_zone`, `disengagement_area`, …
    pub kind: String,
    /// Its shape.
    pub shape: Shape,
    /// A note on provenance and precision.
    pub note: Option<String>,
}

/// The shape of a zone.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A GeoJSON LineString.
    Line(Vec<Point>),
    /// A GeoJSON Polygon: the outer ring, then holes.
    Polygon(Vec<Vec<Point>>),
    /// Everything within `km` of the line zone `line` (resolved to its points).
    Buffer {
        /// The id of the line zone.
        line: String,
        /// The line's points.
        points: Vec<Point>,
        /// Half-width in kilometres.
        km: f64,
    },
}

impl Zone {
    /// Whether `p` is in the zone (for a line: within 1 km of it).
    pub fn contains(&self, p: Point) -> bool {
        match &self.shape {
            Shape::Line(points) => geo::distance_to_line_km(p, points) <= 1.0,
            Shape::Polygon(rings) => geo::in_polygon(p, rings),
            Shape::Buffer { points, km, .. } => geo::distance_to_line_km(p, points) <= *km,
        }
    }
}

/// A numbered part of the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Provision {
    /// Its number or path as written: `2`, `Art.1(3)`.
    pub number: String,
    /// Title.
    pub title: String,
    /// A short quotation of the text.
    pub quote: Option<String>,
    /// Sources of the quotation.
    pub sources: Vec<String>,
    /// Whether its commitments can be checked from observations.
    pub checkable: Checkable,
    /// The duties it creates.
    pub commitments: Vec<Commitment>,
}

/// Whether a provision can be checked by machine from the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checkable {
    /// Its commitments carry indicators over observations.
    Machine,
    /// It cannot be: why (a political process, a law to be passed, a duty without an observable).
    Not {
        /// The reason.
        reason: String,
    },
}

/// Must or must not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modality {
    /// The obligor must act or bring about a state.
    Must,
    /// The obligor must not act.
    MustNot,
}

/// One duty of one obligor.
#[derive(Debug, Clone, PartialEq)]
pub struct Commitment {
    /// Id, unique in the agreement, e.g. `2.mlrs.ORDLO`.
    pub id: String,
    /// Who must act (or refrain).
    pub obligor: String,
    /// Must or must not.
    pub modality: Modality,
    /// The duty in words.
    pub action: String,
    /// What it is about.
    pub subject: Subject,
    /// When it applies.
    pub window: Window,
    /// What must hold before it applies.
    pub preconditions: Vec<Precondition>,
    /// How it is observed. Empty for commitments that are not machine-checkable.
    pub indicators: Vec<Indicator>,
    /// Who verifies it.
    pub verifier: Option<String>,
}

/// What a commitment is about, in structured fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Subject {
    /// Weapon classes, e.g. `artillery`, `mlrs`, `tochka`.
    pub weapon_classes: Vec<String>,
    /// Minimum calibre in millimetres.
    pub calibre_min_mm: Option<u32>,
    /// Minimum range in kilometres.
    pub range_min_km: Option<u32>,
    /// At most this many.
    pub count_cap: Option<u32>,
    /// The zone it applies in.
    pub zone: Option<String>,
}

/// When a commitment applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// When it starts.
    pub start: Trigger,
    /// Days after the start by which it must be done; it is judged from then on.
    pub deadline_days: Option<u32>,
    /// When it ends, if ever.
    pub until: Option<Date>,
}

/// What starts a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    /// A date.
    Date(Date),
    /// Day N of the agreement (day 1 is [`Agreement::day_one`]).
    Day(u32),
}

/// A condition that must hold before a commitment applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Precondition {
    /// Another commitment must have been in force, and compliant, for `days` consecutive days
    /// (0: merely in force).
    Commitment {
        /// Its id.
        id: String,
        /// Consecutive compliant days required.
        days: u32,
    },
}

/// An observable measure of a commitment.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Id, unique in the agreement.
    pub id: String,
    /// Which observations count.
    pub query: Query,
    /// The largest total per period that still complies (0: any counted observation is a violation).
    pub threshold: u32,
    /// The smallest total per period that complies, for duties to do something every period (patrols).
    pub at_least: Option<u32>,
    /// How observations add up within a period.
    pub aggregation: Aggregation,
    /// The period.
    pub cadence: Cadence,
}

/// Which observations an indicator counts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    /// Observation classes: `explosion`, `burst`, `shot`, `weapon_sighting`, …
    pub classes: Vec<String>,
    /// Assessed weapon classes (empty: any).
    pub weapon_classes: Vec<String>,
    /// Minimum assessed calibre.
    pub calibre_min_mm: Option<u32>,
    /// The zone the event must be in (empty: anywhere).
    pub zone: Option<String>,
    /// How an observation is tied to the obligor.
    pub party: PartyRule,
}

/// How an observation is tied to an obligor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PartyRule {
    /// The area where it was seen is observed as controlled by the obligor (weapons in a zone).
    #[default]
    Controlled,
    /// An attribution entry of medium or high confidence names the obligor (fire).
    Attributed,
    /// Every observation counts, whoever controls the area (the mission's own duties, such as patrols).
    Any,
}

/// How observations add up within a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    /// The sum of counts.
    Sum,
    /// The number of observations.
    Events,
}

/// The period of an indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    /// Per calendar day (UTC).
    Daily,
}

impl Agreement {
    /// The date a trigger falls on.
    pub fn date_of(&self, t: &Trigger) -> Date {
        match t {
            Trigger::Date(d) => *d,
            Trigger::Day(n) => self
                .day_one
                .checked_add(jiff::Span::new().days(i64::from(*n) - 1))
                .unwrap_or(self.day_one),
        }
    }

    /// Every commitment, with its provision.
    pub fn commitments(&self) -> impl Iterator<Item = (&Provision, &Commitment)> {
        self.provisions.iter().flat_map(|p| p.commitments.iter().map(move |c| (p, c)))
    }

    /// How many commitments the mission's log can check: in a machine-checkable provision, with at
    /// least one indicator.
    pub fn machine_checkable(&self) -> usize {
        self.commitments()
            .filter(|(p, c)| p.checkable == Checkable::Machine && !c.indicators.is_empty())
            .count()
    }

    /// The zone with this id.
    pub fn zone(&self, id: &str) -> Option<&Zone> {
        self.zones.iter().find(|z| z.id == id)
    }

    /// The commitment with this id.
    pub fn commitment(&self, id: &str) -> Option<&Commitment> {
        self.commitments().map(|(_, c)| c).find(|c| c.id == id)
    }
}
