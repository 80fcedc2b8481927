CREATE TABLE `indicator_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`file_name` text NOT NULL,
	`sha256` text NOT NULL,
	`format` text NOT NULL,
	`row_count` integer NOT NULL,
	`inserted_count` integer NOT NULL,
	`imported_by` text NOT NULL,
	`imported_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `indicator_observations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`trust_code` text NOT NULL,
	`indicator_code` text NOT NULL,
	`value` text NOT NULL,
	`numeric_value` real NOT NULL,
	`observed_on` text NOT NULL,
	`period` text,
	`source` text NOT NULL,
	`import_id` text NOT NULL,
	`is_demo` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`trust_code`) REFERENCES `trusts`(`ods_code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`indicator_code`) REFERENCES `indicators`(`code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`import_id`) REFERENCES `indicator_imports`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `observation_identity_uq` ON `indicator_observations` (`trust_code`,`indicator_code`,`observed_on`,`source`,`value`);--> statement-breakpoint
CREATE INDEX `observation_latest_idx` ON `indicator_observations` (`trust_code`,`indicator_code`,`observed_on`);--> statement-breakpoint
CREATE TABLE `indicators` (
	`code` text PRIMARY KEY NOT NULL,
	`label` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`value_type` text NOT NULL,
	`categories` text,
	`min_value` real,
	`max_value` real,
	`unit` text,
	`higher_is_worse` integer DEFAULT true NOT NULL,
	`origin` text DEFAULT 'imported' NOT NULL,
	`is_built_in` integer DEFAULT false NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `risk_model_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`config` text NOT NULL,
	`is_current` integer DEFAULT false NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`made_current_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `risk_model_name_uq` ON `risk_model_versions` (`name`);--> statement-breakpoint
CREATE TABLE `selection_picks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`round_id` text NOT NULL,
	`trust_code` text NOT NULL,
	`kind` text NOT NULL,
	`draw_order` integer,
	`reason` text NOT NULL,
	`added_by` text,
	`removed_at` text,
	`removed_by` text,
	`removed_reason` text,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	FOREIGN KEY (`round_id`) REFERENCES `selection_rounds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`trust_code`) REFERENCES `trusts`(`ods_code`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`added_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`removed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pick_round_trust_uq` ON `selection_picks` (`round_id`,`trust_code`);--> statement-breakpoint
CREATE INDEX `pick_trust_idx` ON `selection_picks` (`trust_code`);--> statement-breakpoint
CREATE TABLE `selection_rounds` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`period_start` text NOT NULL,
	`period_end` text NOT NULL,
	`capacity` integer NOT NULL,
	`min_months_since_inspection` integer NOT NULL,
	`validation_share` real NOT NULL,
	`seed` text NOT NULL,
	`commitment` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`model_version_id` integer,
	`snapshot` text,
	`created_by` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`drawn_at` text,
	`closed_at` text,
	FOREIGN KEY (`model_version_id`) REFERENCES `risk_model_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
