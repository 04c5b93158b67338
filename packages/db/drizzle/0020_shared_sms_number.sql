ALTER TABLE "inbound_message" ADD COLUMN "sender" text;--> statement-breakpoint
ALTER TABLE "inbound_message" ADD COLUMN "candidate_connection_ids" uuid[];--> statement-breakpoint
ALTER TABLE "provider" ADD COLUMN "sms_senders" text[] DEFAULT '{}' NOT NULL;