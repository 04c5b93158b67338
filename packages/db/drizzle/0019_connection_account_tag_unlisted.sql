ALTER TABLE "connection" ADD COLUMN "account_tag" text;--> statement-breakpoint
ALTER TABLE "connection" ADD COLUMN "unlisted_domain" text;--> statement-breakpoint
CREATE INDEX "connection_account_tag_idx" ON "connection" USING btree ("company_id","account_tag");