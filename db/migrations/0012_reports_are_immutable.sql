-- A published report version is kept exactly as published: never changed or deleted (a correction is a new version).
CREATE TRIGGER report_versions_no_update BEFORE UPDATE ON report_versions
BEGIN
  SELECT RAISE(ABORT, 'published reports are never changed');
END;
--> statement-breakpoint
CREATE TRIGGER report_versions_no_delete BEFORE DELETE ON report_versions
BEGIN
  SELECT RAISE(ABORT, 'published reports are never deleted');
END;
--> statement-breakpoint
-- The history of an action's progress is append-only.
CREATE TRIGGER action_updates_no_update BEFORE UPDATE ON action_updates
BEGIN
  SELECT RAISE(ABORT, 'action updates are never changed');
END;
--> statement-breakpoint
CREATE TRIGGER action_updates_no_delete BEFORE DELETE ON action_updates
BEGIN
  SELECT RAISE(ABORT, 'action updates are never deleted');
END;
