"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the audit log.

The application never updates or deletes events; this makes a bug, a stray admin SQL session or an
attacker with the application's credentials unable to do it either without first dropping the
trigger (which needs the table owner's rights and is itself visible in the database's logs).
TRUNCATE is not blocked here because Django's test and flush machinery truncates every table; run
the application with a role that does not own the table and lacks TRUNCATE in production (see
docs/operations.md). SQLite has no such protection: ``vetta audit verify`` detects tampering there.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

FORWARD = """
CREATE OR REPLACE FUNCTION vetta_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'governance_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS vetta_audit_append_only ON governance_auditevent;
CREATE TRIGGER vetta_audit_append_only
    BEFORE UPDATE OR DELETE ON governance_auditevent
    FOR EACH ROW EXECUTE FUNCTION vetta_audit_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS vetta_audit_append_only ON governance_auditevent;
DROP FUNCTION IF EXISTS vetta_audit_append_only();
"""


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
