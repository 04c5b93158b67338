ALTER TABLE "site" ADD COLUMN "reference" text;--> statement-breakpoint
ALTER TABLE "site" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "site" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "site_company_reference_idx" ON "site" USING btree ("company_id","reference");