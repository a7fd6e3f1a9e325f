CREATE TYPE "public"."listing_claim_status" AS ENUM('pending', 'approved', 'declined');--> statement-breakpoint
CREATE TYPE "public"."directory_entry_kind" AS ENUM('group', 'listing');--> statement-breakpoint
CREATE TYPE "public"."listing_status" AS ENUM('pending', 'approved', 'declined', 'claimed');--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'listing_approved';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'listing_declined';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'listing_claim_approved';--> statement-breakpoint
ALTER TYPE "public"."notification_kind" ADD VALUE 'listing_claim_declined';--> statement-breakpoint
CREATE TABLE "directory_entries" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "directory_entries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" "directory_entry_kind" NOT NULL,
	"group_id" integer,
	"listing_id" integer,
	"name" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"language" text DEFAULT 'en' NOT NULL,
	"ts_config" "regconfig" DEFAULT 'simple' NOT NULL,
	"leadership" text DEFAULT 'peer' NOT NULL,
	"access" text DEFAULT 'open' NOT NULL,
	"free" boolean DEFAULT true NOT NULL,
	"listed" boolean DEFAULT false NOT NULL,
	"visibility" text DEFAULT 'public' NOT NULL,
	"formats" text[] DEFAULT '{forum}'::text[] NOT NULL,
	"audiences" text[] DEFAULT '{self}'::text[] NOT NULL,
	"topic_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"place_name" text,
	"country_code" text,
	"latitude" double precision,
	"longitude" double precision,
	"search_engines" boolean DEFAULT false NOT NULL,
	"member_count" integer DEFAULT 0 NOT NULL,
	"active_members" integer DEFAULT 0 NOT NULL,
	"posts_last_30_days" integer DEFAULT 0 NOT NULL,
	"reply_rate" real DEFAULT 0 NOT NULL,
	"last_activity_at" timestamp with time zone,
	"search" "tsvector",
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "listing_claims" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "listing_claims_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"listing_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"message" text NOT NULL,
	"status" "listing_claim_status" DEFAULT 'pending' NOT NULL,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "listings" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "listings_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"contact" text DEFAULT '' NOT NULL,
	"website" text,
	"organiser" text DEFAULT '' NOT NULL,
	"status" "listing_status" DEFAULT 'pending' NOT NULL,
	"submitted_by" integer,
	"reviewed_by" integer,
	"reviewed_at" timestamp with time zone,
	"decline_reason" text,
	"claimed_group_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_times" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "meeting_times_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"entry_id" integer NOT NULL,
	"group_id" integer,
	"weekday" smallint NOT NULL,
	"start_minute" smallint NOT NULL,
	"duration_minutes" smallint DEFAULT 60 NOT NULL,
	"time_zone" text NOT NULL,
	"place" text DEFAULT 'online' NOT NULL,
	"utc_week_minute" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "search_words" (
	"word" text PRIMARY KEY NOT NULL,
	"entries" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "topics" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "topics_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"parent_id" integer,
	"synonyms" text[] DEFAULT '{}'::text[] NOT NULL,
	"for_carers" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "listing_id" integer;--> statement-breakpoint
ALTER TABLE "directory_entries" ADD CONSTRAINT "directory_entries_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_entries" ADD CONSTRAINT "directory_entries_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listing_claims" ADD CONSTRAINT "listing_claims_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listing_claims" ADD CONSTRAINT "listing_claims_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listing_claims" ADD CONSTRAINT "listing_claims_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listings" ADD CONSTRAINT "listings_claimed_group_id_groups_id_fk" FOREIGN KEY ("claimed_group_id") REFERENCES "public"."groups"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_times" ADD CONSTRAINT "meeting_times_entry_id_directory_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."directory_entries"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_times" ADD CONSTRAINT "meeting_times_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "topics" ADD CONSTRAINT "topics_parent_id_topics_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."topics"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "directory_entries_group_key" ON "directory_entries" USING btree ("group_id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_entries_listing_key" ON "directory_entries" USING btree ("listing_id");--> statement-breakpoint
CREATE INDEX "directory_entries_search_idx" ON "directory_entries" USING gin ("search");--> statement-breakpoint
CREATE INDEX "directory_entries_topics_idx" ON "directory_entries" USING gin ("topic_ids");--> statement-breakpoint
CREATE INDEX "directory_entries_formats_idx" ON "directory_entries" USING gin ("formats");--> statement-breakpoint
CREATE INDEX "directory_entries_name_trgm_idx" ON "directory_entries" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "directory_entries_listed_idx" ON "directory_entries" USING btree ("listed","last_activity_at");--> statement-breakpoint
CREATE INDEX "directory_entries_place_idx" ON "directory_entries" USING btree ("latitude","longitude");--> statement-breakpoint
CREATE INDEX "directory_entries_findable_idx" ON "directory_entries" USING btree ("id") WHERE listed and search_engines and visibility = 'public';--> statement-breakpoint
CREATE INDEX "listing_claims_listing_idx" ON "listing_claims" USING btree ("listing_id");--> statement-breakpoint
CREATE INDEX "listing_claims_user_idx" ON "listing_claims" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "listings_status_idx" ON "listings" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "listings_submitted_by_idx" ON "listings" USING btree ("submitted_by");--> statement-breakpoint
CREATE INDEX "meeting_times_entry_idx" ON "meeting_times" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "meeting_times_utc_idx" ON "meeting_times" USING btree ("utc_week_minute");--> statement-breakpoint
CREATE INDEX "search_words_trgm_idx" ON "search_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "topics_slug_key" ON "topics" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "topics_parent_idx" ON "topics" USING btree ("parent_id");--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_listing_id_listings_id_fk" FOREIGN KEY ("listing_id") REFERENCES "public"."listings"("id") ON DELETE cascade ON UPDATE no action;