CREATE INDEX "leads_grade_idx" ON "leads" USING btree ("grade","status");--> statement-breakpoint
CREATE INDEX "leads_source_idx" ON "leads" USING btree ("source","created_at");