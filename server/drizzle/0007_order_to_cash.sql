CREATE TABLE "sales_order_lines" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sales_order_lines_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"order_id" integer NOT NULL,
	"line_no" integer NOT NULL,
	"product_id" integer NOT NULL,
	"quantity" integer NOT NULL,
	"list_price_fen" bigint,
	"price_source" text,
	"unit_price_fen" bigint NOT NULL,
	"price_override_reason" text,
	"discount_fen" bigint DEFAULT 0 NOT NULL,
	"amount_fen" bigint NOT NULL,
	"vat_rate_bp" integer DEFAULT 1300 NOT NULL,
	"reserved_qty" integer DEFAULT 0 NOT NULL,
	"shipped_qty" integer DEFAULT 0 NOT NULL,
	"returned_qty" integer DEFAULT 0 NOT NULL,
	"closed_qty" integer DEFAULT 0 NOT NULL,
	"invoiced_qty" integer DEFAULT 0 NOT NULL,
	"notes" text,
	CONSTRAINT "sales_order_lines_quantity_chk" CHECK ("sales_order_lines"."quantity" > 0),
	CONSTRAINT "sales_order_lines_price_chk" CHECK ("sales_order_lines"."unit_price_fen" >= 0 and ("sales_order_lines"."list_price_fen" is null or "sales_order_lines"."list_price_fen" >= 0)),
	CONSTRAINT "sales_order_lines_discount_chk" CHECK ("sales_order_lines"."discount_fen" >= 0 and "sales_order_lines"."discount_fen" <= "sales_order_lines"."quantity" * "sales_order_lines"."unit_price_fen"),
	CONSTRAINT "sales_order_lines_amount_chk" CHECK ("sales_order_lines"."amount_fen" = "sales_order_lines"."quantity" * "sales_order_lines"."unit_price_fen" - "sales_order_lines"."discount_fen"),
	CONSTRAINT "sales_order_lines_vat_chk" CHECK ("sales_order_lines"."vat_rate_bp" between 0 and 10000),
	CONSTRAINT "sales_order_lines_counts_chk" CHECK ("sales_order_lines"."reserved_qty" >= 0 and "sales_order_lines"."shipped_qty" >= 0 and "sales_order_lines"."returned_qty" >= 0 and "sales_order_lines"."closed_qty" >= 0 and "sales_order_lines"."invoiced_qty" >= 0),
	CONSTRAINT "sales_order_lines_returned_chk" CHECK ("sales_order_lines"."returned_qty" <= "sales_order_lines"."shipped_qty"),
	CONSTRAINT "sales_order_lines_fulfilment_chk" CHECK ("sales_order_lines"."reserved_qty" + "sales_order_lines"."shipped_qty" - "sales_order_lines"."returned_qty" + "sales_order_lines"."closed_qty" <= "sales_order_lines"."quantity"),
	CONSTRAINT "sales_order_lines_invoiced_chk" CHECK ("sales_order_lines"."invoiced_qty" <= "sales_order_lines"."shipped_qty")
);
--> statement-breakpoint
CREATE TABLE "sales_orders" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sales_orders_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"number" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"customer_id" integer NOT NULL,
	"channel" text DEFAULT 'phone' NOT NULL,
	"owner_id" integer,
	"owner_department_id" integer,
	"entered_by" integer NOT NULL,
	"order_date" date NOT NULL,
	"requested_delivery_on" date,
	"urgency" text DEFAULT 'normal' NOT NULL,
	"allow_batch_split" boolean DEFAULT true NOT NULL,
	"packaging_note" text,
	"delivery_note" text,
	"ship_to_address" text,
	"ship_to_contact" text,
	"ship_to_phone" text,
	"customer_po_number" text,
	"total_fen" bigint DEFAULT 0 NOT NULL,
	"problems" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"submitted_by" integer,
	"submitted_at" timestamp with time zone,
	"reviewed_by" integer,
	"reviewed_at" timestamp with time zone,
	"released_at" timestamp with time zone,
	"cancel_reason" text,
	"cancelled_by" integer,
	"cancelled_at" timestamp with time zone,
	"notes" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sales_orders_status_chk" CHECK ("sales_orders"."status" in ('draft','pending_approval','pending_review','released','partially_shipped','shipped','cancelled')),
	CONSTRAINT "sales_orders_channel_chk" CHECK ("sales_orders"."channel" in ('phone','fax','email','rep','portal','other')),
	CONSTRAINT "sales_orders_urgency_chk" CHECK ("sales_orders"."urgency" in ('normal','urgent')),
	CONSTRAINT "sales_orders_total_chk" CHECK ("sales_orders"."total_fen" >= 0),
	CONSTRAINT "sales_orders_four_eyes_chk" CHECK ("sales_orders"."reviewed_by" is null or ("sales_orders"."reviewed_by" <> "sales_orders"."entered_by" and "sales_orders"."reviewed_by" <> coalesce("sales_orders"."submitted_by", 0))),
	CONSTRAINT "sales_orders_cancel_chk" CHECK ("sales_orders"."status" <> 'cancelled' or ("sales_orders"."cancel_reason" is not null and length("sales_orders"."cancel_reason") > 0))
);
--> statement-breakpoint
CREATE TABLE "stock_alerts_sent" (
	"kind" text NOT NULL,
	"subject_key" text NOT NULL,
	"sent_on" date NOT NULL,
	CONSTRAINT "stock_alerts_sent_kind_subject_key_pk" PRIMARY KEY("kind","subject_key")
);
--> statement-breakpoint
CREATE TABLE "stock_balances" (
	"warehouse_id" integer NOT NULL,
	"batch_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"on_hand" integer DEFAULT 0 NOT NULL,
	"reserved" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_balances_warehouse_id_batch_id_pk" PRIMARY KEY("warehouse_id","batch_id"),
	CONSTRAINT "stock_balances_on_hand_chk" CHECK ("stock_balances"."on_hand" >= 0),
	CONSTRAINT "stock_balances_reserved_chk" CHECK ("stock_balances"."reserved" >= 0 and "stock_balances"."reserved" <= "stock_balances"."on_hand")
);
--> statement-breakpoint
CREATE TABLE "stock_batches" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "stock_batches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"product_id" integer NOT NULL,
	"batch_no" text NOT NULL,
	"manufactured_on" date,
	"expires_on" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_batches_id_product_uq" UNIQUE("id","product_id"),
	CONSTRAINT "stock_batches_batch_no_chk" CHECK (length("stock_batches"."batch_no") between 1 and 40),
	CONSTRAINT "stock_batches_dates_chk" CHECK ("stock_batches"."manufactured_on" is null or "stock_batches"."expires_on" > "stock_batches"."manufactured_on")
);
--> statement-breakpoint
CREATE TABLE "stock_documents" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "stock_documents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"number" text NOT NULL,
	"business_date" date NOT NULL,
	"source" text DEFAULT 'form' NOT NULL,
	"note" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_documents_kind_chk" CHECK ("stock_documents"."kind" in ('receipt','adjustment','transfer')),
	CONSTRAINT "stock_documents_source_chk" CHECK ("stock_documents"."source" in ('form','import')),
	CONSTRAINT "stock_documents_reason_chk" CHECK ("stock_documents"."kind" <> 'adjustment' or length(coalesce("stock_documents"."note", '')) > 0)
);
--> statement-breakpoint
CREATE TABLE "stock_movements" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "stock_movements_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"business_date" date NOT NULL,
	"warehouse_id" integer NOT NULL,
	"batch_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"kind" text NOT NULL,
	"quantity" integer NOT NULL,
	"doc_type" text,
	"doc_id" integer,
	"doc_number" text,
	"note" text,
	"actor_id" integer,
	CONSTRAINT "stock_movements_kind_chk" CHECK ("stock_movements"."kind" in ('receipt','shipment','return','adjustment','transfer_out','transfer_in','destroy')),
	CONSTRAINT "stock_movements_quantity_chk" CHECK ("stock_movements"."quantity" <> 0),
	CONSTRAINT "stock_movements_sign_chk" CHECK (("stock_movements"."kind" in ('receipt','return','transfer_in') and "stock_movements"."quantity" > 0) or ("stock_movements"."kind" in ('shipment','transfer_out','destroy') and "stock_movements"."quantity" < 0) or "stock_movements"."kind" = 'adjustment')
);
--> statement-breakpoint
CREATE TABLE "stock_reservations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "stock_reservations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"order_line_id" integer NOT NULL,
	"warehouse_id" integer NOT NULL,
	"batch_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"quantity" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_reservations_quantity_chk" CHECK ("stock_reservations"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "stock_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"near_expiry_months" integer DEFAULT 6 NOT NULL,
	"updated_by" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_settings_single_row" CHECK ("stock_settings"."id" = 1),
	CONSTRAINT "stock_settings_months_chk" CHECK ("stock_settings"."near_expiry_months" between 0 and 36)
);
--> statement-breakpoint
CREATE TABLE "warehouses" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "warehouses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'normal' NOT NULL,
	"cold_chain" boolean DEFAULT false NOT NULL,
	"address" text,
	"status" text DEFAULT 'active' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "warehouses_kind_chk" CHECK ("warehouses"."kind" in ('normal','quarantine')),
	CONSTRAINT "warehouses_status_chk" CHECK ("warehouses"."status" in ('active','inactive'))
);
--> statement-breakpoint
CREATE TABLE "shipment_lines" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "shipment_lines_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"shipment_id" integer NOT NULL,
	"order_line_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"batch_id" integer NOT NULL,
	"warehouse_id" integer NOT NULL,
	"quantity" integer NOT NULL,
	CONSTRAINT "shipment_lines_quantity_chk" CHECK ("shipment_lines"."quantity" > 0)
);
--> statement-breakpoint
CREATE TABLE "shipments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "shipments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"number" text NOT NULL,
	"status" text DEFAULT 'picking' NOT NULL,
	"kind" text DEFAULT 'order' NOT NULL,
	"order_id" integer NOT NULL,
	"customer_id" integer NOT NULL,
	"warehouse_id" integer NOT NULL,
	"ship_to_address" text,
	"ship_to_contact" text,
	"ship_to_phone" text,
	"carrier" text,
	"tracking_no" text,
	"cold_chain" boolean DEFAULT false NOT NULL,
	"temperature_logger_id" text,
	"start_temp_tenths" integer,
	"end_temp_tenths" integer,
	"created_by" integer NOT NULL,
	"checked_by" integer,
	"checked_at" timestamp with time zone,
	"dispatched_by" integer,
	"dispatched_at" timestamp with time zone,
	"dispatched_on" date,
	"delivered_at" timestamp with time zone,
	"delivered_note" text,
	"cancel_reason" text,
	"notes" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "shipments_status_chk" CHECK ("shipments"."status" in ('picking','checked','dispatched','delivered','cancelled')),
	CONSTRAINT "shipments_kind_chk" CHECK ("shipments"."kind" in ('order','exchange')),
	CONSTRAINT "shipments_four_eyes_chk" CHECK ("shipments"."checked_by" is null or "shipments"."checked_by" <> "shipments"."created_by"),
	CONSTRAINT "shipments_dispatch_chk" CHECK ("shipments"."status" not in ('dispatched','delivered') or ("shipments"."checked_by" is not null and "shipments"."dispatched_on" is not null)),
	CONSTRAINT "shipments_cold_chain_chk" CHECK (not "shipments"."cold_chain" or "shipments"."status" not in ('dispatched','delivered') or ("shipments"."temperature_logger_id" is not null and length("shipments"."temperature_logger_id") > 0
        and "shipments"."start_temp_tenths" between 20 and 80
        and "shipments"."end_temp_tenths" between 20 and 80)),
	CONSTRAINT "shipments_cancel_chk" CHECK ("shipments"."status" <> 'cancelled' or "shipments"."cancel_reason" is not null)
);
--> statement-breakpoint
CREATE TABLE "return_lines" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "return_lines_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"return_id" integer NOT NULL,
	"order_line_id" integer NOT NULL,
	"shipment_line_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"batch_id" integer NOT NULL,
	"quantity" integer NOT NULL,
	"inspection_result" text,
	"restock_warehouse_id" integer,
	"inspection_note" text,
	CONSTRAINT "return_lines_quantity_chk" CHECK ("return_lines"."quantity" > 0),
	CONSTRAINT "return_lines_inspection_chk" CHECK ("return_lines"."inspection_result" is null or "return_lines"."inspection_result" in ('restock','quarantine','destroy')),
	CONSTRAINT "return_lines_restock_chk" CHECK ("return_lines"."inspection_result" is distinct from 'restock' or "return_lines"."restock_warehouse_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "return_requests" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "return_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"number" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"order_id" integer NOT NULL,
	"customer_id" integer NOT NULL,
	"reason" text NOT NULL,
	"resolution" text DEFAULT 'refund' NOT NULL,
	"description" text NOT NULL,
	"created_by" integer NOT NULL,
	"received_warehouse_id" integer,
	"received_by" integer,
	"received_at" timestamp with time zone,
	"inspected_by" integer,
	"inspected_at" timestamp with time zone,
	"exchange_shipment_id" integer,
	"cancel_reason" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "return_requests_status_chk" CHECK ("return_requests"."status" in ('draft','pending_approval','approved','received','completed','cancelled')),
	CONSTRAINT "return_requests_reason_chk" CHECK ("return_requests"."reason" in ('quality','damage','near_expiry','wrong_goods','other')),
	CONSTRAINT "return_requests_resolution_chk" CHECK ("return_requests"."resolution" in ('refund','exchange')),
	CONSTRAINT "return_requests_description_chk" CHECK (length("return_requests"."description") > 0)
);
--> statement-breakpoint
CREATE TABLE "invoice_lines" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "invoice_lines_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"invoice_id" integer NOT NULL,
	"order_line_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_fen" bigint NOT NULL,
	"amount_fen" bigint NOT NULL,
	"vat_rate_bp" integer NOT NULL,
	"tax_fen" bigint NOT NULL,
	CONSTRAINT "invoice_lines_quantity_chk" CHECK ("invoice_lines"."quantity" <> 0),
	CONSTRAINT "invoice_lines_price_chk" CHECK ("invoice_lines"."unit_price_fen" >= 0),
	CONSTRAINT "invoice_lines_sign_chk" CHECK (sign("invoice_lines"."amount_fen") * sign("invoice_lines"."quantity") >= 0 and sign("invoice_lines"."tax_fen") * sign("invoice_lines"."quantity") >= 0),
	CONSTRAINT "invoice_lines_vat_chk" CHECK ("invoice_lines"."vat_rate_bp" between 0 and 10000)
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "invoices_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"number" text NOT NULL,
	"kind" text DEFAULT 'blue' NOT NULL,
	"invoice_type" text DEFAULT 'special' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"customer_id" integer NOT NULL,
	"order_id" integer,
	"original_invoice_id" integer,
	"return_id" integer,
	"tax_invoice_code" text,
	"tax_invoice_no" text,
	"issued_on" date,
	"due_on" date,
	"amount_fen" bigint NOT NULL,
	"tax_fen" bigint NOT NULL,
	"paid_fen" bigint DEFAULT 0 NOT NULL,
	"credited_fen" bigint DEFAULT 0 NOT NULL,
	"reason" text,
	"created_by" integer NOT NULL,
	"issued_by" integer,
	"notes" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoices_kind_chk" CHECK ("invoices"."kind" in ('blue','red')),
	CONSTRAINT "invoices_type_chk" CHECK ("invoices"."invoice_type" in ('special','normal')),
	CONSTRAINT "invoices_status_chk" CHECK ("invoices"."status" in ('draft','issued','cancelled')),
	CONSTRAINT "invoices_sign_chk" CHECK (("invoices"."kind" = 'blue' and "invoices"."amount_fen" > 0 and "invoices"."tax_fen" >= 0 and "invoices"."tax_fen" < "invoices"."amount_fen")
       or ("invoices"."kind" = 'red' and "invoices"."amount_fen" < 0 and "invoices"."tax_fen" <= 0 and "invoices"."tax_fen" > "invoices"."amount_fen" and "invoices"."original_invoice_id" is not null)),
	CONSTRAINT "invoices_settlement_chk" CHECK ("invoices"."paid_fen" >= 0 and "invoices"."credited_fen" >= 0 and (("invoices"."kind" = 'blue' and "invoices"."paid_fen" + "invoices"."credited_fen" <= "invoices"."amount_fen")
       or ("invoices"."kind" = 'red' and "invoices"."paid_fen" = 0 and "invoices"."credited_fen" <= -"invoices"."amount_fen"))),
	CONSTRAINT "invoices_issued_chk" CHECK ("invoices"."status" <> 'issued' or ("invoices"."issued_on" is not null and "invoices"."due_on" is not null and "invoices"."tax_invoice_no" is not null)),
	CONSTRAINT "invoices_settled_only_issued_chk" CHECK ("invoices"."status" = 'issued' or ("invoices"."paid_fen" = 0 and "invoices"."credited_fen" = 0))
);
--> statement-breakpoint
CREATE TABLE "period_closings" (
	"period" text PRIMARY KEY NOT NULL,
	"closed_by" integer NOT NULL,
	"closed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"summary" text,
	CONSTRAINT "period_closings_period_chk" CHECK ("period_closings"."period" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);
--> statement-breakpoint
CREATE TABLE "receipt_allocations" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "receipt_allocations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"receipt_id" integer NOT NULL,
	"invoice_id" integer NOT NULL,
	"amount_fen" bigint NOT NULL,
	"allocated_by" integer NOT NULL,
	"allocated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "receipt_allocations_amount_chk" CHECK ("receipt_allocations"."amount_fen" > 0)
);
--> statement-breakpoint
CREATE TABLE "receipts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "receipts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"number" text NOT NULL,
	"status" text DEFAULT 'posted' NOT NULL,
	"customer_id" integer NOT NULL,
	"method" text NOT NULL,
	"amount_fen" bigint NOT NULL,
	"allocated_fen" bigint DEFAULT 0 NOT NULL,
	"received_on" date NOT NULL,
	"reference" text,
	"payer_name" text,
	"bill_no" text,
	"bill_due_on" date,
	"void_reason" text,
	"created_by" integer NOT NULL,
	"notes" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "receipts_method_chk" CHECK ("receipts"."method" in ('bank_transfer','acceptance_bill','cash','other')),
	CONSTRAINT "receipts_status_chk" CHECK ("receipts"."status" in ('posted','voided')),
	CONSTRAINT "receipts_amount_chk" CHECK ("receipts"."amount_fen" > 0 and "receipts"."allocated_fen" >= 0 and "receipts"."allocated_fen" <= "receipts"."amount_fen"),
	CONSTRAINT "receipts_voided_chk" CHECK ("receipts"."status" <> 'voided' or ("receipts"."allocated_fen" = 0 and "receipts"."void_reason" is not null)),
	CONSTRAINT "receipts_bill_chk" CHECK ("receipts"."method" <> 'acceptance_bill' or ("receipts"."bill_no" is not null and "receipts"."bill_due_on" is not null))
);
--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "vat_rate_bp" integer DEFAULT 1300 NOT NULL;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "safety_stock" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sales_order_lines" ADD CONSTRAINT "sales_order_lines_order_id_sales_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."sales_orders"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_order_lines" ADD CONSTRAINT "sales_order_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_orders" ADD CONSTRAINT "sales_orders_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_orders" ADD CONSTRAINT "sales_orders_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_orders" ADD CONSTRAINT "sales_orders_owner_department_id_departments_id_fk" FOREIGN KEY ("owner_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_orders" ADD CONSTRAINT "sales_orders_entered_by_users_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_orders" ADD CONSTRAINT "sales_orders_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_orders" ADD CONSTRAINT "sales_orders_reviewed_by_users_id_fk" FOREIGN KEY ("reviewed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_orders" ADD CONSTRAINT "sales_orders_cancelled_by_users_id_fk" FOREIGN KEY ("cancelled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_balances" ADD CONSTRAINT "stock_balances_batch_product_fk" FOREIGN KEY ("batch_id","product_id") REFERENCES "public"."stock_batches"("id","product_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_batches" ADD CONSTRAINT "stock_batches_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_documents" ADD CONSTRAINT "stock_documents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_batch_product_fk" FOREIGN KEY ("batch_id","product_id") REFERENCES "public"."stock_batches"("id","product_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reservations" ADD CONSTRAINT "stock_reservations_order_line_id_sales_order_lines_id_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."sales_order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reservations" ADD CONSTRAINT "stock_reservations_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reservations" ADD CONSTRAINT "stock_reservations_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_reservations" ADD CONSTRAINT "stock_reservations_batch_product_fk" FOREIGN KEY ("batch_id","product_id") REFERENCES "public"."stock_batches"("id","product_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stock_settings" ADD CONSTRAINT "stock_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_lines" ADD CONSTRAINT "shipment_lines_shipment_id_shipments_id_fk" FOREIGN KEY ("shipment_id") REFERENCES "public"."shipments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_lines" ADD CONSTRAINT "shipment_lines_order_line_id_sales_order_lines_id_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."sales_order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_lines" ADD CONSTRAINT "shipment_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_lines" ADD CONSTRAINT "shipment_lines_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipment_lines" ADD CONSTRAINT "shipment_lines_batch_product_fk" FOREIGN KEY ("batch_id","product_id") REFERENCES "public"."stock_batches"("id","product_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_order_id_sales_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."sales_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_warehouse_id_warehouses_id_fk" FOREIGN KEY ("warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_checked_by_users_id_fk" FOREIGN KEY ("checked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_dispatched_by_users_id_fk" FOREIGN KEY ("dispatched_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_lines" ADD CONSTRAINT "return_lines_return_id_return_requests_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."return_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_lines" ADD CONSTRAINT "return_lines_order_line_id_sales_order_lines_id_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."sales_order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_lines" ADD CONSTRAINT "return_lines_shipment_line_id_shipment_lines_id_fk" FOREIGN KEY ("shipment_line_id") REFERENCES "public"."shipment_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_lines" ADD CONSTRAINT "return_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_lines" ADD CONSTRAINT "return_lines_restock_warehouse_id_warehouses_id_fk" FOREIGN KEY ("restock_warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_lines" ADD CONSTRAINT "return_lines_batch_product_fk" FOREIGN KEY ("batch_id","product_id") REFERENCES "public"."stock_batches"("id","product_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_requests" ADD CONSTRAINT "return_requests_order_id_sales_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."sales_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_requests" ADD CONSTRAINT "return_requests_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_requests" ADD CONSTRAINT "return_requests_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_requests" ADD CONSTRAINT "return_requests_received_warehouse_id_warehouses_id_fk" FOREIGN KEY ("received_warehouse_id") REFERENCES "public"."warehouses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_requests" ADD CONSTRAINT "return_requests_received_by_users_id_fk" FOREIGN KEY ("received_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_requests" ADD CONSTRAINT "return_requests_inspected_by_users_id_fk" FOREIGN KEY ("inspected_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "return_requests" ADD CONSTRAINT "return_requests_exchange_shipment_id_shipments_id_fk" FOREIGN KEY ("exchange_shipment_id") REFERENCES "public"."shipments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_order_line_id_sales_order_lines_id_fk" FOREIGN KEY ("order_line_id") REFERENCES "public"."sales_order_lines"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_order_id_sales_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."sales_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_original_invoice_id_invoices_id_fk" FOREIGN KEY ("original_invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_return_id_return_requests_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."return_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_issued_by_users_id_fk" FOREIGN KEY ("issued_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "period_closings" ADD CONSTRAINT "period_closings_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipt_allocations" ADD CONSTRAINT "receipt_allocations_receipt_id_receipts_id_fk" FOREIGN KEY ("receipt_id") REFERENCES "public"."receipts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipt_allocations" ADD CONSTRAINT "receipt_allocations_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipt_allocations" ADD CONSTRAINT "receipt_allocations_allocated_by_users_id_fk" FOREIGN KEY ("allocated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "receipts" ADD CONSTRAINT "receipts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sales_order_lines_order_line_uq" ON "sales_order_lines" USING btree ("order_id","line_no");--> statement-breakpoint
CREATE INDEX "sales_order_lines_product_idx" ON "sales_order_lines" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_orders_number_uq" ON "sales_orders" USING btree ("number");--> statement-breakpoint
CREATE INDEX "sales_orders_customer_idx" ON "sales_orders" USING btree ("customer_id","order_date");--> statement-breakpoint
CREATE INDEX "sales_orders_status_idx" ON "sales_orders" USING btree ("status","order_date");--> statement-breakpoint
CREATE INDEX "sales_orders_date_idx" ON "sales_orders" USING btree ("order_date","id");--> statement-breakpoint
CREATE INDEX "sales_orders_owner_idx" ON "sales_orders" USING btree ("owner_id","order_date");--> statement-breakpoint
CREATE INDEX "sales_orders_owner_department_idx" ON "sales_orders" USING btree ("owner_department_id");--> statement-breakpoint
CREATE INDEX "sales_orders_entered_by_idx" ON "sales_orders" USING btree ("entered_by");--> statement-breakpoint
CREATE INDEX "sales_orders_submitted_by_idx" ON "sales_orders" USING btree ("submitted_by");--> statement-breakpoint
CREATE INDEX "sales_orders_reviewed_by_idx" ON "sales_orders" USING btree ("reviewed_by");--> statement-breakpoint
CREATE INDEX "sales_orders_cancelled_by_idx" ON "sales_orders" USING btree ("cancelled_by");--> statement-breakpoint
CREATE INDEX "stock_balances_product_idx" ON "stock_balances" USING btree ("product_id","warehouse_id");--> statement-breakpoint
CREATE INDEX "stock_balances_batch_idx" ON "stock_balances" USING btree ("batch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "stock_batches_product_batch_uq" ON "stock_batches" USING btree ("product_id","batch_no");--> statement-breakpoint
CREATE INDEX "stock_batches_expires_idx" ON "stock_batches" USING btree ("expires_on");--> statement-breakpoint
CREATE UNIQUE INDEX "stock_documents_number_uq" ON "stock_documents" USING btree ("number");--> statement-breakpoint
CREATE INDEX "stock_documents_kind_date_idx" ON "stock_documents" USING btree ("kind","business_date");--> statement-breakpoint
CREATE INDEX "stock_documents_created_by_idx" ON "stock_documents" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "stock_movements_balance_idx" ON "stock_movements" USING btree ("warehouse_id","batch_id","id");--> statement-breakpoint
CREATE INDEX "stock_movements_product_idx" ON "stock_movements" USING btree ("product_id","at");--> statement-breakpoint
CREATE INDEX "stock_movements_doc_idx" ON "stock_movements" USING btree ("doc_type","doc_id");--> statement-breakpoint
CREATE INDEX "stock_movements_date_idx" ON "stock_movements" USING btree ("business_date");--> statement-breakpoint
CREATE INDEX "stock_movements_batch_idx" ON "stock_movements" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "stock_movements_actor_idx" ON "stock_movements" USING btree ("actor_id");--> statement-breakpoint
CREATE UNIQUE INDEX "stock_reservations_line_batch_uq" ON "stock_reservations" USING btree ("order_line_id","warehouse_id","batch_id");--> statement-breakpoint
CREATE INDEX "stock_reservations_balance_idx" ON "stock_reservations" USING btree ("warehouse_id","batch_id");--> statement-breakpoint
CREATE INDEX "stock_reservations_product_idx" ON "stock_reservations" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "warehouses_code_uq" ON "warehouses" USING btree ("code");--> statement-breakpoint
CREATE INDEX "shipment_lines_shipment_idx" ON "shipment_lines" USING btree ("shipment_id");--> statement-breakpoint
CREATE INDEX "shipment_lines_order_line_idx" ON "shipment_lines" USING btree ("order_line_id");--> statement-breakpoint
CREATE INDEX "shipment_lines_batch_idx" ON "shipment_lines" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "shipment_lines_product_idx" ON "shipment_lines" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "shipment_lines_warehouse_idx" ON "shipment_lines" USING btree ("warehouse_id");--> statement-breakpoint
CREATE UNIQUE INDEX "shipments_number_uq" ON "shipments" USING btree ("number");--> statement-breakpoint
CREATE INDEX "shipments_order_idx" ON "shipments" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "shipments_customer_idx" ON "shipments" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "shipments_status_idx" ON "shipments" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "shipments_dispatched_on_idx" ON "shipments" USING btree ("dispatched_on");--> statement-breakpoint
CREATE INDEX "shipments_warehouse_idx" ON "shipments" USING btree ("warehouse_id");--> statement-breakpoint
CREATE INDEX "shipments_created_by_idx" ON "shipments" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "shipments_checked_by_idx" ON "shipments" USING btree ("checked_by");--> statement-breakpoint
CREATE INDEX "shipments_dispatched_by_idx" ON "shipments" USING btree ("dispatched_by");--> statement-breakpoint
CREATE INDEX "return_lines_return_idx" ON "return_lines" USING btree ("return_id");--> statement-breakpoint
CREATE INDEX "return_lines_order_line_idx" ON "return_lines" USING btree ("order_line_id");--> statement-breakpoint
CREATE INDEX "return_lines_shipment_line_idx" ON "return_lines" USING btree ("shipment_line_id");--> statement-breakpoint
CREATE INDEX "return_lines_product_idx" ON "return_lines" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "return_lines_batch_idx" ON "return_lines" USING btree ("batch_id");--> statement-breakpoint
CREATE INDEX "return_lines_restock_warehouse_idx" ON "return_lines" USING btree ("restock_warehouse_id");--> statement-breakpoint
CREATE UNIQUE INDEX "return_requests_number_uq" ON "return_requests" USING btree ("number");--> statement-breakpoint
CREATE INDEX "return_requests_order_idx" ON "return_requests" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "return_requests_customer_idx" ON "return_requests" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "return_requests_status_idx" ON "return_requests" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "return_requests_created_by_idx" ON "return_requests" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "return_requests_received_warehouse_idx" ON "return_requests" USING btree ("received_warehouse_id");--> statement-breakpoint
CREATE INDEX "return_requests_received_by_idx" ON "return_requests" USING btree ("received_by");--> statement-breakpoint
CREATE INDEX "return_requests_inspected_by_idx" ON "return_requests" USING btree ("inspected_by");--> statement-breakpoint
CREATE INDEX "return_requests_exchange_shipment_idx" ON "return_requests" USING btree ("exchange_shipment_id");--> statement-breakpoint
CREATE INDEX "invoice_lines_invoice_idx" ON "invoice_lines" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "invoice_lines_order_line_idx" ON "invoice_lines" USING btree ("order_line_id");--> statement-breakpoint
CREATE INDEX "invoice_lines_product_idx" ON "invoice_lines" USING btree ("product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_number_uq" ON "invoices" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_tax_number_uq" ON "invoices" USING btree (coalesce("tax_invoice_code", ''),"tax_invoice_no") WHERE "invoices"."tax_invoice_no" is not null and "invoices"."status" <> 'cancelled';--> statement-breakpoint
CREATE INDEX "invoices_customer_idx" ON "invoices" USING btree ("customer_id","issued_on");--> statement-breakpoint
CREATE INDEX "invoices_status_idx" ON "invoices" USING btree ("status","issued_on");--> statement-breakpoint
CREATE INDEX "invoices_open_due_idx" ON "invoices" USING btree ("customer_id","due_on") WHERE "invoices"."status" = 'issued' and "invoices"."kind" = 'blue' and "invoices"."amount_fen" > "invoices"."paid_fen" + "invoices"."credited_fen";--> statement-breakpoint
CREATE INDEX "invoices_order_idx" ON "invoices" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "invoices_original_idx" ON "invoices" USING btree ("original_invoice_id");--> statement-breakpoint
CREATE INDEX "invoices_return_idx" ON "invoices" USING btree ("return_id");--> statement-breakpoint
CREATE INDEX "invoices_created_by_idx" ON "invoices" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "invoices_issued_by_idx" ON "invoices" USING btree ("issued_by");--> statement-breakpoint
CREATE INDEX "period_closings_by_idx" ON "period_closings" USING btree ("closed_by");--> statement-breakpoint
CREATE INDEX "receipt_allocations_receipt_idx" ON "receipt_allocations" USING btree ("receipt_id");--> statement-breakpoint
CREATE INDEX "receipt_allocations_invoice_idx" ON "receipt_allocations" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "receipt_allocations_by_idx" ON "receipt_allocations" USING btree ("allocated_by");--> statement-breakpoint
CREATE UNIQUE INDEX "receipts_number_uq" ON "receipts" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "receipts_bill_uq" ON "receipts" USING btree ("bill_no") WHERE "receipts"."bill_no" is not null and "receipts"."status" = 'posted';--> statement-breakpoint
CREATE INDEX "receipts_customer_idx" ON "receipts" USING btree ("customer_id","received_on");--> statement-breakpoint
CREATE INDEX "receipts_received_idx" ON "receipts" USING btree ("received_on");--> statement-breakpoint
CREATE INDEX "receipts_unapplied_idx" ON "receipts" USING btree ("customer_id") WHERE "receipts"."status" = 'posted' and "receipts"."allocated_fen" < "receipts"."amount_fen";--> statement-breakpoint
CREATE INDEX "receipts_created_by_idx" ON "receipts" USING btree ("created_by");--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_vat_chk" CHECK ("products"."vat_rate_bp" between 0 and 10000);--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_safety_stock_chk" CHECK ("products"."safety_stock" >= 0);