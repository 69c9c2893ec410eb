"""Tenants, users, memberships, org structure, policy lines, API keys, login sessions.

Model docstrings become table comments, and tortoise's SQLite migrator splits its SQL on
semicolons: keep semicolons out of them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from merchantops.tenants.base import TenantModel


class TenantStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class Tenant(Model):
    id = fields.UUIDField(primary_key=True)
    slug = fields.CharField(max_length=63, unique=True)
    name = fields.CharField(max_length=200)
    status = fields.CharEnumField(TenantStatus, max_length=16, default=TenantStatus.ACTIVE)
    # Bumped in the transaction of every permission change: API processes compare it with the
    # version of the policy they cached and reload on a difference.
    policy_version = fields.IntField(default=0)
    # Bumped when a rule set is activated or rolled back, for the same reason.
    rules_version = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "tenant"


class User(Model):
    # Data classification of personal fields (values of rules.masking.Classification).
    CLASSIFIED: ClassVar[dict[str, str]] = {
        "email": "confidential_personal",
        "full_name": "confidential_personal",
    }

    id = fields.UUIDField(primary_key=True)
    email = fields.CharField(max_length=254, unique=True)
    full_name = fields.CharField(max_length=200, default="")
    password_hash = fields.CharField(max_length=255, null=True)
    is_active = fields.BooleanField(default=True)
    is_platform_admin = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    last_login_at = fields.DatetimeField(null=True)

    memberships: fields.ReverseRelation[Membership]

    class Meta:
        table = "user_account"


class Membership(TenantModel):
    id = fields.UUIDField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "merchantops.User", related_name="memberships", on_delete=fields.CASCADE
    )
    user_id: UUID
    department: fields.ForeignKeyNullableRelation[Department] = fields.ForeignKeyField(
        "merchantops.Department", related_name="members", null=True, on_delete=fields.RESTRICT
    )
    department_id: UUID | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "membership"
        unique_together = (("tenant", "user"),)


class Department(TenantModel):
    id = fields.UUIDField(primary_key=True)
    slug = fields.CharField(max_length=63)
    name = fields.CharField(max_length=200)
    created_at = fields.DatetimeField(auto_now_add=True)

    members: fields.ReverseRelation[Membership]

    class Meta:
        table = "department"
        unique_together = (("tenant", "slug"),)


class Role(TenantModel):
    """A role's name and place. Its permissions and parents live in the casbin policy."""

    id = fields.UUIDField(primary_key=True)
    slug = fields.CharField(max_length=63)
    name = fields.CharField(max_length=200)
    department: fields.ForeignKeyNullableRelation[Department] = fields.ForeignKeyField(
        "merchantops.Department", related_name="roles", null=True, on_delete=fields.RESTRICT
    )
    department_id: UUID | None
    is_system = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "role"
        unique_together = (("tenant", "slug"),)


class PolicyRule(TenantModel):
    """One casbin policy line (`p` permission or `g` role link) of one tenant."""

    id = fields.BigIntField(primary_key=True)
    ptype = fields.CharField(max_length=8)
    v0 = fields.CharField(max_length=255, default="")
    v1 = fields.CharField(max_length=255, default="")
    v2 = fields.CharField(max_length=255, default="")
    v3 = fields.CharField(max_length=255, default="")
    v4 = fields.CharField(max_length=255, default="")
    v5 = fields.CharField(max_length=255, default="")

    class Meta:
        table = "casbin_rule"
        indexes = (("tenant_id", "ptype"),)


class ApiKey(TenantModel):
    """A partner's key: `mok_<public id>_<secret>`. Only a hash of the secret is stored."""

    id = fields.UUIDField(primary_key=True)
    name = fields.CharField(max_length=200)
    public_id = fields.CharField(max_length=32)
    secret_hash = fields.CharField(max_length=64)
    # After a rotation the replaced secret keeps working until previous_expires_at.
    previous_secret_hash = fields.CharField(max_length=64, null=True)
    previous_expires_at = fields.DatetimeField(null=True)
    role_slug = fields.CharField(max_length=63)
    scopes: list[str] = fields.JSONField(default=list)
    expires_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    last_used_at = fields.DatetimeField(null=True)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "merchantops.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    created_by_id: UUID | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "api_key"
        unique_together = (("tenant", "public_id"),)
        # Keys are looked up by public id before the tenant is known.
        indexes = (("public_id",),)


class SessionEnd(StrEnum):
    LOGOUT = "logout"
    REUSE_DETECTED = "reuse_detected"


class LoginSession(Model):
    """One login, from the password to its end. Its id is the family id of its refresh tokens
    and the `sid` of its access tokens, and each request reads it joined with its user, so an
    ended session refuses its access tokens on their next request."""

    id = fields.UUIDField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "merchantops.User", related_name="sessions", on_delete=fields.CASCADE
    )
    user_id: UUID
    created_at = fields.DatetimeField(auto_now_add=True)
    ended_at = fields.DatetimeField(null=True)
    end_reason = fields.CharEnumField(SessionEnd, max_length=16, null=True)

    class Meta:
        table = "login_session"


class RefreshToken(Model):
    """One link of a rotating refresh-token family. Only a hash of the token is stored."""

    id = fields.UUIDField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "merchantops.User", related_name="refresh_tokens", on_delete=fields.CASCADE
    )
    user_id: UUID
    family_id = fields.UUIDField(db_index=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "refresh_token"


class Invitation(Model):
    """A one-time token that lets an invited user set their password."""

    id = fields.UUIDField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "merchantops.User", related_name="invitations", on_delete=fields.CASCADE
    )
    user_id: UUID
    token_hash = fields.CharField(max_length=64, unique=True)
    expires_at = fields.DatetimeField()
    accepted_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "invitation"


class AuditEntry(TenantModel):
    """One link of a tenant's hash-chained audit trail. Written unchained (`seq`, `prev_hash`
    and `hash` null), chained once by `audit.seal`, never changed after, never deleted."""

    id = fields.BigIntField(primary_key=True)
    seq = fields.BigIntField(null=True)
    actor = fields.CharField(max_length=100)
    action = fields.CharField(max_length=100)
    target_type = fields.CharField(max_length=50)
    target_id = fields.CharField(max_length=100)
    diff: dict[str, object] = fields.JSONField(default=dict)
    request_id = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField()
    prev_hash = fields.CharField(max_length=64, null=True)
    hash = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "audit_entry"
        unique_together = (("tenant", "seq"),)
        indexes = (("tenant_id", "action"), ("tenant_id", "created_at"))


class TenantCounter(TenantModel):
    """The last number handed out of one of a tenant's sequences (`tenants.sequences`)."""

    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=50)
    value = fields.BigIntField(default=0)

    class Meta:
        table = "tenant_counter"
        unique_together = (("tenant", "name"),)


class OutboxEvent(TenantModel):
    """A domain event written in the transaction of its state change, relayed to the queue."""

    id = fields.UUIDField(primary_key=True)
    type = fields.CharField(max_length=100)
    payload: dict[str, object] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    dispatched_at = fields.DatetimeField(null=True)
    relay_attempts = fields.IntField(default=0)
    last_error = fields.TextField(null=True)

    class Meta:
        table = "outbox_event"
        indexes = (("dispatched_at", "created_at"),)


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    RETRYING = "retrying"
    SUCCEEDED = "succeeded"
    DEAD = "dead"


class JobRecord(TenantModel):
    """What a background job is doing, for GraphQL. Dead jobs form the dead-letter list."""

    id = fields.UUIDField(primary_key=True)
    key = fields.CharField(max_length=200, description="Idempotency key, e.g. event:<id>")
    name = fields.CharField(max_length=100)
    payload: dict[str, object] = fields.JSONField(default=dict)
    status = fields.CharEnumField(JobStatus, max_length=16, default=JobStatus.QUEUED)
    attempts = fields.IntField(default=0)
    runs = fields.IntField(default=0, description="Bumped by each replay")
    progress_done = fields.IntField(default=0)
    progress_total = fields.IntField(null=True)
    last_error = fields.TextField(null=True)
    lease_until = fields.DatetimeField(
        null=True,
        description="Until when the queue is trusted with an unfinished job (empty: due now)",
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "job_record"
        unique_together = (("tenant", "key"),)
        indexes = (("tenant_id", "status"), ("status", "lease_until"))


__all__ = [
    "ApiKey",
    "AuditEntry",
    "Department",
    "Invitation",
    "JobRecord",
    "JobStatus",
    "LoginSession",
    "Membership",
    "OutboxEvent",
    "PolicyRule",
    "RefreshToken",
    "Role",
    "SessionEnd",
    "Tenant",
    "TenantCounter",
    "TenantStatus",
    "User",
]
