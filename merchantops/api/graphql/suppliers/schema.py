from __future__ import annotations

from decimal import Decimal
from enum import Enum

import strawberry
from tortoise.expressions import Q

from merchantops.api.graphql.core.context import Info
from merchantops.api.graphql.core.errors import DeletePayload, UserError, user_errors
from merchantops.api.graphql.core.ids import decode_id
from merchantops.api.graphql.core.inputs import limit
from merchantops.api.graphql.core.pagination import Connection, paginate
from merchantops.api.graphql.core.permissions import TenantPermission, requires
from merchantops.api.graphql.core.sorting import SortDirection, order
from merchantops.api.graphql.suppliers.types import (
    Grade,
    ScoringPolicyType,
    SupplierContactNode,
    SupplierEvaluationNode,
    SupplierNode,
)
from merchantops.domain.suppliers import models, service
from merchantops.errors import DomainError

READ = TenantPermission("supplier", "read")
WRITE = TenantPermission("supplier", "write")


@strawberry.enum
class SupplierSortField(Enum):
    CODE = "code"
    NAME = "name"
    SCORE = "score"
    CREATED_AT = "created_at"


@strawberry.input
class SupplierSort:
    field: SupplierSortField = SupplierSortField.CODE
    direction: SortDirection = SortDirection.ASC


@strawberry.input
class SupplierFilter:
    grades: list[Grade] | None = None
    country: str | None = None
    search: str | None = strawberry.field(
        default=None, description="Part of the code or name, case-insensitive."
    )


@strawberry.input
class ContactInput:
    full_name: str
    title: str = ""
    email: str = ""
    phone: str = ""

    def spec(self) -> service.ContactSpec:
        return service.ContactSpec(self.full_name, self.title, self.email, self.phone)


@strawberry.input
class CreateSupplierInput:
    code: str
    name: str
    country: str = ""
    contacts: list[ContactInput] = strawberry.field(default_factory=list)


@strawberry.input
class AddSupplierContactInput:
    supplier_id: strawberry.ID
    contact: ContactInput


@strawberry.input
class RemoveSupplierContactInput:
    id: strawberry.ID


@strawberry.input
class EvaluateSupplierInput:
    supplier_id: strawberry.ID
    quality: int
    delivery: int
    price: int
    service: int
    period: str = ""
    notes: str = strawberry.field(default="", metadata=limit(max_length=2000))


@strawberry.input
class ScoringPolicyInput:
    quality_weight: Decimal
    delivery_weight: Decimal
    price_weight: Decimal
    service_weight: Decimal
    grade_a_from: int
    grade_b_from: int
    grade_c_from: int


@strawberry.type
class SupplierPayload:
    supplier: SupplierNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SupplierContactPayload:
    contact: SupplierContactNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SupplierEvaluationPayload:
    evaluation: SupplierEvaluationNode | None = None
    supplier: SupplierNode | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ScoringPolicyPayload:
    policy: ScoringPolicyType | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SupplierQuery:
    @strawberry.field(extensions=[requires(READ)])
    async def suppliers(
        self,
        info: Info,
        filter: SupplierFilter | None = None,
        sort: SupplierSort | None = None,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
    ) -> Connection[SupplierNode]:
        filter, sort = filter or SupplierFilter(), sort or SupplierSort()
        rows = models.Supplier.all()
        if filter.grades:
            rows = rows.filter(grade__in=[grade.value for grade in filter.grades])
        if filter.country:
            rows = rows.filter(country=filter.country.upper())
        if filter.search:
            rows = rows.filter(Q(code__icontains=filter.search) | Q(name__icontains=filter.search))
        return await paginate(
            info,
            rows.order_by(*order(sort.field.value, sort.direction)),
            first=first,
            after=after,
            last=last,
            before=before,
            to_node=SupplierNode.from_model,
        )

    @strawberry.field(
        extensions=[requires(READ)],
        description="The weights and grade thresholds evaluations use.",
    )
    async def supplier_scoring_policy(self) -> ScoringPolicyType:
        return ScoringPolicyType.from_model(await service.scoring_policy())


@strawberry.type
class SupplierMutation:
    @strawberry.mutation(extensions=[requires(WRITE)])
    async def create_supplier(self, input: CreateSupplierInput) -> SupplierPayload:
        try:
            supplier = await service.create_supplier(
                input.code,
                input.name,
                country=input.country,
                contacts=[contact.spec() for contact in input.contacts],
            )
        except DomainError as error:
            return SupplierPayload(errors=user_errors(error))
        return SupplierPayload(supplier=SupplierNode.from_model(supplier))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def add_supplier_contact(self, input: AddSupplierContactInput) -> SupplierContactPayload:
        try:
            supplier_id = decode_id(input.supplier_id, "Supplier", "supplierId")
            contact = await service.add_contact(supplier_id, input.contact.spec())
        except DomainError as error:
            return SupplierContactPayload(errors=user_errors(error))
        return SupplierContactPayload(contact=SupplierContactNode.from_model(contact))

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def remove_supplier_contact(self, input: RemoveSupplierContactInput) -> DeletePayload:
        try:
            await service.remove_contact(decode_id(input.id, "SupplierContact"))
        except DomainError as error:
            return DeletePayload(errors=user_errors(error))
        return DeletePayload(deleted_id=input.id)

    @strawberry.mutation(
        extensions=[requires(WRITE)],
        description="Record a scorecard (criteria 0-100); the supplier takes the grade it gives.",
    )
    async def evaluate_supplier(self, input: EvaluateSupplierInput) -> SupplierEvaluationPayload:
        try:
            evaluation = await service.evaluate(
                decode_id(input.supplier_id, "Supplier", "supplierId"),
                service.Scores(input.quality, input.delivery, input.price, input.service),
                period=input.period,
                notes=input.notes,
            )
            supplier = await service.get_supplier(evaluation.supplier_id)
        except DomainError as error:
            return SupplierEvaluationPayload(errors=user_errors(error))
        return SupplierEvaluationPayload(
            evaluation=SupplierEvaluationNode.from_model(evaluation),
            supplier=SupplierNode.from_model(supplier),
        )

    @strawberry.mutation(extensions=[requires(WRITE)])
    async def set_supplier_scoring_policy(self, input: ScoringPolicyInput) -> ScoringPolicyPayload:
        try:
            policy = await service.set_scoring_policy(
                service.Weights(
                    input.quality_weight,
                    input.delivery_weight,
                    input.price_weight,
                    input.service_weight,
                    input.grade_a_from,
                    input.grade_b_from,
                    input.grade_c_from,
                )
            )
        except DomainError as error:
            return ScoringPolicyPayload(errors=user_errors(error))
        return ScoringPolicyPayload(policy=ScoringPolicyType.from_model(policy))


__all__ = ["SupplierMutation", "SupplierQuery"]
