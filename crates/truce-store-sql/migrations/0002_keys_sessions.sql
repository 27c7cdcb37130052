-- Which user holds which enrolled Ed25519 key (hex): entries signed with it come only from that user.
CREATE TABLE user_keys (
    key TEXT PRIMARY KEY,
    user_id {int} NOT NULL REFERENCES users(id)
);
-- Web sessions: the SHA-256 of the session id (the cookie holds the id, never an API token).
CREATE TABLE sessions (
    hash {bytes} PRIMARY KEY,
    user_id {int} NOT NULL REFERENCES users(id),
    expires {int} NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
