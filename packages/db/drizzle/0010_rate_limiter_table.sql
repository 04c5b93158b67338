CREATE TABLE IF NOT EXISTS "rate_limiter_flexible" (
	"key" varchar(255) PRIMARY KEY NOT NULL,
	"points" integer DEFAULT 0 NOT NULL,
	"expire" bigint
);
