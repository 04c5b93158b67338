CREATE TABLE "login_queue" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"recipient_session_id" uuid NOT NULL,
	"enqueued_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_polled_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "stream_ticket" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"login_session_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "worker" (
	"id" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"capacity" integer NOT NULL,
	"active_sessions" integer DEFAULT 0 NOT NULL,
	"version" text DEFAULT 'unknown' NOT NULL,
	"draining" boolean DEFAULT false NOT NULL,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "login_queue" ADD CONSTRAINT "login_queue_recipient_session_id_recipient_session_id_fk" FOREIGN KEY ("recipient_session_id") REFERENCES "public"."recipient_session"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stream_ticket" ADD CONSTRAINT "stream_ticket_login_session_id_login_session_id_fk" FOREIGN KEY ("login_session_id") REFERENCES "public"."login_session"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "login_queue_enqueued_idx" ON "login_queue" USING btree ("enqueued_at");