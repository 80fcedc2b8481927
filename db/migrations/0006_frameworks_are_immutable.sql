-- A loaded framework version and its profiles never change: new wording or new minimums are a new version.
CREATE TRIGGER framework_versions_no_update BEFORE UPDATE ON framework_versions
BEGIN
  SELECT RAISE(ABORT, 'framework versions never change: load a new version');
END;
--> statement-breakpoint
CREATE TRIGGER framework_versions_no_delete BEFORE DELETE ON framework_versions
BEGIN
  SELECT RAISE(ABORT, 'framework versions are never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER framework_sections_no_update BEFORE UPDATE ON framework_sections
BEGIN
  SELECT RAISE(ABORT, 'framework sections never change: load a new version');
END;
--> statement-breakpoint
CREATE TRIGGER framework_sections_no_delete BEFORE DELETE ON framework_sections
BEGIN
  SELECT RAISE(ABORT, 'framework sections are never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER framework_criteria_no_update BEFORE UPDATE ON framework_criteria
BEGIN
  SELECT RAISE(ABORT, 'framework criteria never change: load a new version');
END;
--> statement-breakpoint
CREATE TRIGGER framework_criteria_no_delete BEFORE DELETE ON framework_criteria
BEGIN
  SELECT RAISE(ABORT, 'framework criteria are never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER framework_indicators_no_update BEFORE UPDATE ON framework_indicators
BEGIN
  SELECT RAISE(ABORT, 'framework indicators never change: load a new version');
END;
--> statement-breakpoint
CREATE TRIGGER framework_indicators_no_delete BEFORE DELETE ON framework_indicators
BEGIN
  SELECT RAISE(ABORT, 'framework indicators are never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER framework_profiles_no_update BEFORE UPDATE ON framework_profiles
BEGIN
  SELECT RAISE(ABORT, 'framework profiles never change: load a new version');
END;
--> statement-breakpoint
CREATE TRIGGER framework_profiles_no_delete BEFORE DELETE ON framework_profiles
BEGIN
  SELECT RAISE(ABORT, 'framework profiles are never deleted');
END;
--> statement-breakpoint
CREATE TRIGGER profile_minimums_no_update BEFORE UPDATE ON profile_minimums
BEGIN
  SELECT RAISE(ABORT, 'profile minimums never change: load a new version');
END;
--> statement-breakpoint
CREATE TRIGGER profile_minimums_no_delete BEFORE DELETE ON profile_minimums
BEGIN
  SELECT RAISE(ABORT, 'profile minimums are never deleted');
END;
