-- An optional e-mail address per account, for warning notices by mail (off unless an
-- SMTP server is configured).
ALTER TABLE users ADD COLUMN email TEXT;
