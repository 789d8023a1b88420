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
ALTER TABLE "prices" ADD CONSTRAINT "prices_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prices" ADD CONSTRAINT "prices_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prices" ADD CONSTRAINT "prices_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "prices" ADD CONSTRAINT "prices_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_documents" ADD CONSTRAINT "product_documents_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_documents" ADD CONSTRAINT "product_documents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_lines" ADD CONSTRAINT "product_lines_parent_id_product_lines_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."product_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_product_line_id_product_lines_id_fk" FOREIGN KEY ("product_line_id") REFERENCES "public"."product_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
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
