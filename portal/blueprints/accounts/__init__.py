"""Accounts: registration, verification, sign-in, passwords, profiles and preferences."""
