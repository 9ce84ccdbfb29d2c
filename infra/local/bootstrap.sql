-- Sluice database bootstrap: the `sluice` database, an admin role and, per service, a login
-- role owning a schema of the same name. Idempotent; rerun freely. psql-only (\if, \gexec,
-- \connect): run it as a superuser connected to any database of the cluster.
-- Used by infra/local/up.sh and, mounted into the postgres container, by compose.yaml.
-- Override the defaults with: psql -v services=a,b,c -v dbname=name -f bootstrap.sql
\set ON_ERROR_STOP on
\if :{?services}
\else
  \set services 'ingest,validate,transform,publish,notify,metrics,scheduler,incident,gateway'
\endif
\if :{?dbname}
\else
  \set dbname sluice
\endif

-- CREATE DATABASE cannot run inside DO/functions: generate it conditionally and \gexec it.
SELECT format('CREATE DATABASE %I', :'dbname')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'dbname') \gexec

\connect :"dbname"
SET client_min_messages = warning;  -- quiet "already exists, skipping" on reruns

-- DO blocks cannot see psql variables: hand the service list over as a session setting.
SELECT set_config('sluice.services', :'services', false) \g /dev/null

-- Admin role for tests and tooling (creates throwaway schemas). Superuser: local dev only.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sluice') THEN
    CREATE ROLE sluice;
  END IF;
  ALTER ROLE sluice LOGIN SUPERUSER PASSWORD 'sluice';
END $$;

-- Nobody gets anything by default: not the public schema, not even CONNECT.
REVOKE ALL ON SCHEMA public FROM PUBLIC;
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database()) \gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO sluice', current_database()) \gexec

-- One role + one schema per service; a role sees only its own schema (search_path = it).
-- TEMPORARY is granted too so services may stage bulk loads in temp tables.
DO $$
DECLARE
  svc  text;
  role text;
BEGIN
  FOREACH svc IN ARRAY string_to_array(current_setting('sluice.services'), ',') LOOP
    role := 'sluice_' || svc;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role) THEN
      EXECUTE format('CREATE ROLE %I', role);
    END IF;
    EXECUTE format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', role, role);
    EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', svc, role);
    EXECUTE format('ALTER SCHEMA %I OWNER TO %I', svc, role);
    EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', svc);
    EXECUTE format('ALTER ROLE %I SET search_path = %I', role, svc);
    EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), role);
  END LOOP;
END $$;
