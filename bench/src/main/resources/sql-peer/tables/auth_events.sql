-- Writes Vigil's event table auth_events: every valid auth event, users and domains apart.
INSERT INTO lake.vigil.auth_events
SELECT CAST(ts AS TIMESTAMP(6)), source_user_name, source_domain, destination_user_name, destination_domain,
       source_computer, destination_computer, auth_type, logon_type, orientation, success, source
FROM auth;
