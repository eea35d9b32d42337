"""Feature packages: each owns its models, forms, rules and views."""
