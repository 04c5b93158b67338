CREATE TABLE "handoff_link" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token_hash" text NOT NULL,
	"login_session_id" uuid NOT NULL,
	"recipient_session_id" uuid NOT NULL,
	"helper_name" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"claimed_at" timestamp with time zone,
	"claim_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "handoff_link_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "handoff_link" ADD CONSTRAINT "handoff_link_login_session_id_login_session_id_fk" FOREIGN KEY ("login_session_id") REFERENCES "public"."login_session"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoff_link" ADD CONSTRAINT "handoff_link_recipient_session_id_recipient_session_id_fk" FOREIGN KEY ("recipient_session_id") REFERENCES "public"."recipient_session"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "handoff_link_login_idx" ON "handoff_link" USING btree ("login_session_id");