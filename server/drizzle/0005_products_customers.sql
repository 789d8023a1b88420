CREATE TABLE "prices" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "prices_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"product_id" integer NOT NULL,
	"kind" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date,
	"customer_type" text,
	"territory_id" varchar(12),
	"customer_id" integer,
	"tender_name" text,
	"notes" text,
	"created_by" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "prices_kind_chk" CHECK ("prices"."kind" in ('ex_factory','supply','tender','retail_guide')),
	CONSTRAINT "prices_amount_chk" CHECK ("prices"."amount_fen" > 0),
	CONSTRAINT "prices_dates_chk" CHECK ("prices"."valid_to" is null or "prices"."valid_to" >= "prices"."valid_from"),
	CONSTRAINT "prices_customer_type_chk" CHECK ("prices"."customer_type" is null or "prices"."customer_type" in ('distributor','agent','hospital','clinic','pharmacy','other')),
	CONSTRAINT "prices_target_chk" CHECK (case "prices"."kind"
        when 'supply' then ("prices"."customer_id" is not null and "prices"."customer_type" is null and "prices"."territory_id" is null)
                        or ("prices"."customer_id" is null and ("prices"."customer_type" is not null or "prices"."territory_id" is not null))
        when 'tender' then "prices"."territory_id" is not null and "prices"."customer_id" is null and "prices"."customer_type" is null
        else "prices"."customer_id" is null and "prices"."customer_type" is null and "prices"."territory_id" is null end),
	CONSTRAINT "prices_tender_name_chk" CHECK ("prices"."tender_name" is null or "prices"."kind" = 'tender')
);
--> statement-breakpoint
CREATE TABLE "product_documents" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "product_documents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"product_id" integer NOT NULL,
	"kind" text NOT NULL,
	"number" text,
	"issued_on" date,
	"expires_on" date,
	"notes" text,
	"status" text DEFAULT 'active' NOT NULL,
	"created_by" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_documents_kind_chk" CHECK ("product_documents"."kind" in ('registration','inspection_report','package_insert','gmp','price_approval','other')),
	CONSTRAINT "product_documents_dates_chk" CHECK ("product_documents"."expires_on" is null or "product_documents"."issued_on" is null or "product_documents"."expires_on" >= "product_documents"."issued_on")
);
--> statement-breakpoint
CREATE TABLE "product_lines" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "product_lines_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"parent_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_lines_not_own_parent_chk" CHECK ("product_lines"."parent_id" is null or "product_lines"."parent_id" <> "product_lines"."id")
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "products_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"generic_name" text NOT NULL,
	"trade_name" text,
	"dosage_form" text NOT NULL,
	"specification" text NOT NULL,
	"package_unit" text NOT NULL,
	"units_per_package" integer DEFAULT 1 NOT NULL,
	"approval_number" text NOT NULL,
	"manufacturer" text NOT NULL,
	"storage_condition" text DEFAULT 'normal' NOT NULL,
	"prescription_class" text NOT NULL,
	"reimbursement_class" text DEFAULT 'none' NOT NULL,
	"barcode" varchar(13),
	"status" text DEFAULT 'active' NOT NULL,
	"product_line_id" integer,
	"notes" text,
	"search_text" text NOT NULL,
	"created_by" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "products_dosage_form_chk" CHECK ("products"."dosage_form" in ('tablet','capsule','injection','powder_injection','granule','oral_solution','syrup','ointment','eye_drops','aerosol','suppository','pill','patch','other')),
	CONSTRAINT "products_package_unit_chk" CHECK ("products"."package_unit" in ('box','bottle','vial','bag','tube','piece')),
	CONSTRAINT "products_units_chk" CHECK ("products"."units_per_package" between 1 and 100000),
	CONSTRAINT "products_storage_chk" CHECK ("products"."storage_condition" in ('normal','cool','cold_chain')),
	CONSTRAINT "products_rx_chk" CHECK ("products"."prescription_class" in ('rx','otc_a','otc_b')),
	CONSTRAINT "products_reimbursement_chk" CHECK ("products"."reimbursement_class" in ('class_a','class_b','none')),
	CONSTRAINT "products_status_chk" CHECK ("products"."status" in ('active','discontinued')),
	CONSTRAINT "products_barcode_chk" CHECK ("products"."barcode" is null or "products"."barcode" ~ '^[0-9]{13}$'),
	CONSTRAINT "products_names_chk" CHECK (length("products"."generic_name") > 0 and length("products"."specification") > 0 and length("products"."manufacturer") > 0 and length("products"."code") > 0)
);
--> statement-breakpoint
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
ALTER TABLE "customers" ADD COLUMN "qualification_state" text DEFAULT 'missing' NOT NULL;--> statement-breakpoint
ALTER TABLE "prices" ADD CONSTRAINT "prices_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prices" ADD CONSTRAINT "prices_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prices" ADD CONSTRAINT "prices_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prices" ADD CONSTRAINT "prices_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_documents" ADD CONSTRAINT "product_documents_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_documents" ADD CONSTRAINT "product_documents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_lines" ADD CONSTRAINT "product_lines_parent_id_product_lines_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."product_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_product_line_id_product_lines_id_fk" FOREIGN KEY ("product_line_id") REFERENCES "public"."product_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
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
CREATE INDEX "prices_product_idx" ON "prices" USING btree ("product_id","kind");--> statement-breakpoint
CREATE INDEX "prices_kind_idx" ON "prices" USING btree ("kind");--> statement-breakpoint
CREATE INDEX "prices_customer_idx" ON "prices" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "prices_territory_idx" ON "prices" USING btree ("territory_id");--> statement-breakpoint
CREATE INDEX "prices_customer_type_idx" ON "prices" USING btree ("customer_type");--> statement-breakpoint
CREATE INDEX "prices_valid_from_idx" ON "prices" USING btree ("valid_from");--> statement-breakpoint
CREATE INDEX "prices_created_by_idx" ON "prices" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "product_documents_product_idx" ON "product_documents" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "product_documents_expires_idx" ON "product_documents" USING btree ("expires_on");--> statement-breakpoint
CREATE INDEX "product_documents_created_by_idx" ON "product_documents" USING btree ("created_by");--> statement-breakpoint
CREATE UNIQUE INDEX "product_lines_name_uq" ON "product_lines" USING btree ("name");--> statement-breakpoint
CREATE INDEX "product_lines_parent_idx" ON "product_lines" USING btree ("parent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "products_code_uq" ON "products" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "products_active_identity_uq" ON "products" USING btree ("generic_name","specification","manufacturer") WHERE "products"."status" = 'active';--> statement-breakpoint
CREATE INDEX "products_search_trgm_idx" ON "products" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "products_line_idx" ON "products" USING btree ("product_line_id");--> statement-breakpoint
CREATE INDEX "products_status_idx" ON "products" USING btree ("status");--> statement-breakpoint
CREATE INDEX "products_storage_idx" ON "products" USING btree ("storage_condition");--> statement-breakpoint
CREATE INDEX "products_rx_idx" ON "products" USING btree ("prescription_class");--> statement-breakpoint
CREATE INDEX "products_reimbursement_idx" ON "products" USING btree ("reimbursement_class");--> statement-breakpoint
CREATE INDEX "products_dosage_form_idx" ON "products" USING btree ("dosage_form");--> statement-breakpoint
CREATE INDEX "products_generic_name_idx" ON "products" USING btree ("generic_name");--> statement-breakpoint
CREATE INDEX "products_approval_number_idx" ON "products" USING btree ("approval_number");--> statement-breakpoint
CREATE INDEX "products_created_by_idx" ON "products" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "products_updated_idx" ON "products" USING btree ("updated_at");--> statement-breakpoint
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
CREATE INDEX "customers_qualification_state_idx" ON "customers" USING btree ("qualification_state");--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_qualification_state_chk" CHECK ("customers"."qualification_state" in ('ok','expiring','missing','expired'));--> statement-breakpoint
-- Added by hand (drizzle-kit cannot declare exclusion constraints): two prices of one kind for one
-- product and one target (customer type, territory, named customer) never overlap in validity.
ALTER TABLE "prices" ADD CONSTRAINT "prices_no_overlap" EXCLUDE USING gist (
	"product_id" WITH =,
	"kind" WITH =,
	(coalesce("customer_type", '')) WITH =,
	(coalesce("territory_id", '')) WITH =,
	(coalesce("customer_id", 0)) WITH =,
	daterange("valid_from", "valid_to", '[]') WITH &&
);
--> statement-breakpoint
-- Written by hand (drizzle-kit has no exclusion constraints): one user's active 工作代理 never overlap.
ALTER TABLE "customer_delegations" ADD CONSTRAINT "customer_delegations_no_overlap" EXCLUDE USING gist ("from_user_id" WITH =, daterange("starts_on", "ends_on", '[]') WITH &&) WHERE ("cancelled_at" IS NULL);
