-- The application role (README, "PostgreSQL roles"): rows, not structure; held to row-level
-- security (not a superuser, not BYPASSRLS). The owner (POSTGRES_USER) runs the migrations;
-- tables it creates later are granted to the application role by default.
CREATE ROLE merchantops_app LOGIN PASSWORD 'merchantops_app' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
GRANT CONNECT ON DATABASE merchantops TO merchantops_app;
GRANT USAGE ON SCHEMA public TO merchantops_app;
ALTER DEFAULT PRIVILEGES FOR ROLE merchantops IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO merchantops_app;
ALTER DEFAULT PRIVILEGES FOR ROLE merchantops IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO merchantops_app;
