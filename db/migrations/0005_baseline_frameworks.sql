CREATE TABLE `framework_criteria` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`framework_version_id` integer NOT NULL,
	`section_id` integer NOT NULL,
	`code` text NOT NULL,
	`title` text NOT NULL,
	`scale` text NOT NULL,
	`good_looks_like` text NOT NULL,
	`evidence` text NOT NULL,
	`records_devices` integer DEFAULT false NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`framework_version_id`) REFERENCES `framework_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`section_id`) REFERENCES `framework_sections`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `framework_criterion_uq` ON `framework_criteria` (`framework_version_id`,`code`);--> statement-breakpoint
CREATE INDEX `framework_criterion_section_idx` ON `framework_criteria` (`section_id`);--> statement-breakpoint
CREATE TABLE `framework_indicators` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`criterion_id` integer NOT NULL,
	`code` text NOT NULL,
	`level` text NOT NULL,
	`text` text NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`criterion_id`) REFERENCES `framework_criteria`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `framework_indicator_uq` ON `framework_indicators` (`criterion_id`,`code`);--> statement-breakpoint
CREATE TABLE `framework_profiles` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`framework_version_id` integer NOT NULL,
	`code` text NOT NULL,
	`name` text NOT NULL,
	`version` integer NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`framework_version_id`) REFERENCES `framework_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `framework_profile_uq` ON `framework_profiles` (`framework_version_id`,`code`,`version`);--> statement-breakpoint
CREATE TABLE `framework_sections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`framework_version_id` integer NOT NULL,
	`parent_id` integer,
	`code` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`framework_version_id`) REFERENCES `framework_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `framework_section_uq` ON `framework_sections` (`framework_version_id`,`code`);--> statement-breakpoint
CREATE TABLE `framework_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`framework` text NOT NULL,
	`version` text NOT NULL,
	`title` text NOT NULL,
	`source` text NOT NULL,
	`file_sha256` text NOT NULL,
	`loaded_by` text NOT NULL,
	`loaded_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `framework_version_uq` ON `framework_versions` (`framework`,`version`);--> statement-breakpoint
CREATE TABLE `profile_minimums` (
	`profile_id` integer NOT NULL,
	`criterion_id` integer NOT NULL,
	`minimum` text NOT NULL,
	FOREIGN KEY (`profile_id`) REFERENCES `framework_profiles`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`criterion_id`) REFERENCES `framework_criteria`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `profile_minimum_uq` ON `profile_minimums` (`profile_id`,`criterion_id`);