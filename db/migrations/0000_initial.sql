CREATE TABLE `audit_events` (
	`seq` integer PRIMARY KEY NOT NULL,
	`occurred_at` text NOT NULL,
	`actor_user_id` text,
	`actor_label` text NOT NULL,
	`client_address` text,
	`action` text NOT NULL,
	`object_type` text,
	`object_id` text,
	`summary` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_occurred_idx` ON `audit_events` (`occurred_at`);--> statement-breakpoint
CREATE INDEX `audit_action_idx` ON `audit_events` (`action`);--> statement-breakpoint
CREATE INDEX `audit_actor_idx` ON `audit_events` (`actor_user_id`);--> statement-breakpoint
CREATE TABLE `major_trauma_centres` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`trust_code` text NOT NULL,
	`hospital` text NOT NULL,
	`category` text NOT NULL,
	FOREIGN KEY (`trust_code`) REFERENCES `trusts`(`ods_code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mtc_hospital_uq` ON `major_trauma_centres` (`hospital`);--> statement-breakpoint
CREATE INDEX `mtc_trust_idx` ON `major_trauma_centres` (`trust_code`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id_hash` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`created_at` text NOT NULL,
	`last_seen_at` text NOT NULL,
	`client_address` text,
	`user_agent` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `sign_in_failures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_key` text NOT NULL,
	`client_address` text NOT NULL,
	`failed_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sign_in_failures_account_idx` ON `sign_in_failures` (`account_key`,`failed_at`);--> statement-breakpoint
CREATE INDEX `sign_in_failures_address_idx` ON `sign_in_failures` (`client_address`,`failed_at`);--> statement-breakpoint
CREATE TABLE `trusts` (
	`ods_code` text PRIMARY KEY NOT NULL,
	`ods_name` text NOT NULL,
	`name` text NOT NULL,
	`broad_type` text DEFAULT 'unknown' NOT NULL,
	`trust_type` text,
	`region_code` text NOT NULL,
	`region_name` text NOT NULL,
	`icb_code` text,
	`address_lines` text DEFAULT '' NOT NULL,
	`postcode` text,
	`opened_on` text,
	`closed_on` text,
	`is_ambulance` integer DEFAULT false NOT NULL,
	`epr_supplier` text,
	`latitude` real,
	`longitude` real,
	`source` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text
);
--> statement-breakpoint
CREATE INDEX `trusts_region_idx` ON `trusts` (`region_code`);--> statement-breakpoint
CREATE INDEX `trusts_name_idx` ON `trusts` (`name`);--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`name` text NOT NULL,
	`role` text NOT NULL,
	`trust_code` text,
	`password_hash` text NOT NULL,
	`is_demo` integer DEFAULT false NOT NULL,
	`disabled_at` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`updated_at` text,
	FOREIGN KEY (`trust_code`) REFERENCES `trusts`(`ods_code`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_uq` ON `users` (`email`);