"""The notifications read model: saved searches, notices, and the e-mail outbox the notifier sends."""
