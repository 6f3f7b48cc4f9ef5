"""Coordinators administer people: the user list, roles and lead assignments, switching accounts off and
on, and bulk invitations (sign-up and Delphi panel) from CSV."""
