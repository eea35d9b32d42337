"""The reference scale-out set-up: nginx in front of app servers that share PostgreSQL and
Redis, with the mail worker and the scheduler as processes of their own."""
