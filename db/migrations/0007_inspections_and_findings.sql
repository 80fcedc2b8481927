CREATE TABLE `finding_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`finding_id` text NOT NULL,
	`version` integer NOT NULL,
	`content` text NOT NULL,
	`saved_by` text NOT NULL,
	`saved_at` text NOT NULL,
	FOREIGN KEY (`finding_id`) REFERENCES `findings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`saved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `finding_revision_uq` ON `finding_revisions` (`finding_id`,`version`);--> statement-breakpoint
CREATE TABLE `finding_saves` (
	`idempotency_key` text PRIMARY KEY NOT NULL,
	`finding_id` text NOT NULL,
	`user_id` text NOT NULL,
	`base_version` integer NOT NULL,
	`outcome` text NOT NULL,
	`result_version` integer NOT NULL,
	`saved_at` text NOT NULL,
	FOREIGN KEY (`finding_id`) REFERENCES `findings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `findings` (
	`id` text PRIMARY KEY NOT NULL,
	`inspection_id` text NOT NULL,
	`criterion_id` integer NOT NULL,
	`rating` text DEFAULT 'not_assessed' NOT NULL,
	`derived_rating` text,
	`override_reason` text DEFAULT '' NOT NULL,
	`indicator_answers` text DEFAULT '{}' NOT NULL,
	`observed` text DEFAULT '' NOT NULL,
	`evidence_documents` text DEFAULT '' NOT NULL,
	`evidence_people` text DEFAULT '' NOT NULL,
	`evidence_systems` text DEFAULT '' NOT NULL,
	`devices_sampled` integer,
	`devices_failing` integer,
	`severity` text,
	`recommendation` text DEFAULT '' NOT NULL,
	`action_due` text,
	`version` integer DEFAULT 0 NOT NULL,
	`updated_at` text,
	`updated_by` text,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`criterion_id`) REFERENCES `framework_criteria`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `finding_criterion_uq` ON `findings` (`inspection_id`,`criterion_id`);--> statement-breakpoint
CREATE TABLE `inspection_frameworks` (
	`inspection_id` text NOT NULL,
	`framework_version_id` integer NOT NULL,
	`profile_id` integer NOT NULL,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`framework_version_id`) REFERENCES `framework_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`profile_id`) REFERENCES `framework_profiles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inspection_framework_uq` ON `inspection_frameworks` (`inspection_id`,`framework_version_id`);--> statement-breakpoint
CREATE TABLE `inspections` (
	`id` text PRIMARY KEY NOT NULL,
	`visit_id` text,
	`trust_code` text NOT NULL,
	`status` text DEFAULT 'planned' NOT NULL,
	`arrived_at` text,
	`arrived_by` text,
	`submitted_at` text,
	`submitted_by` text,
	`reviewer_id` text,
	`approved_at` text,
	`approved_by` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`trust_code`) REFERENCES `trusts`(`ods_code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`arrived_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`submitted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewer_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`approved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inspection_visit_uq` ON `inspections` (`visit_id`);--> statement-breakpoint
CREATE INDEX `inspection_trust_idx` ON `inspections` (`trust_code`);