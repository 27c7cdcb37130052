//! Witnesses, both ways round.
//!
//! - **Hosted**: a party can run its witness inside a Truce server. `POST /witness/{name}/add-checkpoint`
//!   is the tlog-witness endpoint; [`truce_tlog::witness::Witness`] decides, its state is a
//!   [`FileWitnessStore`] (the old-size check and the new state in one locked, flushed step).
//! - **Peers**: the witnesses this server's log asks to cosign. A background task offers each peer the
//!   latest checkpoint with a consistency proof from the size the peer last cosigned (learnt from a 409
//!   when unknown), checks the cosignature it returns against the peer's key, and keeps it. Every peer
//!   is offered the same checkpoint in a round. When the log has peers, `/log/checkpoint` serves the
//!   newest checkpoint cosigned in a round, with every cosignature gathered for it: what is served is
//!   witnessed, and trails the newest checkpoint by one round. (Tiles stay valid for it: the log keeps
//!   the partial tiles of every checkpointed size.)

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use truce_tlog::note::{Note, NoteVerifier};
use truce_tlog::witness::{FileWitnessStore, Witness};

use crate::St;
use crate::{AppError, AppState, note_size};

/// The witnesses of a server.
#[derive(Default)]
pub struct Witnesses {
    /// Witnesses this server hosts, by name (the `{name}` of the endpoint).
    pub hosted: HashMap<String, Mutex<Witness<FileWitnessStore>>>,
    /// Witnesses this server's log asks to cosign.
    pub peers: Vec<Peer>,
    /// The newest checkpoint cosigned in one round, with its cosignatures.
    pub witnessed: Mutex<Option<Note>>,
}

/// A witness the log asks to cosign.
pub struct Peer {
    /// The submission prefix: requests go to `{url}/add-checkpoint`.
    pub url: String,
    /// The witness's cosigning key.
    pub verifier: NoteVerifier,
    /// What is known of it.
    pub status: Mutex<PeerStatus>,
}

/// The last exchange with a peer.
#[derive(Debug, Clone, Default)]
pub struct PeerStatus {
    /// The size the witness last cosigned (as far as the log knows).
    pub size: u64,
    /// The checkpoint text it last cosigned, and its cosignature line.
    pub cosigned: Option<(String, String)>,
    /// When it last cosigned.
    pub at: Option<SystemTime>,
    /// The last error, cleared by a success.
    pub error: Option<String>,
    /// Every error so far (offers refused, failed or unanswered).
    pub errors: u64,
}

impl Peer {
    /// A peer at `url` with key `vkey` (vkey text form).
    pub fn new(url: &str, vkey: &str) -> Result<Peer, String> {
        let verifier = NoteVerifier::parse(vkey).map_err(|e| format!("witness key: {e}"))?;
        Ok(Peer {
            url: url.trim_end_matches('/').to_string(),
            verifier,
            status: Mutex::new(PeerStatus::default()),
        })
    }
}

pub(crate) async fn add_checkpoint(
    State(st): St,
    Path(name): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    if !st.witnesses.hosted.contains_key(&name) {
        return Err(AppError::NotFound);
    }
    let st2 = st.clone();
    let result = tokio::task::spawn_blocking(move || {
        let now =
            SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(1, |d| d.as_secs());
        let witness = st2.witnesses.hosted.get(&name).ok_or(AppError::NotFound)?;
        let mut witness =
            witness.lock().map_err(|_| AppError::Internal("witness lock poisoned".into()))?;
        Ok::<_, AppError>(witness.add_checkpoint(&body, now))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    Ok(match result {
        Ok(lines) => ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], lines).into_response(),
        Err(refusal) => {
            let status =
                StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            // 409 carries the witness's size (text/x.tlog.size), the rest a plain reason.
            let kind = if refusal.status == 409 { "text/x.tlog.size" } else { "text/plain" };
            (status, [(header::CONTENT_TYPE, kind)], refusal.body).into_response()
        }
    })
}

pub(crate) async fn list(
    State(st): St,
) -> Result<axum::Json<crate::api::docs::Witnesses>, AppError> {
    use crate::api::docs::{FollowedLog, HostedWitness, PeerWitness, Witnesses};
    use truce_tlog::witness::WitnessStore;
    let when = |t: Option<SystemTime>| {
        t.and_then(|t| jiff::Timestamp::try_from(t).ok()).map(|t| t.to_string())
    };
    let mut hosted = Vec::new();
    let mut names: Vec<&String> = st.witnesses.hosted.keys().collect();
    names.sort();
    for name in names {
        let w = st.witnesses.hosted[name]
            .lock()
            .map_err(|_| AppError::Internal("witness lock poisoned".into()))?;
        let mut origins: Vec<&String> = w.logs.keys().collect();
        origins.sort();
        let logs = origins
            .into_iter()
            .map(|origin| FollowedLog {
                origin: origin.clone(),
                vkey: w.logs[origin].vkey(),
                cosigned_size: w.store.latest(origin).ok().flatten().map(|(s, _)| s),
            })
            .collect();
        hosted.push(HostedWitness {
            name: name.clone(),
            url_path: format!("/witness/{name}/add-checkpoint"),
            vkey: w.signer.verifier().vkey(),
            logs,
        });
    }
    let served = st.watch.as_ref().map(|w| served(w, &st.witnesses));
    let peers = st
        .witnesses
        .peers
        .iter()
        .map(|p| {
            let s = p.status.lock().map(|s| s.clone()).unwrap_or_default();
            let on_served = served
                .as_ref()
                .is_some_and(|n| s.cosigned.as_ref().is_some_and(|(t, _)| *t == n.text));
            PeerWitness {
                name: p.verifier.name.clone(),
                vkey: p.verifier.vkey(),
                url: p.url.clone(),
                cosigned_size: s.size,
                cosigned_at: when(s.at),
                cosigned_served_checkpoint: on_served,
                last_error: s.error.clone(),
            }
        })
        .collect();
    Ok(axum::Json(Witnesses {
        served_size: served.as_ref().map(note_size),
        newest_size: st.watch.as_ref().map(|w| w.size()),
        hosted,
        peers,
    }))
}

/// The checkpoint to serve: without peers, the newest; with peers, the newest witnessed one (the newest
/// until a first round has been cosigned).
pub(crate) fn served(w: &crate::Ledger, witnesses: &Witnesses) -> Note {
    let newest = w.checkpoint();
    if witnesses.peers.is_empty() {
        return newest;
    }
    witnesses.witnessed.lock().ok().and_then(|n| n.clone()).unwrap_or(newest)
}

/// The checkpoint note with the cosignatures gathered for that exact checkpoint.
pub(crate) fn cosigned(note: &Note, peers: &[Peer]) -> Note {
    let mut out = note.clone();
    for p in peers {
        if let Ok(s) = p.status.lock()
            && let Some((text, line)) = &s.cosigned
            && *text == note.text
            && let Ok(n) = Note::parse(format!("{text}\n{line}").as_bytes())
        {
            out.signatures.extend(n.signatures);
        }
    }
    out
}

/// Offers the log's checkpoints to its peers, for as long as the server runs. Call inside a runtime.
pub fn start_cosigning(state: Arc<AppState>) {
    if state.witnesses.peers.is_empty() || state.watch.is_none() {
        return;
    }
    tokio::spawn(async move {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into();
        loop {
            let st = state.clone();
            let agent = agent.clone();
            let _ = tokio::task::spawn_blocking(move || offer_all(&st, &agent)).await;
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    });
}

fn offer_all(state: &AppState, agent: &ureq::Agent) {
    let Some(w) = &state.watch else { return };
    if !w.is_writer() {
        // Only the writer asks for cosignatures: two servers offering at once would race each other.
        return;
    }
    // One checkpoint for the whole round, so that the witnesses cosign the same one.
    let note = w.checkpoint();
    // Peers that last cosigned the same size get the same proof: computed once a round.
    let mut proofs: HashMap<u64, Vec<truce_tlog::merkle::Hash>> = HashMap::new();
    for peer in &state.witnesses.peers {
        let done = peer
            .status
            .lock()
            .map(|s| s.cosigned.as_ref().is_some_and(|(t, _)| *t == note.text))
            .unwrap_or(true);
        if !done {
            let outcome = offer(w, peer, &note, agent, &mut proofs);
            if let Ok(mut s) = peer.status.lock() {
                match outcome {
                    Ok(()) => s.error = None,
                    Err(e) => {
                        tracing::warn!(witness = %peer.verifier.name, error = %e, "a witness did not cosign");
                        s.errors += 1;
                        s.error = Some(e);
                    }
                }
            }
        }
    }
    let gathered = cosigned(&note, &state.witnesses.peers);
    if gathered.signatures.len() > note.signatures.len()
        && let Ok(mut witnessed) = state.witnesses.witnessed.lock()
    {
        // Only forward: a round that cosigned less than what is served does not replace it.
        let better = witnessed.as_ref().is_none_or(|old| {
            note_size(&gathered) > note_size(old)
                || (note_size(&gathered) == note_size(old)
                    && gathered.signatures.len() > old.signatures.len())
        });
        if better {
            *witnessed = Some(gathered);
        }
    }
}

/// One round with one peer: at most two requests (the second after a 409 told the witness's size).
fn offer(
    w: &crate::Ledger,
    peer: &Peer,
    note: &Note,
    agent: &ureq::Agent,
    proofs: &mut HashMap<u64, Vec<truce_tlog::merkle::Hash>>,
) -> Result<(), String> {
    let checkpoint =
        truce_tlog::checkpoint::Checkpoint::parse(&note.text).map_err(|e| e.to_string())?;
    let mut old = peer.status.lock().map_err(|_| "lock poisoned")?.size;
    for _ in 0..2 {
        if old > checkpoint.size {
            return Err(format!(
                "the witness has cosigned size {old}, beyond this log's {}: a fork, or another log under this name",
                checkpoint.size
            ));
        }
        if old != 0 && old != checkpoint.size && !proofs.contains_key(&old) {
            let reader = w.store.reader();
            let verifier = truce_tlog::client::TileVerifier::new(reader.as_ref(), &checkpoint)
                .map_err(|e| e.to_string())?;
            let proof = truce_tlog::merkle::consistency_proof(&verifier, old, checkpoint.size)
                .map_err(|e| e.to_string())?;
            proofs.insert(old, proof);
        }
        // From size 0, or to the same size, the proof is empty.
        let proof = proofs.get(&old).map_or(&[][..], Vec::as_slice);
        let body = truce_tlog::witness::add_checkpoint_request(old, proof, note);
        let mut response = agent
            .post(&format!("{}/add-checkpoint", peer.url))
            .send(&body[..])
            .map_err(|e| format!("{}: {e}", peer.url))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(64 * 1024)
            .read_to_string()
            .map_err(|e| e.to_string())?;
        match status {
            200 => {
                let cosigned = Note::parse(format!("{}\n{text}", note.text).as_bytes())
                    .map_err(|e| format!("the witness answered a malformed cosignature: {e}"))?;
                let line = cosigned
                    .signatures
                    .iter()
                    .find(|s| s.name == peer.verifier.name && s.key_id == peer.verifier.key_id)
                    .ok_or("the witness answered no signature under its key")?;
                peer.verifier
                    .verify(&note.text, line)
                    .map_err(|e| format!("the witness's cosignature does not verify: {e}"))?;
                let mut s = peer.status.lock().map_err(|_| "lock poisoned")?;
                s.size = checkpoint.size;
                s.cosigned = Some((note.text.clone(), line.line()));
                s.at = Some(SystemTime::now());
                return Ok(());
            }
            409 => {
                old = text.trim().parse().map_err(|_| {
                    format!("409 without a size: {:?}", text.chars().take(80).collect::<String>())
                })?;
                if let Ok(mut s) = peer.status.lock() {
                    s.size = old;
                }
            }
            other => {
                return Err(format!(
                    "{} answered {other}: {}",
                    peer.url,
                    text.trim().chars().take(200).collect::<String>()
                ));
            }
        }
    }
    Err("the witness's size kept moving".into())
}
