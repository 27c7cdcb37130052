# The Watch's pages: the agreement and its compliance.
# Terms that carry politics follow docs/glossary.md.

show = Show

## Agreement and compliance

agreement-title = Agreement and compliance
agreement-as-of-label = Compliance as of
agreement-as-of = compliance as of
agreement-computed = computed from the first { $entries ->
    [one] log entry
   *[other] { $entries } log entries
}.
agreement-strips = A status speaks of the lookback window; each strip shows every day from the first day judged:
agreement-day-violation = a day of verified violation,
agreement-day-ok = a day without,
agreement-day-pre = not yet in force.
agreement-dispute-note = A party's dispute is shown beside the status it concerns and sends the observation to the verifiers for review; it does not change the status, which only a verifier's transition can.
agreement-caption = Commitments and their status
agreement-col-commitment = Commitment
agreement-col-obligor = Obligor
agreement-col-status = Status
agreement-col-pam = PAM score (0–3)
agreement-col-days = Days of verified violation
agreement-col-why = Why, and the evidence
agreement-entries = entries
agreement-disputes = disputes
agreement-entry = entry { $index }
agreement-in = in
agreement-awaiting-review = (awaiting a verifier's review)
agreement-not-checkable = Not machine-checkable

## A commitment's status

status-not-in-force = not in force
status-awaiting-precondition = awaiting precondition
status-compliant = compliant
status-alleged-violation = alleged violation
status-verified-violation = verified violation
status-unverifiable = unverifiable: access denied
status-compliant-now = compliant now, violated earlier

## The log's status

log-title = Log status
log-origin = Origin
log-served = { $size ->
    [one] entry in the checkpoint served
   *[other] entries in the checkpoint served
} (the log holds { $newest }), root
log-cosignatures = { $count ->
    [one] { $count } witness cosignature on this checkpoint.
   *[other] { $count } witness cosignatures on this checkpoint.
}
log-audit = Anyone can mirror and audit the log:
log-audit-witness = adding { "--witness" } key files for a witness policy.
log-vkey = The log's public key is served at
log-vkey-confirm = fetch it once and confirm it with the mission out of band.
log-entry-pages = Each entry has a page,
log-entry-pages-proof = that proves it in the log in your browser;
log-prove = writes the same proof as a file.
log-witnesses = Witnesses
log-no-witness = This log asks no witness to cosign.
log-col-witness = Witness
log-col-key = Key
log-col-size = Last cosigned size
log-col-when = When (UTC)
log-col-this = This checkpoint
log-col-error = Last error
log-never = never
log-cosigned = cosigned
log-not-yet = not yet
log-hosted = This server also hosts these witnesses:
log-at = at
log-checkpoint = The signed checkpoint
