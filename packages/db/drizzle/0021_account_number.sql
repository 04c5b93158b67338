ALTER TABLE "bill" ADD COLUMN "account_number" text;--> statement-breakpoint
ALTER TABLE "connection" ADD COLUMN "account_number" text;