CREATE TABLE "stock_alerts_sent" (
	"kind" text NOT NULL,
	"subject_key" text NOT NULL,
	"sent_on" date NOT NULL,
	CONSTRAINT "stock_alerts_sent_kind_subject_key_pk" PRIMARY KEY("kind","subject_key")
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
ALTER TABLE "stock_documents" ADD CONSTRAINT "stock_documents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "stock_documents_number_uq" ON "stock_documents" USING btree ("number");--> statement-breakpoint
CREATE INDEX "stock_documents_kind_date_idx" ON "stock_documents" USING btree ("kind","business_date");--> statement-breakpoint
CREATE INDEX "stock_documents_created_by_idx" ON "stock_documents" USING btree ("created_by");