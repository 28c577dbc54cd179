-- Pages of a name search need one order even among customers of the same name: the customer
-- number breaks the tie, inside the index, so a page is still read straight off it.
DROP INDEX customers_name_prefix;
DROP INDEX customers_last_name_prefix;
CREATE INDEX customers_name_prefix ON customers ((lower(name) COLLATE "C"), customer_number);
CREATE INDEX customers_last_name_prefix ON customers ((lower(details->>'lastName') COLLATE "C"), (lower(name) COLLATE "C"), customer_number);
