-- Every save of a finding is kept as it was: revisions and save outcomes are never changed or deleted.
CREATE TRIGGER finding_revisions_no_update BEFORE UPDATE ON finding_revisions
BEGIN
  SELECT RAISE(ABORT, 'finding revisions are never changed');
END;
--> statement-breakpoint
CREATE TRIGGER finding_revisions_no_delete BEFORE DELETE ON finding_revisions
BEGIN
  SELECT RAISE(ABORT, 'finding revisions are never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER finding_saves_no_update BEFORE UPDATE ON finding_saves
BEGIN
  SELECT RAISE(ABORT, 'finding save outcomes are never changed');
END;
--> statement-breakpoint
CREATE TRIGGER finding_saves_no_delete BEFORE DELETE ON finding_saves
BEGIN
  SELECT RAISE(ABORT, 'finding save outcomes are never deleted');
END;
