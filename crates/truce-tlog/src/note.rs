//! C2SP signed notes (`signed-note`), Ed25519 keys in the vkey text form, and timestamped Ed25519
//! cosignatures (`tlog-cosignature`, type 0x04).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use ed25519_dalek::{Signer as _, SigningKey, Verifier as _, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::Error;

/// The em dash that starts a signature line (U+2014).
const DASH: &str = "\u{2014}";
/// Signature type of a plain Ed25519 note signature (signed-note §"Signature types").
pub const ED25519: u8 = 0x01;
/// Signature type of a timestamped Ed25519 cosignature (tlog-cosignature §"Ed25519").
pub const COSIGNATURE_V1: u8 = 0x04;
/// The most signatures a note may carry (the spec asks verifiers to accept at least 16).
pub const MAX_SIGNATURES: usize = 100;

/// One signature line of a note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteSignature {
    /// The key name.
    pub name: String,
    /// The 4-byte key ID.
    pub key_id: u32,
    /// The signature bytes after the key ID.
    pub blob: Vec<u8>,
}

impl NoteSignature {
    /// The line as it appears in a note, with its newline.
    pub fn line(&self) -> String {
        let mut bytes = self.key_id.to_be_bytes().to_vec();
        bytes.extend_from_slice(&self.blob);
        format!("{DASH} {} {}\n", self.name, STANDARD.encode(bytes))
    }
}

/// A parsed signed note: its text (ending in a newline) and its signatures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The signed text, ending in `\n`.
    pub text: String,
    /// The signatures, in order.
    pub signatures: Vec<NoteSignature>,
}

impl Note {
    /// Parses a note: the text, a blank line, then one or more signature lines (signed-note §"Format").
    pub fn parse(bytes: &[u8]) -> Result<Note, Error> {
        let s = std::str::from_utf8(bytes).map_err(|_| Error::Note("not UTF-8".into()))?;
        if s.chars().any(|c| c.is_control() && c != '\n') {
            return Err(Error::Note("control character other than newline".into()));
        }
        if !s.ends_with('\n') {
            return Err(Error::Note("does not end with a newline".into()));
        }
        let split = s
            .rfind("\n\n")
            .ok_or_else(|| Error::Note("no blank line before the signatures".into()))?;
        let text = &s[..split + 1];
        let sigs = &s[split + 2..];
        let mut signatures = Vec::new();
        for line in sigs.split_terminator('\n') {
            let rest = line
                .strip_prefix(DASH)
                .and_then(|r| r.strip_prefix(' '))
                .ok_or_else(|| Error::Note(format!("malformed signature line {line:?}")))?;
            let (name, b64) = rest
                .split_once(' ')
                .ok_or_else(|| Error::Note("signature line without a signature".into()))?;
            check_name(name)?;
            let raw = STANDARD
                .decode(b64)
                .map_err(|_| Error::Note(format!("signature of {name} is not base64")))?;
            if raw.len() < 5 {
                return Err(Error::Note(format!("signature of {name} is too short")));
            }
            let key_id = u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]);
            signatures.push(NoteSignature {
                name: name.to_string(),
                key_id,
                blob: raw[4..].to_vec(),
            });
            if signatures.len() > MAX_SIGNATURES {
                return Err(Error::Note(format!("more than {MAX_SIGNATURES} signatures")));
            }
        }
        if signatures.is_empty() {
            return Err(Error::Note("no signature".into()));
        }
        Ok(Note { text: text.to_string(), signatures })
    }

    /// The note as text: its text, a blank line, its signature lines.
    pub fn to_text(&self) -> String {
        let mut out = self.text.clone();
        out.push('\n');
        for s in &self.signatures {
            out.push_str(&s.line());
        }
        out
    }
}

fn check_name(name: &str) -> Result<(), Error> {
    if name.is_empty() || name.contains('+') || name.chars().any(char::is_whitespace) {
        return Err(Error::Note(format!(
            "bad key name {name:?}: it must be non-empty, without spaces or '+'"
        )));
    }
    Ok(())
}

/// The key ID: the first four bytes of SHA-256(name || "\n" || type || public key) (signed-note §"Key IDs").
pub fn key_id(name: &str, kind: u8, public: &[u8]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update([kind]);
    h.update(public);
    let d = h.finalize();
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

/// A public key that verifies note signatures: a log key (0x01) or a cosigner key (0x04).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteVerifier {
    /// Key name.
    pub name: String,
    /// Key ID.
    pub key_id: u32,
    /// Signature type: [`ED25519`] or [`COSIGNATURE_V1`].
    pub kind: u8,
    key: VerifyingKey,
}

impl NoteVerifier {
    /// Parses a vkey: `<name>+<hex key ID>+<base64(type || public key)>`.
    pub fn parse(vkey: &str) -> Result<NoteVerifier, Error> {
        let vkey = vkey.trim();
        // Names never contain '+', base64 may: split from the left.
        let mut parts = vkey.splitn(3, '+');
        let (Some(name), Some(hex), Some(b64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(Error::Note("a vkey is name+keyid+key".into()));
        };
        check_name(name)?;
        let raw = STANDARD.decode(b64).map_err(|_| Error::Note("vkey key is not base64".into()))?;
        let (kind, public) = raw.split_first().ok_or_else(|| Error::Note("empty vkey".into()))?;
        if *kind != ED25519 && *kind != COSIGNATURE_V1 {
            return Err(Error::Note(format!(
                "vkey type 0x{kind:02x} is not supported (Ed25519 0x01 or cosignature 0x04)"
            )));
        }
        let public: [u8; 32] =
            public.try_into().map_err(|_| Error::Note("vkey public key is not 32 bytes".into()))?;
        let key = VerifyingKey::from_bytes(&public)
            .map_err(|_| Error::Note("vkey is not an Ed25519 point".into()))?;
        let id = u32::from_str_radix(hex, 16)
            .map_err(|_| Error::Note("vkey key ID is not hex".into()))?;
        if hex.len() != 8 || id != key_id(name, *kind, &public) {
            return Err(Error::Note(format!("vkey key ID {hex} does not match the key")));
        }
        Ok(NoteVerifier { name: name.to_string(), key_id: id, kind: *kind, key })
    }

    /// The vkey text.
    pub fn vkey(&self) -> String {
        let mut raw = vec![self.kind];
        raw.extend_from_slice(self.key.as_bytes());
        format!("{}+{:08x}+{}", self.name, self.key_id, STANDARD.encode(raw))
    }

    /// Whether this key made `signature` over `text`; for a cosignature, returns its timestamp.
    pub fn verify(&self, text: &str, signature: &NoteSignature) -> Result<Option<u64>, Error> {
        let bad = || Error::Note(format!("signature by {} does not verify", self.name));
        match self.kind {
            ED25519 => {
                let sig =
                    ed25519_dalek::Signature::from_slice(&signature.blob).map_err(|_| bad())?;
                self.key.verify(text.as_bytes(), &sig).map_err(|_| bad())?;
                Ok(None)
            }
            _ => {
                if signature.blob.len() != 72 {
                    return Err(bad());
                }
                let timestamp =
                    u64::from_be_bytes(signature.blob[..8].try_into().map_err(|_| bad())?);
                let sig = ed25519_dalek::Signature::from_slice(&signature.blob[8..])
                    .map_err(|_| bad())?;
                self.key
                    .verify(cosigned_message(timestamp, text).as_bytes(), &sig)
                    .map_err(|_| bad())?;
                Ok(Some(timestamp))
            }
        }
    }
}

/// The message a cosigner signs (tlog-cosignature §"Ed25519"): `cosignature/v1\ntime <t>\n` + the checkpoint text.
pub fn cosigned_message(timestamp: u64, text: &str) -> String {
    format!("cosignature/v1\ntime {timestamp}\n{text}")
}

/// The signatures of `note` by the given keys: signatures by unknown keys are ignored; a signature by a known
/// key that fails rejects the note; a note with no signature by a known key is rejected.
/// Returns, for each verified signature, the verifier's index and the cosignature timestamp if any.
pub fn verify_note(
    note: &Note,
    verifiers: &[NoteVerifier],
) -> Result<Vec<(usize, Option<u64>)>, Error> {
    let mut verified = Vec::new();
    for signature in &note.signatures {
        if let Some(i) =
            verifiers.iter().position(|v| v.name == signature.name && v.key_id == signature.key_id)
        {
            let timestamp = verifiers[i].verify(&note.text, signature)?;
            verified.push((i, timestamp));
        }
    }
    if verified.is_empty() {
        return Err(Error::Note("no signature by a known key".into()));
    }
    Ok(verified)
}

/// A private Ed25519 key that signs notes (as the log) or cosigns checkpoints (as a witness).
#[derive(Clone)]
pub struct NoteSigner {
    /// Key name.
    pub name: String,
    /// Signature type: [`ED25519`] or [`COSIGNATURE_V1`].
    pub kind: u8,
    key: SigningKey,
}

impl std::fmt::Debug for NoteSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the private key.
        f.debug_struct("NoteSigner")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl NoteSigner {
    /// A new random key.
    pub fn generate(name: &str, kind: u8) -> Result<NoteSigner, Error> {
        check_name(name)?;
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed)
            .map_err(|e| Error::Note(format!("no randomness for a key: {e}")))?;
        Ok(NoteSigner { name: name.to_string(), kind, key: SigningKey::from_bytes(&seed) })
    }

    /// Parses a private key: `PRIVATE+KEY+<name>+<hex key ID>+<base64(type || seed)>`.
    pub fn parse(skey: &str) -> Result<NoteSigner, Error> {
        let rest = skey
            .trim()
            .strip_prefix("PRIVATE+KEY+")
            .ok_or_else(|| Error::Note("a private key starts with PRIVATE+KEY+".into()))?;
        let mut parts = rest.splitn(3, '+');
        let (Some(name), Some(hex), Some(b64)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(Error::Note("a private key is PRIVATE+KEY+name+keyid+key".into()));
        };
        check_name(name)?;
        let raw =
            STANDARD.decode(b64).map_err(|_| Error::Note("private key is not base64".into()))?;
        let (kind, seed) =
            raw.split_first().ok_or_else(|| Error::Note("empty private key".into()))?;
        let seed: [u8; 32] =
            seed.try_into().map_err(|_| Error::Note("private key seed is not 32 bytes".into()))?;
        let signer =
            NoteSigner { name: name.to_string(), kind: *kind, key: SigningKey::from_bytes(&seed) };
        if format!("{:08x}", signer.key_id()) != hex {
            return Err(Error::Note("private key ID does not match the key".into()));
        }
        Ok(signer)
    }

    /// The private key text. Handle with care: it is a secret.
    pub fn skey(&self) -> String {
        let mut raw = vec![self.kind];
        raw.extend_from_slice(self.key.as_bytes());
        format!("PRIVATE+KEY+{}+{:08x}+{}", self.name, self.key_id(), STANDARD.encode(raw))
    }

    /// The key ID.
    pub fn key_id(&self) -> u32 {
        key_id(&self.name, self.kind, self.key.verifying_key().as_bytes())
    }

    /// The matching public key.
    pub fn verifier(&self) -> NoteVerifier {
        NoteVerifier {
            name: self.name.clone(),
            key_id: self.key_id(),
            kind: self.kind,
            key: self.key.verifying_key(),
        }
    }

    /// Signs `text`: a plain Ed25519 signature, or a cosignature at `timestamp` for a cosigner key.
    pub fn sign(&self, text: &str, timestamp: u64) -> NoteSignature {
        let blob = if self.kind == COSIGNATURE_V1 {
            let mut blob = timestamp.to_be_bytes().to_vec();
            blob.extend_from_slice(
                &self.key.sign(cosigned_message(timestamp, text).as_bytes()).to_bytes(),
            );
            blob
        } else {
            self.key.sign(text.as_bytes()).to_bytes().to_vec()
        };
        NoteSignature { name: self.name.clone(), key_id: self.key_id(), blob }
    }
}

/// A witness policy: the checkpoint must carry valid cosignatures from at least `quorum` of `witnesses`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WitnessPolicy {
    /// The witnesses' cosigning keys (type 0x04).
    pub witnesses: Vec<NoteVerifier>,
    /// How many distinct witnesses must have cosigned.
    pub quorum: usize,
}

/// Verifies a checkpoint note against the log's key and a witness policy (k of n): the log's signature must
/// verify, every signature by a known witness must verify, and at least `quorum` distinct witnesses must
/// have cosigned. Unknown signatures are ignored. Returns the names of the witnesses that cosigned and when.
pub fn verify_cosigned(
    note: &Note,
    log: &NoteVerifier,
    policy: &WitnessPolicy,
) -> Result<Vec<(String, u64)>, Error> {
    verify_note(note, std::slice::from_ref(log))?;
    let mut cosigners: Vec<(String, u64)> = Vec::new();
    for signature in &note.signatures {
        if let Some(w) = policy
            .witnesses
            .iter()
            .find(|w| w.name == signature.name && w.key_id == signature.key_id)
        {
            let timestamp = w.verify(&note.text, signature)?.unwrap_or(0);
            if !cosigners.iter().any(|(n, _)| *n == w.name) {
                cosigners.push((w.name.clone(), timestamp));
            }
        }
    }
    if cosigners.len() < policy.quorum {
        return Err(Error::Note(format!(
            "{} of {} witnesses cosigned; the policy requires {}",
            cosigners.len(),
            policy.witnesses.len(),
            policy.quorum
        )));
    }
    Ok(cosigners)
}
