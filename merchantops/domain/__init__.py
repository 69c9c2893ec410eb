"""Business areas: one package each, Tortoise models and the services that change them."""
