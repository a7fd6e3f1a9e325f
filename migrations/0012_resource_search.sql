-- Custom SQL migration file, put your code below! ---- A resource's search vector, in its group's language: title (A), tags (B), text and address (C).
ALTER TABLE resources ADD COLUMN search tsvector;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION resources_search() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  config regconfig;
BEGIN
  SELECT mutual_ts_config(g.language) INTO config FROM groups g WHERE g.id = NEW.group_id;
  config := coalesce(config, 'simple'::regconfig);
  NEW.search :=
    setweight(to_tsvector(config, NEW.title), 'A') ||
    setweight(to_tsvector('simple', NEW.title), 'A') ||
    setweight(to_tsvector(config, array_to_string(NEW.tags, ' ')), 'B') ||
    setweight(to_tsvector(config, NEW.body), 'C') ||
    setweight(to_tsvector('simple', coalesce(NEW.url, '')), 'C');
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER resources_search BEFORE INSERT OR UPDATE OF title, tags, body, url ON resources
  FOR EACH ROW EXECUTE FUNCTION resources_search();
--> statement-breakpoint
CREATE INDEX resources_search_idx ON resources USING gin (search);
