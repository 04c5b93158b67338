ALTER TABLE "invitation" ADD COLUMN "metadata" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "invitation" ADD COLUMN "external_reference" text;--> statement-breakpoint
ALTER TABLE "invitation" ADD COLUMN "redirect_url" text;