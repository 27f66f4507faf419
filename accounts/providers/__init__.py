"""Real providers behind the outbox's channel interface (`accounts.channels.MessageBackend`), and what their
webhooks tell us back: delivery statuses, replies, opt-outs."""
