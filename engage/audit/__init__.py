"""The append-only audit log of administrative and privacy actions (who, when, what, on what, from where).

Any feature records an event with `engage.audit.services.record`; nothing in the application
changes or deletes a row (an ORM guard here, a trigger in the database).
"""
