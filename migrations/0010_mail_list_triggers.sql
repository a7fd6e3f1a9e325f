-- Custom SQL migration file, put your code below! ---- Someone who joins a group follows its mailing list as the group's owner chose for new members
-- (a daily digest unless set); leaving the group removes the row (foreign key, cascade).
CREATE OR REPLACE FUNCTION list_subscriptions_on_join() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO list_subscriptions (group_id, user_id, mode)
  VALUES (NEW.group_id, NEW.user_id,
    coalesce((SELECT default_mode FROM list_settings WHERE group_id = NEW.group_id), 'daily'))
  ON CONFLICT DO NOTHING;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER memberships_list_subscription AFTER INSERT ON memberships
  FOR EACH ROW EXECUTE FUNCTION list_subscriptions_on_join();
--> statement-breakpoint
-- Members who joined before mailing lists existed get the default, starting from now (no digest of the past).
INSERT INTO list_subscriptions (group_id, user_id, mode, last_digest_at)
  SELECT group_id, user_id, 'daily', now() FROM memberships ON CONFLICT DO NOTHING;
