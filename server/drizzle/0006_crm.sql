CREATE SEQUENCE "public"."lead_code_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "crm_alerts_sent" (
	"kind" text NOT NULL,
	"subject_id" integer NOT NULL,
	"period_key" text NOT NULL,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crm_alerts_sent_pk" PRIMARY KEY("kind","subject_id","period_key")
);
--> statement-breakpoint
CREATE TABLE "crm_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"lead_assignment" text DEFAULT 'territory' NOT NULL,
	"round_robin_department_id" integer,
	"lead_reclaim_days" integer DEFAULT 7 NOT NULL,
	"dormant_days" jsonb DEFAULT '{"C":90,"B":60,"A":30,"H":14,"O":30}'::jsonb NOT NULL,
	"hot_probability" integer DEFAULT 60 NOT NULL,
	"updated_by" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "crm_settings_single_row" CHECK ("crm_settings"."id" = 1),
	CONSTRAINT "crm_settings_assignment_chk" CHECK ("crm_settings"."lead_assignment" in ('territory','round_robin','manual')),
	CONSTRAINT "crm_settings_reclaim_chk" CHECK ("crm_settings"."lead_reclaim_days" between 0 and 365),
	CONSTRAINT "crm_settings_hot_chk" CHECK ("crm_settings"."hot_probability" between 1 and 100),
	CONSTRAINT "crm_settings_round_robin_chk" CHECK ("crm_settings"."lead_assignment" <> 'round_robin' or "crm_settings"."round_robin_department_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "customer_stage_history" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "customer_stage_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"customer_id" integer NOT NULL,
	"from_stage" text,
	"to_stage" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" integer,
	CONSTRAINT "customer_stage_history_stage_chk" CHECK ("customer_stage_history"."to_stage" in ('identified','lead','intent','purchasing','complete'))
);
--> statement-breakpoint
CREATE TABLE "lead_assignment_cursors" (
	"department_id" integer PRIMARY KEY NOT NULL,
	"last_user_id" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lead_events" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "lead_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"lead_id" integer NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" integer,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lead_products" (
	"lead_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	CONSTRAINT "lead_products_lead_id_product_id_pk" PRIMARY KEY("lead_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "leads" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "leads_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text DEFAULT 'XS' || lpad(nextval('lead_code_seq')::text, 6, '0') NOT NULL,
	"organisation" text NOT NULL,
	"name_key" text NOT NULL,
	"customer_type" text,
	"contact_name" text,
	"contact_title" text,
	"phone" text,
	"territory_id" varchar(12),
	"territory_path" text,
	"address" text,
	"source" text NOT NULL,
	"grade" text DEFAULT 'C' NOT NULL,
	"grade_changed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lifecycle_stage" text DEFAULT 'lead' NOT NULL,
	"next_follow_up_on" date,
	"owner_id" integer,
	"owner_department_id" integer,
	"assigned_at" timestamp with time zone,
	"last_acted_at" timestamp with time zone,
	"status" text DEFAULT 'open' NOT NULL,
	"closed_reason" text,
	"application_id" integer,
	"customer_id" integer,
	"notes" text,
	"inquiry" jsonb,
	"search_text" text NOT NULL,
	"created_by" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "leads_status_chk" CHECK ("leads"."status" in ('open','converting','converted','closed')),
	CONSTRAINT "leads_source_chk" CHECK ("leads"."source" in ('phone','fax','email','sms','visit','media','website','event','referral','rep')),
	CONSTRAINT "leads_grade_chk" CHECK ("leads"."grade" in ('C','B','A','H','O')),
	CONSTRAINT "leads_stage_chk" CHECK ("leads"."lifecycle_stage" in ('identified','lead','intent','purchasing','complete')),
	CONSTRAINT "leads_type_chk" CHECK ("leads"."customer_type" is null or "leads"."customer_type" in ('distributor','agent','hospital','clinic','pharmacy','other')),
	CONSTRAINT "leads_converted_chk" CHECK (("leads"."status" = 'converted') = ("leads"."customer_id" is not null)),
	CONSTRAINT "leads_owner_department_chk" CHECK ("leads"."owner_id" is not null or "leads"."owner_department_id" is null),
	CONSTRAINT "leads_organisation_chk" CHECK (length(btrim("leads"."organisation")) > 0)
);
--> statement-breakpoint
CREATE TABLE "activities" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "activities_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"type" text NOT NULL,
	"status" text NOT NULL,
	"customer_id" integer,
	"lead_id" integer,
	"hospital_department" text,
	"subject" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone,
	"checked_in_at" timestamp with time zone,
	"check_in_place" text,
	"description" text,
	"materials" text,
	"outcome" text,
	"next_step" text,
	"next_follow_up_on" date,
	"follow_up_done_at" timestamp with time zone,
	"follow_up_reminder_id" integer,
	"agenda" text,
	"decisions" text,
	"location" text,
	"owner_id" integer NOT NULL,
	"owner_department_id" integer,
	"territory_path" text,
	"created_by" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activities_type_chk" CHECK ("activities"."type" in ('visit','phone','email','sms','wechat','meeting','meal')),
	CONSTRAINT "activities_status_chk" CHECK ("activities"."status" in ('planned','done','cancelled')),
	CONSTRAINT "activities_subject_chk" CHECK ("activities"."customer_id" is not null or "activities"."lead_id" is not null),
	CONSTRAINT "activities_ends_chk" CHECK ("activities"."ends_at" is null or "activities"."ends_at" >= "activities"."starts_at"),
	CONSTRAINT "activities_check_in_chk" CHECK ("activities"."checked_in_at" is null or "activities"."status" = 'done')
);
--> statement-breakpoint
CREATE TABLE "activity_action_items" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "activity_action_items_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"activity_id" integer NOT NULL,
	"text" text NOT NULL,
	"owner_id" integer NOT NULL,
	"due_on" date,
	"status" text DEFAULT 'open' NOT NULL,
	"done_at" timestamp with time zone,
	"done_note" varchar(2000),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_action_items_status_chk" CHECK ("activity_action_items"."status" in ('open','done','cancelled')),
	CONSTRAINT "activity_action_items_done_chk" CHECK (("activity_action_items"."status" = 'done') = ("activity_action_items"."done_at" is not null)),
	CONSTRAINT "activity_action_items_text_chk" CHECK (length(btrim("activity_action_items"."text")) > 0)
);
--> statement-breakpoint
CREATE TABLE "activity_attendees" (
	"activity_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	CONSTRAINT "activity_attendees_activity_id_user_id_pk" PRIMARY KEY("activity_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "activity_comments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "activity_comments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"activity_id" integer NOT NULL,
	"author_id" integer NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "activity_comments_body_chk" CHECK (length(btrim("activity_comments"."body")) > 0)
);
--> statement-breakpoint
CREATE TABLE "activity_contacts" (
	"activity_id" integer NOT NULL,
	"contact_id" integer NOT NULL,
	CONSTRAINT "activity_contacts_activity_id_contact_id_pk" PRIMARY KEY("activity_id","contact_id")
);
--> statement-breakpoint
CREATE TABLE "activity_products" (
	"activity_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	CONSTRAINT "activity_products_activity_id_product_id_pk" PRIMARY KEY("activity_id","product_id")
);
--> statement-breakpoint
CREATE TABLE "opportunities" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "opportunities_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"name" text NOT NULL,
	"customer_id" integer NOT NULL,
	"stage_id" integer NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"probability" integer NOT NULL,
	"amount_fen" bigint DEFAULT 0 NOT NULL,
	"expected_close_on" date,
	"competitor" text,
	"lost_reason" text,
	"lost_note" text,
	"closed_at" timestamp with time zone,
	"description" text,
	"owner_id" integer NOT NULL,
	"owner_department_id" integer,
	"territory_path" text,
	"created_by" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "opportunities_status_chk" CHECK ("opportunities"."status" in ('open','won','lost')),
	CONSTRAINT "opportunities_probability_chk" CHECK ("opportunities"."probability" between 0 and 100),
	CONSTRAINT "opportunities_amount_chk" CHECK ("opportunities"."amount_fen" >= 0),
	CONSTRAINT "opportunities_lost_chk" CHECK ("opportunities"."status" = 'lost' or ("opportunities"."lost_reason" is null)),
	CONSTRAINT "opportunities_lost_reason_chk" CHECK ("opportunities"."status" <> 'lost' or "opportunities"."lost_reason" in ('price','competitor','qualification','tender','relationship','product','timing','budget','other')),
	CONSTRAINT "opportunities_closed_chk" CHECK (("opportunities"."status" = 'open') = ("opportunities"."closed_at" is null)),
	CONSTRAINT "opportunities_name_chk" CHECK (length(btrim("opportunities"."name")) > 0)
);
--> statement-breakpoint
CREATE TABLE "opportunity_products" (
	"opportunity_id" integer NOT NULL,
	"product_id" integer NOT NULL,
	"quantity" integer DEFAULT 0 NOT NULL,
	"amount_fen" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "opportunity_products_opportunity_id_product_id_pk" PRIMARY KEY("opportunity_id","product_id"),
	CONSTRAINT "opportunity_products_quantity_chk" CHECK ("opportunity_products"."quantity" >= 0),
	CONSTRAINT "opportunity_products_amount_chk" CHECK ("opportunity_products"."amount_fen" >= 0)
);
--> statement-breakpoint
CREATE TABLE "opportunity_stage_history" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "opportunity_stage_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"opportunity_id" integer NOT NULL,
	"from_stage_id" integer,
	"to_stage_id" integer NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor_id" integer
);
--> statement-breakpoint
CREATE TABLE "opportunity_stages" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "opportunity_stages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"kind" text DEFAULT 'open' NOT NULL,
	"position" integer NOT NULL,
	"probability" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "opportunity_stages_kind_chk" CHECK ("opportunity_stages"."kind" in ('open','won','lost')),
	CONSTRAINT "opportunity_stages_probability_chk" CHECK ("opportunity_stages"."probability" between 0 and 100)
);
--> statement-breakpoint
ALTER TABLE "reminders" ADD COLUMN "link" text;--> statement-breakpoint
ALTER TABLE "crm_settings" ADD CONSTRAINT "crm_settings_round_robin_department_id_departments_id_fk" FOREIGN KEY ("round_robin_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crm_settings" ADD CONSTRAINT "crm_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_stage_history" ADD CONSTRAINT "customer_stage_history_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_stage_history" ADD CONSTRAINT "customer_stage_history_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_assignment_cursors" ADD CONSTRAINT "lead_assignment_cursors_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_assignment_cursors" ADD CONSTRAINT "lead_assignment_cursors_last_user_id_users_id_fk" FOREIGN KEY ("last_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_events" ADD CONSTRAINT "lead_events_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_events" ADD CONSTRAINT "lead_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_products" ADD CONSTRAINT "lead_products_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_products" ADD CONSTRAINT "lead_products_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_territory_id_territories_id_fk" FOREIGN KEY ("territory_id") REFERENCES "public"."territories"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_owner_department_id_departments_id_fk" FOREIGN KEY ("owner_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_application_id_customer_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."customer_applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_follow_up_reminder_id_reminders_id_fk" FOREIGN KEY ("follow_up_reminder_id") REFERENCES "public"."reminders"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_owner_department_id_departments_id_fk" FOREIGN KEY ("owner_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_action_items" ADD CONSTRAINT "activity_action_items_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_action_items" ADD CONSTRAINT "activity_action_items_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_attendees" ADD CONSTRAINT "activity_attendees_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_attendees" ADD CONSTRAINT "activity_attendees_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_comments" ADD CONSTRAINT "activity_comments_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_comments" ADD CONSTRAINT "activity_comments_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_contacts" ADD CONSTRAINT "activity_contacts_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_contacts" ADD CONSTRAINT "activity_contacts_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_products" ADD CONSTRAINT "activity_products_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_products" ADD CONSTRAINT "activity_products_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_stage_id_opportunity_stages_id_fk" FOREIGN KEY ("stage_id") REFERENCES "public"."opportunity_stages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_owner_department_id_departments_id_fk" FOREIGN KEY ("owner_department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunities" ADD CONSTRAINT "opportunities_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_products" ADD CONSTRAINT "opportunity_products_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_products" ADD CONSTRAINT "opportunity_products_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_stage_history" ADD CONSTRAINT "opportunity_stage_history_opportunity_id_opportunities_id_fk" FOREIGN KEY ("opportunity_id") REFERENCES "public"."opportunities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_stage_history" ADD CONSTRAINT "opportunity_stage_history_from_stage_id_opportunity_stages_id_fk" FOREIGN KEY ("from_stage_id") REFERENCES "public"."opportunity_stages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_stage_history" ADD CONSTRAINT "opportunity_stage_history_to_stage_id_opportunity_stages_id_fk" FOREIGN KEY ("to_stage_id") REFERENCES "public"."opportunity_stages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opportunity_stage_history" ADD CONSTRAINT "opportunity_stage_history_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "customer_stage_history_customer_idx" ON "customer_stage_history" USING btree ("customer_id","at");--> statement-breakpoint
CREATE INDEX "customer_stage_history_at_idx" ON "customer_stage_history" USING btree ("at");--> statement-breakpoint
CREATE INDEX "lead_events_lead_idx" ON "lead_events" USING btree ("lead_id","at");--> statement-breakpoint
CREATE INDEX "lead_events_kind_idx" ON "lead_events" USING btree ("kind","at");--> statement-breakpoint
CREATE INDEX "lead_events_actor_idx" ON "lead_events" USING btree ("actor_id","at");--> statement-breakpoint
CREATE INDEX "lead_products_product_idx" ON "lead_products" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "leads_code_idx" ON "leads" USING btree ("code");--> statement-breakpoint
CREATE INDEX "leads_owner_idx" ON "leads" USING btree ("owner_id","status");--> statement-breakpoint
CREATE INDEX "leads_owner_department_idx" ON "leads" USING btree ("owner_department_id");--> statement-breakpoint
CREATE INDEX "leads_pool_idx" ON "leads" USING btree ("status","created_at") WHERE "leads"."owner_id" is null;--> statement-breakpoint
CREATE INDEX "leads_territory_path_idx" ON "leads" USING btree ("territory_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "leads_territory_idx" ON "leads" USING btree ("territory_id");--> statement-breakpoint
CREATE INDEX "leads_reclaim_idx" ON "leads" USING btree ("last_acted_at") WHERE "leads"."owner_id" is not null and "leads"."status" = 'open';--> statement-breakpoint
CREATE INDEX "leads_follow_up_idx" ON "leads" USING btree ("next_follow_up_on") WHERE "leads"."status" = 'open';--> statement-breakpoint
CREATE INDEX "leads_name_key_idx" ON "leads" USING btree ("name_key");--> statement-breakpoint
CREATE INDEX "leads_search_trgm_idx" ON "leads" USING gin ("search_text" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "leads_created_idx" ON "leads" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "leads_created_by_idx" ON "leads" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "leads_application_idx" ON "leads" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "leads_customer_idx" ON "leads" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "leads_grade_idx" ON "leads" USING btree ("grade","status");--> statement-breakpoint
CREATE INDEX "leads_source_idx" ON "leads" USING btree ("source","created_at");--> statement-breakpoint
CREATE INDEX "activities_customer_idx" ON "activities" USING btree ("customer_id","starts_at");--> statement-breakpoint
CREATE INDEX "activities_lead_idx" ON "activities" USING btree ("lead_id","starts_at");--> statement-breakpoint
CREATE INDEX "activities_owner_idx" ON "activities" USING btree ("owner_id","starts_at");--> statement-breakpoint
CREATE INDEX "activities_owner_department_idx" ON "activities" USING btree ("owner_department_id","starts_at");--> statement-breakpoint
CREATE INDEX "activities_starts_idx" ON "activities" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "activities_territory_path_idx" ON "activities" USING btree ("territory_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "activities_follow_up_idx" ON "activities" USING btree ("owner_id","next_follow_up_on") WHERE "activities"."next_follow_up_on" is not null and "activities"."follow_up_done_at" is null;--> statement-breakpoint
CREATE INDEX "activities_reminder_idx" ON "activities" USING btree ("follow_up_reminder_id");--> statement-breakpoint
CREATE INDEX "activities_created_by_idx" ON "activities" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "activities_type_idx" ON "activities" USING btree ("type","starts_at");--> statement-breakpoint
CREATE INDEX "activities_subject_trgm_idx" ON "activities" USING gin ("subject" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "activities_follow_up_done_idx" ON "activities" USING btree ("owner_id","follow_up_done_at") WHERE "activities"."follow_up_done_at" is not null;--> statement-breakpoint
CREATE INDEX "activity_action_items_activity_idx" ON "activity_action_items" USING btree ("activity_id");--> statement-breakpoint
CREATE INDEX "activity_action_items_owner_idx" ON "activity_action_items" USING btree ("owner_id","status","due_on");--> statement-breakpoint
CREATE INDEX "activity_attendees_user_idx" ON "activity_attendees" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "activity_comments_activity_idx" ON "activity_comments" USING btree ("activity_id","created_at");--> statement-breakpoint
CREATE INDEX "activity_comments_author_idx" ON "activity_comments" USING btree ("author_id","created_at");--> statement-breakpoint
CREATE INDEX "activity_comments_created_idx" ON "activity_comments" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "activity_contacts_contact_idx" ON "activity_contacts" USING btree ("contact_id");--> statement-breakpoint
CREATE INDEX "activity_products_product_idx" ON "activity_products" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "opportunities_customer_idx" ON "opportunities" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "opportunities_stage_idx" ON "opportunities" USING btree ("stage_id","status");--> statement-breakpoint
CREATE INDEX "opportunities_owner_idx" ON "opportunities" USING btree ("owner_id","status");--> statement-breakpoint
CREATE INDEX "opportunities_owner_department_idx" ON "opportunities" USING btree ("owner_department_id");--> statement-breakpoint
CREATE INDEX "opportunities_territory_path_idx" ON "opportunities" USING btree ("territory_path" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "opportunities_close_idx" ON "opportunities" USING btree ("status","expected_close_on");--> statement-breakpoint
CREATE INDEX "opportunities_closed_idx" ON "opportunities" USING btree ("closed_at") WHERE "opportunities"."closed_at" is not null;--> statement-breakpoint
CREATE INDEX "opportunities_created_by_idx" ON "opportunities" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "opportunities_expected_close_idx" ON "opportunities" USING btree ("expected_close_on");--> statement-breakpoint
CREATE INDEX "opportunities_amount_idx" ON "opportunities" USING btree ("amount_fen");--> statement-breakpoint
CREATE INDEX "opportunities_updated_idx" ON "opportunities" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "opportunities_name_trgm_idx" ON "opportunities" USING gin ("name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "opportunity_products_product_idx" ON "opportunity_products" USING btree ("product_id");--> statement-breakpoint
CREATE INDEX "opportunity_stage_history_opportunity_idx" ON "opportunity_stage_history" USING btree ("opportunity_id","at");--> statement-breakpoint
CREATE INDEX "opportunity_stage_history_actor_idx" ON "opportunity_stage_history" USING btree ("actor_id","at");--> statement-breakpoint
CREATE INDEX "opportunity_stage_history_at_idx" ON "opportunity_stage_history" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "opportunity_stages_code_uq" ON "opportunity_stages" USING btree ("code");--> statement-breakpoint
CREATE UNIQUE INDEX "opportunity_stages_won_uq" ON "opportunity_stages" USING btree ("kind") WHERE "opportunity_stages"."kind" = 'won';--> statement-breakpoint
CREATE UNIQUE INDEX "opportunity_stages_lost_uq" ON "opportunity_stages" USING btree ("kind") WHERE "opportunity_stages"."kind" = 'lost';