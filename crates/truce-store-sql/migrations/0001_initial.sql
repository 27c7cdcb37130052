-- Users, roles and hashed tokens.
CREATE TABLE users (
    id {serial} PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    party TEXT
);
CREATE TABLE tokens (
    hash {bytes} PRIMARY KEY,
    user_id {int} NOT NULL REFERENCES users(id),
    label TEXT NOT NULL,
    revoked {bool} NOT NULL DEFAULT {false}
);
-- Scenarios and their versions.
CREATE TABLE scenario_versions (
    slug TEXT NOT NULL,
    version {int} NOT NULL,
    text TEXT NOT NULL,
    author {int} NOT NULL,
    PRIMARY KEY (slug, version)
);
-- Confidential preference submissions.
CREATE TABLE submissions (
    id {serial} PRIMARY KEY,
    scenario TEXT NOT NULL,
    party TEXT NOT NULL,
    author {int} NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX submissions_by_scenario ON submissions (scenario, party);
-- Agreements.
CREATE TABLE agreement_versions (
    slug TEXT NOT NULL,
    version {int} NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (slug, version)
);
-- The query index over log entries.
CREATE TABLE entries (
    log_index {int} PRIMARY KEY,
    kind TEXT NOT NULL,
    author TEXT NOT NULL,
    day TEXT,
    class TEXT,
    lat_e6 {int},
    lon_e6 {int},
    refers_to {int},
    state TEXT
);
CREATE INDEX entries_by_day ON entries (day) WHERE day IS NOT NULL;
CREATE INDEX entries_by_state ON entries (state) WHERE state IS NOT NULL;
