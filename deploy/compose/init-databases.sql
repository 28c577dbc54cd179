-- One role and one database per service (development passwords: the role's name).
DO $$
DECLARE service text;
BEGIN
  FOREACH service IN ARRAY ARRAY['registration','orchestrator','cartable','tariff','ledger','billing','reports'] LOOP
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L', service, service);
  END LOOP;
END $$;
CREATE DATABASE registration OWNER registration;
CREATE DATABASE orchestrator OWNER orchestrator;
CREATE DATABASE cartable OWNER cartable;
CREATE DATABASE tariff OWNER tariff;
CREATE DATABASE ledger OWNER ledger;
CREATE DATABASE billing OWNER billing;
CREATE DATABASE reports OWNER reports;
