-- Trigram indexes for name / pinyin search (kernel/pinyin.ts) and duplicate detection (kernel/names.ts);
-- btree_gist for exclusion constraints on date ranges (prices, delegations, authorization letters).
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gist;
