ALTER TABLE "connection" ADD COLUMN "forwarding_phone" text;--> statement-breakpoint
ALTER TABLE "recipient_session" ADD COLUMN "forwarding_phone" text;