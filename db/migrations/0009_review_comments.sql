CREATE TABLE `review_comments` (
	`id` text PRIMARY KEY NOT NULL,
	`inspection_id` text NOT NULL,
	`finding_id` text NOT NULL,
	`author_id` text NOT NULL,
	`text` text NOT NULL,
	`created_at` text NOT NULL,
	`response` text,
	`responded_by` text,
	`responded_at` text,
	FOREIGN KEY (`inspection_id`) REFERENCES `inspections`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`finding_id`) REFERENCES `findings`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`responded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_comment_inspection_idx` ON `review_comments` (`inspection_id`);--> statement-breakpoint
CREATE INDEX `review_comment_finding_idx` ON `review_comments` (`finding_id`);