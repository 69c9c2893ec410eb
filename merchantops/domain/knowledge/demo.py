"""The demo tenant's knowledge base: three categories, eight published articles about the
shop's coffee, tees and bottles, one draft, and storefront searches (one finding nothing, one
whose result was opened) so the deflection figures show numbers."""

from __future__ import annotations

from dataclasses import dataclass

from merchantops.domain.knowledge import articles, categories, search
from merchantops.domain.seeding import AGENT, Seed
from merchantops.tenants.context import actor_scope

STOREFRONT = "api_key:demo-storefront"


@dataclass(frozen=True, slots=True)
class DemoArticle:
    category: str
    title: str
    body: str
    publish: bool = True


CATEGORIES = (("shipping", "Shipping"), ("returns", "Returns & refunds"), ("care", "Product care"))
ARTICLES = (
    DemoArticle(
        "shipping",
        "How long does delivery take?",
        "Orders placed before **2 pm** leave our warehouse the same day.\n\n"
        "- Standard delivery: 3-5 working days\n- Express delivery: 1-2 working days\n\n"
        "You get a tracking link by e-mail as soon as your parcel ships.",
    ),
    DemoArticle(
        "shipping",
        "Where is my order?",
        "Follow the tracking link in your shipping e-mail. An order shipped from two "
        "warehouses arrives in two parcels, each with its own tracking number.",
    ),
    DemoArticle(
        "shipping",
        "Do you ship abroad?",
        "We ship coffee, tees and bottles to the EU, the UK, Japan and the United States. "
        "Customs duties outside the EU are paid by the recipient.",
    ),
    DemoArticle(
        "returns",
        "How do I return a damaged item?",
        "Sorry it arrived damaged! Take a photo of the damage and the parcel, then request a "
        "return from your order page within **30 days**. We refund the item and the postage, "
        "or send a replacement.",
    ),
    DemoArticle(
        "returns",
        "7-day no-reason returns",
        "Changed your mind? Unworn tees and unused bottles can be returned within **7 days** "
        "of delivery, no reason needed. Opened coffee cannot be returned for hygiene reasons.",
    ),
    DemoArticle(
        "returns",
        "When will I get my refund?",
        "Refunds are paid to the original payment method within 5 working days of your return "
        "arriving at our warehouse. Store credit is available at once.",
    ),
    DemoArticle(
        "care",
        "Keeping your coffee fresh",
        "Store beans in their resealable bag, away from light and heat. Grind just before "
        "brewing and finish the bag within four weeks of the roast date.",
    ),
    DemoArticle(
        "care",
        "Washing your tee",
        "Wash inside out at 30 °C with similar colours and dry flat. Do not tumble dry: "
        "organic cotton shrinks in the heat.",
    ),
    DemoArticle(
        "care",
        "Cleaning your steel bottle",
        "Rinse with warm soapy water and a bottle brush; the lid is dishwasher safe, the "
        "bottle is not. Never freeze a full bottle.",
        publish=False,  # the agent's draft, waiting for review
    ),
)
SEARCHES = ("how long is delivery", "returning a damaged item", "gift wrapping", "washing tees")


async def master_data(seed: Seed) -> None:
    """The categories and articles, written (and published) by the customer-service agent."""
    with seed.as_(AGENT):
        found = {}
        for position, (slug, name) in enumerate(CATEGORIES, start=1):
            found[slug] = await categories.create_category(name, slug, position)
        for spec in ARTICLES:
            article = await articles.create_article(
                articles.ArticleSpec(found[spec.category].id, spec.title, spec.body)
            )
            if spec.publish:
                await articles.publish_article(article.id)


async def activity(seed: Seed) -> None:
    """Storefront searches: 'gift wrapping' finds nothing; the delivery answer was opened."""
    with actor_scope(STOREFRONT):
        for query in SEARCHES:
            done = await search.search_articles(query, channel="partner")
            if query.startswith("how long") and done.hits:
                await search.record_view(done.search.id, done.hits[0].article.id)


__all__ = ["ARTICLES", "CATEGORIES", "activity", "master_data"]
