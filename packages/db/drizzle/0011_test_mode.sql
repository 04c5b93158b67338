ALTER TABLE "company" ADD COLUMN "test_of" uuid;--> statement-breakpoint
ALTER TABLE "api_key" ADD COLUMN "livemode" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "company" ADD CONSTRAINT "company_test_of_company_id_fk" FOREIGN KEY ("test_of") REFERENCES "public"."company"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "company" ADD CONSTRAINT "company_test_of_unique" UNIQUE("test_of");