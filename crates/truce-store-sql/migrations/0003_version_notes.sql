-- Each scenario version records when it was saved and why (issue 23); versions saved before keep 0 and ''.
ALTER TABLE scenario_versions ADD COLUMN saved_at {int} NOT NULL DEFAULT 0;
ALTER TABLE scenario_versions ADD COLUMN reason TEXT NOT NULL DEFAULT '';
