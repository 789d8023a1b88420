CREATE SEQUENCE "public"."customer_code_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "customers" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "customers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text DEFAULT 'KH' || lpad(nextval('customer_code_seq')::text, 6, '0') NOT NULL,
	"name" text NOT NULL,
	"short_name" text,
	"aliases" text[] DEFAULT '{}'::text[] NOT NULL,
	"name_key" text NOT NULL,
	"credit_code" varchar(18),
	"type" text NOT NULL,
	"territory_id" varchar(12) NOT NULL,
	"territory_path" text NOT NULL,
	"address" text,
	"hospital_grade" text,
	"hospital_departments" text[] DEFAULT '{}'::text[] NOT NULL,
	"parent_id" integer,
	"owner_id" integer,
	"owner_department_id" integer,
	"source" text,
	"lifecycle_stage" text DEFAULT 'identified' NOT NULL,
	"grade" text,
	"credit_limit_fen" bigint DEFAULT 0 NOT NULL,
	"payment_terms_days" integer DEFAULT 0 NOT NULL,
	"invoice_title" text,
	"tax_number" text,
	"bank_name" text,
	"bank_account" text,
	"invoice_address" text,
	"invoice_phone" text,
	"phone" text,
	"notes" text,
	"status" text DEFAULT 'active' NOT NULL,
	"merged_into_id" integer,
	"search_text" text NOT NULL,
	"created_by" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customers_type_chk" CHECK ("customers"."type" in ('distributor','agent','hospital','clinic','pharmacy','other')),
	CONSTRAINT "customers_source_chk" CHECK ("customers"."source" is null or "customers"."source" in ('phone','fax','email','sms','visit','media','website','event','referral','rep')),
	CONSTRAINT "customers_lifecycle_chk" CHECK ("customers"."lifecycle_stage" in ('identified','lead','intent','purchasing','complete')),
	CONSTRAINT "customers_grade_chk" CHECK ("customers"."grade" is null or "customers"."grade" in ('C','B','A','H','O')),
	CONSTRAINT "customers_hospital_grade_chk" CHECK ("customers"."hospital_grade" is null or "customers"."hospital_grade" in ('3A','3B','3C','2A','2B','2C','1A','1B','1C','unrated')),
	CONSTRAINT "customers_status_chk" CHECK ("customers"."status" in ('active','inactive','merged')),
	CONSTRAINT "customers_merged_chk" CHECK (("customers"."status" = 'merged') = ("customers"."merged_into_id" is not null)),
	CONSTRAINT "customers_not_own_parent_chk" CHECK ("customers"."parent_id" is null or "customers"."parent_id" <> "customers"."id"),
	CONSTRAINT "customers_credit_limit_chk" CHECK ("customers"."credit_limit_fen" >= 0),
	CONSTRAINT "customers_payment_terms_chk" CHECK ("customers"."payment_terms_days" between 0 and 3650),
	CONSTRAINT "customers_owner_department_chk" CHECK ("customers"."owner_id" is not null or "customers"."owner_department_id" is null)
);
--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_parent_id_customers_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_owner_department_id_departments_id_fk" FOREIGN KEY ("owner_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_merged_into_id_customers_id_fk" FOREIGN KEY ("merged_into_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "customers_code_uq" ON "customers" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "customers_credit_code_uq" ON "customers" USING btree ("credit_code") WHERE "customers"."credit_code" is not null and "customers"."status" <> 'merged';--> statement-breakpoint
CREATE UNIQUE INDEX "customers_name_key_uq" ON "customers" USING btree ("name_key") WHERE "customers"."status" <> 'merged';--> statement-breakpoint
CREATE INDEX "customers_search_trgm_idx" ON "customers" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_name_key_trgm_idx" ON "customers" USING gin ("name_key" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "customers_territory_path_idx" ON "customers" USING btree ("territory_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "customers_territory_idx" ON "customers" USING btree ("territory_id");--> statement-breakpoint
CREATE INDEX "customers_owner_idx" ON "customers" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "customers_owner_department_idx" ON "customers" USING btree ("owner_department_id");--> statement-breakpoint
CREATE INDEX "customers_parent_idx" ON "customers" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "customers_merged_into_idx" ON "customers" USING btree ("merged_into_id");--> statement-breakpoint
CREATE INDEX "customers_created_by_idx" ON "customers" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "customers_type_idx" ON "customers" USING btree ("type","status");--> statement-breakpoint
CREATE INDEX "customers_name_idx" ON "customers" USING btree ("name");--> statement-breakpoint
CREATE INDEX "customers_updated_idx" ON "customers" USING btree ("updated_at");