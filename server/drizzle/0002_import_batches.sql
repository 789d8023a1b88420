CREATE TABLE "import_batches" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "import_batches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"file_sha256" varchar(64) NOT NULL,
	"filename" text NOT NULL,
	"user_id" integer NOT NULL,
	"status" text DEFAULT 'validated' NOT NULL,
	"total" integer NOT NULL,
	"valid" integer NOT NULL,
	"committed" integer DEFAULT 0 NOT NULL,
	"rows" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"committed_at" timestamp with time zone,
	CONSTRAINT "import_batches_status_chk" CHECK ("import_batches"."status" in ('validated','committing','committed','failed')),
	CONSTRAINT "import_batches_counts_chk" CHECK ("import_batches"."total" >= 0 and "import_batches"."valid" between 0 and "import_batches"."total" and "import_batches"."committed" between 0 and "import_batches"."total")
);
--> statement-breakpoint
ALTER TABLE "import_batches" ADD CONSTRAINT "import_batches_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_batches_user_idx" ON "import_batches" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "import_batches_kind_created_idx" ON "import_batches" USING btree ("kind","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "import_batches_file_uq" ON "import_batches" USING btree ("kind","file_sha256") WHERE "import_batches"."status" <> 'failed';