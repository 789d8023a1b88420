CREATE TABLE "customer_delegations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "customer_delegations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"from_user_id" integer NOT NULL,
	"to_user_id" integer NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"reason" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	"cancelled_by" integer,
	CONSTRAINT "customer_delegations_dates_chk" CHECK ("customer_delegations"."ends_on" >= "customer_delegations"."starts_on"),
	CONSTRAINT "customer_delegations_not_self_chk" CHECK ("customer_delegations"."from_user_id" <> "customer_delegations"."to_user_id")
);
--> statement-breakpoint
CREATE TABLE "customer_owner_history" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "customer_owner_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"customer_id" integer NOT NULL,
	"from_user_id" integer,
	"to_user_id" integer,
	"kind" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"by_user_id" integer,
	CONSTRAINT "customer_owner_history_kind_chk" CHECK ("customer_owner_history"."kind" in ('assign','transfer')),
	CONSTRAINT "customer_owner_history_changed_chk" CHECK ("customer_owner_history"."from_user_id" is distinct from "customer_owner_history"."to_user_id")
);
--> statement-breakpoint
CREATE TABLE "contact_customer_history" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "contact_customer_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"contact_id" integer NOT NULL,
	"customer_id" integer NOT NULL,
	"from_at" timestamp with time zone DEFAULT now() NOT NULL,
	"to_at" timestamp with time zone,
	"moved_by" integer,
	CONSTRAINT "contact_customer_history_dates_chk" CHECK ("contact_customer_history"."to_at" is null or "contact_customer_history"."to_at" >= "contact_customer_history"."from_at")
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "contacts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"customer_id" integer NOT NULL,
	"name" text NOT NULL,
	"gender" text,
	"department" text,
	"title" text,
	"mobile" text,
	"phone" text,
	"email" text,
	"wechat" text,
	"birthday" date,
	"preferences" text,
	"notes" text,
	"influence" text DEFAULT 'other' NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"search_text" text NOT NULL,
	"created_by" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contacts_mobile_chk" CHECK ("contacts"."mobile" is null or "contacts"."mobile" ~ '^1[3-9][0-9]{9}$'),
	CONSTRAINT "contacts_gender_chk" CHECK ("contacts"."gender" is null or "contacts"."gender" in ('male','female')),
	CONSTRAINT "contacts_influence_chk" CHECK ("contacts"."influence" in ('decision_maker','influencer','user','other')),
	CONSTRAINT "contacts_status_chk" CHECK ("contacts"."status" in ('active','left')),
	CONSTRAINT "contacts_name_chk" CHECK (length(btrim("contacts"."name")) > 0)
);
--> statement-breakpoint
ALTER TABLE "customer_delegations" ADD CONSTRAINT "customer_delegations_from_user_id_users_id_fk" FOREIGN KEY ("from_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_delegations" ADD CONSTRAINT "customer_delegations_to_user_id_users_id_fk" FOREIGN KEY ("to_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_delegations" ADD CONSTRAINT "customer_delegations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_delegations" ADD CONSTRAINT "customer_delegations_cancelled_by_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_owner_history" ADD CONSTRAINT "customer_owner_history_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_owner_history" ADD CONSTRAINT "customer_owner_history_from_user_id_users_id_fk" FOREIGN KEY ("from_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_owner_history" ADD CONSTRAINT "customer_owner_history_to_user_id_users_id_fk" FOREIGN KEY ("to_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_owner_history" ADD CONSTRAINT "customer_owner_history_by_user_id_users_id_fk" FOREIGN KEY ("by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_customer_history" ADD CONSTRAINT "contact_customer_history_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_customer_history" ADD CONSTRAINT "contact_customer_history_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_customer_history" ADD CONSTRAINT "contact_customer_history_moved_by_users_id_fk" FOREIGN KEY ("moved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_delegations_from_idx" ON "customer_delegations" USING btree ("from_user_id","starts_on");--> statement-breakpoint
CREATE INDEX "customer_delegations_to_idx" ON "customer_delegations" USING btree ("to_user_id","starts_on");--> statement-breakpoint
CREATE INDEX "customer_delegations_created_by_idx" ON "customer_delegations" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "customer_delegations_cancelled_by_idx" ON "customer_delegations" USING btree ("cancelled_by");--> statement-breakpoint
CREATE INDEX "customer_owner_history_customer_idx" ON "customer_owner_history" USING btree ("customer_id","at");--> statement-breakpoint
CREATE INDEX "customer_owner_history_from_idx" ON "customer_owner_history" USING btree ("from_user_id");--> statement-breakpoint
CREATE INDEX "customer_owner_history_to_idx" ON "customer_owner_history" USING btree ("to_user_id");--> statement-breakpoint
CREATE INDEX "customer_owner_history_by_idx" ON "customer_owner_history" USING btree ("by_user_id");--> statement-breakpoint
CREATE INDEX "contact_customer_history_contact_idx" ON "contact_customer_history" USING btree ("contact_id","from_at");--> statement-breakpoint
CREATE INDEX "contact_customer_history_customer_idx" ON "contact_customer_history" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "contact_customer_history_moved_by_idx" ON "contact_customer_history" USING btree ("moved_by");--> statement-breakpoint
CREATE UNIQUE INDEX "contact_customer_history_open_uq" ON "contact_customer_history" USING btree ("contact_id") WHERE "contact_customer_history"."to_at" is null;--> statement-breakpoint
CREATE INDEX "contacts_customer_idx" ON "contacts" USING btree ("customer_id","status");--> statement-breakpoint
CREATE INDEX "contacts_created_by_idx" ON "contacts" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "contacts_department_idx" ON "contacts" USING btree ("department");--> statement-breakpoint
CREATE INDEX "contacts_influence_idx" ON "contacts" USING btree ("influence","status");--> statement-breakpoint
CREATE INDEX "contacts_status_idx" ON "contacts" USING btree ("status");--> statement-breakpoint
CREATE INDEX "contacts_name_idx" ON "contacts" USING btree ("name");--> statement-breakpoint
CREATE INDEX "contacts_updated_idx" ON "contacts" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "contacts_search_trgm_idx" ON "contacts" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_customer_mobile_uq" ON "contacts" USING btree ("customer_id","mobile") WHERE "contacts"."mobile" is not null;--> statement-breakpoint
-- Written by hand (drizzle-kit has no exclusion constraints): one user's active 工作代理 never overlap.
ALTER TABLE "customer_delegations" ADD CONSTRAINT "customer_delegations_no_overlap" EXCLUDE USING gist ("from_user_id" WITH =, daterange("starts_on", "ends_on", '[]') WITH &&) WHERE ("cancelled_at" IS NULL);
