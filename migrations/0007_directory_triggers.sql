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
