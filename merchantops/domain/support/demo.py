"""The demo tenant's customer service: the "Front line" team led by the customer-service lead,
and tickets in every SLA state, answered by the agent, after the orders' own demo data.

    #1 NEW, RUNNING    Emma Schulz asks where order #4 is (an hour ago; an article linked)
    #2 NEW, WARNING    Ben Okafor on chat, 20 of his 24 hours gone
    #3 PENDING, PAUSED Alice Moreau's grinder (after-sales): waiting for her photos
    #4 BREACHED        Chen Jing's major complaint: a cracked bottle, at management at once,
                       its 4-hour first reply breached and handed to the lead
    #5 SOLVED          Alice Moreau's damaged coffee bag: loop closed (root cause, corrective
                       action, lot, her confirmation), survey answered 5 / 9
    #6 SOLVED          Farah Haddad's return question, survey answered 2 / 4 (a detractor)
    #7 CLOSED          Gus Peterson's invoice question, solved ten days ago
    #8 OPEN            Hana Sato on the storefront's chat tool (a partner's API key)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from merchantops.domain.customers.models import Customer
from merchantops.domain.inventory.models import Lot
from merchantops.domain.knowledge.models import Article
from merchantops.domain.orders.models import Order
from merchantops.domain.seeding import AGENT, SUPPORT_LEAD, Seed
from merchantops.domain.support import escalation, surveys, teams, tickets
from merchantops.domain.support.clocks import Target
from merchantops.domain.support.models import (
    Author,
    SlaClock,
    SupportTeam,
    SurveyResponse,
    Ticket,
)
from merchantops.domain.support.policies import (
    Channel,
    Priority,
    Severity,
    TicketStatus,
    TicketType,
)
from merchantops.domain.support.tickets import MessageSpec, Resolution, TicketSpec
from merchantops.tenants.context import actor_scope

CHAT_TOOL = "api_key:demo-chat-tool"
H = timedelta(hours=1)


def _user(seed: Seed, email: str) -> UUID:
    return UUID(seed.actors[email].removeprefix("user:"))


async def master_data(seed: Seed) -> None:
    """The front-line team, its lead the customer-service lead."""
    with seed.as_(SUPPORT_LEAD):
        await teams.create_team("Front line", _user(seed, SUPPORT_LEAD.email))


async def _open(
    seed: Seed, email: str, subject: str, body: str, at: datetime, **more: object
) -> Ticket:
    customer = await Customer.get(email=email)
    team = await SupportTeam.get(name="Front line")
    spec = TicketSpec(
        subject=subject,
        body=body,
        requester_name=customer.name,
        requester_email=customer.email,
        customer_id=customer.id,
        team_id=team.id,
        assignee_id=_user(seed, AGENT.email),
        **{"type": TicketType.INQUIRY, "channel": Channel.EMAIL, **more},  # type: ignore[arg-type]
    )
    return (await tickets.create_ticket(spec, now=at)).ticket


async def _reply(ticket: Ticket, body: str, at: datetime) -> None:
    await tickets.add_message(ticket.id, MessageSpec(body), now=at)


async def _answer(
    seed: Seed, ticket: Ticket, csat: int, nps: int, comment: str, at: datetime
) -> None:
    """The customer answers the survey the ticket's solving sent (as the link would)."""
    survey = await SurveyResponse.get(ticket_id=ticket.id)
    token = surveys.SurveyToken(seed.tenant.id, survey.id, survey.nonce)
    with actor_scope("survey"):
        await surveys.answer(token, csat, nps, comment, at)


async def activity(seed: Seed) -> None:
    now = datetime.now(UTC)
    with seed.as_(AGENT):
        order4 = await Order.get(number=4)
        where = await _open(
            seed,
            "emma.schulz@example.com",
            "Where is the rest of order #4?",
            "The coffee came, the bottles did not.",
            now - H,
            order_id=order4.id,
        )
        article = await Article.filter(title="Where is my order?").first()
        if article is not None:
            await tickets.link_article(where.id, article.id)

        await _open(
            seed,
            "ben.okafor@example.com",
            "Wholesale price list",
            "Could you send this season's wholesale prices?",
            now - 20 * H,
            channel=Channel.CHAT,
        )

        grinder = await _open(
            seed,
            "alice.moreau@example.com",
            "Grinder makes a rattling noise",
            "Since yesterday the grinder rattles.",
            now - 5 * H,
            type=TicketType.AFTER_SALES,
            channel=Channel.PHONE,
        )
        await _reply(grinder, "Could you send us a short video of the noise?", now - 4 * H)
        await tickets.set_status(grinder.id, TicketStatus.PENDING_CUSTOMER, now=now - 4 * H)

        lot = await Lot.all().order_by("trace_code").first()
        major = await _open(
            seed,
            "chen.jing@example.com",
            "Bottle cracked and cut my hand",
            "The bottle cracked when I poured hot water into it.",
            now - 6 * H,
            type=TicketType.COMPLAINT,
            severity=Severity.MAJOR,
            channel=Channel.APP,
            priority=Priority.URGENT,
            concerns_product=True,
            lot_id=lot.id if lot else None,
        )
        first = await SlaClock.get(ticket_id=major.id, target=Target.FIRST_REPLY)
        await escalation.fire(first.id, first.version, "warning", now)
        await escalation.fire(first.id, first.version, "breach", now)

        bag = await _open(
            seed,
            "alice.moreau@example.com",
            "Coffee bag arrived torn",
            "Half the beans were loose in the box.",
            now - 50 * H,
            type=TicketType.COMPLAINT,
            order_id=(await Order.get(number=3)).id,
        )
        await _reply(bag, "Sorry! A replacement is on its way.", now - 48 * H)
        await tickets.record_resolution(
            bag.id,
            Resolution(
                "Bags packed without a padded sleeve at CENTRAL",
                "Padded sleeves for every coffee bag; packers briefed",
            ),
            now=now - 30 * H,
        )
        await tickets.request_confirmation(bag.id, now=now - 30 * H)
        await tickets.confirm_resolution(bag.id, now=now - 26 * H)

        refund = await _open(
            seed,
            "farah.haddad@example.com",
            "When is my refund paid?",
            "I sent the parcel back last week.",
            now - 30 * H,
            type=TicketType.RETURN,
        )
        await _reply(refund, "Refunds reach your card within 5 working days.", now - 29 * H)
        await tickets.set_status(refund.id, TicketStatus.SOLVED, now=now - 28 * H)
        await _answer(seed, bag, 5, 9, "Quick and kind, thank you.", now - 25 * H)
        await _answer(seed, refund, 2, 4, "Five days is too long for a refund.", now - 27 * H)

        invoice = await _open(
            seed,
            "gus.peterson@example.com",
            "VAT invoice for my company",
            "Please send an invoice with our VAT number.",
            now - 12 * 24 * H,
        )
        await _reply(invoice, "Attached is your invoice.", now - 11 * 24 * H)
        await tickets.set_status(invoice.id, TicketStatus.SOLVED, now=now - 11 * 24 * H)
        await tickets.close_due(now)

    with actor_scope(CHAT_TOOL):
        chat = await _open(
            seed,
            "hana.sato@example.com",
            "Gift wrapping?",
            "Do you gift-wrap?",
            now - 2 * H,
            channel=Channel.CHAT,
            idempotency_key="chat-tool:conversation-5001",
        )
    with seed.as_(AGENT):
        await _reply(chat, "Not yet, but a gift note is free.", now - H)
        await tickets.add_message(
            chat.id, MessageSpec("Thanks!", author=Author.CUSTOMER), now=now - H / 2
        )


__all__ = ["activity", "master_data"]
