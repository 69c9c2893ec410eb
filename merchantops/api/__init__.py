"""The HTTP and GraphQL surface. Imports every other layer; nothing imports it."""
