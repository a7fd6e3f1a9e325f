-- The text-search configuration for a group's language; 'simple' (no stemming) where PostgreSQL has none.
CREATE OR REPLACE FUNCTION mutual_ts_config(lang text) RETURNS regconfig LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT (CASE lang
    WHEN 'en' THEN 'english' WHEN 'es' THEN 'spanish' WHEN 'fr' THEN 'french' WHEN 'de' THEN 'german'
    WHEN 'it' THEN 'italian' WHEN 'pt' THEN 'portuguese' WHEN 'nl' THEN 'dutch' WHEN 'ar' THEN 'arabic'
    WHEN 'hi' THEN 'hindi' WHEN 'tr' THEN 'turkish' ELSE 'simple' END)::regconfig
$$;
--> statement-breakpoint
-- A directory entry's search vector: name (A), tags with its topics' names, parents and synonyms (B),
-- summary (C), description (D), stemmed in the entry's language, plus name, tags and topics unstemmed.
CREATE OR REPLACE FUNCTION directory_entries_search() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  topic_text text;
  tag_text text;
BEGIN
  NEW.ts_config := mutual_ts_config(NEW.language);
  SELECT coalesce(string_agg(t.name || ' ' || array_to_string(t.synonyms, ' ') || coalesce(' ' || p.name, ''), ' '), '')
    INTO topic_text
    FROM topics t LEFT JOIN topics p ON p.id = t.parent_id
    WHERE t.id = ANY (NEW.topic_ids);
  tag_text := array_to_string(NEW.tags, ' ') || ' ' || topic_text;
  NEW.search :=
    setweight(to_tsvector(NEW.ts_config, NEW.name), 'A') ||
    setweight(to_tsvector('simple', NEW.name), 'A') ||
    setweight(to_tsvector(NEW.ts_config, tag_text), 'B') ||
    setweight(to_tsvector('simple', tag_text), 'B') ||
    setweight(to_tsvector(NEW.ts_config, NEW.summary), 'C') ||
    setweight(to_tsvector(NEW.ts_config, NEW.description), 'D');
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER directory_entries_search_insert BEFORE INSERT ON directory_entries
  FOR EACH ROW EXECUTE FUNCTION directory_entries_search();
--> statement-breakpoint
-- Setting search to NULL asks for it to be computed again (after a topic's name or synonyms change).
CREATE TRIGGER directory_entries_search_update BEFORE UPDATE ON directory_entries
  FOR EACH ROW WHEN (
    OLD.name IS DISTINCT FROM NEW.name OR OLD.summary IS DISTINCT FROM NEW.summary
    OR OLD.description IS DISTINCT FROM NEW.description OR OLD.tags IS DISTINCT FROM NEW.tags
    OR OLD.language IS DISTINCT FROM NEW.language OR OLD.topic_ids IS DISTINCT FROM NEW.topic_ids
    OR NEW.search IS NULL)
  EXECUTE FUNCTION directory_entries_search();
--> statement-breakpoint
-- Every group has a directory entry, kept in step with the group's own columns. The directory's
-- settings (topics, formats, place, search engines) and activity columns are not touched here.
CREATE OR REPLACE FUNCTION groups_directory_entry() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO directory_entries (kind, group_id, name, summary, description, tags, language, leadership,
      access, free, listed, visibility, member_count, last_activity_at)
    VALUES ('group', NEW.id, NEW.name, NEW.summary, NEW.description, NEW.tags, NEW.language,
      NEW.leadership::text, NEW.join_policy::text, NEW.join_policy <> 'paid', NEW.listed,
      NEW.visibility::text, NEW.member_count, NEW.last_activity_at)
  ON CONFLICT (group_id) DO UPDATE SET
    name = EXCLUDED.name, summary = EXCLUDED.summary, description = EXCLUDED.description,
    tags = EXCLUDED.tags, language = EXCLUDED.language, leadership = EXCLUDED.leadership,
    access = EXCLUDED.access, free = EXCLUDED.free, listed = EXCLUDED.listed,
    visibility = EXCLUDED.visibility, member_count = EXCLUDED.member_count;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER groups_directory_entry AFTER INSERT OR UPDATE OF name, summary, description, tags, language,
  leadership, join_policy, listed, visibility, member_count ON groups
  FOR EACH ROW EXECUTE FUNCTION groups_directory_entry();
--> statement-breakpoint
INSERT INTO directory_entries (kind, group_id, name, summary, description, tags, language, leadership,
    access, free, listed, visibility, member_count, last_activity_at)
  SELECT 'group', id, name, summary, description, tags, language, leadership::text, join_policy::text,
    join_policy <> 'paid', listed, visibility::text, member_count, last_activity_at
  FROM groups;
--> statement-breakpoint
-- Searching discussions (src/features/forum/search.ts). Not in the Drizzle schema on purpose: the
-- many queries that load whole posts never carry the vector.
ALTER TABLE posts ADD COLUMN search tsvector;
--> statement-breakpoint
CREATE INDEX posts_search_idx ON posts USING gin (search);
--> statement-breakpoint
-- A search takes the newest matches: for a common word by walking posts backwards, for a rare one
-- from the index. The planner tells them apart by its statistics of the most common words: keep
-- ten thousand of them, not a thousand, so that a word outside them reads as rare.
ALTER TABLE posts ALTER COLUMN search SET STATISTICS 1000;
--> statement-breakpoint
-- A search checks each match's thread by its opening post (hidden, deleted, waiting, blocked).
CREATE INDEX posts_opening_idx ON posts (thread_id) WHERE is_opening;
--> statement-breakpoint
-- A post's words stemmed in its group's language; an opening post also holds its thread's title,
-- weighted A so that a match in a title ranks first.
CREATE OR REPLACE FUNCTION posts_search() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cfg regconfig;
  thread_title text;
BEGIN
  SELECT mutual_ts_config(g.language) INTO cfg FROM groups g WHERE g.id = NEW.group_id;
  cfg := coalesce(cfg, 'simple'::regconfig);
  NEW.search := to_tsvector(cfg, NEW.body);
  IF NEW.is_opening THEN
    SELECT t.title INTO thread_title FROM threads t WHERE t.id = NEW.thread_id;
    NEW.search := setweight(to_tsvector(cfg, coalesce(thread_title, '')), 'A') || NEW.search;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER posts_search_insert BEFORE INSERT ON posts
  FOR EACH ROW EXECUTE FUNCTION posts_search();
--> statement-breakpoint
-- Setting search to NULL asks for it to be computed again (a thread's title or a group's language changed).
CREATE TRIGGER posts_search_update BEFORE UPDATE ON posts
  FOR EACH ROW WHEN (OLD.body IS DISTINCT FROM NEW.body OR NEW.search IS NULL)
  EXECUTE FUNCTION posts_search();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION threads_title_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE posts SET search = NULL WHERE thread_id = NEW.id AND is_opening;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER threads_title_search AFTER UPDATE OF title ON threads
  FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title)
  EXECUTE FUNCTION threads_title_search();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION groups_language_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE posts SET search = NULL WHERE group_id = NEW.id;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER groups_language_search AFTER UPDATE OF language ON groups
  FOR EACH ROW WHEN (OLD.language IS DISTINCT FROM NEW.language)
  EXECUTE FUNCTION groups_language_search();
--> statement-breakpoint
UPDATE posts SET search = NULL;
