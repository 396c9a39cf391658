"""The review pages: invitations, sessions, one sentence at a time, decisions into the memory's review log."""
