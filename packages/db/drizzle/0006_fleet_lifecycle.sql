ALTER TABLE "worker" ADD COLUMN "headless_capacity" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "login_session" ADD COLUMN "end_reason" text;--> statement-breakpoint
CREATE INDEX "login_session_open_idx" ON "login_session" USING btree ("worker_id") WHERE "login_session"."ended_at" is null;