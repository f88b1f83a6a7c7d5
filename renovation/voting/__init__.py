"""Consultation ballots (内容协商) under 民法典 art. 278."""
