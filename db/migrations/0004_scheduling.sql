CREATE TABLE `bank_holidays` (
	`date` text PRIMARY KEY NOT NULL,
	`title` text NOT NULL,
	`source` text NOT NULL,
	`created_by` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `calendar_feeds` (
	`inspector_id` text PRIMARY KEY NOT NULL,
	`token_hash` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`inspector_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `calendar_feed_token_uq` ON `calendar_feeds` (`token_hash`);--> statement-breakpoint
CREATE TABLE `conflicts_of_interest` (
	`id` text PRIMARY KEY NOT NULL,
	`inspector_id` text NOT NULL,
	`trust_code` text NOT NULL,
	`reason` text NOT NULL,
	`until` text NOT NULL,
	`declared_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`withdrawn_at` text,
	`withdrawn_by` text,
	FOREIGN KEY (`inspector_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`trust_code`) REFERENCES `trusts`(`ods_code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`declared_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`withdrawn_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `conflict_inspector_idx` ON `conflicts_of_interest` (`inspector_id`);--> statement-breakpoint
CREATE TABLE `inspector_leave` (
	`id` text PRIMARY KEY NOT NULL,
	`inspector_id` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`kind` text DEFAULT 'leave' NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`cancelled_at` text,
	`cancelled_by` text,
	FOREIGN KEY (`inspector_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cancelled_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `leave_inspector_idx` ON `inspector_leave` (`inspector_id`,`start_date`);--> statement-breakpoint
CREATE TABLE `inspector_profiles` (
	`user_id` text PRIMARY KEY NOT NULL,
	`home_region_code` text NOT NULL,
	`base_label` text DEFAULT '' NOT NULL,
	`base_trust_code` text,
	`skills` text DEFAULT '[]' NOT NULL,
	`max_visits_per_week` integer DEFAULT 2 NOT NULL,
	`non_working_weekdays` text DEFAULT '[]' NOT NULL,
	`updated_at` text,
	`updated_by` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`base_trust_code`) REFERENCES `trusts`(`ods_code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `round_schedules` (
	`round_id` text PRIMARY KEY NOT NULL,
	`seed` text NOT NULL,
	`status` text DEFAULT 'proposed' NOT NULL,
	`team_size` integer DEFAULT 2 NOT NULL,
	`unplaced` text DEFAULT '[]' NOT NULL,
	`planned_at` text NOT NULL,
	`planned_by` text NOT NULL,
	`accepted_at` text,
	`accepted_by` text,
	FOREIGN KEY (`round_id`) REFERENCES `selection_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`planned_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`accepted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `visit_team_members` (
	`visit_id` text NOT NULL,
	`inspector_id` text NOT NULL,
	`role` text NOT NULL,
	FOREIGN KEY (`visit_id`) REFERENCES `visits`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`inspector_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `visit_team_uq` ON `visit_team_members` (`visit_id`,`inspector_id`);--> statement-breakpoint
CREATE INDEX `visit_team_inspector_idx` ON `visit_team_members` (`inspector_id`);--> statement-breakpoint
CREATE TABLE `visits` (
	`id` text PRIMARY KEY NOT NULL,
	`round_id` text NOT NULL,
	`trust_code` text NOT NULL,
	`visit_date` text NOT NULL,
	`status` text DEFAULT 'proposed' NOT NULL,
	`reasons` text DEFAULT '[]' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text,
	`updated_by` text,
	FOREIGN KEY (`round_id`) REFERENCES `selection_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`trust_code`) REFERENCES `trusts`(`ods_code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `visit_round_idx` ON `visits` (`round_id`);--> statement-breakpoint
CREATE INDEX `visit_trust_idx` ON `visits` (`trust_code`);--> statement-breakpoint
CREATE INDEX `visit_date_idx` ON `visits` (`visit_date`);