CREATE TYPE "public"."circle_kind" AS ENUM('voice', 'video');--> statement-breakpoint
CREATE TYPE "public"."circle_media" AS ENUM('mesh', 'janus');--> statement-breakpoint
CREATE TYPE "public"."circle_mode" AS ENUM('open', 'stick');--> statement-breakpoint
CREATE TYPE "public"."circle_participant_status" AS ENUM('waiting', 'admitted', 'removed');--> statement-breakpoint
CREATE TABLE "circle_participants" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "circle_participants_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"circle_id" integer NOT NULL,
	"group_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"status" "circle_participant_status" NOT NULL,
	"leader" boolean DEFAULT false NOT NULL,
	"hide_address" boolean NOT NULL,
	"muted_by_leader_at" timestamp with time zone,
	"self_muted" boolean DEFAULT false NOT NULL,
	"camera_on" boolean DEFAULT false NOT NULL,
	"hand_raised_at" timestamp with time zone,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone,
	"left_at" timestamp with time zone,
	"janus_token" text,
	"janus_session" bigint,
	"janus_handle" bigint
);
--> statement-breakpoint
CREATE TABLE "circle_settings" (
	"group_id" integer PRIMARY KEY NOT NULL,
	"hide_addresses_forced" boolean DEFAULT false NOT NULL,
	"waiting_room_default" boolean
);
--> statement-breakpoint
CREATE TABLE "circles" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "circles_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"occurrence_id" integer NOT NULL,
	"group_id" integer NOT NULL,
	"kind" "circle_kind" NOT NULL,
	"media" "circle_media" DEFAULT 'mesh' NOT NULL,
	"opened_by" integer,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	"locked_at" timestamp with time zone,
	"waiting_room" boolean NOT NULL,
	"mode" "circle_mode" DEFAULT 'open' NOT NULL,
	"stick_holder" integer,
	"share_seconds" integer,
	"share_started_at" timestamp with time zone,
	"janus_room" bigint,
	"janus_secret" text
);
--> statement-breakpoint
ALTER TABLE "circle_participants" ADD CONSTRAINT "circle_participants_circle_id_circles_id_fk" FOREIGN KEY ("circle_id") REFERENCES "public"."circles"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "circle_participants" ADD CONSTRAINT "circle_participants_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "circle_participants" ADD CONSTRAINT "circle_participants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "circle_settings" ADD CONSTRAINT "circle_settings_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "circles" ADD CONSTRAINT "circles_occurrence_id_meeting_occurrences_id_fk" FOREIGN KEY ("occurrence_id") REFERENCES "public"."meeting_occurrences"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "circles" ADD CONSTRAINT "circles_group_id_groups_id_fk" FOREIGN KEY ("group_id") REFERENCES "public"."groups"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "circles" ADD CONSTRAINT "circles_opened_by_users_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "circle_participants_person_key" ON "circle_participants" USING btree ("circle_id","user_id");--> statement-breakpoint
CREATE INDEX "circle_participants_user_idx" ON "circle_participants" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "circles_occurrence_key" ON "circles" USING btree ("occurrence_id");--> statement-breakpoint
CREATE INDEX "circles_group_idx" ON "circles" USING btree ("group_id");