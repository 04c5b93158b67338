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
CREATE TABLE "inbound_message" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel" text NOT NULL,
	"source" text NOT NULL,
	"delivery_id" text,
	"addressed_to" text NOT NULL,
	"connection_id" uuid,
	"recipient_session_id" uuid,
	"outcome" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbound_message_delivery_id_unique" UNIQUE("delivery_id")
);
--> statement-breakpoint
ALTER TABLE "recipient_session" ADD COLUMN "forwarding_check_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "handoff_link" ADD CONSTRAINT "handoff_link_login_session_id_login_session_id_fk" FOREIGN KEY ("login_session_id") REFERENCES "public"."login_session"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handoff_link" ADD CONSTRAINT "handoff_link_recipient_session_id_recipient_session_id_fk" FOREIGN KEY ("recipient_session_id") REFERENCES "public"."recipient_session"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_message" ADD CONSTRAINT "inbound_message_connection_id_connection_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connection"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_message" ADD CONSTRAINT "inbound_message_recipient_session_id_recipient_session_id_fk" FOREIGN KEY ("recipient_session_id") REFERENCES "public"."recipient_session"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "handoff_link_login_idx" ON "handoff_link" USING btree ("login_session_id");--> statement-breakpoint
CREATE INDEX "inbound_message_connection_idx" ON "inbound_message" USING btree ("connection_id","received_at");--> statement-breakpoint
CREATE INDEX "inbound_message_recipient_idx" ON "inbound_message" USING btree ("recipient_session_id","received_at");