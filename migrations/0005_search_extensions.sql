-- Typo-tolerant search (directory, did-you-mean) uses trigram similarity. pg_trgm is a trusted
-- extension: a database owner may create it without being a superuser. PGlite loads it too.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
