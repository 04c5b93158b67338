CREATE TABLE "bill" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"company_id" uuid NOT NULL,
	"external_id" text NOT NULL,
	"utility_type" text,
	"period_start" date,
	"period_end" date,
	"issued_on" date,
	"due_on" date,
	"usage" numeric(14, 3),
	"unit" text,
	"amount" numeric(14, 2),
	"currency" text,
	"files" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"collection_run_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "collection_run" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"company_id" uuid NOT NULL,
	"trigger" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"reason" text,
	"message" text,
	"bills_found" integer DEFAULT 0 NOT NULL,
	"bills_new" integer DEFAULT 0 NOT NULL,
	"attempt" integer DEFAULT 1 NOT NULL,
	"login_session_id" uuid,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "mfa_code" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"connection_id" uuid NOT NULL,
	"channel" text NOT NULL,
	"code_encrypted" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"consumed_at" timestamp with time zone,
	"consumed_by_run_id" uuid
);
--> statement-breakpoint
ALTER TABLE "connection" ADD COLUMN "forwarding_key" text DEFAULT ('c-' || substr(md5(gen_random_uuid()::text), 1, 12)) NOT NULL;--> statement-breakpoint
ALTER TABLE "connection" ADD COLUMN "sms_number" text;--> statement-breakpoint
ALTER TABLE "bill" ADD CONSTRAINT "bill_connection_id_connection_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connection"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill" ADD CONSTRAINT "bill_company_id_company_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."company"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bill" ADD CONSTRAINT "bill_collection_run_id_collection_run_id_fk" FOREIGN KEY ("collection_run_id") REFERENCES "public"."collection_run"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_run" ADD CONSTRAINT "collection_run_connection_id_connection_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connection"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_run" ADD CONSTRAINT "collection_run_company_id_company_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."company"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collection_run" ADD CONSTRAINT "collection_run_login_session_id_login_session_id_fk" FOREIGN KEY ("login_session_id") REFERENCES "public"."login_session"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mfa_code" ADD CONSTRAINT "mfa_code_connection_id_connection_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connection"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mfa_code" ADD CONSTRAINT "mfa_code_consumed_by_run_id_collection_run_id_fk" FOREIGN KEY ("consumed_by_run_id") REFERENCES "public"."collection_run"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bill_connection_external_idx" ON "bill" USING btree ("connection_id","external_id");--> statement-breakpoint
CREATE INDEX "bill_company_idx" ON "bill" USING btree ("company_id","issued_on");--> statement-breakpoint
CREATE INDEX "collection_run_connection_idx" ON "collection_run" USING btree ("connection_id","started_at");--> statement-breakpoint
CREATE INDEX "mfa_code_waiting_idx" ON "mfa_code" USING btree ("connection_id","received_at") WHERE "mfa_code"."consumed_at" is null;--> statement-breakpoint
ALTER TABLE "connection" ADD CONSTRAINT "connection_forwarding_key_unique" UNIQUE("forwarding_key");