"""The organisation of a tenant: departments, roles, their permissions, and who holds them.

    departments  creating, renaming and deleting departments
    roles        roles, their permissions and the roles they inherit from
    members      who belongs to the tenant, with which roles, in which department
    rights       what every change checks: a tenant named, nothing granted beyond one's own
    defaults     the organisation a new tenant starts with

Rules every change obeys:
- nobody grants what they do not hold: a role given permissions, a role assigned to a member,
  or scopes given to an API key must all be within the acting principal's own rights;
- a tenant keeps at least one owner;
- system roles (from the default template) may get new permissions but not be deleted, and the
  owner role is never edited.
"""
