ALTER TABLE "provider" ADD COLUMN "kind" text DEFAULT 'catalog' NOT NULL;--> statement-breakpoint
ALTER TABLE "provider" ADD COLUMN "company_id" uuid;--> statement-breakpoint
ALTER TABLE "provider" ADD COLUMN "registrable_domain" text;--> statement-breakpoint
ALTER TABLE "provider" ADD COLUMN "created_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "provider" ADD CONSTRAINT "provider_company_id_company_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."company"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "provider_company_idx" ON "provider" USING btree ("company_id");