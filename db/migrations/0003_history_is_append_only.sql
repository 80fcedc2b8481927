-- Indicator history is never overwritten: a new value is a new observation.
CREATE TRIGGER indicator_observations_no_update BEFORE UPDATE ON indicator_observations
BEGIN
  SELECT RAISE(ABORT, 'indicator observations are never changed: import a new observation');
END;
--> statement-breakpoint
CREATE TRIGGER indicator_observations_no_delete BEFORE DELETE ON indicator_observations
BEGIN
  SELECT RAISE(ABORT, 'indicator observations are never deleted');
END;
--> statement-breakpoint
-- A risk model version's name and parameters never change once stored: changes make a new version.
CREATE TRIGGER risk_model_versions_frozen BEFORE UPDATE OF name, config ON risk_model_versions
BEGIN
  SELECT RAISE(ABORT, 'a risk model version never changes: create a new version');
END;
