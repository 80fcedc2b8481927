CREATE TABLE `evidence_files` (
	`id` text PRIMARY KEY NOT NULL,
	`inspection_id` text NOT NULL,
	`finding_id` text NOT NULL,
	`original_name` text NOT NULL,
	`media_type` text NOT NULL,
	`size_bytes` integer NOT NULL,
	`sha256` text NOT NULL,
	`captured_at` text NOT NULL,
	`uploaded_by` text NOT NULL,
	`uploaded_at` text NOT NULL,
	`removed_at` text,
	`removed_by` text,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`finding_id`) REFERENCES `findings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`removed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `evidence_file_finding_idx` ON `evidence_files` (`finding_id`);--> statement-breakpoint
CREATE INDEX `evidence_file_inspection_idx` ON `evidence_files` (`inspection_id`);--> statement-breakpoint
CREATE TABLE `inspection_presence` (
	`inspection_id` text NOT NULL,
	`user_id` text NOT NULL,
	`criterion_id` integer,
	`seen_at` text NOT NULL,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`criterion_id`) REFERENCES `framework_criteria`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inspection_presence_uq` ON `inspection_presence` (`inspection_id`,`user_id`);