"""Integration state: organisation-scoped API tokens and webhook endpoints with their deliveries."""
