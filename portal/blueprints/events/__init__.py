"""Events: networking events, talks and workshops that members find, RSVP to and join."""
