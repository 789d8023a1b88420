CREATE TABLE "customer_qualifications" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "customer_qualifications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"customer_id" integer NOT NULL,
	"kind" text NOT NULL,
	"number" text NOT NULL,
	"issued_on" date,
	"expires_on" date,
	"notes" text,
	"status" text DEFAULT 'current' NOT NULL,
	"replaced_by_id" integer,
	"expiry_notices" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_by" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_qualifications_kind_chk" CHECK ("customer_qualifications"."kind" in ('business_licence','drug_operation_licence','gsp_certificate','medical_institution_licence','drug_manufacturing_licence','power_of_attorney','other')),
	CONSTRAINT "customer_qualifications_status_chk" CHECK ("customer_qualifications"."status" in ('current','replaced')),
	CONSTRAINT "customer_qualifications_dates_chk" CHECK ("customer_qualifications"."issued_on" is null or "customer_qualifications"."expires_on" is null or "customer_qualifications"."expires_on" >= "customer_qualifications"."issued_on"),
	CONSTRAINT "customer_qualifications_replaced_chk" CHECK (("customer_qualifications"."status" = 'replaced') = ("customer_qualifications"."replaced_by_id" is not null)),
	CONSTRAINT "customer_qualifications_number_chk" CHECK (length(trim("customer_qualifications"."number")) > 0)
);
--> statement-breakpoint
CREATE TABLE "customer_application_documents" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "customer_application_documents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"application_id" integer NOT NULL,
	"kind" text NOT NULL,
	"number" text NOT NULL,
	"issued_on" date,
	"expires_on" date,
	"notes" text,
	"attachment_ids" integer[] DEFAULT '{}'::int[] NOT NULL,
	"qualification_id" integer,
	CONSTRAINT "customer_application_documents_kind_chk" CHECK ("customer_application_documents"."kind" in ('business_licence','drug_operation_licence','gsp_certificate','medical_institution_licence','drug_manufacturing_licence','power_of_attorney','other')),
	CONSTRAINT "customer_application_documents_dates_chk" CHECK ("customer_application_documents"."issued_on" is null or "customer_application_documents"."expires_on" is null or "customer_application_documents"."expires_on" >= "customer_application_documents"."issued_on")
);
--> statement-breakpoint
CREATE TABLE "customer_applications" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "customer_applications_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"number" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"submitted_by" integer NOT NULL,
	"owner_department_id" integer,
	"proposed_owner_id" integer,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"credit_code" varchar(18),
	"type" text NOT NULL,
	"territory_id" varchar(12) NOT NULL,
	"customer" jsonb NOT NULL,
	"reason" text NOT NULL,
	"created_customer_id" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_applications_status_chk" CHECK ("customer_applications"."status" in ('draft','pending','approved','cancelled')),
	CONSTRAINT "customer_applications_created_customer_chk" CHECK ("customer_applications"."created_customer_id" is null or "customer_applications"."status" = 'approved')
);
--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "qualification_state" text DEFAULT 'missing' NOT NULL;--> statement-breakpoint
ALTER TABLE "customer_qualifications" ADD CONSTRAINT "customer_qualifications_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_qualifications" ADD CONSTRAINT "customer_qualifications_replaced_by_id_customer_qualifications_id_fk" FOREIGN KEY ("replaced_by_id") REFERENCES "public"."customer_qualifications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_qualifications" ADD CONSTRAINT "customer_qualifications_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_application_documents" ADD CONSTRAINT "customer_application_documents_application_id_customer_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."customer_applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_application_documents" ADD CONSTRAINT "customer_application_documents_qualification_id_customer_qualifications_id_fk" FOREIGN KEY ("qualification_id") REFERENCES "public"."customer_qualifications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_applications" ADD CONSTRAINT "customer_applications_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_applications" ADD CONSTRAINT "customer_applications_owner_department_id_departments_id_fk" FOREIGN KEY ("owner_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_applications" ADD CONSTRAINT "customer_applications_proposed_owner_id_users_id_fk" FOREIGN KEY ("proposed_owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_applications" ADD CONSTRAINT "customer_applications_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_applications" ADD CONSTRAINT "customer_applications_created_customer_id_customers_id_fk" FOREIGN KEY ("created_customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_qualifications_customer_idx" ON "customer_qualifications" USING btree ("customer_id","kind","status");--> statement-breakpoint
CREATE INDEX "customer_qualifications_expires_idx" ON "customer_qualifications" USING btree ("expires_on") WHERE "customer_qualifications"."status" = 'current';--> statement-breakpoint
CREATE INDEX "customer_qualifications_replaced_by_idx" ON "customer_qualifications" USING btree ("replaced_by_id");--> statement-breakpoint
CREATE INDEX "customer_qualifications_created_by_idx" ON "customer_qualifications" USING btree ("created_by");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_qualifications_current_uq" ON "customer_qualifications" USING btree ("customer_id","kind") WHERE "customer_qualifications"."status" = 'current' and "customer_qualifications"."kind" <> 'other';--> statement-breakpoint
CREATE INDEX "customer_application_documents_application_idx" ON "customer_application_documents" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "customer_application_documents_qualification_idx" ON "customer_application_documents" USING btree ("qualification_id");--> statement-breakpoint
CREATE UNIQUE INDEX "customer_application_documents_kind_uq" ON "customer_application_documents" USING btree ("application_id","kind") WHERE "customer_application_documents"."kind" <> 'other';--> statement-breakpoint
CREATE UNIQUE INDEX "customer_applications_number_uq" ON "customer_applications" USING btree ("number");--> statement-breakpoint
CREATE INDEX "customer_applications_submitted_by_idx" ON "customer_applications" USING btree ("submitted_by","id");--> statement-breakpoint
CREATE INDEX "customer_applications_owner_department_idx" ON "customer_applications" USING btree ("owner_department_id");--> statement-breakpoint
CREATE INDEX "customer_applications_proposed_owner_idx" ON "customer_applications" USING btree ("proposed_owner_id");--> statement-breakpoint
CREATE INDEX "customer_applications_status_idx" ON "customer_applications" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "customer_applications_territory_idx" ON "customer_applications" USING btree ("territory_id");--> statement-breakpoint
CREATE INDEX "customer_applications_created_customer_idx" ON "customer_applications" USING btree ("created_customer_id");--> statement-breakpoint
CREATE INDEX "customer_applications_name_key_idx" ON "customer_applications" USING btree ("name_key") WHERE "customer_applications"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "customer_applications_credit_code_idx" ON "customer_applications" USING btree ("credit_code") WHERE "customer_applications"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "customers_qualification_state_idx" ON "customers" USING btree ("qualification_state");--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_qualification_state_chk" CHECK ("customers"."qualification_state" in ('ok','expiring','missing','expired'));