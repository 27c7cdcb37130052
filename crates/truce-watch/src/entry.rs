//! Entries: one signed record each, in one canonical encoding.
//!
//! # Encoding (`truce.entry/v2`)
//!
//! An entry is a UTF-8 JSON object `{"author": A, "body": B, "seq": N, "sig": S}` where
//! - `A` is the author's Ed25519 public key, 64 lowercase hex digits;
//! - `B` is the body, an object whose `kind` names the entry kind (see [`Body`]);
//! - `N` is the author's sequence number, from 1 to [`MAX_SEQ`] (2^63 − 1): each entry a key signs
//!   carries a larger number than the one before (gaps allowed), and the log's rules refuse a number that
//!   does not increase, so no entry can be replayed ([`crate::registry`]). A number from 2^63 up does not
//!   decode, so no entry can push a key's count to where it would wrap;
//! - `S` is the standard base64 of the Ed25519 signature over the bytes `truce.entry/v2\n` followed by the
//!   canonical encoding of `{"author": A, "body": B, "seq": N}`.
//!
//! Version 1 had no sequence number; its entries are not version 2 entries and do not decode.
//!
//! Canonical means: object keys sorted by their UTF-8 bytes, no whitespace, no floating-point numbers
//! (coordinates are integer micro-degrees, distances integer metres), absent optional fields omitted
//! rather than `null`, strings escaped as `serde_json` does. [`decode`] re-encodes what it read and
//! refuses any entry whose bytes differ, so every entry has exactly one byte form. At most 65,535 bytes.
//! An optional field added later (such as the mission's `max_distance_m`) is omitted when absent, so an
//! entry written before it existed decodes to the same bytes.
//!
//! # Physical bounds
//!
//! An observation's times are canonical RFC 3339 in UTC, exactly `YYYY-MM-DDTHH:MM:SSZ`; its observer
//! position lies within latitude −90 to 90 and longitude −180 to 180, and so does the event, placed by
//! bearing and distance as [`Observation::event`] (and every export) computes it. [`decode`] refuses
//! anything else ([`Observation::problems`] names the field), and the log's rules refuse a distance
//! beyond the mission's declared `max_distance_m` ([`crate::registry`]).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Error;

/// The signature context.
pub const CONTEXT: &[u8] = b"truce.entry/v2\n";
/// The largest entry, in bytes (the tile entry-bundle limit).
pub const MAX_ENTRY: usize = 65_535;
/// The largest sequence number, 2^63 − 1: numbers from 2^63 up are refused, so a key's count never
/// wraps.
pub const MAX_SEQ: u64 = (1 << 63) - 1;
/// The largest observation distance of a mission entry that declares none (a log written before the
/// field existed), and the one [`Body::mission`] declares: 50 km, the far end of what an observer's eyes
/// and optics reach, or of where artillery is heard.
pub const DEFAULT_MAX_DISTANCE_M: u32 = 50_000;
/// The largest observation distance a mission may declare: 1,000 km.
pub const MAX_DECLARED_DISTANCE_M: u32 = 1_000_000;
/// The one form of an observation's times.
pub const TIME_FORM: &str = "YYYY-MM-DDTHH:MM:SSZ";

/// The observation classes of a ceasefire-monitoring mission, as SMM-style reports use them: the
/// vocabulary the demo and the CLI's missions declare in their mission entry.
pub const CLASSES: &[&str] = &[
    "explosion",
    "projectile",
    "burst",
    "shot",
    "flare",
    "weapon_sighting",
    "access_restriction",
    "damage",
    "casualty",
    "patrol",
];

/// One signed entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The author's public key, hex.
    pub author: String,
    /// What the entry says.
    pub body: Body,
    /// The author's sequence number (increasing per key, from 1).
    pub seq: u64,
    /// The signature, base64.
    pub sig: String,
}

/// The entry kinds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Body {
    /// The first entry of a mission's log: the mission names itself and its key (self-signed), and
    /// declares its period and its observation vocabulary. Observations outside the period, or of a
    /// class not in the vocabulary, are refused by the log's rules.
    Mission {
        /// The mission's name.
        name: String,
        /// The first day observations may start on, `YYYY-MM-DD` (UTC).
        start: String,
        /// The last day observations may start on, `YYYY-MM-DD` (UTC), included.
        end: String,
        /// The observation classes the mission records (`explosion`, `patrol`, …): lowercase words.
        classes: Vec<String>,
        /// The largest distance, in metres, from an observer to what it observes (1 to 1,000,000);
        /// observations beyond it are refused. Absent in logs written before it existed, which get
        /// [`DEFAULT_MAX_DISTANCE_M`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_distance_m: Option<u32>,
    },
    /// The mission enrols a key with a role.
    Enrol {
        /// The enrolled public key, hex.
        key: String,
        /// A name for the holder (a call sign; no personal data needed).
        name: String,
        /// What the key may sign.
        role: Role,
        /// For a party delegate: the party.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        party: Option<String>,
    },
    /// The mission revokes a key: later entries by it are refused.
    Revoke {
        /// The revoked public key, hex.
        key: String,
        /// Why.
        reason: String,
    },
    /// What an observer saw, heard or recorded.
    Observation(Observation),
    /// A verifier's assessment of an observation (weapon type, direction of fire, …).
    Assessment {
        /// The observation's log index.
        of: u64,
        /// The assessed weapon, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        weapon: Option<Weapon>,
        /// The assessment in words.
        text: String,
    },
    /// A verifier attributes an observed event to a party.
    Attribution {
        /// The observation's log index.
        of: u64,
        /// The party.
        party: String,
        /// How sure.
        confidence: Confidence,
    },
    /// A verifier's finding against a commitment, citing its evidence.
    Finding {
        /// The commitment id.
        commitment: String,
        /// The obligor.
        obligor: String,
        /// Whether it finds a violation.
        violation: bool,
        /// The log indices it rests on.
        evidence: Vec<u64>,
        /// The finding in words.
        text: String,
    },
    /// A party's delegate concurs with, disputes or clarifies an entry.
    Annotation {
        /// The annotated entry's log index.
        of: u64,
        /// The party speaking.
        party: String,
        /// Concur, dispute or clarify.
        stance: AnnotationStance,
        /// What the party says.
        text: String,
    },
    /// A verifier moves an observation through the verification state machine.
    Verification {
        /// The observation's log index.
        of: u64,
        /// The new state.
        to: VerificationState,
        /// Why (required for unverifiable and rejected).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// A corrected observation that supersedes an earlier one (which stays in the log).
    Correction {
        /// The superseded observation's log index.
        supersedes: u64,
        /// The observation as corrected.
        observation: Observation,
        /// Why.
        reason: String,
    },
    /// The hash of a report computed from a log prefix, so that the report itself is on record.
    Report {
        /// The report's kind and date, e.g. `daily 2015-03-01`.
        name: String,
        /// The log size the report was computed from.
        log_size: u64,
        /// SHA-256 of the report bytes, hex.
        sha256: String,
    },
}

impl Body {
    /// A mission entry named `name` for the days `start` to `end` (included) that records the
    /// ceasefire-monitoring vocabulary, [`CLASSES`], up to [`DEFAULT_MAX_DISTANCE_M`] away.
    pub fn mission(name: &str, start: jiff::civil::Date, end: jiff::civil::Date) -> Body {
        Body::Mission {
            name: name.to_string(),
            start: start.to_string(),
            end: end.to_string(),
            classes: CLASSES.iter().map(|c| c.to_string()).collect(),
            max_distance_m: Some(DEFAULT_MAX_DISTANCE_M),
        }
    }

    /// The entry kind, as written in the `kind` field.
    pub fn kind(&self) -> &'static str {
        match self {
            Body::Mission { .. } => "mission",
            Body::Enrol { .. } => "enrol",
            Body::Revoke { .. } => "revoke",
            Body::Observation(_) => "observation",
            Body::Assessment { .. } => "assessment",
            Body::Attribution { .. } => "attribution",
            Body::Finding { .. } => "finding",
            Body::Annotation { .. } => "annotation",
            Body::Verification { .. } => "verification",
            Body::Correction { .. } => "correction",
            Body::Report { .. } => "report",
        }
    }
}

/// What a key may sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Observations and corrections.
    Observer,
    /// Verification transitions, assessments, attributions, findings.
    Verifier,
    /// Annotations for one party.
    PartyDelegate,
}

/// How sure an attribution is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Low.
    Low,
    /// Medium.
    Medium,
    /// High.
    High,
}

/// A party's stance on an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnnotationStance {
    /// Agrees.
    Concur,
    /// Disputes.
    Dispute,
    /// Adds information.
    Clarify,
}

/// The verification states of an observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerificationState {
    /// Just recorded (not a transition target).
    Received,
    /// A verifier has taken it up.
    UnderReview,
    /// Confirmed by another source or means.
    Corroborated,
    /// Could not be checked, e.g. access denied.
    Unverifiable,
    /// Found duplicate or inaccurate.
    Rejected,
}

impl VerificationState {
    /// The word for this state.
    pub fn as_str(self) -> &'static str {
        match self {
            VerificationState::Received => "received",
            VerificationState::UnderReview => "under_review",
            VerificationState::Corroborated => "corroborated",
            VerificationState::Unverifiable => "unverifiable",
            VerificationState::Rejected => "rejected",
        }
    }
}

/// What an observer saw, heard or recorded. Coordinates only: no country or sovereignty field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// Start of the time window, RFC 3339 in UTC, exactly `YYYY-MM-DDTHH:MM:SSZ`
    /// (`2015-02-20T06:00:00Z`).
    pub start: String,
    /// End of the time window, in the same form.
    pub end: String,
    /// Observer position, latitude in micro-degrees.
    pub lat_e6: i64,
    /// Observer position, longitude in micro-degrees.
    pub lon_e6: i64,
    /// Who controls the observer's position, as observed (a party id, or `unknown`).
    pub controlled_by: String,
    /// How it was perceived: `heard`, `saw`, `camera`, `uav`, `crater_analysis`, `patrol`.
    pub sensor: String,
    /// What: `explosion`, `projectile`, `burst`, `shot`, `flare`, `weapon_sighting`,
    /// `access_restriction`, `damage`, `casualty`, `patrol`.
    pub class: String,
    /// How many.
    pub count: u32,
    /// Whether the count is approximate ("about 60").
    pub approximate: bool,
    /// Bearing from the observer to the event, degrees from north.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bearing_deg: Option<u16>,
    /// Distance from the observer to the event, metres: at most the mission's `max_distance_m`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<u32>,
    /// The weapon, as assessed by the observer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weapon: Option<Weapon>,
    /// Photos, video or audio, by content: `<SHA-256 hex>` or `<SHA-256 hex>:<bytes>`
    /// ([`crate::media::media_ref`]); the files are uploaded apart.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media: Vec<String>,
    /// Free text.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// A weapon as assessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weapon {
    /// `artillery`, `mortar`, `mlrs`, `heavy_mlrs`, `tochka`, `tank`, `small_arms`, …
    pub class: String,
    /// Calibre in millimetres, if assessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibre_mm: Option<u32>,
}

impl Observation {
    /// The observer's position, `[longitude, latitude]` in degrees.
    pub fn observer(&self) -> [f64; 2] {
        [self.lon_e6 as f64 / 1e6, self.lat_e6 as f64 / 1e6]
    }

    /// Where the event was: the observer's position moved by the bearing and distance, when given.
    pub fn event(&self) -> [f64; 2] {
        match (self.bearing_deg, self.distance_m) {
            (Some(b), Some(d)) => {
                truce_accord::geo::offset(self.observer(), f64::from(b), f64::from(d) / 1000.0)
            }
            _ => self.observer(),
        }
    }

    /// The UTC date the window starts on.
    pub fn day(&self) -> Result<jiff::civil::Date, Error> {
        // The canonical form, `YYYY-MM-DDThh:mm:ssZ` (every observation that decoded), is in UTC
        // already: its date is its first ten bytes. The fallback serves values built in memory.
        let b = self.start.as_bytes();
        if b.len() == 20
            && b[10] == b'T'
            && b[19] == b'Z'
            && let Ok(d) = self.start[..10].parse::<jiff::civil::Date>()
        {
            return Ok(d);
        }
        let t: jiff::Timestamp = self
            .start
            .parse()
            .map_err(|e| Error::Malformed(format!("start {:?}: {e}", self.start)))?;
        Ok(jiff::tz::Offset::UTC.to_datetime(t).date())
    }

    /// Checks the fields an observation must get right.
    pub fn check(&self) -> Result<(), Error> {
        match self.problems().into_iter().next() {
            Some((field, message, _)) => Err(Error::Malformed(format!("{field}: {message}"))),
            None => Ok(()),
        }
    }

    /// Every problem with the fields: (field, what is wrong, what was expected).
    pub fn problems(&self) -> Vec<(&'static str, String, &'static str)> {
        let mut out = Vec::new();
        let rfc3339 =
            "an RFC 3339 time in UTC, exactly YYYY-MM-DDTHH:MM:SSZ, e.g. 2015-02-20T06:00:00Z";
        let start = canonical_time(&self.start);
        let end = canonical_time(&self.end);
        if let Err(e) = &start {
            out.push(("start", format!("{:?} {e}", self.start), rfc3339));
        }
        if let Err(e) = &end {
            out.push(("end", format!("{:?} {e}", self.end), rfc3339));
        }
        if let (Ok(s), Ok(e)) = (start, end)
            && e < s
        {
            out.push((
                "end",
                format!("the window ends ({}) before it starts ({})", self.end, self.start),
                "an end at or after the start",
            ));
        }
        if !(-90_000_000..=90_000_000).contains(&self.lat_e6) {
            out.push((
                "lat_e6",
                format!("{} is out of range", self.lat_e6),
                "latitude in micro-degrees, -90000000 to 90000000",
            ));
        }
        if !(-180_000_000..=180_000_000).contains(&self.lon_e6) {
            out.push((
                "lon_e6",
                format!("{} is out of range", self.lon_e6),
                "longitude in micro-degrees, -180000000 to 180000000",
            ));
        }
        if self.bearing_deg.is_some_and(|b| b >= 360) {
            out.push((
                "bearing_deg",
                format!("{} is out of range", self.bearing_deg.unwrap_or(0)),
                "degrees from north, 0 to 359",
            ));
        }
        if out.iter().all(|(f, _, _)| !matches!(*f, "lat_e6" | "lon_e6" | "bearing_deg"))
            && let (Some(b), Some(d)) = (self.bearing_deg, self.distance_m)
        {
            let [lon, lat] = self.event();
            let on_globe = (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon);
            if !on_globe {
                out.push((
                    "distance_m",
                    format!(
                        "the event, {d} m from the observer at bearing {b}°, would lie at latitude {lat:.3}°, longitude {lon:.3}°, off the globe"
                    ),
                    "a distance and bearing that place the event within latitude -90 to 90 and longitude -180 to 180",
                ));
            }
        }
        for (field, value) in [
            ("class", &self.class),
            ("sensor", &self.sensor),
            ("controlled_by", &self.controlled_by),
        ] {
            if value.trim().is_empty() {
                out.push((
                    field,
                    "is empty".to_string(),
                    "a word, e.g. explosion / heard / UKR_GOV (or unknown)",
                ));
            }
        }
        if let Some(m) = self.media.iter().find(|m| crate::media::media_ref(m).is_none()) {
            out.push((
                "media",
                format!("{m:?} is not a SHA-256"),
                "64 hex digits per media file, optionally followed by `:` and its size in bytes",
            ));
        }
        out
    }
}

/// Reads a time in the one form entries use, `YYYY-MM-DDTHH:MM:SSZ` (RFC 3339 in UTC, whole seconds,
/// a four-digit year): no offset other than `Z`, no fraction, no sign, no leap second. The error says
/// what is wrong, after the value.
fn canonical_time(s: &str) -> Result<jiff::Timestamp, String> {
    let b = s.as_bytes();
    let shaped = b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        });
    if !shaped {
        return Err(format!("is not a UTC time in the form {TIME_FORM}"));
    }
    let civil = s[..19]
        .parse::<jiff::civil::DateTime>()
        .ok()
        .filter(|t| t.to_string() == s[..19])
        .ok_or_else(|| format!("is not a valid date and time ({TIME_FORM})"))?;
    jiff::tz::Offset::UTC.to_timestamp(civil).map_err(|e| format!("is out of range: {e}"))
}

/// Sorts object keys recursively.
fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(keys.into_iter().map(|k| (k.clone(), canonical(&map[k]))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

fn to_canonical<T: Serialize>(t: &T) -> Result<Vec<u8>, Error> {
    let v = serde_json::to_value(t).map_err(|e| Error::Malformed(e.to_string()))?;
    if contains_float(&v) {
        return Err(Error::Malformed("floating-point numbers are not allowed".into()));
    }
    serde_json::to_vec(&canonical(&v)).map_err(|e| Error::Malformed(e.to_string()))
}

fn contains_float(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.is_f64(),
        Value::Array(a) => a.iter().any(contains_float),
        Value::Object(m) => m.values().any(contains_float),
        _ => false,
    }
}

#[derive(Serialize)]
struct Signed<'a> {
    author: &'a str,
    body: &'a Body,
    seq: u64,
}

/// The hex public key of a signing key.
pub fn key_hex(key: &VerifyingKey) -> String {
    key.as_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Parses a hex public key.
pub fn parse_key(hex: &str) -> Result<VerifyingKey, Error> {
    let bad = || Error::Malformed(format!("{hex:?} is not a 64-hex-digit Ed25519 public key"));
    if hex.len() != 64 || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return Err(bad());
    }
    let mut bytes = [0u8; 32];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|_| bad())?;
    }
    VerifyingKey::from_bytes(&bytes).map_err(|_| bad())
}

/// Signs `body` with `key` as the key's entry number `seq` and returns the entry's canonical bytes.
/// `seq` must be larger than every number the key signed before (see [`Author`] to keep count).
pub fn sign(key: &SigningKey, seq: u64, body: Body) -> Result<Vec<u8>, Error> {
    if let Body::Observation(o) | Body::Correction { observation: o, .. } = &body {
        o.check()?;
    }
    check_seq(seq)?;
    let author = key_hex(&key.verifying_key());
    let mut message = CONTEXT.to_vec();
    message.extend(to_canonical(&Signed { author: &author, body: &body, seq })?);
    let sig = STANDARD.encode(key.sign(&message).to_bytes());
    let bytes = to_canonical(&Entry { author, body, seq, sig })?;
    if bytes.len() > MAX_ENTRY {
        return Err(Error::Malformed(format!("{} bytes, more than {MAX_ENTRY}", bytes.len())));
    }
    Ok(bytes)
}

/// Refuses a sequence number outside 1 to [`MAX_SEQ`].
fn check_seq(seq: u64) -> Result<(), Error> {
    if seq == 0 {
        return Err(Error::Malformed("seq: sequence numbers start at 1".into()));
    }
    if seq > MAX_SEQ {
        return Err(Error::Malformed(format!(
            "seq: {seq} is too large: a key's sequence numbers run from 1 to {MAX_SEQ} (2^63 - 1); a key that has used them all is spent, and the mission enrols a new one"
        )));
    }
    Ok(())
}

/// Reads an entry: canonical bytes, a well-formed body, a valid signature by its author.
pub fn decode(bytes: &[u8]) -> Result<Entry, Error> {
    decode_with(bytes, &mut parse_key)
}

/// [`decode`], with the author's key parsed by `key_of` (from its hex): a server that sees the same
/// authors again keeps their parsed keys instead of decompressing each one anew.
pub fn decode_with(
    bytes: &[u8],
    key_of: &mut dyn FnMut(&str) -> Result<VerifyingKey, Error>,
) -> Result<Entry, Error> {
    if bytes.len() > MAX_ENTRY {
        return Err(Error::Malformed(format!("{} bytes, more than {MAX_ENTRY}", bytes.len())));
    }
    let entry: Entry =
        serde_json::from_slice(bytes).map_err(|e| Error::Malformed(e.to_string()))?;
    if to_canonical(&entry)? != bytes {
        return Err(Error::Malformed(
            "not in canonical form (sorted keys, no whitespace, no unknown fields)".into(),
        ));
    }
    if let Body::Observation(o) | Body::Correction { observation: o, .. } = &entry.body {
        o.check()?;
    }
    check_seq(entry.seq)?;
    let key = key_of(&entry.author)?;
    let sig = STANDARD
        .decode(&entry.sig)
        .ok()
        .and_then(|s| Signature::from_slice(&s).ok())
        .ok_or_else(|| Error::Signature("not a base64 Ed25519 signature".into()))?;
    // The bytes are canonical, with the keys sorted: the signed {author, body, seq} is all of them but
    // the last field, `"sig"`. No second encoding is needed.
    let suffix = format!(",\"sig\":\"{}\"}}", entry.sig);
    let signed = bytes
        .strip_suffix(suffix.as_bytes())
        .ok_or_else(|| Error::Malformed("the signature is not the last field".into()))?;
    let mut message = Vec::with_capacity(CONTEXT.len() + signed.len() + 1);
    message.extend_from_slice(CONTEXT);
    message.extend_from_slice(signed);
    message.push(b'}');
    key.verify(&message, &sig).map_err(|_| Error::Signature("does not verify".into()))?;
    Ok(entry)
}

/// A signing key and the sequence number of the next entry it signs: the usual way to sign a run of
/// entries.
pub struct Author {
    /// The key.
    pub key: SigningKey,
    /// The sequence number the next entry gets.
    pub next: u64,
}

impl Author {
    /// A key whose first entry gets sequence number 1.
    pub fn new(key: SigningKey) -> Author {
        Author { key, next: 1 }
    }

    /// Signs `body` with the next sequence number.
    pub fn sign(&mut self, body: Body) -> Result<Vec<u8>, Error> {
        let bytes = sign(&self.key, self.next, body)?;
        // `sign` refused anything above MAX_SEQ, so this cannot wrap.
        self.next = self.next.saturating_add(1);
        Ok(bytes)
    }

    /// The key, hex.
    pub fn hex(&self) -> String {
        key_hex(&self.key.verifying_key())
    }
}

/// A private key file: `truce-key/v1`, the holder's name, and the base64 Ed25519 seed, one per line.
/// Written owner-readable only; never printed.
pub struct KeyFile {
    /// The holder's name.
    pub name: String,
    /// The key.
    pub key: SigningKey,
}

impl KeyFile {
    /// The file's text.
    pub fn to_text(&self) -> String {
        format!("truce-key/v1\n{}\n{}\n", self.name, STANDARD.encode(self.key.to_bytes()))
    }

    /// Reads a key file.
    pub fn parse(text: &str) -> Result<KeyFile, Error> {
        let mut lines = text.lines();
        if lines.next() != Some("truce-key/v1") {
            return Err(Error::Malformed("line 1: expected `truce-key/v1`".into()));
        }
        let name = lines
            .next()
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| Error::Malformed("line 2: expected the holder's name".into()))?
            .to_string();
        let seed = lines
            .next()
            .and_then(|l| STANDARD.decode(l.trim()).ok())
            .and_then(|b| <[u8; 32]>::try_from(b.as_slice()).ok())
            .ok_or_else(|| {
                Error::Malformed("line 3: expected a base64 32-byte Ed25519 seed".into())
            })?;
        Ok(KeyFile { name, key: SigningKey::from_bytes(&seed) })
    }

    /// This key file sealed with `passphrase` for a device (see [`SealedKey`]). `salt` (16 bytes) and
    /// `nonce` (12 bytes) must be fresh random bytes; `iterations` at least [`SealedKey::MIN_ITERATIONS`].
    pub fn seal(
        &self,
        passphrase: &str,
        salt: [u8; 16],
        nonce: [u8; 12],
        iterations: u32,
    ) -> Result<String, Error> {
        use aes_gcm::aead::{Aead, KeyInit, Payload};
        if iterations < SealedKey::MIN_ITERATIONS {
            return Err(Error::Malformed(format!(
                "{iterations} PBKDF2 iterations are too few; use at least {}",
                SealedKey::MIN_ITERATIONS
            )));
        }
        if passphrase.chars().count() < 8 {
            return Err(Error::Malformed("the passphrase must have at least 8 characters".into()));
        }
        let key = SealedKey::derive(passphrase, &salt, iterations);
        let cipher = aes_gcm::Aes256Gcm::new(&key.into());
        let aad = SealedKey::aad(&self.name);
        let sealed = cipher
            .encrypt(&nonce.into(), Payload { msg: &self.key.to_bytes(), aad: aad.as_bytes() })
            .map_err(|_| Error::Malformed("sealing failed".into()))?;
        Ok(format!(
            "{}\n{}\npbkdf2-sha256 {iterations} {}\n{}\n{}\n",
            SealedKey::HEADER,
            self.name,
            STANDARD.encode(salt),
            STANDARD.encode(nonce),
            STANDARD.encode(sealed)
        ))
    }
}

/// A key file sealed with a passphrase, for a device that imports it once (the observer app): line 1
/// `truce-key-sealed/v1`, line 2 the holder's name, line 3 `pbkdf2-sha256 <iterations> <base64 salt>`,
/// line 4 the base64 AES-256-GCM nonce, line 5 the base64 ciphertext of the 32-byte seed with its tag,
/// authenticated with the first two lines as associated data (`truce-key-sealed/v1\n<name>\n`). The
/// AES key is PBKDF2-HMAC-SHA256 of the passphrase: what WebCrypto offers, so the browser opens it.
pub struct SealedKey;

impl SealedKey {
    /// The first line.
    pub const HEADER: &'static str = "truce-key-sealed/v1";
    /// The fewest PBKDF2 iterations accepted (OWASP's figure for PBKDF2-HMAC-SHA256).
    pub const MIN_ITERATIONS: u32 = 600_000;

    fn aad(name: &str) -> String {
        format!("{}\n{name}\n", SealedKey::HEADER)
    }

    fn derive(passphrase: &str, salt: &[u8], iterations: u32) -> [u8; 32] {
        let mut key = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<sha2::Sha256>(passphrase.as_bytes(), salt, iterations, &mut key);
        key
    }

    /// Opens a sealed key file with its passphrase.
    pub fn open(text: &str, passphrase: &str) -> Result<KeyFile, Error> {
        use aes_gcm::aead::{Aead, KeyInit, Payload};
        let lines: Vec<&str> = text.lines().collect();
        let bad =
            |line: usize, what: &str| Error::Malformed(format!("line {line}: expected {what}"));
        if lines.first() != Some(&SealedKey::HEADER) {
            return Err(bad(1, "`truce-key-sealed/v1`"));
        }
        let name = lines
            .get(1)
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| bad(2, "the holder's name"))?;
        let kdf: Vec<&str> = lines.get(2).map(|l| l.split(' ').collect()).unwrap_or_default();
        let (iterations, salt) = match kdf.as_slice() {
            ["pbkdf2-sha256", n, salt] => (
                n.parse::<u32>().ok().filter(|n| *n >= SealedKey::MIN_ITERATIONS),
                STANDARD.decode(salt).ok(),
            ),
            _ => (None, None),
        };
        let (Some(iterations), Some(salt)) = (iterations, salt) else {
            return Err(bad(3, "`pbkdf2-sha256 <iterations, at least 600000> <base64 salt>`"));
        };
        let nonce: [u8; 12] = lines
            .get(3)
            .and_then(|l| STANDARD.decode(l.trim()).ok())
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| bad(4, "a base64 12-byte nonce"))?;
        let sealed = lines
            .get(4)
            .and_then(|l| STANDARD.decode(l.trim()).ok())
            .ok_or_else(|| bad(5, "the base64 sealed seed"))?;
        let key = SealedKey::derive(passphrase, &salt, iterations);
        let cipher = aes_gcm::Aes256Gcm::new(&key.into());
        let aad = SealedKey::aad(name);
        let seed = cipher
            .decrypt(&nonce.into(), Payload { msg: &sealed, aad: aad.as_bytes() })
            .map_err(|_| Error::Malformed("wrong passphrase, or the file was changed".into()))?;
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| Error::Malformed("the sealed seed is not 32 bytes".into()))?;
        Ok(KeyFile { name: name.to_string(), key: SigningKey::from_bytes(&seed) })
    }
}
