-- Crisis resources shipped with Mutual: only services whose numbers are certain, for site admins to
-- extend at /admin/crisis-resources. ZZ holds services for every country.
INSERT INTO "crisis_resources" ("country", "name", "description", "phone", "sms", "chat_url", "website_url", "hours", "languages", "emergency", "position") VALUES
  ('ZZ', 'Find A Helpline', 'A directory of free, confidential helplines around the world. Choose your country and what you need.', NULL, NULL, NULL, 'https://findahelpline.com', '', '', false, 0),
  ('US', 'Emergency services', 'Police, ambulance, fire.', '911', NULL, NULL, NULL, '24/7', 'en,es', true, 0),
  ('US', '988 Suicide & Crisis Lifeline', 'Free, confidential support for anyone in distress or worried about someone.', '988', '988', 'https://988lifeline.org/chat', 'https://988lifeline.org', '24/7', 'en,es', false, 0),
  ('CA', 'Emergency services', 'Police, ambulance, fire.', '911', NULL, NULL, NULL, '24/7', 'en,fr', true, 0),
  ('CA', '9-8-8: Suicide Crisis Helpline', 'Free, confidential support for anyone thinking about suicide or worried about someone.', '988', '988', NULL, 'https://988.ca', '24/7', 'en,fr', false, 0),
  ('GB', 'Emergency services', 'Police, ambulance, fire, coastguard. 112 works too.', '999', NULL, NULL, NULL, '24/7', 'en', true, 0),
  ('GB', 'Samaritans', 'Someone to talk to about anything, free from any phone.', '116 123', NULL, NULL, 'https://www.samaritans.org', '24/7', 'en', false, 0),
  ('IE', 'Emergency services', 'Police, ambulance, fire. 999 works too.', '112', NULL, NULL, NULL, '24/7', 'en,ga', true, 0),
  ('IE', 'Samaritans', 'Someone to talk to about anything, free from any phone.', '116 123', NULL, NULL, 'https://www.samaritans.org', '24/7', 'en', false, 0),
  ('AU', 'Emergency services', 'Police, ambulance, fire.', '000', NULL, NULL, NULL, '24/7', 'en', true, 0),
  ('AU', 'Lifeline', 'Crisis support and suicide prevention.', '13 11 14', NULL, NULL, 'https://www.lifeline.org.au', '24/7', 'en', false, 0),
  ('NZ', 'Emergency services', 'Police, ambulance, fire.', '111', NULL, NULL, NULL, '24/7', 'en,mi', true, 0),
  ('NZ', 'Need to talk? 1737', 'Free call or text to talk with a trained counsellor.', '1737', '1737', NULL, 'https://1737.org.nz', '24/7', 'en', false, 0),
  ('FR', '3114', 'Numéro national de prévention du suicide, gratuit.', '3114', NULL, NULL, 'https://3114.fr', '24/7', 'fr', false, 0),
  ('DE', 'TelefonSeelsorge', 'Anonym, kostenlos, rund um die Uhr. Auch 0800 111 0 222.', '0800 111 0 111', NULL, NULL, 'https://www.telefonseelsorge.de', '24/7', 'de', false, 0),
  ('ES', 'Línea 024', 'Línea de atención a la conducta suicida, gratuita y confidencial.', '024', NULL, NULL, NULL, '24/7', 'es', false, 0),
  ('BR', 'CVV – Centro de Valorização da Vida', 'Apoio emocional e prevenção do suicídio, gratuito.', '188', NULL, NULL, 'https://cvv.org.br', '24/7', 'pt', false, 0),
  ('BR', 'SAMU', 'Ambulância, urgências médicas.', '192', NULL, NULL, NULL, '24/7', 'pt', true, 0);
--> statement-breakpoint
-- 112 reaches the emergency services in every country of the European Union.
INSERT INTO "crisis_resources" ("country", "name", "description", "phone", "hours", "emergency", "position")
SELECT c, 'Emergency services (112)', 'Police, ambulance, fire: the European emergency number.', '112', '24/7', true, 0
FROM unnest(ARRAY['AT','BE','BG','HR','CY','CZ','DK','EE','FI','FR','DE','GR','HU','IT','LV','LT','LU','MT','NL','PL','PT','RO','SK','SI','ES','SE']) AS c;
