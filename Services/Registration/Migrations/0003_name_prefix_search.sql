-- A name searched from its start (the full name, or a person's last name) is read off a
-- b-tree in order, so a common name among a million customers still answers at once. The C
-- collation orders by code point, which lets a prefix be asked as a range.
CREATE INDEX customers_name_prefix ON customers ((lower(name) COLLATE "C"));
CREATE INDEX customers_last_name_prefix ON customers ((lower(details->>'lastName') COLLATE "C"));
