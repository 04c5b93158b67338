ALTER TABLE "invitation" ADD COLUMN "legacy_path_hash" text;--> statement-breakpoint
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_legacy_path_hash_unique" UNIQUE("legacy_path_hash");