-- Rehearsal jobs (issue 24): kept in the store, so that any server answers for any of them and a
-- finished one outlives a restart. `document` is the serialised `truce.simulation/1` document, `plots`
-- its offer-trace plots as a JSON array of SVG texts; `expires` is 0 while the job is queued or
-- running, then the Unix second it is forgotten at.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    owner {int} NOT NULL REFERENCES users(id),
    slug TEXT NOT NULL,
    ask TEXT NOT NULL,
    server TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    document {bytes},
    plots TEXT,
    created {int} NOT NULL,
    expires {int} NOT NULL DEFAULT 0
);
CREATE INDEX jobs_by_owner ON jobs (owner, created);
