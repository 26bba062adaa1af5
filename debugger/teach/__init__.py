"""Explanations, glossary, walkthroughs and their curve arithmetic, generated code, the demo."""
