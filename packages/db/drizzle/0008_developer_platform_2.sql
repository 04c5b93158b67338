ALTER TABLE "webhook_endpoint" ADD COLUMN "previous_secret_ciphertext" text;--> statement-breakpoint
ALTER TABLE "webhook_endpoint" ADD COLUMN "previous_secret_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "webhook_event" ADD COLUMN "redelivery_of" uuid;--> statement-breakpoint
ALTER TABLE "invitation" ADD COLUMN "metadata" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "invitation" ADD COLUMN "external_reference" text;--> statement-breakpoint
ALTER TABLE "invitation" ADD COLUMN "redirect_url" text;