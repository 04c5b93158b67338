CREATE TABLE "team_event" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"company_id" uuid NOT NULL,
	"type" text NOT NULL,
	"actor_user_id" text,
	"subject_email" text NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "team_invitation" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" uuid NOT NULL,
	"email" text NOT NULL,
	"role" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"inviter_id" text NOT NULL,
	"token_hash" text,
	CONSTRAINT "team_invitation_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "session" ADD COLUMN "active_organization_id" text;--> statement-breakpoint
ALTER TABLE "company" ADD COLUMN "slug" text;--> statement-breakpoint
ALTER TABLE "company" ADD COLUMN "metadata" text;--> statement-breakpoint
ALTER TABLE "membership" ADD COLUMN "id" text DEFAULT gen_random_uuid()::text NOT NULL;--> statement-breakpoint
ALTER TABLE "site" ADD COLUMN "reference" text;--> statement-breakpoint
ALTER TABLE "site" ADD COLUMN "archived_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "site" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "team_event" ADD CONSTRAINT "team_event_company_id_company_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."company"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_invitation" ADD CONSTRAINT "team_invitation_company_id_company_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."company"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_invitation" ADD CONSTRAINT "team_invitation_inviter_id_user_id_fk" FOREIGN KEY ("inviter_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "team_event_company_idx" ON "team_event" USING btree ("company_id","at");--> statement-breakpoint
CREATE INDEX "team_invitation_company_idx" ON "team_invitation" USING btree ("company_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "site_company_reference_idx" ON "site" USING btree ("company_id","reference");--> statement-breakpoint
ALTER TABLE "company" ADD CONSTRAINT "company_slug_unique" UNIQUE("slug");--> statement-breakpoint
ALTER TABLE "membership" ADD CONSTRAINT "membership_id_unique" UNIQUE("id");