-- One database per service (each owns its schema and migrations). Runs once, when the
-- postgres volume is first initialised; add a line per new service.
CREATE DATABASE intake;
CREATE DATABASE diagnose;
CREATE DATABASE matching;
CREATE DATABASE finance;
CREATE DATABASE reporting;
