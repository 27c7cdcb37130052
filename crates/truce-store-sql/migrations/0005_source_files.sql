-- Archived source files (issue 25): a scenario's source as retrieved, byte for byte, named by the
-- SHA-256 of its bytes (lower-case hex), with its media type, the text extracted from it (what quotes
-- are checked against), who uploaded it and when (Unix seconds). Content-addressed: a file is stored
-- once, and uploading the same bytes again changes nothing.
CREATE TABLE source_files (
    sha256 TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    bytes {bytes} NOT NULL,
    text TEXT NOT NULL,
    uploader {int} NOT NULL REFERENCES users(id),
    uploaded_at {int} NOT NULL
);
