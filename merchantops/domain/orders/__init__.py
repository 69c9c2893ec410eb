"""The orders area (issue 17), its pure core first: pricing an order (`pricing`) and the payment
transaction ledger (`payments`). Models, services and GraphQL follow; the area joins
`bootstrap.AREAS` with them."""
