"""The community manager's dashboard, and people and roles."""
