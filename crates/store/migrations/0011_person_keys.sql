-- ID numbers are hashed under a server key (HMAC-SHA256) since issue 9, so a copy of the
-- database does not let anyone test guessed ID numbers. id_hash_key names the key; NULL marks
-- a hash written before (plain SHA-256), which the app re-keys at start.
ALTER TABLE persons ADD COLUMN id_hash_key TEXT;
