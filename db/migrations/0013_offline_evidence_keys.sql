ALTER TABLE `evidence_files` ADD `client_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `evidence_file_client_key_uq` ON `evidence_files` (`finding_id`,`client_key`);