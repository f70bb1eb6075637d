"""Notifications: who is told about what (subscribers of domain events), mails, the outbox worker."""
