CREATE TABLE `accuracy_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`inspection_id` text NOT NULL,
	`part` text NOT NULL,
	`finding_id` text,
	`category` text NOT NULL,
	`text` text NOT NULL,
	`author_id` text NOT NULL,
	`created_at` text NOT NULL,
	`decision` text,
	`decision_reason` text,
	`decided_by` text,
	`decided_at` text,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`finding_id`) REFERENCES `findings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `accuracy_comment_inspection_idx` ON `accuracy_comments` (`inspection_id`);--> statement-breakpoint
CREATE TABLE `action_updates` (
	`id` text PRIMARY KEY NOT NULL,
	`action_id` text NOT NULL,
	`status` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`progress_on` text,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`action_id`) REFERENCES `actions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `action_update_action_idx` ON `action_updates` (`action_id`);--> statement-breakpoint
CREATE TABLE `actions` (
	`id` text PRIMARY KEY NOT NULL,
	`inspection_id` text NOT NULL,
	`finding_id` text NOT NULL,
	`trust_code` text NOT NULL,
	`text` text NOT NULL,
	`criterion_code` text NOT NULL,
	`criterion_title` text NOT NULL,
	`severity` text NOT NULL,
	`due_on` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_at` text,
	`updated_by` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`finding_id`) REFERENCES `findings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`trust_code`) REFERENCES `trusts`(`ods_code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `action_finding_uq` ON `actions` (`finding_id`);--> statement-breakpoint
CREATE INDEX `action_trust_idx` ON `actions` (`trust_code`);--> statement-breakpoint
CREATE TABLE `report_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`inspection_id` text NOT NULL,
	`version` integer NOT NULL,
	`pdf` blob NOT NULL,
	`sha256` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`published_at` text NOT NULL,
	`published_by` text NOT NULL,
	`change_note` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`published_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `report_version_uq` ON `report_versions` (`inspection_id`,`version`);--> statement-breakpoint
ALTER TABLE `inspections` ADD `accuracy_opened_at` text;--> statement-breakpoint
ALTER TABLE `inspections` ADD `accuracy_closes_on` text;--> statement-breakpoint
ALTER TABLE `inspections` ADD `accuracy_opened_by` text REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `inspections` ADD `published_at` text;