"""Outbound HTTP with limits: key sets and discovery documents, only when the user asks."""
